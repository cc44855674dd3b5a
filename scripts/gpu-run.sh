#!/usr/bin/env bash
# The whole GPU verification in one command, on a machine with an NVIDIA GPU:
#   scripts/gpu-run.sh OUTDIR
# 1. builds native/ with nvcc for the local GPU (CMake preset `cuda`) and runs its CTest check;
# 2. finds libtorch: $LIBTORCH if set, else the python3 PyTorch install (torch/lib + its nvidia/*/lib folders);
# 3. runs the program and tests from bundle/gpu-bundle.tar.xz (made by scripts/gpu-bundle.sh, for a machine without
#    .NET) or, when no bundle is present and dotnet is on PATH, straight from the sources;
# 4. runs the GPU test category, `harness verify` for every CUDA variant of the registry (`harness variants --json`,
#    planned by scripts/gpu_plan.py: GPU scenarios and a B x S sweep within each variant's limits, under its semantics),
#    the Souffle-semantics variants against their CPU twin and each other, the seed case and the benchmark, writing
#    logs, JSON and a summary table OUTDIR/summary.md.
#
# GPU_RUN_STEPS (default "tests verify bench") picks the steps after the build, so that one machine lease can run them
# in separate calls; the build is incremental. GPU_RUN_JOBS (default 4) verify runs go in parallel (verification does
# not time anything, so sharing the GPU is harmless; the bench runs alone). Further steps (scripts/nightly.sh runs them):
# isolation, mutants (CPU and CUDA mutation scores), sanitize (compute-sanitizer over every CUDA variant), soak; and
# kernels: ncu per-kernel durations of each benched variant at B=1 S=384 (GPU_RUN_KERNEL_BATCH and
# GPU_RUN_KERNEL_SEQUENCE change the shape; GPU_RUN_KERNELS, a regular expression of
# the variant's kernel names, narrows it). GPU_RUN_VARIANT=NAME keeps only that variant's verify runs, bench rows and
# kernels (the loop of someone making one kernel faster).
# GPU_RUN_SHARD=i/n runs the i-th of n interleaved slices of the verify, sanitize and soak lists; GPU_RUN_SKIP_BUILD=1
# uses the native build already there (a sibling run built it); GPU_RUN_APP is where the bundle is unpacked (default
# /tmp/harness-app; one per concurrent run); GPU_RUN_TEST_ARGS is the test program's whole argument list (default
# "--filter TestCategory=Gpu"); GPU_RUN_REUSE_APP=1 keeps an app already unpacked there; BK_CUDA_MUTANTS=ON builds
# libbk_cuda_mutants.so; GPU_RUN_SOAK_SEEDS (default 50).
set -uo pipefail
cd "$(dirname "$0")/.."
steps=" ${GPU_RUN_STEPS:-tests verify bench} "
step() { [[ $steps == *" $1 "* ]]; }
root=$(pwd)
out=${1:?usage: scripts/gpu-run.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "gpu-run: $*" | tee -a "$out/gpu-run.log"; }
[ -d /usr/local/cuda/bin ] && export PATH=/usr/local/cuda/bin:$PATH

nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader > "$out/gpu.txt" 2>&1 || true
# The whole device state (clocks and their limits, power limit, ECC, MIG, persistence, VBIOS, PCIe), so that a timing
# can be read against the state of the card that gave it.
nvidia-smi -q > "$out/gpu-state.txt" 2>&1 || true
log "GPU: $(cat "$out/gpu.txt")"
log "nvcc: $(nvcc --version 2>/dev/null | tail -1)"

# 1. native library for this GPU: the `cuda` preset (native/CMakePresets.json, binary dir native/build/gpu) builds for
# the visible GPUs' architectures (CMAKE_CUDA_ARCHITECTURES=native).
# SOUFFLE_MODELS_DIR: a souffle-models checkout whose cpp/bert kernels become the variant souffle-upstream.
if [ "${GPU_RUN_SKIP_BUILD:-0}" != 1 ]; then
  (cd native && cmake --preset cuda -DBK_CUDA_MUTANTS="${BK_CUDA_MUTANTS:-OFF}" \
    ${SOUFFLE_MODELS_DIR:+-DBK_SOUFFLE_UPSTREAM_DIR="$SOUFFLE_MODELS_DIR"}) > "$out/native-build.log" 2>&1 \
    && (cd native && cmake --build --preset cuda -j"$(nproc)") >> "$out/native-build.log" 2>&1 \
    || { log "native build failed (native-build.log)"; tail -30 "$out/native-build.log"; exit 1; }
  grep -q "CUDA variants enabled" "$out/native-build.log" || { log "CMake found no CUDA compiler"; exit 1; }
  log "$(grep -o 'souffle-upstream is .*\|souffle-upstream enabled.*' "$out/native-build.log" | head -1)"
  ctest --test-dir native/build/gpu --output-on-failure > "$out/native-ctest.log" 2>&1
  log "native ctest exit $?"
fi
# A library the caller names (an A/B configuration of scripts/gpu-fused-experiment.sh, e.g. scripts/gpu-baseline-lib.sh's)
# is kept: until 2026-11-26 this line replaced it, so every such configuration ran this tree's library.
export HARNESS_NATIVE_LIB=${HARNESS_NATIVE_LIB:-$root/native/build/gpu/libbertkernels.so}
# The test variants (cuda-empty, the trap variants) come from this tree's build, whichever library is judged.
test_variants=$root/native/build/gpu/libbk_test_variants.so

# 2. libtorch with CUDA: scripts/gpu-env.sh (the same for every GPU script)
source "$root/scripts/gpu-env.sh" || { log "no libtorch found: set LIBTORCH to a libtorch lib folder"; exit 1; }
log "libtorch: $LIBTORCH"

# 3. program and tests
if [ -f bundle/gpu-bundle.tar.xz ]; then
  app=${GPU_RUN_APP:-/tmp/harness-app}
  # GPU_RUN_REUSE_APP=1: lanes of one nightly share the app their build step unpacked (nothing writes into it).
  if [ "${GPU_RUN_REUSE_APP:-0}" != 1 ] || [ ! -x "$app/harness" ]; then
    rm -rf "$app" && mkdir -p "$app" && tar -C "$app" --strip-components=1 -xJf bundle/gpu-bundle.tar.xz
  fi
  harness=("$app/harness")
  tests=("$app/Harness.Tests")
else
  dotnet build Harness.Tests -c Release -p:HarnessNoLibTorchCpu=true -p:HarnessSkipNative=true -v:q > "$out/dotnet-build.log" 2>&1 \
    || { log "dotnet build failed"; exit 1; }
  harness=(dotnet "$root/Harness/bin/Release/net10.0/harness.dll")
  tests=(dotnet "$root/Harness.Tests/bin/Release/net10.0/Harness.Tests.dll")
fi
"${harness[@]}" variants > "$out/variants.txt" 2>&1
"${harness[@]}" variants --json > "$out/variants.json" 2> "$out/variants-json.err" || { log "harness variants --json failed"; cat "$out/variants-json.err"; exit 1; }
# Every variant list and shape below comes from the registry (scripts/gpu_plan.py reads variants.json and the limits).
# The lines of GPU_RUN_VARIANT's runs (a line's first word is its variant), all of them when it is unset.
of_variant() { if [ -n "${GPU_RUN_VARIANT:-}" ]; then awk -v v="$GPU_RUN_VARIANT" '$1 == v'; else cat; fi; }
plan() { python3 "$root/scripts/gpu_plan.py" "$out/variants.json" "$root/data/scenarios" "$1" | of_variant; }
only=(); [ -n "${GPU_RUN_VARIANT:-}" ] && only=(--variant "$GPU_RUN_VARIANT")
log "variants: $(plan cuda | wc -l) CUDA variants not test-only: $(plan cuda | tr '\n' ' ')"
# GPU_RUN_SHARD=i/n: the i-th of n interleaved slices of a list (line k, 0-based, belongs to slice k % n + 1).
shard=${GPU_RUN_SHARD:-1/1}
[[ $shard =~ ^([0-9]+)/([0-9]+)$ ]] && (( BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= BASH_REMATCH[2] )) \
  || { log "GPU_RUN_SHARD must be i/n with 1 <= i <= n, got '$shard'"; exit 2; }
slice() { awk -v i="${shard%/*}" -v n="${shard#*/}" '(NR - 1) % n == i - 1'; }

# 4. GPU tests, verifications, benchmark
if step tests; then
  log "GPU test category"
  # The apphost takes no options from the project (only dotnet test does): the TRX is asked for here and the counts read
  # from it. The whole argument list is one variable, so that a caller (scripts/nightly.sh) can add JUnit or change the
  # filter; a caller's list must keep --results-directory "$out" and gpu-tests.trx for the count below.
  read -r -a test_args <<< "${GPU_RUN_TEST_ARGS:---filter TestCategory=Gpu --results-directory $out --report-trx --report-trx-filename gpu-tests.trx}"
  "${tests[@]}" "${test_args[@]}" > "$out/gpu-tests.log" 2>&1
  code=$?
  log "GPU tests exit $code: $(python3 "$root/scripts/test_counts.py" "$out/gpu-tests.trx" | awk '{print $1 " passed, " $2 " failed, " $3 " skipped"}')"
fi

# One verification: writes its table, JSON and a summary row of its own (rows are gathered in plan order afterwards).
verify_one() { # index label scenario shape semantics -- harness verify arguments...
  local index=$1 label=$2 scenario=$3 shape=$4 semantics=$5; shift 6
  local name; name=$(printf '%03d' "$index")
  "${harness[@]}" verify "$@" --device cuda > "$out/verify/$name.txt" 2>&1
  local code=$? first passed failed
  first=$(grep -Eo 'first failing tensor: [a-z0-9_.]+' "$out/verify/$name.txt" | head -1 | sed 's/.*: //')
  passed=$(grep -c '│ pass ' "$out/verify/$name.txt"); failed=$(grep -c '│ FAIL ' "$out/verify/$name.txt")
  echo "| $label | $scenario | $shape | $semantics | $code | $passed of $((passed + failed)) | ${first:--} | verify/$name |" > "$out/verify/$name.row"
}
if step verify; then
  mkdir -p "$out/verify"
  jobs=${GPU_RUN_JOBS:-4}
  # verify's default of 100 reruns on CUDA reads every output back 100 times; the matrix uses GPU_RUN_RERUNS (default
  # 5) per run, which still reports any element that moves between runs.
  reruns=${GPU_RUN_RERUNS:-5}
  index=0
  # Each CUDA variant on every GPU scenario its limits admit, under each semantics it computes, plus the B x S sweep.
  while read -r variant scenario semantics batch sequence; do
    index=$((index + 1)); shape=scenario; overrides=()
    if [ "$batch" != - ]; then shape="B=$batch S=$sequence"; overrides=(--batch "$batch" --sequence "$sequence"); fi
    verify_one "$index" "$variant" "$scenario" "$shape" "$semantics" -- --variant "$variant" --scenario "$scenario" \
      "${overrides[@]}" --semantics "$semantics" --reruns "$reruns" --json "$out/verify/$(printf '%03d' "$index").json" &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  done < <(plan verify | slice)
  # fp16 Souffle-semantics CUDA variants (souffle, and souffle-upstream when SOUFFLE_MODELS_DIR built it) against their
  # CPU twin (same dtype and semantics) and against each other.
  while read -r variant other scenario semantics; do
    index=$((index + 1))
    verify_one "$index" "$variant vs $other" "$scenario" scenario "$semantics" -- --variant "$variant" --against "$other" \
      --scenario "$scenario" --semantics "$semantics" --json "$out/verify/$(printf '%03d' "$index").json" &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  done < <(plan against | slice)
  # The seed case on the GPU: each Souffle-only CUDA variant judged as a Hugging Face layer, diagnosed, with the report.
  while read -r variant; do
    index=$((index + 1))
    verify_one "$index" "$variant (seed case, report in reports/$variant-seed-case)" seed-case scenario huggingface -- \
      --variant "$variant" --scenario seed-case --semantics huggingface --report "$out/reports/$variant-seed-case" \
      --compare-with activation-override --json "$out/verify/$(printf '%03d' "$index").json" &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  done < <(plan seed | slice)
  # fused's GEMM paths that an sm_90a device (H100, H200) would otherwise never run: the sm_80 GEMMs
  # (BK_FUSED_NO_WGMMA=1) and the cp.async-fed wgmma GEMM that stands in when the driver cannot describe operands to
  # the copy engine (BK_FUSED_NO_TMA=1).
  while read -r variant scenario switch label; do
    index=$((index + 1))
    ( export "$switch=1"
      verify_one "$index" "$variant ($label: $switch=1)" "$scenario" scenario huggingface -- \
        --variant "$variant" --scenario "$scenario" --semantics huggingface --reruns "$reruns" \
        --json "$out/verify/$(printf '%03d' "$index").json" ) &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  done < <(printf '%s\n' 'fused random BK_FUSED_NO_WGMMA sm_80 GEMMs' 'fused random-d32 BK_FUSED_NO_WGMMA sm_80 GEMMs' \
             'fused random BK_FUSED_NO_TMA cp.async-fed wgmma GEMMs' 'fused random-d32 BK_FUSED_NO_TMA cp.async-fed wgmma GEMMs' | of_variant | slice)
  wait
  { echo "| variant | scenario | shape | judged against | exit | passed | first failing tensor | files |"
    echo "|---|---|---|---|---|---|---|---|"
    cat "$out"/verify/*.row; } > "$out/summary.md"
  rm -f "$out"/verify/*.row
  log "verify: $(grep -c '^| .* | 0 | ' "$out/summary.md") of $index runs exit 0"
fi

if step isolation; then
  # Worker-process isolation and reruns on the GPU: a kernel that traps fails only its own run (named by its CUDA error
  # or signal), the honest variants rerun bit-identical (souffle's declared fp32-atomic spread is reported, not failed).
  mkdir -p "$out/isolation"
  # Every non-test CUDA variant of the registry that runs the random scenario: 20 reruns in its default semantics.
  while read -r variant semantics; do
    "${harness[@]}" verify --variant "$variant" --scenario random --semantics "$semantics" --reruns 20 --device cuda \
      --json "$out/isolation/$variant-reruns.json" > "$out/isolation/$variant-reruns.txt" 2>&1
    log "isolation $variant reruns exit $?: $(grep -E '^(reruns|PASS|FAIL)' "$out/isolation/$variant-reruns.txt" | head -2 | tr '\n' ' ')"
  done < <(plan reruns)
  # The test-variants library's trapping kernel (a fixture of the isolation tests, not a variant under test).
  "${harness[@]}" verify --variant-lib "$test_variants" --variant cuda-faulty-trap --scenario small --worker-timeout 120 --device cuda \
    --json "$out/isolation/cuda-faulty-trap.json" > "$out/isolation/cuda-faulty-trap.txt" 2>&1
  log "isolation cuda-faulty-trap exit $?: $(grep -E '^(PASS|FAIL)' "$out/isolation/cuda-faulty-trap.txt" | head -1)"
  "${tests[@]}" --filter 'FullyQualifiedName~Harness.Tests.Isolation' --results-directory "$out/isolation" --report-trx \
    --report-trx-filename tests.trx > "$out/isolation/tests.log" 2>&1
  code=$?
  log "isolation tests exit $code: $(python3 "$root/scripts/test_counts.py" "$out/isolation/tests.trx" | awk '{print $1 " passed, " $2 " failed, " $3 " skipped"}')"
fi

if step mutants; then
  # The CPU mutation score (every cpu-mutant-*) and the CUDA one (libbk_cuda_mutants.so, BK_CUDA_MUTANTS=ON: reruns and
  # every compute-sanitizer tool per mutant).
  mkdir -p "$out/mutants"
  "${harness[@]}" mutants > "$out/mutants/cpu.txt" 2>&1
  log "mutants (CPU) exit $?: $(grep -E '^mutation score' "$out/mutants/cpu.txt")"
  "${harness[@]}" mutants --device cuda --sanitize --worker-timeout 300 > "$out/mutants/cuda.txt" 2>&1
  log "mutants (CUDA) exit $?: $(grep -E '^CUDA mutation score' "$out/mutants/cuda.txt")"
fi

if step sanitize; then
  # Every compute-sanitizer tool over a worker running the small case of each CUDA variant (this shard's slice).
  mkdir -p "$out/sanitize"
  while read -r variant; do
    "${harness[@]}" sanitize --variant "$variant" --worker-timeout 600 > "$out/sanitize/$variant.txt" 2>&1
    log "sanitize $variant exit $?: $(grep -E '^(memcheck|racecheck|initcheck|synccheck) ' "$out/sanitize/$variant.txt" | sed 's/ on .*): / /' | tr '\n' ';')"
  done < <(plan cuda | slice)
fi

if step soak; then
  # Fresh seeds over each CUDA variant's registered shapes (scenarios within its limits), this shard's slice of the cases.
  mkdir -p "$out/soak"
  while read -r variant; do
    "${harness[@]}" soak --variant "$variant" --seeds "${GPU_RUN_SOAK_SEEDS:-50}" --shard "$shard" \
      --json "$out/soak/$variant.json" > "$out/soak/$variant.txt" 2>&1
    log "soak $variant shard $shard exit $?: $(grep -Eo 'false alarms: [0-9]+' "$out/soak/$variant.txt")"
  done < <(plan cuda)
fi

if step bench; then
  # Every non-test CUDA variant over B in {1,8} x S in {128,384,512} within its limits, with the floor, the TorchSharp
  # peer and the PyTorch peers (scripts/bench_peers.py), then the timer's own overhead on cuda-empty.
  # SM and memory clocks, power and throttle reasons every 100 ms while the bench runs (gpu-clocks.csv).
  nvidia-smi --query-gpu=timestamp,clocks.sm,clocks.mem,power.draw,temperature.gpu,clocks_event_reasons.active \
    --format=csv -lms 100 > "$out/gpu-clocks.csv" 2>&1 &
  sampler=$!
  "${harness[@]}" bench --device cuda "${only[@]}" --json "$out/bench.json" > "$out/bench.txt" 2>&1
  log "bench exit $?"
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
  "${harness[@]}" bench --device cuda "${only[@]}" --batch 1 --sequence 384 --all-outputs --no-python-peers \
    --json "$out/bench-all-outputs.json" > "$out/bench-all-outputs.txt" 2>&1
  log "bench --all-outputs exit $?"
  "${harness[@]}" bench --variant-lib "$test_variants" --variant cuda-empty \
    --no-python-peers --json "$out/bench-cuda-empty.json" > "$out/bench-cuda-empty.txt" 2>&1
  log "bench cuda-empty exit $?"
  # The bench's accuracy: the kernels of souffle-upstream (when built) timed one by one by ncu in the same run.
  if "${harness[@]}" variants 2>/dev/null | grep -q souffle-upstream && command -v ncu >/dev/null; then
    ncu --clock-control none --metrics gpu__time_duration.sum --csv --print-units base -k regex:fused_sqq --launch-skip 10 --launch-count 20 \
      "${harness[@]}" bench --variant souffle-upstream --batch 1 --sequence 384 --no-python-peers --samples 10 \
      > "$out/ncu-souffle-upstream.csv" 2> "$out/ncu-souffle-upstream.log"
    python3 "$root/scripts/kernel_durations.py" "$out/ncu-souffle-upstream.csv" > "$out/ncu-souffle-upstream.json"
    log "ncu souffle-upstream kernels: $(cat "$out/ncu-souffle-upstream.json")"
  fi
  cat "$out/bench.txt" "$out/bench-cuda-empty.txt"
fi
if step kernels && command -v ncu >/dev/null; then
  # Each variant's kernels one by one (ncu, B=1 S=384 unless GPU_RUN_KERNEL_BATCH/SEQUENCE say otherwise, output only): where the time of a run goes. GPU_RUN_KERNELS is a
  # regular expression for the variant's kernel names (default: every kernel, the reference's and peers' included).
  mkdir -p "$out/kernels"
  kernels=(); [ -n "${GPU_RUN_KERNELS:-}" ] && kernels=(-k "regex:$GPU_RUN_KERNELS")
  while read -r variant; do
    ncu --clock-control none --cache-control none --metrics gpu__time_duration.sum --csv --print-units base "${kernels[@]}" --launch-skip 50 --launch-count 100 \
      "${harness[@]}" bench --variant "$variant" --batch "${GPU_RUN_KERNEL_BATCH:-1}" --sequence "${GPU_RUN_KERNEL_SEQUENCE:-384}" --no-python-peers --samples 10 \
      > "$out/kernels/$variant.csv" 2> "$out/kernels/$variant.log"
    python3 "$root/scripts/kernel_durations.py" "$out/kernels/$variant.csv" > "$out/kernels/$variant.json"
    log "kernels of $variant (ncu): $(cat "$out/kernels/$variant.json")"
  done < <(plan cuda)
fi
# Exit 0 once the build and set-up worked (they exit 1 above): the steps' verdicts are in the logs and summary.
if [ -f "$out/summary.md" ]; then cat "$out/summary.md"; fi
