// cpu-mutant-ln-no-affine — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: Both LayerNorms skip the affine step: gamma is taken as 1 and beta as 0, whatever the weights (HF) or the
// scalar params (Souffle) say.
// First canonical tensor it touches: attn.output.
// Visibility: Visible in HUGGINGFACE semantics when gamma/beta are not ones/zeros; under SOUFFLE only when
// params.layernorm_scalar_gamma != 1 or params.layernorm_scalar_beta != 0 (upstream passes 1 and 0).
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_ln_no_affine(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.layernorm_without_affine = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_ln_no_affine,
                    {bk::cpu::reference_family_info("cpu-mutant-ln-no-affine", "cpu-reference with one defect: both LayerNorms without gamma and beta"),
                     &run_cpu_mutant_ln_no_affine});
