#!/usr/bin/env bash
# How busy the SMs are during a variant's kernels: elapsed vs active SM cycles, warps, and bytes at each memory level,
# for COUNT consecutive launches of kernels matching REGEX at B=1 S=384 (warm caches, unlocked clocks). Run on a GPU
# machine after scripts/gpu-run.sh has built native/ and unpacked the bundle:
#   scripts/ncu-activity.sh VARIANT REGEX [COUNT]
set -uo pipefail
cd "$(dirname "$0")/.."
variant=${1:?usage: scripts/ncu-activity.sh VARIANT REGEX [COUNT]}; regex=${2:?usage: scripts/ncu-activity.sh VARIANT REGEX [COUNT]}
source scripts/gpu-env.sh || { echo "no libtorch found: set LIBTORCH" >&2; exit 1; }
ncu --cache-control none --clock-control none --csv --print-units base -k "regex:$regex" --launch-skip 40 --launch-count "${3:-7}" \
  --metrics gpu__time_duration.sum,sm__cycles_elapsed.avg,sm__cycles_active.avg,sm__cycles_active.min,sm__cycles_active.max,sm__warps_active.avg.per_cycle_active,smsp__inst_executed.sum,lts__t_bytes.sum,dram__bytes.sum,l1tex__t_bytes.sum,launch__grid_size \
  "${HARNESS_APP:-/tmp/harness-app/harness}" bench --variant "$variant" --batch 1 --sequence 384 --no-python-peers --samples 10 2>/dev/null |
  python3 scripts/ncu_table.py
