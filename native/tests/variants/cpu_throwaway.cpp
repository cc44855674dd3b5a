// cpu-throwaway — a harness self-test variant (BK_VARIANT_TEST_ONLY) in libbk_test_variants.so: proof that a new
// variant file, and nothing else, adds a variant to a library built from this project's runtime, with its listing,
// shape limits and checks coming from the registry. It is honest: it computes exactly what it declares.
//
// What it computes: the Hugging Face QKV projection, float32 tensors, weights [out][in], biases added (null = zero),
// accumulated in double and rounded once to float per element; writes attn.q, attn.k, attn.v and attn.qkv only.
// Synchronous on the calling thread (CPU), no workspace. Limits: D a multiple of 2 and M at most 1024, so the
// harness's limit handling has something to act on in a CPU-only test.
// Known deviations: none intended.
#include "variant.h"

#include <cstddef>
#include <vector>

namespace {

constexpr uint64_t kOutputs = (uint64_t{1} << BK_T_ATTN_Q) | (uint64_t{1} << BK_T_ATTN_K) |
                              (uint64_t{1} << BK_T_ATTN_V) | (uint64_t{1} << BK_T_ATTN_QKV);

// out[which][b][h][s][d] = input[b][s][:] . weight[which][h*D + d][:] + bias[which][h*D + d]
void run(const bk_params& params) {
    const auto B = static_cast<std::size_t>(params.dims.batch), S = static_cast<std::size_t>(params.dims.seq);
    const auto H = static_cast<std::size_t>(params.dims.heads), D = static_cast<std::size_t>(params.dims.head_size);
    const std::size_t M = H * D;
    const auto* x = static_cast<const float*>(params.input);
    const auto* w = static_cast<const float*>(params.qkv_weight);
    const auto* bias = static_cast<const float*>(params.qkv_bias);
    auto* qkv = static_cast<float*>(params.outputs[BK_T_ATTN_QKV]);
    float* parts[3] = {static_cast<float*>(params.outputs[BK_T_ATTN_Q]), static_cast<float*>(params.outputs[BK_T_ATTN_K]),
                       static_cast<float*>(params.outputs[BK_T_ATTN_V])};
    for (std::size_t which = 0; which < 3; ++which) {
        for (std::size_t token = 0; token < B * S; ++token) {
            const std::size_t b = token / S, s = token % S;
            for (std::size_t o = 0; o < M; ++o) {
                double sum = bias != nullptr ? static_cast<double>(bias[which * M + o]) : 0.0;
                for (std::size_t i = 0; i < M; ++i) {
                    sum += static_cast<double>(x[token * M + i]) * static_cast<double>(w[(which * M + o) * M + i]);
                }
                const std::size_t at = ((b * H + o / D) * S + s) * D + o % D;
                if (parts[which] != nullptr) {
                    parts[which][at] = static_cast<float>(sum);
                }
                if (qkv != nullptr) {
                    qkv[which * B * H * S * D + at] = static_cast<float>(sum);
                }
            }
        }
    }
}

bk_variant_info info() {
    bk_variant_info info{};
    info.name = "cpu-throwaway";
    info.description = "test-only: the Hugging Face QKV projection on the CPU (writes attn.q/k/v and attn.qkv only)";
    info.shapes = "D even, M = H*D <= 1024";
    info.device = BK_DEVICE_CPU;
    info.semantics = BK_SEMANTICS_HUGGINGFACE;
    info.dtype = BK_DTYPE_F32;
    info.weight_layout = BK_LAYOUT_OUT_IN;
    info.default_accumulation_group = 0;
    info.outputs = kOutputs;
    info.flags = BK_VARIANT_TEST_ONLY;
    info.limits.head_size.multiple_of = 2;
    info.limits.model.max = 1024;
    return info;
}

}  // namespace

BK_REGISTER_VARIANT(cpu_throwaway, {info(), &run});
