#!/usr/bin/env bash
# The nightly GPU job, on a machine with NVIDIA GPUs (no .NET needed: like scripts/gpu-run.sh it runs the bundle from
# scripts/gpu-bundle.sh, or the sources where dotnet is on PATH):
#   scripts/nightly.sh OUTDIR [--shard i/n] [--history FILE]
# Every step is a step of scripts/gpu-run.sh (GPU_RUN_STEPS), in this order:
#   1. build everything (native/ with the CUDA mutants, BK_CUDA_MUTANTS=ON) and run the GPU tests with result files
#      (NIGHTLY_TEST_ARGS: the test program's whole argument list, one variable);
#   2. the verify matrix from the registry, 3. the reruns (isolation), the sanitizers and the soak: spread over the
#      visible GPUs, one worker process per GPU (CUDA_VISIBLE_DEVICES), each taking a slice of this shard's lists;
#   4. the CPU and CUDA mutation scores, 5. the bench (alone on the machine);
#   6. the soak shards merged (harness merge), OUTDIR/summary.md, and one history entry (harness history: every
#      variant x scenario x tensor budget used and every bench median) compared with the last one and appended.
# --shard i/n (default 1/1) takes the i-th of n slices of the matrix, sanitizer and soak lists (n machines of an Actions
# matrix); steps that are one run each (GPU tests, mutants, isolation, bench) run on shard 1 only.
# Exit status: 1 when the history check finds a regression (a tensor's budget use grew > 1.5x, a bench median > 10%),
# when a GPU test or mutation score fails, or when the soak raised a false alarm; 2 for bad arguments.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:?usage: scripts/nightly.sh OUTDIR [--shard i/n] [--history FILE]}
shift
shard=1/1
history=$root/results/nightly-history.jsonl
while [ $# -gt 0 ]; do
  case "$1" in
    --shard) shard=${2:-}; shift 2 ;;
    --history) history=${2:-}; shift 2 ;;
    *) echo "nightly: unknown argument '$1' (expected --shard i/n or --history FILE)" >&2; exit 2 ;;
  esac
done
if ! [[ $shard =~ ^([0-9]+)/([0-9]+)$ ]] || (( BASH_REMATCH[1] < 1 || BASH_REMATCH[1] > BASH_REMATCH[2] )); then
  echo "nightly: --shard must be i/n with whole numbers 1 <= i <= n, got '$shard'" >&2; exit 2
fi
index=${shard%/*}
count=${shard#*/}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "nightly: $*" | tee -a "$out/nightly.log"; }
status=0

# The GPUs this job may use: CUDA_VISIBLE_DEVICES when set, else every GPU nvidia-smi lists.
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
  IFS=, read -r -a gpus <<< "$CUDA_VISIBLE_DEVICES"
else
  mapfile -t gpus < <(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null)
fi
[ ${#gpus[@]} -gt 0 ] || { log "no GPU visible (nvidia-smi lists none)"; exit 1; }
# NIGHTLY_WORKERS_PER_GPU (default 1) workers share each GPU: the multi-worker path on a one-GPU machine. (Listing a GPU
# twice in CUDA_VISIBLE_DEVICES instead breaks the build's architecture detection.)
workers=${NIGHTLY_WORKERS_PER_GPU:-1}
[[ $workers =~ ^[1-9][0-9]*$ ]] || { echo "nightly: NIGHTLY_WORKERS_PER_GPU must be a whole number >= 1, got '$workers'" >&2; exit 2; }
if [ "$workers" -gt 1 ]; then
  shared=(); for gpu in "${gpus[@]}"; do for _ in $(seq "$workers"); do shared+=("$gpu"); done; done; gpus=("${shared[@]}")
fi
log "shard $shard on ${#gpus[@]} worker(s), GPUs: ${gpus[*]}"

# The test program's arguments, in one variable: the Gpu category and its TRX and JUnit result files.
NIGHTLY_TEST_ARGS=${NIGHTLY_TEST_ARGS:-"--filter TestCategory=Gpu --results-directory $out --report-trx --report-trx-filename gpu-tests.trx --report-spekt-junit --report-spekt-junit-filename gpu-tests.junit.xml"}

# 1. build, and (shard 1) the GPU tests.
first_steps=build
[ "$index" = 1 ] && first_steps=tests
BK_CUDA_MUTANTS=ON GPU_RUN_STEPS="$first_steps" GPU_RUN_TEST_ARGS="$NIGHTLY_TEST_ARGS" GPU_RUN_APP=/tmp/harness-app-nightly \
  scripts/gpu-run.sh "$out" || { log "build failed (gpu-run.log)"; exit 1; }
if [ "$index" = 1 ]; then
  read -r _ failed _ < <(python3 scripts/test_counts.py "$out/gpu-tests.trx" 2>/dev/null) || failed=
  [ "${failed:-x}" = 0 ] || { log "GPU tests failed or wrote no TRX (gpu-tests.log)"; status=1; }
fi

# 2-3. verify matrix, sanitizers and soak: GPU g takes slice (index-1)*G + g + 1 of count*G.
per_gpu=()
for g in "${!gpus[@]}"; do
  sub="$(( (index - 1) * ${#gpus[@]} + g + 1 ))/$(( count * ${#gpus[@]} ))"
  CUDA_VISIBLE_DEVICES=${gpus[$g]} GPU_RUN_SKIP_BUILD=1 GPU_RUN_SHARD=$sub GPU_RUN_STEPS="verify sanitize soak" \
    GPU_RUN_APP=/tmp/harness-app-nightly-$g scripts/gpu-run.sh "$out/gpu$g" > "$out/gpu$g.log" 2>&1 &
  per_gpu+=($!)
done
for pid in "${per_gpu[@]}"; do wait "$pid" || status=1; done
log "verify/sanitize/soak: $(cat "$out"/gpu*/summary.md 2>/dev/null | grep -c '^| .* | 0 | ') verifications exit 0"

# 4-5. (shard 1) reruns of the CUDA variants and the trapping kernel, mutation scores, then the bench alone.
if [ "$index" = 1 ]; then
  GPU_RUN_SKIP_BUILD=1 GPU_RUN_STEPS="isolation mutants bench" GPU_RUN_APP=/tmp/harness-app-nightly scripts/gpu-run.sh "$out" \
    || status=1
  grep -q 'exit 0: mutation score' "$out/gpu-run.log" || { log "CPU mutation score short of every mutant"; status=1; }
  grep -q 'mutants (CUDA) exit 0' "$out/gpu-run.log" || { log "CUDA mutation score short of its target"; status=1; }
fi

# 6. soak shards of this machine merged per variant, summary, history.
app=/tmp/harness-app-nightly
if [ -x "$app/harness" ]; then harness=("$app/harness"); else harness=(dotnet "$root/Harness/bin/Release/net10.0/harness.dll"); fi
mkdir -p "$out/soak" "$out/verify"
for f in "$out"/gpu0/soak/*.json; do
  [ -e "$f" ] || continue
  variant=$(basename "$f" .json)
  if [ "${#gpus[@]}" -gt 1 ] && [ "$count" = 1 ]; then
    "${harness[@]}" merge --out "$out/soak/$variant.json" --force "$out"/gpu*/soak/"$variant".json > "$out/soak/$variant.txt" 2>&1 || status=1
  else
    cp "$f" "$out/soak/$variant.json"; cp "${f%.json}.txt" "$out/soak/$variant.txt"
  fi
  grep -q 'false alarms: 0' "$out/soak/$variant.txt" || { log "soak $variant raised false alarms"; status=1; }
done
for g in "${!gpus[@]}"; do
  for f in "$out/gpu$g"/verify/*.json; do [ -e "$f" ] && cp "$f" "$out/verify/gpu$g-$(basename "$f")"; done
done

{
  echo "# Nightly $(date -u +%Y-%m-%dT%H:%MZ), shard $shard, ${#gpus[@]} GPU(s), $(git -C "$root" rev-parse --short HEAD 2>/dev/null)"
  echo
  echo "## GPU tests"; python3 scripts/test_counts.py "$out/gpu-tests.trx" 2>/dev/null | awk '{print $1 " passed, " $2 " failed, " $3 " skipped"}'; echo
  echo "## Verify matrix"; for g in "${!gpus[@]}"; do cat "$out/gpu$g/summary.md" 2>/dev/null; echo; done
  echo "## Mutation scores"; grep -hE '^(mutation score|CUDA mutation score)' "$out"/mutants/*.txt 2>/dev/null; echo
  echo "## Reruns"; grep -h 'isolation .* exit' "$out/gpu-run.log" 2>/dev/null; echo
  echo "## Sanitizers"; grep -h 'sanitize .* exit' "$out"/gpu*/gpu-run.log 2>/dev/null; echo
  echo "## Soak"; for f in "$out"/soak/*.txt; do [ -e "$f" ] && tail -2 "$f"; done; echo
  echo "## Bench"; [ -f "$out/bench.txt" ] && grep -E '^(│|\|)' "$out/bench.txt" | head -40
} > "$out/summary.md"

# The history: this run's budgets and bench medians against the last entry, then appended (shard 1 of a single-machine
# run, or each shard's own file in a matrix: pass --history per shard and merge them by date).
bench_arg=()
[ -f "$out/bench.json" ] && bench_arg=(--bench-json "$out/bench.json")
"${harness[@]}" history --file "$history" --verify-dir "$out/verify" "${bench_arg[@]}" \
  --label "$(git -C "$root" rev-parse --short HEAD 2>/dev/null) shard $shard" --append > "$out/history.txt" 2>&1
code=$?
cat "$out/history.txt" | tee -a "$out/summary.md"
case $code in
  0) ;;
  1) log "regression against the last history entry (history.txt)"; status=1 ;;
  *) log "history check failed with exit $code (history.txt)"; exit "$code" ;;
esac
log "exit $status"
exit "$status"
