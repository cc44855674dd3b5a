// mutant_scores_no_syncthreads.cu — CUDA mutant "cuda-mutant-scores-no-syncthreads" (libbk_cuda_mutants.so,
// BK_CUDA_MUTANTS=ON, test-only): the honest attention pipeline of cuda_mutant.cuh with one defect.
//
// Defect: the scores stage reads the shared-memory K tile without the __syncthreads() that must follow loading it;
// a warp may read rows another warp has not stored yet (a read-after-write hazard on shared memory).
// Caught by: the reruns (attn.scores moves between runs: "race") and compute-sanitizer racecheck (a shared-memory
// hazard in projectAndScoreKernel). The budget may or may not see it: which stale value a warp reads is timing.
#include "cuda_mutant.cuh"

BK_REGISTER_CUDA_MUTANT(cuda_mutant_scores_no_syncthreads, "cuda-mutant-scores-no-syncthreads", bk::mutant::Defect::MissingSyncthreads,
                        "test-only mutant: the scores stage reads its shared K tile without __syncthreads() (a race)");
