#!/usr/bin/env bash
# Where the layer's time goes in graph mode: each of fused's seven kernels left out in turn, the layer timed without it
# (`harness bench`, output only), so that the difference is that kernel's share of the critical path once its
# neighbours overlap it (ncu times each kernel alone, without that overlap); then each GEMM run over a single 64-deep
# k step, so that what is left of its share is what the kernel costs whatever its k loop (launch, first loads,
# epilogue, drain); then one, two and four empty kernels added after attention, so that the slope is what one more
# kernel boundary costs the chain. Timing only: the outputs are wrong.
# LIB is a library built from a fused.cu that reads BK_FUSED_SKIP (a comma list of QKV, ATT, DENSE, LN1, FC1, FC2,
# LN2), BK_FUSED_ONE_STEP (a comma list of QKV, DENSE, FC1, FC2) and BK_FUSED_EXTRA_BOUNDARIES (a count); the patch is
# kept beside the results that used it. The harness bundle is unpacked (scripts/gpu-run.sh).
#   scripts/gpu-skip-probe.sh LIB OUT [B:S ...]        (default shapes 1:384)
set -uo pipefail
cd "$(dirname "$0")/.."
lib=${1:?usage: scripts/gpu-skip-probe.sh LIB OUT [B:S ...]}
out=${2:?usage: scripts/gpu-skip-probe.sh LIB OUT [B:S ...]}
shift 2
shapes=("$@"); [ ${#shapes[@]} -eq 0 ] && shapes=(1:384)
mkdir -p "$out"
[ -f "$lib" ] || { echo "gpu-skip-probe: no library at $lib" >&2; exit 2; }
source scripts/gpu-env.sh || { echo "gpu-skip-probe: no libtorch" >&2; exit 1; }
export HARNESS_NATIVE_LIB=$lib
# One row of probe.txt: the layer at $shape timed with the environment assignment $1, its output in $out/<shape>-$2.txt
# and its row labelled $3.
probe() {
  local file="$out/${shape/:/x}-$2.txt"
  env "$1" timeout 120 /tmp/harness-app/harness bench --device cuda --variant fused --batch "${shape%:*}" \
    --sequence "${shape#*:}" --no-python-peers > "$file" 2>&1
  echo "B:S=$shape $3: $(grep "│ fused" "$file" | head -1)" | tee -a "$out/probe.txt"
}
for shape in "${shapes[@]}"; do
  for skip in none QKV ATT DENSE LN1 FC1 FC2 LN2 LN1,LN2 DENSE,LN1,FC2,LN2; do
    probe "BK_FUSED_SKIP=$skip" "${skip//,/+}" "skip=$skip"
  done
  for one in QKV DENSE FC1 FC2 QKV,DENSE,FC1,FC2; do
    probe "BK_FUSED_ONE_STEP=$one" "one-step-${one//,/+}" "one k step=$one"
  done
  for extra in 1 2 4; do
    probe "BK_FUSED_EXTRA_BOUNDARIES=$extra" "extra-boundaries-$extra" "extra boundaries=$extra"
  done
done
