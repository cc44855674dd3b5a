#!/usr/bin/env bash
# The no-cliff table of `fused` on a GPU machine where scripts/gpu-run.sh has built the library and unpacked the program
# (/tmp/harness-app): graph-mode bench over B in {1,2,8} x S in {128,256,384,512}, then scripts/cliff_check.py.
#   scripts/gpu-fused-grid.sh OUTDIR   # writes bench-fused-grid.json, bench-fused-grid.txt and cliff.txt (with its exit)
# Exits with the cliff check's status (1: a cliff; 2: no bench to read).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/gpu-fused-grid.sh OUTDIR}
mkdir -p "$out"
source scripts/gpu-env.sh || exit 2
timeout 180 "${GPU_RUN_APP:-/tmp/harness-app}/harness" bench --variant fused --batch 1,2,8 --sequence 128,256,384,512 \
  --no-python-peers --json "$out/bench-fused-grid.json" > "$out/bench-fused-grid.txt" 2>&1
echo "grid bench exit $?" >> "$out/bench-fused-grid.txt"
python3 scripts/cliff_check.py "$out/bench-fused-grid.json" > "$out/cliff.txt" 2>&1
code=$?
echo "cliff check exit $code" >> "$out/cliff.txt"
exit "$code"
