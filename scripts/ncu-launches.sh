#!/usr/bin/env bash
# Per-launch ncu figures of fused's kernels on a warm GPU machine (after scripts/gpu-fast-kernels.sh or gpu-run.sh built
# native/ and unpacked the bundle): duration, registers, grid and cluster size, cluster occupancy and active warps of
# 14 consecutive launches (two layers) at B=NCU_BATCH S=NCU_SEQUENCE (default 8 and 512), warm caches and unlocked
# clocks, under each configuration of NCU_CONFIGS (environment assignments separated by '|', "-" for none; default "-").
# NCU_DETAIL=REGEX adds ncu's occupancy, launch, stall and memory sections of two launches whose demangled name matches.
#   OUT=DIR scripts/ncu-launches.sh      (writes DIR/ncu/launches-<config index>.csv, DIR/ncu/detail.txt)
set -u
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
source scripts/fused-kernels.sh
app=${HARNESS_APP:-/tmp/harness-app/harness}
mkdir -p "$OUT/ncu"
bench=(bench --variant fused --batch "${NCU_BATCH:-8}" --sequence "${NCU_SEQUENCE:-512}" --no-python-peers --samples 10)
IFS='|' read -ra configs <<< "${NCU_CONFIGS:--}"
index=0
for config in "${configs[@]}"; do
  index=$((index + 1))
  assignments=(); [ "$config" != "-" ] && read -ra assignments <<< "$config"
  env "${assignments[@]}" ncu --clock-control none --cache-control none -k "regex:$FUSED_KERNELS" \
    --launch-skip 21 --launch-count 14 --csv --print-units base \
    --metrics gpu__time_duration.sum,launch__registers_per_thread,launch__grid_size,launch__cluster_dim_x,launch__occupancy_cluster_pct,sm__warps_active.avg.pct_of_peak_sustained_active \
    "$app" "${bench[@]}" > "$OUT/ncu/launches-$index.csv" 2>&1
done
if [ -n "${NCU_DETAIL:-}" ]; then
  ncu --clock-control none --cache-control none --kernel-name-base demangled -k "regex:$NCU_DETAIL" --launch-skip 4 --launch-count 2 \
    --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats --section MemoryWorkloadAnalysis \
    --section SchedulerStats "$app" "${bench[@]}" > "$OUT/ncu/detail.txt" 2>&1
fi
