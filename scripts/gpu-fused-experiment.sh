#!/usr/bin/env bash
# One device call for a change to `fused`: build, verify `fused` over the GPU plan (every tensor, reruns; FUSED_VERIFY=0
# builds only), then time it in graph mode under each configuration named in FUSED_CONFIGS (environment assignments
# separated by '|', "-" for none; default "-|BK_FUSED_NO_WGMMA=1"; "none": no bench), and ncu's per-kernel times at the
# shapes of FUSED_KERNEL_SHAPES ("B:S ...", default "1:384").
#   scripts/gpu-fused-experiment.sh OUT
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/gpu-fused-experiment.sh OUT}
mkdir -p "$out"
start=$(date +%s)
source scripts/fused-kernels.sh
steps=verify; [ "${FUSED_VERIFY:-1}" = 0 ] && steps=build-only
GPU_RUN_STEPS="$steps" GPU_RUN_VARIANT=fused scripts/gpu-run.sh "$out/verify-run" > "$out/verify-console.log" 2>&1
echo "build + verify: exit $? after $(( $(date +%s) - start )) s" | tee "$out/experiment.log"
grep -A3 "sm_90a\|CUDA code for" "$out/verify-run/native-build.log" | head -5 >> "$out/experiment.log"
grep -i "warning\|error" "$out/verify-run/native-build.log" | head -20 >> "$out/experiment.log"
[ -f "$out/verify-run/summary.md" ] && cat "$out/verify-run/summary.md" >> "$out/experiment.log"
IFS='|' read -ra configs <<< "${FUSED_CONFIGS:--|BK_FUSED_NO_WGMMA=1}"
[ "${FUSED_CONFIGS:-}" = none ] && configs=()
index=0
for config in "${configs[@]}"; do
  index=$((index + 1))
  assignments=(); [ "$config" != "-" ] && read -ra assignments <<< "$config"
  echo "== bench config $index: ${config}" >> "$out/experiment.log"
  env "${assignments[@]}" GPU_RUN_STEPS=bench GPU_RUN_VARIANT=fused GPU_RUN_SKIP_BUILD=1 GPU_RUN_REUSE_APP=1 \
    scripts/gpu-run.sh "$out/bench-$index" > "$out/bench-$index-console.log" 2>&1
  grep -E "fused|PyTorch|peer" "$out/bench-$index/bench.txt" >> "$out/experiment.log"
  grep -E "fused" "$out/bench-$index/bench-all-outputs.txt" >> "$out/experiment.log"
  echo "elapsed $(( $(date +%s) - start )) s" >> "$out/experiment.log"
done
# ncu's per-kernel times of the default configuration at each shape of FUSED_KERNEL_SHAPES ("B:S ...", default "1:384").
for shape in ${FUSED_KERNEL_SHAPES-1:384}; do
  GPU_RUN_STEPS=kernels GPU_RUN_VARIANT=fused GPU_RUN_SKIP_BUILD=1 GPU_RUN_REUSE_APP=1 GPU_RUN_KERNEL_BATCH=${shape%:*} \
    GPU_RUN_KERNEL_SEQUENCE=${shape#*:} GPU_RUN_KERNELS="$FUSED_KERNELS" \
    scripts/gpu-run.sh "$out/kernels-${shape/:/x}" > "$out/kernels-${shape/:/x}-console.log" 2>&1
  echo "kernels at B:S = $shape: $(cat "$out/kernels-${shape/:/x}/kernels/fused.json" 2>/dev/null)" >> "$out/experiment.log"
done
echo "done after $(( $(date +%s) - start )) s" >> "$out/experiment.log"
cat "$out/experiment.log"
