// cpu-mutant-heads-merged-wrong — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: When the heads are merged back, context column d*H + head is written instead of head*D + d (a transposed
// head/feature split).
// First canonical tensor it touches: attn.context.
// Visibility: Visible in both semantics, but only when H > 1 and D > 1 (otherwise both orders coincide).
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_heads_merged_wrong(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.heads_merged_d_major = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_heads_merged_wrong,
                    {bk::cpu::reference_family_info("cpu-mutant-heads-merged-wrong", "cpu-reference with one defect: context heads merged as d*H + head instead of head*D + d"),
                     &run_cpu_mutant_heads_merged_wrong});
