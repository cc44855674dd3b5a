// cpu-mutant-scale-model-width — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: In Hugging Face semantics the scores are scaled by 1/sqrt(M) (the model width) instead of 1/sqrt(D) (the head
// size): Souffle's constant leaking into an HF kernel.
// First canonical tensor it touches: attn.scores.
// Visibility: Visible only in HUGGINGFACE semantics (needs H > 1); under SOUFFLE it equals cpu-reference, whose scale is
// already the 1/sqrt(M) constant.
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_scale_model_width(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.scale_uses_model_width = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_scale_model_width,
                    {bk::cpu::reference_family_info("cpu-mutant-scale-model-width", "cpu-reference with one defect: HF softmax scale 1/sqrt(M) instead of 1/sqrt(D)"),
                     &run_cpu_mutant_scale_model_width});
