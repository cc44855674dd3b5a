#!/usr/bin/env bash
# The residual LayerNorm in the epilogue of B=1's dense and FC2 GEMMs over clusters of a row's 64x64 tiles
# (BK_FUSED_CLUSTER_NORM=dense|fc2|both), launched in stream order or, with BK_FUSED_CLUSTER_PDL=1, early like every
# other kernel of the chain (s14-5 launched it early and lost; s17-7's probe says early launch costs a cluster kernel
# ~14.5 us). One device call: build; verify each form at B=1 S=384 (random with 5 reruns, constant-debug); then time
# each form at B=1 S=128, 384 and 512 (`harness bench`, output only), all forms in turn, twice, so that drift shows.
# The harness bundle is unpacked (scripts/gpu-run.sh). Run as scripts/gpu-cluster-norm-ab.sh from a tree with this
# folder's cluster-norm-stream-order.patch applied (8c09795 + the patch in s18-1).
#   scripts/gpu-cluster-norm-ab.sh OUT
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/gpu-cluster-norm-ab.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
start=$(date +%s)
note() { echo "cluster-norm-ab: $* ($(( $(date +%s) - start )) s)" | tee -a "$out/ab.log"; }
GPU_RUN_STEPS=build-only GPU_RUN_VARIANT=fused scripts/gpu-run.sh "$out/build" > "$out/build-console.log" 2>&1
note "build: exit $?"
grep -i "warning\|error" "$out/build/native-build.log" | head -20 >> "$out/ab.log"
source scripts/gpu-env.sh || { note "no libtorch"; exit 1; }
harness=/tmp/harness-app/harness
# name=assignments of each form; "none" is the committed chain (the LayerNorm kernels).
forms=("none=BK_FUSED_CLUSTER_NORM=none" "dense=BK_FUSED_CLUSTER_NORM=dense" "dense-early=BK_FUSED_CLUSTER_NORM=dense BK_FUSED_CLUSTER_PDL=1"
       "both=BK_FUSED_CLUSTER_NORM=both" "fc2=BK_FUSED_CLUSTER_NORM=fc2")
for form in "${forms[@]:1}"; do
  name=${form%%=*}; read -ra assignments <<< "${form#*=}"
  env "${assignments[@]}" timeout 120 "$harness" verify --variant fused --scenario random --batch 1 --sequence 384 --device cuda \
    --reruns 5 > "$out/verify-$name-random.txt" 2>&1
  note "verify $name random: exit $? ($(grep -o 'reruns: .*bit for bit' "$out/verify-$name-random.txt" | head -1))"
  env "${assignments[@]}" timeout 120 "$harness" verify --variant fused --scenario constant-debug --device cuda \
    > "$out/verify-$name-constant-debug.txt" 2>&1
  note "verify $name constant-debug: exit $?"
done
for round in 1 2; do
  for form in "${forms[@]}"; do
    name=${form%%=*}; read -ra assignments <<< "${form#*=}"
    file="$out/bench-$name-$round.txt"
    env "${assignments[@]}" timeout 150 "$harness" bench --device cuda --variant fused --batch 1 --sequence 128,384,512 \
      --no-python-peers > "$file" 2>&1
    note "bench $name round $round: exit $?"
    grep "│ fused" "$file" | sed "s/^/  $name: /" | tee -a "$out/ab.log"
  done
done
note "done"
