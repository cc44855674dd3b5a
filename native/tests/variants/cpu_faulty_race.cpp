// cpu-faulty-race and cpu-nondeterministic — harness self-test variants (BK_VARIANT_TEST_ONLY) in
// libbk_test_variants.so whose result moves between runs on the same inputs, as a race or fp32 atomics would make it:
// every second run in a process adds one ulp to element 0 of attn.q. The error stays far inside the error budget, so
// only a rerun check can see it. cpu-faulty-race does not declare it (the harness must report a race);
// cpu-nondeterministic declares BK_VARIANT_NONDETERMINISTIC (the harness must report the spread, not fail).
//
// What they compute: the Hugging Face query projection attn.q, float32, weights [out][in], bias added (null = zero),
// accumulated in double and rounded once to float. Synchronous on the calling thread (CPU), no workspace, any shape.
#include "test_variant.h"

#include <atomic>
#include <cmath>
#include <limits>

namespace {

std::atomic<unsigned> runs{0};

void run(const bk_params& params) {
    auto* q = static_cast<float*>(params.outputs[BK_T_ATTN_Q]);
    bk::test::projectQkv(params, 0, q, nullptr);
    if (runs.fetch_add(1) % 2 == 1) {
        q[0] = std::nextafter(q[0], std::numeric_limits<float>::infinity());
    }
}

bk_variant_info info(const char* name, const char* description, int32_t flags) {
    return bk::test::info(name, description, BK_DEVICE_CPU, bk::test::tensorBit(BK_T_ATTN_Q), flags);
}

}  // namespace

BK_REGISTER_VARIANT(cpu_faulty_race,
                    {info("cpu-faulty-race", "test-only: attn.q moves by one ulp every second run, undeclared (a race)",
                          0),
                     &run});
BK_REGISTER_VARIANT(cpu_nondeterministic,
                    {info("cpu-nondeterministic", "test-only: attn.q moves by one ulp every second run, declared nondeterministic",
                          BK_VARIANT_NONDETERMINISTIC),
                     &run});
