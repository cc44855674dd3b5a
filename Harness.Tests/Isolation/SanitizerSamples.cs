namespace Harness.Tests.Isolation;

/// <summary>
/// compute-sanitizer output in the layout its user guide documents (every tool line prefixed "========= ", a finding
/// at the margin with indented details, a summary at the end). Written here from that documented format for the
/// parser's tests; none of it was captured from a GPU run. Program output (unprefixed lines) is mixed in, as a real
/// log file of a chatty program would have it.
/// </summary>
internal static class SanitizerSamples
{
    public const string MemcheckOutOfBounds = """
        ========= COMPUTE-SANITIZER
        ========= Invalid __global__ write of size 4 bytes
        =========     at 0x1b0 in /src/native/tests/cuda_mutants/cuda_mutant.cuh:171:void bk::mutant::contextKernel<(bk::mutant::Defect)5>(const float *, const float *, float *, bk::mutant::Dims)
        =========     by thread (37,0,0) in block (1,3,0)
        =========     Address 0x7f3a5c000600 is out of bounds
        =========     and is 1,537 bytes after the nearest allocation at 0x7f3a5c000000 of size 1,536 bytes
        =========     Saved host backtrace up to driver entry point at kernel launch time
        =========     Host Frame: [0x2f0a1b]
        =========                in /usr/lib/x86_64-linux-gnu/libcuda.so.1
        =========     Host Frame:bk_run [0x1d2c4]
        =========                in /work/native/build/gpu/libbk_cuda_mutants.so
        =========
        some line the worker printed
        ========= Invalid __global__ write of size 4 bytes
        =========     at 0x1b0 in /src/native/tests/cuda_mutants/cuda_mutant.cuh:171:void bk::mutant::contextKernel<(bk::mutant::Defect)5>(const float *, const float *, float *, bk::mutant::Dims)
        =========     by thread (38,0,0) in block (1,3,0)
        =========     Address 0x7f3a5c000604 is out of bounds
        =========
        ========= Program hit cudaErrorLaunchFailure (error 719) due to "unspecified launch failure" on CUDA API call to cudaStreamSynchronize.
        =========     Saved host backtrace up to driver entry point at error
        =========     Host Frame: [0x2f0a1b]
        =========
        ========= ERROR SUMMARY: 3 errors
        """;

    public const string RacecheckHazard = """
        ========= COMPUTE-SANITIZER
        ========= Error: Race reported between Write access at 0x4d0 in /src/native/tests/cuda_mutants/cuda_mutant.cuh:96:void bk::mutant::projectAndScoreKernel<(bk::mutant::Defect)0>(bk::mutant::ScoreArgs)
        =========     and Read access at 0x5f0 in /src/native/tests/cuda_mutants/cuda_mutant.cuh:98:void bk::mutant::projectAndScoreKernel<(bk::mutant::Defect)0>(bk::mutant::ScoreArgs) [1024 hazards]
        =========
        ========= Warning: Race reported between Read access at 0x5f0 in /src/native/tests/cuda_mutants/cuda_mutant.cuh:98:void bk::mutant::projectAndScoreKernel<(bk::mutant::Defect)0>(bk::mutant::ScoreArgs)
        =========     and Write access at 0x4d0 in /src/native/tests/cuda_mutants/cuda_mutant.cuh:96:void bk::mutant::projectAndScoreKernel<(bk::mutant::Defect)0>(bk::mutant::ScoreArgs) [16 hazards]
        =========
        ========= RACECHECK SUMMARY: 2 hazards displayed (1 error, 1 warning)
        """;

    public const string InitcheckUninitializedRead = """
        ========= COMPUTE-SANITIZER
        ========= Uninitialized __global__ memory read of size 4 bytes
        =========     at 0x2a0 in void bk::mutant::projectAndScoreKernel<(bk::mutant::Defect)1>(bk::mutant::ScoreArgs)
        =========     by thread (5,0,0) in block (2,0,0)
        =========     Address 0x7f3a5c000a00
        =========     Saved host backtrace up to driver entry point at kernel launch time
        =========     Host Frame: [0x2f0a1b]
        =========
        ========= ERROR SUMMARY: 1 error
        """;

    public const string SynccheckDivergentBarrier = """
        ========= COMPUTE-SANITIZER
        ========= Barrier error detected. Divergent thread(s) in warp
        =========     at 0x90 in /src/kernel.cu:12:divergentBarrier()
        =========     by thread (1,0,0) in block (0,0,0)
        =========
        ========= ERROR SUMMARY: 1 error
        """;

    public const string Clean = """
        ========= COMPUTE-SANITIZER
        ========= ERROR SUMMARY: 0 errors
        """;

    public const string RacecheckClean = """
        ========= COMPUTE-SANITIZER
        ========= RACECHECK SUMMARY: 0 hazards displayed (0 errors, 0 warnings)
        """;

    /// <summary>A log that stops mid-finding (the tool or the run was killed): no summary.</summary>
    public const string Truncated = """
        ========= COMPUTE-SANITIZER
        ========= Invalid __shared__ read of size 4 bytes
        =========     at 0x70 in kernel()
        """;
}
