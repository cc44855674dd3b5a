// cpu-mutant-ln-eps-outside-root — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: Both LayerNorms divide by sqrt(var) + eps instead of sqrt(var + eps).
// First canonical tensor it touches: attn.output.
// Visibility: Visible in SOUFFLE semantics (eps 1e-5: a relative change of about eps·(1 - 1/(2·std)) per element) and in
// HUGGINGFACE semantics only with a large eps: with HF's 1e-12 the change is far below fp32 resolution.
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_ln_eps_outside_root(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.layernorm_eps_outside_root = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_ln_eps_outside_root,
                    {bk::cpu::reference_family_info("cpu-mutant-ln-eps-outside-root", "cpu-reference with one defect: both LayerNorms with eps outside the square root"),
                     &run_cpu_mutant_ln_eps_outside_root});
