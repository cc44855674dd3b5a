// mutant_last_tile_unwritten.cu — CUDA mutant "cuda-mutant-last-tile-unwritten" (libbk_cuda_mutants.so,
// BK_CUDA_MUTANTS=ON, test-only): the honest attention pipeline of cuda_mutant.cuh with one defect.
//
// Defect: the context kernel is launched over S/16 query tiles instead of ceil(S/16): when S is not a multiple of
// 16 the last query rows of attn.context are never written (S=24: rows 16..23; S=7: every row).
// Caught by: the budget at attn.context (the unwritten rows keep the harness's NaN poison, and NaN never passes).
#include "cuda_mutant.cuh"

BK_REGISTER_CUDA_MUTANT(cuda_mutant_last_tile_unwritten, "cuda-mutant-last-tile-unwritten", bk::mutant::Defect::LastTileUnwritten,
                        "test-only mutant: the last query tile of attn.context is not written when S % 16 != 0");
