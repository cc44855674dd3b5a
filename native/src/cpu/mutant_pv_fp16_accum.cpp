// cpu-mutant-pv-fp16-accum — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: P·V is accumulated serially in fp16 (group k = 1, nearest-even): every partial sum over the keys is rounded to
// binary16, as a kernel with an fp16 accumulator and no grouping would do.
// First canonical tensor it touches: attn.context.
// Visibility: Visible in both semantics: context values carry fp16-sized relative errors (about 1e-3) instead of fp32 ones.
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_pv_fp16_accum(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.pv_fp16_serial_accumulation = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_pv_fp16_accum,
                    {bk::cpu::reference_family_info("cpu-mutant-pv-fp16-accum", "cpu-reference with one defect: P.V accumulated serially in fp16 (k = 1)"),
                     &run_cpu_mutant_pv_fp16_accum});
