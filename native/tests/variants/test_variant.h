// test_variant.h — what the test-only variants of libbk_test_variants.so share: their description (Hugging Face
// semantics, float32, weights [out][in], fp32 accumulation, flagged BK_VARIANT_TEST_ONLY) and the one honest
// computation the CPU ones make, the Hugging Face QKV projection. Not a variant itself (the library globs *.cpp, *.cu).
#pragma once

#include "variant.h"

#include <cstddef>
#include <cstdint>

namespace bk::test {

constexpr uint64_t tensorBit(int tensor) { return uint64_t{1} << tensor; }

// A test-only variant's description; any shape (all-zero limits) unless the caller narrows info.limits.
inline bk_variant_info info(const char* name, const char* description, int32_t device, uint64_t outputs, int32_t flags = 0)
{
    bk_variant_info info{};
    info.name = name;
    info.description = description;
    info.shapes = "any";
    info.device = device;
    info.semantics = BK_SEMANTICS_HUGGINGFACE;
    info.dtype = BK_DTYPE_F32;
    info.weight_layout = BK_LAYOUT_OUT_IN;
    info.default_accumulation_group = 0;
    info.outputs = outputs;
    info.flags = BK_VARIANT_TEST_ONLY | flags;
    return info;
}

// Projection `which` (0 q, 1 k, 2 v) of the Hugging Face layer on host float32 buffers:
// out[b][h][s][d] = input[b][s][:] . weight[which][h*D + d][:] + bias[which][h*D + d] (null bias = zero), summed in
// double and rounded once to float, written to `part` ([B,H,S,D]) and to the matching third of `qkv`, where non-null.
inline void projectQkv(const bk_params& params, std::size_t which, float* part, float* qkv)
{
    const auto B = static_cast<std::size_t>(params.dims.batch), S = static_cast<std::size_t>(params.dims.seq);
    const auto H = static_cast<std::size_t>(params.dims.heads), D = static_cast<std::size_t>(params.dims.head_size);
    const std::size_t M = H * D;
    const auto* x = static_cast<const float*>(params.input);
    const auto* w = static_cast<const float*>(params.qkv_weight);
    const auto* bias = static_cast<const float*>(params.qkv_bias);
    for (std::size_t token = 0; token < B * S; ++token) {
        const std::size_t b = token / S, s = token % S;
        for (std::size_t o = 0; o < M; ++o) {
            double sum = bias != nullptr ? static_cast<double>(bias[which * M + o]) : 0.0;
            for (std::size_t i = 0; i < M; ++i) {
                sum += static_cast<double>(x[token * M + i]) * static_cast<double>(w[(which * M + o) * M + i]);
            }
            const std::size_t at = ((b * H + o / D) * S + s) * D + o % D;
            if (part != nullptr) part[at] = static_cast<float>(sum);
            if (qkv != nullptr) qkv[which * B * H * S * D + at] = static_cast<float>(sum);
        }
    }
}

}  // namespace bk::test
