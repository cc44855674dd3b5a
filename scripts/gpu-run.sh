#!/usr/bin/env bash
# The whole GPU verification in one command, on a machine with an NVIDIA GPU:
#   scripts/gpu-run.sh OUTDIR
# 1. builds native/ with nvcc for the local GPU and runs its CTest check;
# 2. finds libtorch: $LIBTORCH if set, else the python3 PyTorch install (torch/lib + its nvidia/*/lib folders);
# 3. runs the program and tests from bundle/gpu-bundle.tar.xz (made by scripts/gpu-bundle.sh, for a machine without
#    .NET) or, when no bundle is present and dotnet is on PATH, straight from the sources;
# 4. runs the GPU test category, `harness verify` for every CUDA variant x GPU scenario, the souffle-vs-cpu-souffle
#    comparison and the benchmark, writing logs, JSON and a summary table OUTDIR/summary.md.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:?usage: scripts/gpu-run.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "gpu-run: $*" | tee -a "$out/gpu-run.log"; }
[ -d /usr/local/cuda/bin ] && export PATH=/usr/local/cuda/bin:$PATH

nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader > "$out/gpu.txt" 2>&1 || true
log "GPU: $(cat "$out/gpu.txt")"
log "nvcc: $(nvcc --version 2>/dev/null | tail -1)"

# 1. native library for this GPU
arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '.')
cmake -S native -B native/build/gpu -DCMAKE_BUILD_TYPE=Release ${arch:+-DCMAKE_CUDA_ARCHITECTURES=$arch} > "$out/native-build.log" 2>&1 \
  && cmake --build native/build/gpu -j"$(nproc)" >> "$out/native-build.log" 2>&1 \
  || { log "native build failed (native-build.log)"; tail -30 "$out/native-build.log"; exit 1; }
grep -q "CUDA variants enabled" "$out/native-build.log" || { log "CMake found no CUDA compiler"; exit 1; }
ctest --test-dir native/build/gpu --output-on-failure > "$out/native-ctest.log" 2>&1
log "native ctest exit $?"
export HARNESS_NATIVE_LIB=$root/native/build/gpu/libbertkernels.so

# 2. libtorch with CUDA
if [ -z "${LIBTORCH:-}" ]; then
  LIBTORCH=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null) || true
fi
[ -n "${LIBTORCH:-}" ] && [ -d "$LIBTORCH" ] || { log "no libtorch found: set LIBTORCH to a libtorch lib folder"; exit 1; }
nvlibs=$(ls -d "$LIBTORCH"/../../nvidia/*/lib 2>/dev/null | tr '\n' ':')
export LD_LIBRARY_PATH="$LIBTORCH:${nvlibs}${LD_LIBRARY_PATH:-}"
log "libtorch: $LIBTORCH"

# 3. program and tests
if [ -f bundle/gpu-bundle.tar.xz ]; then
  app=/tmp/harness-app
  rm -rf "$app" && mkdir -p "$app" && tar -C "$app" --strip-components=1 -xJf bundle/gpu-bundle.tar.xz
  harness=("$app/harness")
  tests=("$app/Harness.Tests")
else
  dotnet build Harness.Tests -c Release -p:HarnessNoLibTorchCpu=true -p:HarnessSkipNative=true -v:q > "$out/dotnet-build.log" 2>&1 \
    || { log "dotnet build failed"; exit 1; }
  harness=(dotnet "$root/Harness/bin/Release/net10.0/harness.dll")
  tests=(dotnet "$root/Harness.Tests/bin/Release/net10.0/Harness.Tests.dll")
fi
"${harness[@]}" variants > "$out/variants.txt" 2>&1
log "variants exit $? ($(grep -c '│ cuda' "$out/variants.txt") cuda rows)"

# 4. GPU tests, verifications, benchmark
log "GPU test category"
"${tests[@]}" --filter 'TestCategory=Gpu' > "$out/gpu-tests.log" 2>&1
log "GPU tests exit $?: $(grep -E 'total:|succeeded:|failed:|skipped:' "$out/gpu-tests.log" | tr -s ' \n' ' ')"

runs=${GPU_RUNS:-"cuda-reference:small:huggingface cuda-reference:small:souffle cuda-reference:random:huggingface cuda-reference:random:souffle cuda-reference:constant-debug:huggingface fused:random:huggingface fused:constant-debug:huggingface fused:padded-384:huggingface souffle:random:souffle souffle:constant-debug:souffle souffle:constant-debug:huggingface"}
{ echo "| variant | scenario | judged against | exit | passed | first failing tensor |"; echo "|---|---|---|---|---|---|"; } > "$out/summary.md"
for run in $runs; do
  IFS=: read -r variant scenario semantics <<< "$run"
  name="$variant.$scenario.$semantics"
  "${harness[@]}" verify --variant "$variant" --scenario "$scenario" --semantics "$semantics" --device cuda \
    --json "$out/verify/$name.json" > "$out/verify-$name.txt" 2>&1
  code=$?
  first=$(grep -Eo 'first failing tensor: [a-z0-9_.]+' "$out/verify-$name.txt" | head -1 | sed 's/.*: //')
  passed=$(grep -c '│ pass ' "$out/verify-$name.txt"); failed=$(grep -c '│ FAIL ' "$out/verify-$name.txt")
  echo "| $variant | $scenario | $semantics | $code | $passed of $((passed + failed)) | ${first:--} |" >> "$out/summary.md"
done
for scenario in constant-debug random; do
  "${harness[@]}" verify --variant souffle --against cpu-souffle --scenario "$scenario" --semantics souffle --device cuda \
    --json "$out/verify/souffle-vs-cpu-souffle.$scenario.json" > "$out/verify-souffle-vs-cpu-souffle.$scenario.txt" 2>&1
  echo "| souffle vs cpu-souffle | $scenario | souffle | $? | | |" >> "$out/summary.md"
done
# The seed case on the GPU: the Souffle kernels judged as a Hugging Face layer, diagnosed, with the report.
"${harness[@]}" verify --variant souffle --scenario seed-case --semantics huggingface --device cuda \
  --report "$out/reports/souffle-seed-case" --compare-with activation-override --json "$out/verify/souffle.seed-case.huggingface.json" \
  > "$out/verify-souffle.seed-case.huggingface.txt" 2>&1
log "souffle seed case exit $? (report in reports/souffle-seed-case)"
# Bench: every non-test CUDA variant over B in {1,8} x S in {128,384,512} within its limits, with the floor, the
# TorchSharp peer and the PyTorch peers (scripts/bench_peers.py), then the timer's own overhead on cuda-empty.
"${harness[@]}" bench --device cuda --json "$out/bench.json" > "$out/bench.txt" 2>&1
log "bench exit $?"
"${harness[@]}" bench --variant-lib "$(dirname "$HARNESS_NATIVE_LIB")/libbk_test_variants.so" --variant cuda-empty --no-python-peers \
  --json "$out/bench-cuda-empty.json" > "$out/bench-cuda-empty.txt" 2>&1
log "bench cuda-empty exit $?"
cat "$out/summary.md" "$out/bench.txt" "$out/bench-cuda-empty.txt"
