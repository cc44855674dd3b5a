// mutant_shared_read_before_write.cu — CUDA mutant "cuda-mutant-shared-read-before-write" (libbk_cuda_mutants.so,
// BK_CUDA_MUTANTS=ON, test-only): the honest attention pipeline of cuda_mutant.cuh with one defect.
//
// Defect: the softmax's Σexp reduction (64 shared slots, one per thread) is summed over all 64 slots, but a thread
// with no key of its own (thread index >= S) never writes its slot: the reduction reads shared memory that nothing
// wrote in this kernel (what an earlier block or kernel left there). Visible only when S < 64 (small: S=7,
// padded: S=24).
// Caught by: the budget at attn.softmax_rowsum (the row sum takes the stale slots in; attn.probs follows), and the
// reruns when the stale contents change between runs. compute-sanitizer initcheck tracks global memory only (its
// documentation says so), and racecheck sees no hazard (no thread writes those slots), so no sanitizer is expected
// to name it.
#include "cuda_mutant.cuh"

BK_REGISTER_CUDA_MUTANT(cuda_mutant_shared_read_before_write, "cuda-mutant-shared-read-before-write",
                        bk::mutant::Defect::SharedReadBeforeWrite,
                        "test-only mutant: the softmax row-sum reduction reads shared slots that were never written (S < 64)");
