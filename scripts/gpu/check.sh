#!/usr/bin/env bash
# The GPU self-check of the native library: builds the CUDA variants, the C shims and registry, and
# native/tools/gpu_check into one executable with plain nvcc, then runs it (arguments are passed on; --quick
# skips the large shapes and the timing). Needs a CUDA GPU of compute capability >= 8.0 and nvcc >= 11.8.
#
# Environment:
#   BK_CUDA_ARCH    SM architecture to build for (default 90; 80 for an A100)
#   BK_BUILD_DIR    where the executable goes (default native/build-gpucheck)
#   BK_SHIM_DIR     directory whose *.cpp provide bk::Registrar and the bk_* shims, when native/src/api.cpp and
#                   native/src/registry.cpp are absent (default: none, which is then an error)
#   BK_HOST_CXX     host compiler for nvcc (default: nvcc's own choice)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
arch=${BK_CUDA_ARCH:-90}
build=${BK_BUILD_DIR:-$root/native/build-gpucheck}
mkdir -p "$build"

sources=("$root"/native/src/cuda/*.cu)
if [[ -f $root/native/src/api.cpp && -f $root/native/src/registry.cpp ]]; then
    # The library's own shims, registry, common code and CPU variants (so that cpu-reference and cpu-souffle are
    # compared too); every .cpp under native/src.
    while IFS= read -r file; do sources+=("$file"); done < <(find "$root/native/src" -name '*.cpp' | sort)
elif [[ -n ${BK_SHIM_DIR:-} ]]; then
    sources+=("$BK_SHIM_DIR"/*.cpp)
else
    echo "check.sh: native/src/api.cpp and native/src/registry.cpp are missing and BK_SHIM_DIR is not set" >&2
    exit 2
fi

host=()
if [[ -n ${BK_HOST_CXX:-} ]]; then host=(-ccbin "$BK_HOST_CXX"); fi

includes=(-I "$root/native/include" -I "$root/native/src")
if [[ -d $root/native/src/common ]]; then includes+=(-I "$root/native/src/common"); fi

echo "building gpu_check for sm_$arch from ${#sources[@]} sources"
nvcc "${host[@]}" -std=c++17 -O2 -lineinfo -gencode "arch=compute_$arch,code=sm_$arch" \
    -Xcompiler -Wall,-Wextra -Werror all-warnings "${includes[@]}" \
    "${sources[@]}" "$root/native/tools/gpu_check.cpp" -o "$build/gpu_check"

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv,noheader || true
"$build/gpu_check" "$@"
