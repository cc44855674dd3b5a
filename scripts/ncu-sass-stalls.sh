#!/usr/bin/env bash
# Where a kernel's warps wait, instruction by instruction: ncu's warp-stall samples per SASS instruction of the first
# launch (after warm-up) of the kernel whose demangled name matches REGEX, in `harness bench --variant fused` at
# B=NCU_BATCH S=NCU_SEQUENCE (default 8 and 512), warm caches and unlocked clocks. Writes OUT/sass-stalls-<tag>.csv (every
# instruction) and prints the 40 instructions with the most samples. Run on a GPU machine after scripts/gpu-run.sh has
# built native/ and unpacked the bundle:
#   OUT=DIR scripts/ncu-sass-stalls.sh REGEX TAG
set -uo pipefail
cd "$(dirname "$0")/.."
regex=${1:?usage: OUT=DIR scripts/ncu-sass-stalls.sh REGEX TAG}
tag=${2:?usage: OUT=DIR scripts/ncu-sass-stalls.sh REGEX TAG}
source scripts/gpu-env.sh || { echo "no libtorch found: set LIBTORCH" >&2; exit 1; }
mkdir -p "$OUT"
report="$OUT/$tag"
ncu --cache-control none --clock-control none --kernel-name-base demangled -k "regex:$regex" --launch-skip 4 --launch-count 1 \
  --section SourceCounters --section WarpStateStats --section InstructionStats -o "$report" -f \
  "${HARNESS_APP:-/tmp/harness-app/harness}" bench --variant fused --batch "${NCU_BATCH:-8}" --sequence "${NCU_SEQUENCE:-512}" \
  --no-python-peers --samples 10 > "$report-console.txt" 2>&1
ncu --import "$report.ncu-rep" --page source --print-source sass --csv > "$OUT/sass-stalls-$tag.csv" 2>&1
ncu --import "$report.ncu-rep" --page details > "$OUT/details-$tag.txt" 2>&1
rm -f "$report.ncu-rep"
python3 scripts/sass_stalls.py "$OUT/sass-stalls-$tag.csv" 40
