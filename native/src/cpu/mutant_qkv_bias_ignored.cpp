// cpu-mutant-qkv-bias-ignored — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: In Hugging Face semantics the Q, K and V biases are not added after the projection.
// First canonical tensor it touches: attn.q.
// Visibility: Visible only in HUGGINGFACE semantics with a non-zero qkv_bias; under SOUFFLE it equals cpu-reference, which
// has no biases.
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_qkv_bias_ignored(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.qkv_bias_ignored = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_qkv_bias_ignored,
                    {bk::cpu::reference_family_info("cpu-mutant-qkv-bias-ignored", "cpu-reference with one defect: HF QKV bias not added"),
                     &run_cpu_mutant_qkv_bias_ignored});
