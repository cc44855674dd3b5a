// control_honest.cu — "cuda-mutants-control" (libbk_cuda_mutants.so, BK_CUDA_MUTANTS=ON, test-only): the pipeline of
// cuda_mutant.cuh with no defect. Not a mutant: `harness mutants --device cuda` verifies it first, and a mutation score
// means something only when it passes (every mutant is then caught by its defect, not by a fault the mutants share).
#include "cuda_mutant.cuh"

BK_REGISTER_CUDA_MUTANT(cuda_mutants_control, "cuda-mutants-control", bk::mutant::Defect::None,
                        "test-only control of the CUDA mutants: their attention pipeline without a defect (must pass)");
