// cpu-faulty-race and cpu-nondeterministic — harness self-test variants (BK_VARIANT_TEST_ONLY) in
// libbk_test_variants.so whose result moves between runs on the same inputs, as a race or fp32 atomics would make it:
// every second run in a process adds one ulp to element 0 of attn.q. The error stays far inside the error budget, so
// only a rerun check can see it. cpu-faulty-race does not declare it (the harness must report a race);
// cpu-nondeterministic declares BK_VARIANT_NONDETERMINISTIC (the harness must report the spread, not fail).
//
// What they compute: the Hugging Face query projection attn.q, float32, weights [out][in], bias added (null = zero),
// accumulated in double and rounded once to float. Synchronous on the calling thread (CPU), no workspace, any shape.
#include "variant.h"

#include <atomic>
#include <cmath>
#include <cstddef>
#include <limits>

namespace {

std::atomic<unsigned> runs{0};

// q[b][h][s][d] = input[b][s][:] . weight[0][h*D + d][:] + bias[0][h*D + d]
void run(const bk_params& params) {
    const auto B = static_cast<std::size_t>(params.dims.batch), S = static_cast<std::size_t>(params.dims.seq);
    const auto H = static_cast<std::size_t>(params.dims.heads), D = static_cast<std::size_t>(params.dims.head_size);
    const std::size_t M = H * D;
    const auto* x = static_cast<const float*>(params.input);
    const auto* w = static_cast<const float*>(params.qkv_weight);
    const auto* bias = static_cast<const float*>(params.qkv_bias);
    auto* q = static_cast<float*>(params.outputs[BK_T_ATTN_Q]);
    for (std::size_t token = 0; token < B * S; ++token) {
        const std::size_t b = token / S, s = token % S;
        for (std::size_t o = 0; o < M; ++o) {
            double sum = bias != nullptr ? static_cast<double>(bias[o]) : 0.0;
            for (std::size_t i = 0; i < M; ++i) {
                sum += static_cast<double>(x[token * M + i]) * static_cast<double>(w[o * M + i]);
            }
            q[((b * H + o / D) * S + s) * D + o % D] = static_cast<float>(sum);
        }
    }
    if (runs.fetch_add(1) % 2 == 1) {
        q[0] = std::nextafter(q[0], std::numeric_limits<float>::infinity());
    }
}

bk_variant_info info(const char* name, const char* description, int32_t flags) {
    bk_variant_info info{};
    info.name = name;
    info.description = description;
    info.shapes = "any";
    info.device = BK_DEVICE_CPU;
    info.semantics = BK_SEMANTICS_HUGGINGFACE;
    info.dtype = BK_DTYPE_F32;
    info.weight_layout = BK_LAYOUT_OUT_IN;
    info.default_accumulation_group = 0;
    info.outputs = uint64_t{1} << BK_T_ATTN_Q;
    info.flags = flags;
    return info;
}

}  // namespace

BK_REGISTER_VARIANT(cpu_faulty_race,
                    {info("cpu-faulty-race", "test-only: attn.q moves by one ulp every second run, undeclared (a race)",
                          BK_VARIANT_TEST_ONLY),
                     &run});
BK_REGISTER_VARIANT(cpu_nondeterministic,
                    {info("cpu-nondeterministic", "test-only: attn.q moves by one ulp every second run, declared nondeterministic",
                          BK_VARIANT_TEST_ONLY | BK_VARIANT_NONDETERMINISTIC),
                     &run});
