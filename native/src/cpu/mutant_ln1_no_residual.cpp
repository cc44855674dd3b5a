// cpu-mutant-ln1-no-residual — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: LayerNorm 1 normalises the attention dense output alone: the residual input is never added (x = dense instead
// of x = dense + input).
// First canonical tensor it touches: attn.ln_sum.
// Visibility: Visible in both semantics; attn.dense itself is still right, so the first wrong tensor is attn.ln_sum.
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_ln1_no_residual(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.ln1_without_residual = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_ln1_no_residual,
                    {bk::cpu::reference_family_info("cpu-mutant-ln1-no-residual", "cpu-reference with one defect: LayerNorm 1 without the residual input"),
                     &run_cpu_mutant_ln1_no_residual});
