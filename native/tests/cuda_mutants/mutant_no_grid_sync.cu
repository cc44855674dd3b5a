// mutant_no_grid_sync.cu — CUDA mutant "cuda-mutant-no-grid-sync" (libbk_cuda_mutants.so, BK_CUDA_MUTANTS=ON,
// test-only): the honest attention pipeline of cuda_mutant.cuh with one defect.
//
// Defect: the cooperative kernel goes from stage 1 (the Q/K/V projection, written to global memory) to stage 2 (the
// scores, reading Q and K rows that other blocks project) without grid.sync(): a block may read rows before they
// are written, i.e. whatever the workspace held (a race on global memory, which racecheck does not watch).
// Caught by: the reruns (attn.scores moves between runs: "race"); the budget at attn.scores when a stale row is
// read in the judged run. attn.q/k/v themselves are right. At small shapes every block finishes its share of stage 1
// at nearly the same moment, so the window is narrow and whether a run shows the race is timing: the CUDA mutation
// table says what happened (from the second run on, the stale rows are the previous run's, i.e. right).
#include "cuda_mutant.cuh"

BK_REGISTER_CUDA_MUTANT(cuda_mutant_no_grid_sync, "cuda-mutant-no-grid-sync", bk::mutant::Defect::MissingGridSync,
                        "test-only mutant: no grid-wide sync between the projection and the scores stage");
