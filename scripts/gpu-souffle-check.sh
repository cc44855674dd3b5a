#!/usr/bin/env bash
# `souffle` (or GPU_SOUFFLE_VARIANT) against the upstream Souffle kernels (`souffle-upstream`) on a GPU
# machine, in one device call (about 5 minutes on an H100/H200; the bundle from scripts/gpu-bundle.sh next to the
# sources, no .NET needed):
#   SOUFFLE_MODELS_DIR=/path/to/souffle-models scripts/gpu-souffle-check.sh OUTDIR
# 1. builds the library for the local GPU with souffle-upstream and sets up the program, as scripts/gpu-run.sh does
#    (it runs gpu-run.sh with no step);
# 2. on constant-debug and random (Souffle semantics, B=1 S=384): dumps every tensor of the variant once and of
#    souffle-upstream twice, and compares them bit for bit per tensor (scripts/souffle_bits.py): the variant against
#    upstream beside upstream against itself: tensors where upstream's fp32 atomics make two of its runs differ
#    (docs/SEMANTICS.md §3) are listed with both differences and left out of the verdict (the issue's "bit-equal where
#    upstream itself is deterministic");
# 3. benches both in graph mode at B=1 S=384, `output` only, in the same run;
# 4. verifies the variant against the float64 truth on both scenarios (every tensor within budget, 5 reruns);
# 5. benches both again with every output;
# 6. GPU_SOUFFLE_NCU=1: times each variant's two kernels under ncu (kernel names matched: attentionKernel,
#    feedForwardKernel, fused_sqq*).
# The steps come in the order a short device call should keep them: each writes its files as it ends.
# Writes OUTDIR/summary.md (the bit tables, verify verdicts and bench rows) and every log beside it.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:?usage: SOUFFLE_MODELS_DIR=... scripts/gpu-souffle-check.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "gpu-souffle-check: $*" | tee -a "$out/check.log"; }
# The variant checked: GPU_SOUFFLE_VARIANT, by default souffle.
mine=${GPU_SOUFFLE_VARIANT:-souffle}
[ -n "${SOUFFLE_MODELS_DIR:-}" ] || { log "set SOUFFLE_MODELS_DIR to a souffle-models checkout (souffle-upstream is built from it)"; exit 2; }
# 1. native library with souffle-upstream, libtorch and the program: scripts/gpu-run.sh's build and set-up, no step
GPU_RUN_STEPS=build-only scripts/gpu-run.sh "$out/build" > "$out/build-console.log" 2>&1 \
  || { log "build or set-up failed ($out/build-console.log)"; tail -30 "$out/build-console.log"; exit 1; }
cp "$out/build/gpu.txt" "$out/gpu.txt"
log "GPU: $(cat "$out/gpu.txt"); $(grep -o 'nvcc: .*' "$out/build/gpu-run.log" | head -1)"
grep -q "souffle-upstream enabled" "$out/build/native-build.log" \
  || { log "souffle-upstream was not built: $(grep -o 'souffle-upstream is .*' "$out/build/native-build.log")"; exit 1; }
source "$root/scripts/gpu-env.sh" || exit 1
if [ -f bundle/gpu-bundle.tar.xz ]; then
  harness=("${GPU_RUN_APP:-/tmp/harness-app}/harness")
else
  harness=(dotnet "$root/Harness/bin/Release/net10.0/harness.dll")
fi
"${harness[@]}" variants > "$out/variants.txt" 2>&1
grep -q "souffle-upstream" "$out/variants.txt" || { log "souffle-upstream is not in the registry (variants.txt)"; exit 1; }

# 2. bit for bit, per tensor
equal=0
for scenario in constant-debug random; do
  for run in "$mine:1" souffle-upstream:1 souffle-upstream:2; do
    variant=${run%:*}
    "${harness[@]}" dump --variant "$variant" --scenario "$scenario" --semantics souffle --device cuda --format npz \
      --out "$out/$scenario-$variant-${run#*:}.npz" --force > "$out/$scenario-$variant-${run#*:}.log" 2>&1 \
      || log "dump $variant on $scenario failed ($scenario-$variant-${run#*:}.log)"
  done
  python3 scripts/souffle_bits.py "$out/$scenario-$mine-1.npz" "$out/$scenario-souffle-upstream-1.npz" \
    "$scenario: $mine (A) vs souffle-upstream (B), beside upstream's second run" \
    --spread "$out/$scenario-souffle-upstream-2.npz" > "$out/bits-$scenario.md" 2>&1
  code=$?
  log "$scenario: $mine vs souffle-upstream: $(tail -2 "$out/bits-$scenario.md" | head -1) (exit $code)"
  [ "$code" = 0 ] || equal=1
done

# 3. the bench: both variants in one run, `output` only (every output after the verification)
"${harness[@]}" bench --device cuda --variant "$mine" souffle-upstream --batch 1 --sequence 384 --no-python-peers \
  --json "$out/bench.json" > "$out/bench.txt" 2>&1
log "bench exit $?"
# 4. within budget against the truth
for scenario in constant-debug random; do
  "${harness[@]}" verify --variant "$mine" --scenario "$scenario" --semantics souffle --device cuda --reruns 5 \
    --json "$out/verify-$scenario.json" > "$out/verify-$scenario.txt" 2>&1
  log "verify $mine on $scenario: exit $? ($(grep -c '│ pass ' "$out/verify-$scenario.txt") tensors pass, $(grep -c '│ FAIL ' "$out/verify-$scenario.txt") fail)"
done

# 5. the bench with every output
"${harness[@]}" bench --device cuda --variant "$mine" souffle-upstream --batch 1 --sequence 384 --no-python-peers --all-outputs \
  --json "$out/bench-all-outputs.json" > "$out/bench-all-outputs.txt" 2>&1
log "bench --all-outputs exit $?"

# 6. with GPU_SOUFFLE_NCU=1 (about a minute more): each variant's two kernels one by one under ncu
if [ "${GPU_SOUFFLE_NCU:-0}" = 1 ] && command -v ncu > /dev/null; then
  for variant in "$mine" souffle-upstream; do
    ncu --clock-control none --metrics gpu__time_duration.sum --csv --print-units base -k "regex:attentionKernel|feedForwardKernel|fused_sqq" \
      --launch-skip 10 --launch-count 20 "${harness[@]}" bench --variant "$variant" --batch 1 --sequence 384 --no-python-peers --samples 10 \
      > "$out/ncu-$variant.csv" 2> "$out/ncu-$variant.log"
    python3 scripts/kernel_durations.py "$out/ncu-$variant.csv" > "$out/ncu-$variant.json"
    log "ncu $variant kernels: $(cat "$out/ncu-$variant.json")"
  done
fi

{ echo "# $mine against souffle-upstream ($(cat "$out/gpu.txt"))"; echo
  cat "$out"/bits-*.md; echo "## verify"; echo; grep -h "gpu-souffle-check: verify" "$out/check.log"; echo
  echo "## bench (output only)"; echo; echo '```'; cat "$out/bench.txt"; echo '```'; echo
  echo "## bench (every output)"; echo; echo '```'; cat "$out/bench-all-outputs.txt"; echo '```'; } > "$out/summary.md"
log "summary: $out/summary.md"
exit "$equal"
