#!/usr/bin/env bash
# Issue #9's whole device check in one call (about 8 minutes on an H100/H200; the bundle of scripts/gpu-bundle.sh and
# the souffle-models checkout carried):
#   SOUFFLE_MODELS_DIR=$PWD/.upstream/souffle-models scripts/gpu-fast-kernels.sh OUT
# 1. `fused`: build (with souffle-upstream), the GPU verify plan of fused (every tensor, reruns; the B x S sweep and
#    B=1 S=768, where the streaming attention kernel runs), then the graph-mode bench with peers and all outputs
#    (scripts/gpu-fused-experiment.sh; FUSED_CONFIGS as there, default "-");
# 2. the no-cliff table of fused (scripts/gpu-fused-grid.sh), unless
#    FAST_KERNELS_GRID=0;
# 3. `souffle` against souffle-upstream: bits, bench, verify (scripts/gpu-souffle-check.sh), then souffle's GPU verify
#    plan (the GPU scenarios and the B x S sweep, and its comparison with cpu-souffle), unless FAST_KERNELS_SOUFFLE=0;
# 4. compute-sanitizer's memcheck, racecheck, initcheck and synccheck over each variant of FAST_KERNELS_SANITIZE;
# 5. FAST_KERNELS_RERUNS=N: fused verified with N reruns (each bit-identical to the first) at B=1 S=384 and B=8 S=512
#    (FAST_KERNELS_RERUN_SHAPES="B:S ..." says otherwise);
# 6. FAST_KERNELS_TESTS=1: scripts/gpu-run.sh's GPU test category and isolation steps (worker isolation, 20 reruns of
#    every CUDA variant; FAST_KERNELS_TEST_STEPS="tests" for the first alone, FAST_KERNELS_TESTS_S its time limit).
# Each step is bounded by `timeout` so that one slow step cannot cost the others; OUT/<step>.tar.gz hold the logs
# (the device tool returns at most 8 files, two folders down).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: SOUFFLE_MODELS_DIR=... scripts/gpu-fast-kernels.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
start=$(date +%s)
note() { echo "gpu-fast-kernels: $* ($(( $(date +%s) - start )) s)" | tee -a "$out/fast-kernels.log"; }
pack() { tar -C "$work" --exclude='*.npz' -czf "$out/$1.tar.gz" "$1"; }

FUSED_CONFIGS=${FUSED_CONFIGS:--} FUSED_KERNEL_SHAPES=${FUSED_KERNEL_SHAPES-} \
  timeout "${FAST_KERNELS_FUSED_S:-300}" scripts/gpu-fused-experiment.sh "$work/fused"
note "fused: exit $?"
cp "$work/fused/experiment.log" "$out/fused-experiment.log" 2>/dev/null
pack fused

source scripts/gpu-env.sh || exit 1
if [ "${FAST_KERNELS_GRID:-1}" = 1 ]; then
  scripts/gpu-fused-grid.sh "$work/grid"
  note "no-cliff table: exit $? ($(tail -2 "$work/grid/cliff.txt" | head -1))"
  cp "$work/grid/cliff.txt" "$out/cliff.txt"
  pack grid
fi

if [ "${FAST_KERNELS_SOUFFLE:-1}" = 1 ]; then
  timeout 360 scripts/gpu-souffle-check.sh "$work/souffle"
  note "souffle check: exit $?"
  cp "$work/souffle/summary.md" "$out/souffle-summary.md" 2>/dev/null
  GPU_RUN_STEPS=verify GPU_RUN_VARIANT=souffle GPU_RUN_SKIP_BUILD=1 timeout 240 scripts/gpu-run.sh "$work/souffle/plan" \
    > "$work/souffle/plan-console.log" 2>&1
  note "souffle verify plan: exit $?"
  cat "$work/souffle/plan/summary.md" >> "$out/souffle-summary.md" 2>/dev/null
  pack souffle
fi
# compute-sanitizer's four tools over each variant of FAST_KERNELS_SANITIZE (default none; `harness sanitize`), at
# FAST_KERNELS_SANITIZE_SHAPE="B:S" on random where given (fused's copy-engine attention and unsplit dense/FC2 GEMMs
# first run at 4:384), else on the command's defaults.
if [ -n "${FAST_KERNELS_SANITIZE:-}" ]; then
  mkdir -p "$work/sanitize"
  shape=(); [ -n "${FAST_KERNELS_SANITIZE_SHAPE:-}" ] && shape=(--scenario random --batch "${FAST_KERNELS_SANITIZE_SHAPE%:*}" --sequence "${FAST_KERNELS_SANITIZE_SHAPE#*:}")
  for variant in $FAST_KERNELS_SANITIZE; do
    timeout 120 /tmp/harness-app/harness sanitize --variant "$variant" "${shape[@]}" --worker-timeout 100 > "$work/sanitize/$variant.txt" 2>&1
    note "sanitize $variant: exit $? ($(grep -c ': clean' "$work/sanitize/$variant.txt") of 4 tools clean)"
  done
  pack sanitize
fi
if [ -n "${FAST_KERNELS_RERUNS:-}" ]; then
  mkdir -p "$work/reruns"
  for shape in ${FAST_KERNELS_RERUN_SHAPES:-1:384 8:512}; do
    timeout 120 /tmp/harness-app/harness verify --variant fused --scenario random --batch "${shape%:*}" --sequence "${shape#*:}" \
      --device cuda --reruns "$FAST_KERNELS_RERUNS" > "$work/reruns/fused-${shape/:/x}.txt" 2>&1
    note "fused at B:S = $shape, $FAST_KERNELS_RERUNS reruns: exit $? ($(grep -o 'reruns: .*bit for bit' "$work/reruns/fused-${shape/:/x}.txt" | head -1))"
  done
  pack reruns
fi
if [ "${FAST_KERNELS_TESTS:-0}" = 1 ]; then
  GPU_RUN_STEPS="${FAST_KERNELS_TEST_STEPS:-tests isolation}" GPU_RUN_SKIP_BUILD=1 timeout "${FAST_KERNELS_TESTS_S:-360}" scripts/gpu-run.sh "$work/tests" > "$work/tests-console.log" 2>&1
  note "GPU tests and isolation: exit $?"
  cp "$work/tests/gpu-run.log" "$out/tests-gpu-run.log" 2>/dev/null
  pack tests
fi
note "done"
