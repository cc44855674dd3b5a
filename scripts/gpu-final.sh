#!/usr/bin/env bash
# One GPU machine lease's worth of the full check, in two calls that each fit a 10-minute device limit:
#   scripts/gpu-final.sh A OUTDIR   # build (with the CUDA mutants and, with SOUFFLE_MODELS_DIR, souffle-upstream), the
#                                   # GPU test category, the verify matrix, reruns and isolation, the no-cliff bench of fused
#   scripts/gpu-final.sh B OUTDIR   # the CUDA mutation score (reruns and sanitizers), the sanitizers over fused and
#                                   # souffle (GPU_FINAL_SANITIZE), a short soak of fused (GPU_FINAL_SOAK_VARIANTS); GPU_FINAL_MUTANTS=0 /
#                                   # GPU_FINAL_SOAK=0 leave those out, GPU_FINAL_BENCH=1 adds the bench with peers
# Each call builds incrementally (a fresh machine rebuilds). OUTDIR gets gpu-run.sh's files.
set -uo pipefail
cd "$(dirname "$0")/.."
part=${1:?usage: scripts/gpu-final.sh A|B OUTDIR}; out=${2:?usage: scripts/gpu-final.sh A|B OUTDIR}
export BK_CUDA_MUTANTS=ON
case "$part" in
  A)
    GPU_RUN_STEPS="tests verify isolation" GPU_RUN_JOBS=${GPU_RUN_JOBS:-6} scripts/gpu-run.sh "$out"
    # The no-cliff table of the fast kernel: B in {1,2,8} x S in {128,256,384,512}.
    scripts/gpu-fused-grid.sh "$out"
    ;;
  B)
    # What a 10-minute call holds of the rest: the CUDA mutation score with reruns and sanitizers, the sanitizers over
    # the two fused variants, and a short soak of fused (the nightly runs every variant and 50 seeds).
    GPU_RUN_STEPS=none scripts/gpu-run.sh "$out" || exit 1
    source scripts/gpu-env.sh || exit 1
    harness=/tmp/harness-app/harness
    mkdir -p "$out/mutants" "$out/sanitize" "$out/soak"
    if [ "${GPU_FINAL_MUTANTS:-1}" = 1 ]; then
      "$harness" mutants --device cuda --sanitize --worker-timeout 300 > "$out/mutants/cuda.txt" 2>&1
      echo "mutants (CUDA) exit $?" >> "$out/gpu-final.log"
    fi
    for variant in ${GPU_FINAL_SANITIZE:-fused souffle}; do
      "$harness" sanitize --variant "$variant" --worker-timeout 300 > "$out/sanitize/$variant.txt" 2>&1
      echo "sanitize $variant exit $?" >> "$out/gpu-final.log"
    done
    if [ "${GPU_FINAL_SOAK:-1}" = 1 ]; then
      for variant in ${GPU_FINAL_SOAK_VARIANTS:-fused}; do
        "$harness" soak --variant "$variant" --seeds "${GPU_RUN_SOAK_SEEDS:-3}" --json "$out/soak/$variant.json" > "$out/soak/$variant.txt" 2>&1
        echo "soak $variant exit $?" >> "$out/gpu-final.log"
      done
    fi
    if [ "${GPU_FINAL_BENCH:-0}" = 1 ]; then
      "$harness" bench --device cuda --json "$out/bench.json" > "$out/bench.txt" 2>&1
      echo "bench exit $?" >> "$out/gpu-final.log"
    fi
    ;;
  *) echo "gpu-final: part must be A or B, got '$part'" >&2; exit 2 ;;
esac
