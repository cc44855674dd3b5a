# Sourced by the GPU scripts (gpu-run.sh, gpu-final.sh, ncu-*.sh) from the repository root: the environment the
# harness needs on a GPU machine without .NET's libtorch. HARNESS_NATIVE_LIB defaults to the `cuda` preset's build;
# LIBTORCH (a libtorch lib folder) defaults to the python3 PyTorch install's, whose nvidia/*/lib folders join
# LD_LIBRARY_PATH too. Returns 1, LIBTORCH unset or empty, when no libtorch is found.
export HARNESS_NATIVE_LIB=${HARNESS_NATIVE_LIB:-$PWD/native/build/gpu/libbertkernels.so}
if [ -z "${LIBTORCH:-}" ]; then
  LIBTORCH=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null) || LIBTORCH=
fi
if [ -n "$LIBTORCH" ] && [ -d "$LIBTORCH" ]; then
  export LD_LIBRARY_PATH="$LIBTORCH:$(ls -d "$LIBTORCH"/../../nvidia/*/lib 2>/dev/null | tr '\n' ':')${LD_LIBRARY_PATH:-}"
else
  false
fi
