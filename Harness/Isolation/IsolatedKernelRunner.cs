using Harness.Kernels;

namespace Harness.Isolation;

/// <summary>
/// Runs a variant in a worker process (this harness in worker mode) with a timeout, so a variant that crashes, traps,
/// aborts or hangs takes down its worker only: the result is then a <see cref="KernelRun"/> with a
/// <see cref="KernelFault"/> and its outputs as poisoned, and the caller goes on. Transport: the request (inputs,
/// weights, variant, runs) and the response (outputs, reruns' record, or the run's error) are files in a fresh
/// temporary folder, deleted afterwards.
/// </summary>
public static class IsolatedKernelRunner
{
    /// <param name="returnOutputs">False when only whether the run completes matters (the bench's probe): the worker sends no outputs back.</param>
    public static KernelRun Run(KernelVariant variant, KernelRequest request, int runs, WorkerOptions options, bool returnOutputs = true)
    {
        using var worker = WorkerKernelRun.Start(variant, request, runs, options, returnOutputs, firstRunEarly: false);
        return worker.Finish();
    }

    /// <summary>
    /// Starts the variant in a worker that sends the first run's outputs before it reruns (when it reruns at all), so
    /// they can be judged while it does; <see cref="WorkerKernelRun.Finish"/> gives the same run <see cref="Run"/> does.
    /// </summary>
    public static WorkerKernelRun Start(KernelVariant variant, KernelRequest request, int runs, WorkerOptions options) =>
        WorkerKernelRun.Start(variant, request, runs, options, returnOutputs: true, firstRunEarly: runs > 1);
}
