// cuda_empty.cu — test variant "cuda-empty" (test-variants library only): one empty kernel launch and nothing else.
//
// What it is for: the bench's overhead. A CUDA graph of N asynchronous runs of this variant times the launch path
// alone (issue 8's target: <= 2 us per run in graph mode on an H100), so a real variant's time can be read against it.
// It reads no pointer, writes no output (outputs mask 0) and needs no workspace; a harness that judges its outputs
// has nothing to compare, which is why it is BK_VARIANT_TEST_ONLY and never in a default list.
// Measured (H200, 2026-11-25/26, results/2026-11-25-h200/bench-cuda-empty.json): 0.6-0.8 us per run in graph mode (the bench's own
// overhead; target <= 2 us), 9-11 us for a single run between its own events (launch latency).
#include "cuda/cuda_util.cuh"

#include <string>

namespace {

constexpr const char* kName = "cuda-empty";

__global__ void emptyKernel() {}

void run(const bk_params& params)
{
    emptyKernel<<<1, 1, 0, bk::cuda::streamOf(params)>>>();
    bk::cuda::checkLaunch(std::string(kName) + " empty kernel");
    bk::cuda::finishRun(params, kName);
}

}  // namespace

BK_REGISTER_VARIANT(cuda_empty,
                    {{kName, "Test only: one empty kernel launch, writes nothing (measures the bench's per-run overhead)", "any",
                      BK_DEVICE_CUDA, BK_SEMANTICS_HUGGINGFACE | BK_SEMANTICS_SOUFFLE, BK_DTYPE_F32, BK_LAYOUT_OUT_IN, 0, 0,
                      BK_VARIANT_ASYNC | BK_VARIANT_TEST_ONLY, 0, bk::cuda::kAnyShape},
                     &run, nullptr});
