#!/usr/bin/env bash
# A second native library for an A/B device call: the `cuda` preset built from a copy of native/ in which the files
# under BASELINE_DIR (paths relative to native/, e.g. an earlier commit's src/cuda/fused.cu from `git show`) replace
# the working tree's. Prints the library's path; a configuration of scripts/gpu-switch-check.sh selects it with
# HARNESS_NATIVE_LIB=<path>, so that one call verifies and times a change against the code it replaces.
#   scripts/gpu-baseline-lib.sh BASELINE_DIR [BUILD_ROOT]      (BUILD_ROOT default /tmp/native-baseline; log BUILD_ROOT.log)
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=${1:?usage: scripts/gpu-baseline-lib.sh BASELINE_DIR [BUILD_ROOT]}
root=${2:-/tmp/native-baseline}
[ -d "$baseline" ] || { echo "gpu-baseline-lib: $baseline is not a directory" >&2; exit 2; }
rm -rf "$root"
mkdir -p "$root"
tar -C native --exclude=./build -cf - . | tar -C "$root" -xf -
cp -r "$baseline/." "$root/"
(cd "$root" && cmake --preset cuda && cmake --build --preset cuda -j"$(nproc)" --target bertkernels bk_timing) > "$root.log" 2>&1 \
  || { echo "gpu-baseline-lib: build failed ($root.log)" >&2; tail -20 "$root.log" >&2; exit 1; }
echo "$root/build/gpu/libbertkernels.so"
