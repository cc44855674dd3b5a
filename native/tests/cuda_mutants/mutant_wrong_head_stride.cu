// mutant_wrong_head_stride.cu — CUDA mutant "cuda-mutant-wrong-head-stride" (libbk_cuda_mutants.so,
// BK_CUDA_MUTANTS=ON, test-only): the honest attention pipeline of cuda_mutant.cuh with one defect.
//
// Defect: the context kernel steps from one head of V to the next by M = H*D elements (the token stride of a
// [B][S][M] tensor) instead of S*D (V is [B][H][S][D]): head 0 is right, every other head reads the wrong rows
// (in bounds while H <= S).
// Caught by: the budget at attn.context (heads 1..H-1 wrong; the diagnosis's pattern is per head).
#include "cuda_mutant.cuh"

BK_REGISTER_CUDA_MUTANT(cuda_mutant_wrong_head_stride, "cuda-mutant-wrong-head-stride", bk::mutant::Defect::WrongHeadStride,
                        "test-only mutant: V's head stride is H*D instead of S*D in the context stage");
