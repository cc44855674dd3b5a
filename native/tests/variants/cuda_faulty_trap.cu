// cuda_faulty_trap.cu — test variant "cuda-faulty-trap" (test-variants library only, BK_VARIANT_TEST_ONLY): a kernel
// that executes __trap(), so the tests can prove that a GPU fault (which poisons the process's CUDA context) takes
// down only the worker process running this variant, and that the failure names the CUDA error.
//
// What it declares: the Hugging Face QKV projection's attn.q (float32); it writes nothing. Synchronous only (the
// trap surfaces at its own cudaStreamSynchronize as cudaErrorLaunchFailure), no workspace, any shape.
// Must never be run inside the harness's own process.
#include "cuda/cuda_util.cuh"
#include "test_variant.h"

#include <string>

namespace {

constexpr const char* kName = "cuda-faulty-trap";

__global__ void trapKernel() { __trap(); }

void run(const bk_params& params)
{
    trapKernel<<<1, 1, 0, bk::cuda::streamOf(params)>>>();
    bk::cuda::checkLaunch(std::string(kName) + " trap kernel");
    bk::cuda::finishRun(params, kName);
}

bk_variant_info info()
{
    bk_variant_info info = bk::test::info(kName, "test-only: a kernel that executes __trap() (a GPU fault), writes nothing",
                                          BK_DEVICE_CUDA, bk::test::tensorBit(BK_T_ATTN_Q));
    info.limits = bk::cuda::kAnyShape;
    return info;
}

}  // namespace

BK_REGISTER_VARIANT(cuda_faulty_trap, {info(), &run});
