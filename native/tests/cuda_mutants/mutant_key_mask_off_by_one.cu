// mutant_key_mask_off_by_one.cu — CUDA mutant "cuda-mutant-key-mask-off-by-one" (libbk_cuda_mutants.so,
// BK_CUDA_MUTANTS=ON, test-only): the honest attention pipeline of cuda_mutant.cuh with one defect.
//
// Defect: key j's additive mask is read from position j - 1 (key 0 keeps its own): the first padding key is left
// unmasked and the last valid one is masked. Visible only on a scenario with padding (padded: 17 valid of 24).
// Caught by: the budget at attn.scores (the scores include the mask; attn.probs and attn.context follow).
#include "cuda_mutant.cuh"

BK_REGISTER_CUDA_MUTANT(cuda_mutant_key_mask_off_by_one, "cuda-mutant-key-mask-off-by-one", bk::mutant::Defect::KeyMaskOffByOne,
                        "test-only mutant: the key mask is read one key late (off by one)");
