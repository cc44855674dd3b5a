// cpu-faulty-segfault, cpu-faulty-abort, cpu-faulty-hang — harness self-test variants (BK_VARIANT_TEST_ONLY) in
// libbk_test_variants.so that misbehave on purpose, so the tests can prove that a variant run in a worker process
// takes down only its own cases: one dereferences an invalid address (SIGSEGV), one calls std::abort (SIGABRT), one
// never returns (killed at the worker's timeout). They must never be run inside the harness's own process.
//
// What they declare: the Hugging Face QKV projection's attn.q (float32, weights [out][in]); they write nothing.
// Synchronous on the calling thread (CPU), no workspace, no shape limits.
#include "test_variant.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <thread>

namespace {

bk_variant_info faulty_info(const char* name, const char* description) {
    return bk::test::info(name, description, BK_DEVICE_CPU, bk::test::tensorBit(BK_T_ATTN_Q));
}

void segfault(const bk_params&) {
    // The address is read through a volatile, so the compiler cannot see it is invalid and emits a real store (not a
    // trap instruction): 16 lies in the unmapped first page.
    volatile std::uintptr_t address = 16;
    *reinterpret_cast<float*>(address) = 1.0f;
}

void abort_run(const bk_params&) { std::abort(); }

void hang(const bk_params&) {
    for (;;) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

}  // namespace

BK_REGISTER_VARIANT(cpu_faulty_segfault,
                    {faulty_info("cpu-faulty-segfault", "test-only: writes to an unmapped address (SIGSEGV)"), &segfault});
BK_REGISTER_VARIANT(cpu_faulty_abort, {faulty_info("cpu-faulty-abort", "test-only: calls std::abort (SIGABRT)"), &abort_run});
BK_REGISTER_VARIANT(cpu_faulty_hang, {faulty_info("cpu-faulty-hang", "test-only: never returns"), &hang});
