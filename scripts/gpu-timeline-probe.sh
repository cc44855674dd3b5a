#!/usr/bin/env bash
# Builds the library (the `cuda` preset) and scripts/gpu-timeline-probe.cu against it, then prints the timeline of one
# layer at each B:S[:SETS] given (default 1:384; SETS parameter sets rotated, default 7), twice. Needs a fused.cu with
# the timeline probe's marks (results/2026-11-27-h100/s19-call4-timeline-phases/timeline-marks.patch).
#   scripts/gpu-timeline-probe.sh OUT [B:S[:SETS] ...]
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/gpu-timeline-probe.sh OUT [B:S ...]}
shift
mkdir -p "$out"
[ -d /usr/local/cuda/bin ] && export PATH=/usr/local/cuda/bin:$PATH
(cd native && cmake --preset cuda && cmake --build --preset cuda -j"$(nproc)") > "$out/native-build.log" 2>&1 \
  || { echo "timeline: native build failed"; tail -30 "$out/native-build.log"; exit 1; }
nvcc -O2 -std=c++17 -Inative/include scripts/gpu-timeline-probe.cu -Lnative/build/gpu -lbertkernels \
  -Xlinker -rpath="$PWD/native/build/gpu" -o /tmp/timeline > "$out/probe-build.log" 2>&1 \
  || { echo "timeline: probe build failed"; cat "$out/probe-build.log"; exit 1; }
for shape in "${@:-1:384}"; do
  for round in 1 2; do
    IFS=':' read -r batch sequence sets <<< "$shape"
    /tmp/timeline "$batch" "$sequence" ${sets:+"$sets"} 2>&1 | tee "$out/timeline-${shape//:/x}-$round.txt"
  done
done
