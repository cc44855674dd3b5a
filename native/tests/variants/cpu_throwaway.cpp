// cpu-throwaway — a harness self-test variant (BK_VARIANT_TEST_ONLY) in libbk_test_variants.so: proof that a new
// variant file, and nothing else, adds a variant to a library built from this project's runtime, with its listing,
// shape limits and checks coming from the registry. It is honest: it computes exactly what it declares.
//
// What it computes: the Hugging Face QKV projection, float32 tensors, weights [out][in], biases added (null = zero),
// accumulated in double and rounded once to float per element; writes attn.q, attn.k, attn.v and attn.qkv only.
// Synchronous on the calling thread (CPU), no workspace. Limits: D a multiple of 2 and M at most 1024, so the
// harness's limit handling has something to act on in a CPU-only test.
// Known deviations: none intended.
#include "test_variant.h"

namespace {

constexpr uint64_t kOutputs = bk::test::tensorBit(BK_T_ATTN_Q) | bk::test::tensorBit(BK_T_ATTN_K) |
                              bk::test::tensorBit(BK_T_ATTN_V) | bk::test::tensorBit(BK_T_ATTN_QKV);

void run(const bk_params& params) {
    auto* qkv = static_cast<float*>(params.outputs[BK_T_ATTN_QKV]);
    for (int which = 0; which < 3; ++which) {
        bk::test::projectQkv(params, static_cast<std::size_t>(which), static_cast<float*>(params.outputs[BK_T_ATTN_Q + which]), qkv);
    }
}

bk_variant_info info() {
    bk_variant_info info = bk::test::info(
        "cpu-throwaway", "test-only: the Hugging Face QKV projection on the CPU (writes attn.q/k/v and attn.qkv only)",
        BK_DEVICE_CPU, kOutputs);
    info.shapes = "D even, M = H*D <= 1024";
    info.limits.head_size.multiple_of = 2;
    info.limits.model.max = 1024;
    return info;
}

}  // namespace

BK_REGISTER_VARIANT(cpu_throwaway, {info(), &run});
