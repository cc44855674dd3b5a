// cpu-mutant-relu — cpu-reference with exactly one defect, for proving that the harness catches it.
//
// Defect: In Hugging Face semantics the FC1 activation is ReLU instead of GELU (erf form).
// First canonical tensor it touches: ffn.fc1.
// Visibility: Visible only in HUGGINGFACE semantics; under SOUFFLE it equals cpu-reference, whose activation is ReLU.
//
// Everything else is cpu-reference (F32, OUT_IN weights, both semantics, all 19 outputs); see cpu_reference.cpp.
#include "cpu/reference_layer.h"

namespace {
void run_cpu_mutant_relu(const bk_params& params) {
    bk::cpu::ReferenceDefects defects;
    defects.relu_instead_of_gelu = true;
    bk::cpu::run_reference(params, defects);
}
}  // namespace

BK_REGISTER_VARIANT(cpu_mutant_relu,
                    {bk::cpu::reference_family_info("cpu-mutant-relu", "cpu-reference with one defect: HF activation ReLU instead of GELU"),
                     &run_cpu_mutant_relu});
