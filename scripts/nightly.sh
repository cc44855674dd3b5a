#!/usr/bin/env bash
# The nightly GPU job, on a machine with NVIDIA GPUs (no .NET needed: like scripts/gpu-run.sh it runs the bundle from
# scripts/gpu-bundle.sh, or the sources where dotnet is on PATH):
#   scripts/nightly.sh OUTDIR [--shard i/n] [--history FILE]
# Every step is a step of scripts/gpu-run.sh (GPU_RUN_STEPS), each lane in its own folder of OUTDIR:
#   1. build everything once (native/ with the CUDA mutants, BK_CUDA_MUTANTS=ON; the bundle unpacked once);
#   2. at once, in lanes spread over the visible GPUs (CUDA_VISIBLE_DEVICES per lane; none of these time anything):
#      (shard 1) the GPU tests with TRX and JUnit (tests/; NIGHTLY_TEST_ARGS: the test program's whole argument list) and
#      the reruns (isolation/) and the CPU and CUDA mutation scores (mutants/); per worker a slice of the verify matrix and of
#      the sanitizer list (gpuW/); NIGHTLY_SOAK_LANES soak lanes, each a slice of every CUDA variant's soak cases
#      (soakN/, NIGHTLY_SOAK_SEEDS seeds);
#   3. (shard 1) the bench, alone on the machine;
#   4. the soak lanes merged (harness merge), OUTDIR/summary.md, and one history entry (harness history: every
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
NIGHTLY_TEST_ARGS=${NIGHTLY_TEST_ARGS:-"--filter TestCategory=Gpu --results-directory $out/tests --report-trx --report-trx-filename gpu-tests.trx --report-spekt-junit --report-spekt-junit-filename gpu-tests.junit.xml"}

# Crashed workers of the verify, sanitizer and soak lanes leave a .NET crash report (every thread's managed and native
# frames) in OUTDIR/crashes; the dumps themselves are deleted at the end. (Not in the tests and isolation lanes: they
# crash test variants on purpose, under worker timeouts that a dump's writing must not eat into.)
mkdir -p "$out/crashes"
crash_reports=(DOTNET_DbgEnableMiniDump=1 DOTNET_DbgMiniDumpType=1 DOTNET_EnableCrashReport=1 DOTNET_DbgMiniDumpName="$out/crashes/%e-%p.dmp")

# 1. build everything once; every lane below reuses the build and the unpacked app.
app=/tmp/harness-app-nightly
BK_CUDA_MUTANTS=ON GPU_RUN_STEPS=none GPU_RUN_APP=$app scripts/gpu-run.sh "$out" > /dev/null || { log "build failed (gpu-run.log)"; exit 1; }
log "built"
lane() { # GPU OUTDIR STEPS [VAR=VALUE...]: one gpu-run.sh lane in the background on one GPU; lanes.log gets its time
  local gpu=$1 dir=$2 steps=$3; shift 3
  mkdir -p "$dir"
  ( start=$(date +%s)
    env "$@" CUDA_VISIBLE_DEVICES="$gpu" GPU_RUN_SKIP_BUILD=1 GPU_RUN_REUSE_APP=1 GPU_RUN_APP=$app GPU_RUN_STEPS="$steps" \
      scripts/gpu-run.sh "$dir" > "$dir.log" 2>&1
    code=$?
    echo "$(basename "$dir") ($steps) on GPU $gpu: $(( $(date +%s) - start )) s, exit $code" >> "$out/lanes.log"
    exit $code ) &
  lanes+=($!)
}

# 2-3. Every check that does not time anything runs at once, in lanes spread over the GPUs (sharing a GPU is harmless
# to them): (shard 1) the GPU tests, the reruns (isolation) and the mutation scores, one lane each; per worker, a slice
# of the verify matrix and of the sanitizer list; and NIGHTLY_SOAK_LANES (default 4 per worker) soak lanes, each a slice
# of every variant's cases (NIGHTLY_SOAK_SEEDS seeds, default 50). Worker w of shard i takes slice (i-1)*W + w + 1 of n*W.
soak_lanes=${NIGHTLY_SOAK_LANES:-$(( 4 * ${#gpus[@]} ))}
[[ $soak_lanes =~ ^[1-9][0-9]*$ ]] || { echo "nightly: NIGHTLY_SOAK_LANES must be a whole number >= 1, got '$soak_lanes'" >&2; exit 2; }
lanes=()
if [ "$index" = 1 ]; then
  lane "${gpus[0]}" "$out/tests" tests GPU_RUN_TEST_ARGS="$NIGHTLY_TEST_ARGS"
  lane "${gpus[$(( 1 % ${#gpus[@]} ))]}" "$out/isolation" isolation
  lane "${gpus[$(( 2 % ${#gpus[@]} ))]}" "$out/mutants" mutants
fi
for g in "${!gpus[@]}"; do
  lane "${gpus[$g]}" "$out/gpu$g" "verify sanitize" "${crash_reports[@]}" \
    GPU_RUN_SHARD="$(( (index - 1) * ${#gpus[@]} + g + 1 ))/$(( count * ${#gpus[@]} ))"
done
for s in $(seq "$soak_lanes"); do
  lane "${gpus[$(( (s - 1) % ${#gpus[@]} ))]}" "$out/soak$s" soak "${crash_reports[@]}" GPU_RUN_SOAK_SEEDS="${NIGHTLY_SOAK_SEEDS:-50}" \
    GPU_RUN_SHARD="$(( (index - 1) * soak_lanes + s ))/$(( count * soak_lanes ))"
done
for pid in "${lanes[@]}"; do wait "$pid" || status=1; done
if [ "$index" = 1 ]; then
  read -r _ failed _ < <(python3 scripts/test_counts.py "$out/tests/gpu-tests.trx" 2>/dev/null) || failed=
  [ "${failed:-x}" = 0 ] || { log "GPU tests failed or wrote no TRX (tests/gpu-tests.log)"; status=1; }
fi
log "verify/sanitize: $(cat "$out"/gpu*/summary.md 2>/dev/null | grep -c '^| .* | 0 | ') verifications exit 0"

# 4. (shard 1) the bench, alone on the machine.
if [ "$index" = 1 ]; then
  GPU_RUN_SKIP_BUILD=1 GPU_RUN_REUSE_APP=1 GPU_RUN_STEPS=bench GPU_RUN_APP=$app scripts/gpu-run.sh "$out" > "$out/bench-run.log" 2>&1 \
    || status=1
  grep -q 'exit 0: mutation score' "$out/mutants/gpu-run.log" || { log "CPU mutation score short of every mutant"; status=1; }
  grep -q 'mutants (CUDA) exit 0' "$out/mutants/gpu-run.log" || { log "CUDA mutation score short of its target"; status=1; }
fi

# 5. the soak lanes merged per variant (one file per variant when this machine holds every slice, else one per lane).
harness=("$app/harness")
[ -x "$app/harness" ] || harness=(dotnet "$root/Harness/bin/Release/net10.0/harness.dll")
mkdir -p "$out/soak" "$out/verify"
for f in "$out"/soak1/soak/*.json; do
  [ -e "$f" ] || continue
  variant=$(basename "$f" .json)
  if [ "$count" = 1 ]; then
    "${harness[@]}" merge --out "$out/soak/$variant.json" --force "$out"/soak*/soak/"$variant".json > "$out/soak/$variant.txt" 2>&1 || status=1
  else
    for s in $(seq "$soak_lanes"); do
      cp "$out/soak$s/soak/$variant.json" "$out/soak/$variant-lane$s.json"; tail -1 "$out/soak$s/soak/$variant.txt" > "$out/soak/$variant-lane$s.txt"
    done
  fi
  # The verdict is read from the JSON (falseAlarmCount), not from the console table, whose lines wrap.
  python3 -c 'import json, sys; sys.exit(0 if all(json.load(open(f))["falseAlarmCount"] == 0 for f in sys.argv[1:]) else 1)' \
    "$out"/soak/"$variant"*.json 2>> "$out/nightly.log" || { log "soak $variant raised false alarms or wrote no result"; status=1; }
done
for g in "${!gpus[@]}"; do
  for f in "$out/gpu$g"/verify/*.json; do [ -e "$f" ] && cp "$f" "$out/verify/gpu$g-$(basename "$f")"; done
done
# Crash reports: the crashed thread's frames, one line each, beside the report; the dumps are dropped.
rm -f "$out"/crashes/*.dmp
for f in "$out"/crashes/*.crashreport.json; do
  [ -e "$f" ] && python3 scripts/crash_frames.py "$f" "$root/native/build/gpu" > "${f%.crashreport.json}.frames.txt" 2>&1
done

{
  echo "# Nightly $(date -u +%Y-%m-%dT%H:%MZ), shard $shard, ${#gpus[@]} GPU(s), $(git -C "$root" rev-parse --short HEAD 2>/dev/null)"
  echo
  echo "## GPU tests"; python3 scripts/test_counts.py "$out/tests/gpu-tests.trx" 2>/dev/null | awk '{print $1 " passed, " $2 " failed, " $3 " skipped"}'; echo
  echo "## Verify matrix"; for g in "${!gpus[@]}"; do cat "$out/gpu$g/summary.md" 2>/dev/null; echo; done
  echo "## Mutation scores"; grep -hE '^(mutation score|CUDA mutation score)' "$out"/mutants/mutants/*.txt 2>/dev/null; echo
  echo "## Reruns"; grep -h 'isolation .* exit' "$out/isolation/gpu-run.log" 2>/dev/null; echo
  echo "## Lanes (wall time)"; sort "$out/lanes.log" 2>/dev/null; echo
  echo "## Sanitizers"; grep -h 'sanitize .* exit' "$out"/gpu*/gpu-run.log 2>/dev/null; echo
  echo "## Soak"; for f in "$out"/soak/*.txt; do [ -e "$f" ] && tail -2 "$f"; done; echo
  echo "## Worker crashes in the verify, sanitizer and soak lanes (crashes/*.frames.txt)"
  for f in "$out"/crashes/*.frames.txt; do [ -e "$f" ] && echo "- $(basename "$f"): $(grep -m1 -E 'libb(ertkernels|k_)' "$f" | sed 's/^ *//')"; done; echo
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
