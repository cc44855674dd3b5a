#!/usr/bin/env bash
# One device call for experiment switches of `fused`: scripts/gpu-fast-kernels.sh (build, the default configuration's
# GPU verify plan, the graph-mode bench of every configuration in FUSED_CONFIGS), then each switch verified on its own
# shapes, then ncu's per-launch times of each configuration.
#   SWITCH_VERIFY="ASSIGNMENTS@SCENARIO:B:S,...;ASSIGNMENTS@..."    switch verifications (5 reruns each; B "-": the
#                                                                     scenario's own shape)
#   SWITCH_NCU="ASSIGNMENTS@B:S,...;..."                              per-launch ncu figures ("-" = no assignment)
#   SOUFFLE_MODELS_DIR=... scripts/gpu-switch-check.sh OUT
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/gpu-switch-check.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
start=$(date +%s)
note() { echo "gpu-switch-check: $* ($(( $(date +%s) - start )) s)" | tee -a "$out/switch-check.log"; }

FAST_KERNELS_GRID=${FAST_KERNELS_GRID:-0} FAST_KERNELS_SOUFFLE=${FAST_KERNELS_SOUFFLE:-0} scripts/gpu-fast-kernels.sh "$out"
note "fast kernels: exit $?"
source scripts/gpu-env.sh || exit 1
app=/tmp/harness-app/harness

IFS=';' read -ra verifies <<< "${SWITCH_VERIFY:-}"
for entry in "${verifies[@]}"; do
  config=${entry%%@*}
  assignments=(); [ "$config" != "-" ] && read -ra assignments <<< "$config"
  IFS=',' read -ra runs <<< "${entry#*@}"
  for run in "${runs[@]}"; do
    IFS=':' read -r scenario batch sequence <<< "$run"
    shape=(); [ "$batch" != "-" ] && shape=(--batch "$batch" --sequence "$sequence")
    env "${assignments[@]}" timeout 120 "$app" verify --variant fused --scenario "$scenario" "${shape[@]}" \
      --device cuda --reruns 5 > "$out/verify-tmp.txt" 2>&1
    code=$?
    { echo "== $config $scenario B=$batch S=$sequence: exit $code"; grep -iE "fail|rerun|error" "$out/verify-tmp.txt" | head -5; } \
      >> "$out/switch-verify.txt"
    note "verify [$config] $scenario B=$batch S=$sequence: exit $code"
  done
done
rm -f "$out/verify-tmp.txt"

IFS=';' read -ra probes <<< "${SWITCH_NCU:-}"
for entry in "${probes[@]}"; do
  config=${entry%%@*}
  IFS=',' read -ra shapes <<< "${entry#*@}"
  for shape in "${shapes[@]}"; do
    dir="$out/ncu-work/${config// /+}-${shape/:/x}"
    mkdir -p "$dir"
    NCU_CONFIGS="$config" NCU_BATCH=${shape%:*} NCU_SEQUENCE=${shape#*:} OUT="$dir" timeout 120 scripts/ncu-launches.sh
    python3 scripts/kernel_durations.py "$dir/ncu/launches-1.csv" > "$dir/durations.txt" 2>&1
    { echo "== [$config] B:S = $shape"; cat "$dir/durations.txt"; } >> "$out/switch-ncu.txt"
    note "ncu [$config] $shape: done"
  done
done
tar -C "$out" -czf "$out/ncu-work.tar.gz" ncu-work 2>/dev/null && rm -rf "$out/ncu-work"
note "done"
