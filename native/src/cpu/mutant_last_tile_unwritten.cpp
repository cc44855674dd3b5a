// cpu-mutant-last-tile-unwritten — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: The rows of the last 16-row tile of `output` ([B*S] rows; the tile starting at ((B*S-1)/16)*16, partial or
// whole) are never stored, so they keep the caller's poison: the bug of a grid that forgets its tail block.
// First canonical tensor it touches: output.
// Visibility: Visible in both semantics and every shape (with B*S <= 16 no output row at all is written).
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_last_tile_unwritten(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.last_output_tile_unwritten = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_last_tile_unwritten,
                    {bk::cpu::reference_family_info("cpu-mutant-last-tile-unwritten", "cpu-reference with one defect: last 16-row tile of output rows never written"),
                     &run_cpu_mutant_last_tile_unwritten});
