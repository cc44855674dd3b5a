// cpu-mutant-dense-untransposed — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: The attention dense layer multiplies the context by the nn.Linear weight as stored, context·Wo, instead of
// context·Woᵀ: the classic layout mix-up between [out][in] checkpoints and [in][out] kernels.
// First canonical tensor it touches: attn.dense.
// Visibility: Visible in both semantics on any non-symmetric Wo.
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_dense_untransposed(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.dense_weight_untransposed = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_dense_untransposed,
                    {bk::cpu::reference_family_info("cpu-mutant-dense-untransposed", "cpu-reference with one defect: attention dense weight used untransposed (context.Wo instead of context.Wo^T)"),
                     &run_cpu_mutant_dense_untransposed});
