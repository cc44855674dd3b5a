#!/usr/bin/env bash
# The whole GPU verification in one command, on a machine with an NVIDIA GPU:
#   scripts/gpu-run.sh OUTDIR
# 1. builds native/ with nvcc for the local GPU (CMake preset release);
# 2. finds libtorch: $LIBTORCH if set, else the python3 PyTorch install (torch/lib + its nvidia/*/lib folders);
# 3. runs the program and tests either from bundle/gpu-bundle.tar.xz (made by scripts/gpu-bundle.sh, for a machine
#    without .NET) or, when dotnet is on PATH and no bundle is present, straight from the sources;
# 4. runs the GPU test category, then `harness verify` for every CUDA variant x GPU scenario, writing logs,
#    JSON and reports under OUTDIR, and a summary table OUTDIR/summary.md.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:?usage: scripts/gpu-run.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "gpu-run: $*" | tee -a "$out/gpu-run.log"; }

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/gpu.txt" 2>&1 || true
log "GPU: $(cat "$out/gpu.txt")"

# 1. native library
cuda_arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '.')
cmake -S native -B native/build/release -DCMAKE_BUILD_TYPE=Release ${cuda_arch:+-DCMAKE_CUDA_ARCHITECTURES=$cuda_arch} > "$out/native-build.log" 2>&1 \
  && cmake --build native/build/release -j"$(nproc)" >> "$out/native-build.log" 2>&1 \
  || { log "native build failed (see native-build.log)"; tail -30 "$out/native-build.log"; exit 1; }
export HARNESS_NATIVE_LIB=$root/native/build/release/libbertkernels.so
log "native library: $HARNESS_NATIVE_LIB"

# 2. libtorch
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

# 4. GPU tests, then every CUDA variant x scenario
log "GPU test category"
"${tests[@]}" --treenode-filter '/*/*/*/*[Category=Gpu]' --results-directory "$out/tests" --report-trx > "$out/gpu-tests.log" 2>&1
log "GPU tests exit code $? (gpu-tests.log)"
tail -8 "$out/gpu-tests.log" | tee -a "$out/gpu-run.log"

"${harness[@]}" variants > "$out/variants.txt" 2>&1
scenarios=${GPU_SCENARIOS:-"small random constant-debug"}
{
  echo "| variant | scenario | semantics | exit | first failing tensor |"
  echo "|---|---|---|---|---|"
} > "$out/summary.md"
for variant in $(grep -Eo 'cuda-[a-z0-9-]+|souffle|fused' "$out/variants.txt" | sort -u); do
  for scenario in $scenarios; do
    for semantics in huggingface souffle; do
      name="$variant.$scenario.$semantics"
      "${harness[@]}" verify --variant "$variant" --scenario "$scenario" --semantics "$semantics" --device cuda \
        --json "$out/$name.json" --report "$out/reports/$name" > "$out/$name.txt" 2>&1
      code=$?
      first=$(grep -Eo 'first failing tensor: [a-z0-9_.]+' "$out/$name.txt" | head -1 | sed 's/.*: //')
      echo "| $variant | $scenario | $semantics | $code | ${first:--} |" >> "$out/summary.md"
    done
  done
done
"${harness[@]}" verify --variant souffle --against cpu-souffle --scenario constant-debug --device cuda \
  --json "$out/souffle-vs-cpu-souffle.json" > "$out/souffle-vs-cpu-souffle.txt" 2>&1
log "souffle vs cpu-souffle exit code $?"
"${harness[@]}" bench --device cuda > "$out/bench.txt" 2>&1
log "bench exit code $?"
cat "$out/summary.md"
