#!/usr/bin/env bash
# What folding the first LayerNorm into FC1's A operand would pay at B=1, before building it (timing only): the layer
# timed with dense unsplit (BK_FUSED_DENSE_UNSPLIT=1, as the fold needs whole rows of x from it), without the LayerNorm
# kernel (BK_FUSED_SKIP=LN1), and with FC1 normalising each A stage in place before its wgmma (BK_FUSED_FC1_NORM_PROBE=1:
# the per-stage work of the fold, identity statistics), alone and together. One device call, from a tree with
# fold-ln-probe.patch applied: build; verify the unsplit dense (a real path) at B=1 S=384; then every form at B=1
# S=128, 384 and 512 (`harness bench`, output only), all forms in turn, twice.
#   scripts/gpu-fold-ln-probe.sh OUT        (placed in scripts/ of 8c09795 with this folder's patch applied)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/gpu-fold-ln-probe.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
start=$(date +%s)
note() { echo "fold-ln-probe: $* ($(( $(date +%s) - start )) s)" | tee -a "$out/probe.log"; }
GPU_RUN_STEPS=build-only GPU_RUN_VARIANT=fused scripts/gpu-run.sh "$out/build" > "$out/build-console.log" 2>&1
note "build: exit $?"
grep -i "warning\|error" "$out/build/native-build.log" | head -20 >> "$out/probe.log"
source scripts/gpu-env.sh || { note "no libtorch"; exit 1; }
harness=/tmp/harness-app/harness
BK_FUSED_DENSE_UNSPLIT=1 timeout 120 "$harness" verify --variant fused --scenario random --batch 1 --sequence 384 --device cuda \
  --reruns 5 > "$out/verify-unsplit-random.txt" 2>&1
note "verify unsplit dense random: exit $? ($(grep -o 'reruns: .*bit for bit' "$out/verify-unsplit-random.txt" | head -1))"
forms=("none=BK_FUSED_NONE=1" "unsplit=BK_FUSED_DENSE_UNSPLIT=1" "skip-ln1=BK_FUSED_SKIP=LN1" "unsplit-skip-ln1=BK_FUSED_DENSE_UNSPLIT=1 BK_FUSED_SKIP=LN1"
       "norm-probe=BK_FUSED_FC1_NORM_PROBE=1" "fold-predicted=BK_FUSED_DENSE_UNSPLIT=1 BK_FUSED_SKIP=LN1 BK_FUSED_FC1_NORM_PROBE=1")
for round in 1 2; do
  for form in "${forms[@]}"; do
    name=${form%%=*}; read -ra assignments <<< "${form#*=}"
    file="$out/bench-$name-$round.txt"
    env "${assignments[@]}" timeout 150 "$harness" bench --device cuda --variant fused --batch 1 --sequence 128,384,512 \
      --no-python-peers > "$file" 2>&1
    note "bench $name round $round: exit $?"
    grep "│ fused" "$file" | sed "s/^/  $name: /" | tee -a "$out/probe.log"
  done
done
note "done"
