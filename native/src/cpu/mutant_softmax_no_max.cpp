// cpu-mutant-softmax-no-max — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: In Hugging Face semantics the softmax skips the max subtraction and rounds each exp to fp16, Souffle-style:
// the row sum becomes Σ fp16(exp(s)) and overflows to inf (probs NaN) once a score exceeds about 11.09.
// First canonical tensor it touches: attn.softmax_rowsum.
// Visibility: Visible only in HUGGINGFACE semantics: the row sum differs at once (Σexp(s) instead of Σexp(s - max)); probs
// differ by fp16 rounding on tame data and are NaN on large scores. Under SOUFFLE it equals cpu-reference.
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_softmax_no_max(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.softmax_without_max_fp16_exp = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_softmax_no_max,
                    {bk::cpu::reference_family_info("cpu-mutant-softmax-no-max", "cpu-reference with one defect: HF softmax without max subtraction, exp rounded to fp16"),
                     &run_cpu_mutant_softmax_no_max});
