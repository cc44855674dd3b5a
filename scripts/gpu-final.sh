#!/usr/bin/env bash
# One GPU machine lease's worth of the full check, in two calls that each fit a 10-minute device limit:
#   scripts/gpu-final.sh A OUTDIR   # build (with the CUDA mutants and, with SOUFFLE_MODELS_DIR, souffle-upstream), the
#                                   # GPU test category, the verify matrix, reruns and isolation, the no-cliff bench of fused
#   scripts/gpu-final.sh B OUTDIR   # mutation scores (CPU, CUDA with reruns and sanitizers), sanitizers over every CUDA
#                                   # variant, a short soak, the bench with peers, per-kernel ncu times
# Each call builds incrementally (a fresh machine rebuilds). OUTDIR gets gpu-run.sh's files.
set -uo pipefail
cd "$(dirname "$0")/.."
part=${1:?usage: scripts/gpu-final.sh A|B OUTDIR}; out=${2:?usage: scripts/gpu-final.sh A|B OUTDIR}
export BK_CUDA_MUTANTS=ON
case "$part" in
  A)
    GPU_RUN_STEPS="tests verify isolation" GPU_RUN_JOBS=${GPU_RUN_JOBS:-6} scripts/gpu-run.sh "$out"
    # The no-cliff table of the fast kernel: B in {1,2,8} x S in {128,256,384,512} (gpu-run.sh's environment, again).
    export HARNESS_NATIVE_LIB=$PWD/native/build/gpu/libbertkernels.so
    lib=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__) + "/lib")')
    export LD_LIBRARY_PATH="$lib:$(ls -d "$lib"/../../nvidia/*/lib | tr '\n' ':')${LD_LIBRARY_PATH:-}"
    /tmp/harness-app/harness bench --variant fused --batch 1,2,8 --sequence 128,256,384,512 --no-python-peers \
      --json "$out/bench-fused-grid.json" > "$out/bench-fused-grid.txt" 2>&1
    python3 scripts/cliff_check.py "$out/bench-fused-grid.json" > "$out/cliff.txt" 2>&1
    echo "cliff check exit $?" >> "$out/cliff.txt"
    ;;
  B)
    GPU_RUN_STEPS="mutants sanitize soak bench kernels" GPU_RUN_SOAK_SEEDS=${GPU_RUN_SOAK_SEEDS:-3} \
      GPU_RUN_KERNELS='gemmKernel|attentionKernel|residualLayerNorm|fused_sqq|Kernel' scripts/gpu-run.sh "$out"
    ;;
  *) echo "gpu-final: part must be A or B, got '$part'" >&2; exit 2 ;;
esac
