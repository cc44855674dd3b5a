// cpu-crash-at-exit — a harness self-test variant (BK_VARIANT_TEST_ONLY) in libbk_test_variants.so whose run is right
// but whose process crashes when it exits: the first run installs an exit handler that writes to an unmapped address.
// It stands for the exit-time teardown of the CUDA runtime and libtorch (static destructors running while the .NET
// finalizer thread still releases TorchSharp tensors), which crashed workers after good runs, more often the more
// processes shared a GPU machine. A worker ends once its response is written, so the harness must judge this run on
// its outputs and pass it; it must never be run inside the harness's own process.
//
// What it computes: the Hugging Face query projection attn.q (float32, weights [out][in], bias added, null = zero),
// accumulated in double and rounded once to float. Synchronous on the calling thread (CPU), no workspace, any shape.
#include "test_variant.h"

#include <cstdint>
#include <cstdlib>
#include <mutex>

namespace {

void crash() {
    // Through a volatile, so the compiler emits a real store (not a trap): 16 lies in the unmapped first page.
    volatile std::uintptr_t address = 16;
    *reinterpret_cast<float*>(address) = 1.0f;
}

void run(const bk_params& params) {
    static std::once_flag installed;
    std::call_once(installed, [] { std::atexit(&crash); });
    bk::test::projectQkv(params, 0, static_cast<float*>(params.outputs[BK_T_ATTN_Q]), nullptr);
}

}  // namespace

BK_REGISTER_VARIANT(cpu_crash_at_exit,
                    {bk::test::info("cpu-crash-at-exit", "test-only: right attn.q, then a SIGSEGV when the process exits",
                                    BK_DEVICE_CPU, bk::test::tensorBit(BK_T_ATTN_Q)),
                     &run});
