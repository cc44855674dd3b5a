// cuda_util.cuh — what every CUDA variant needs around its kernels: error checks that turn a CUDA failure into
// bk::fail(BK_ERR_DEVICE, "<what>: <cuda error string>"), a per-device workspace cache, a checked cooperative
// launch, and the copy of the canonical tensors a caller asked for out of the workspace.
//
// Variants keep every intermediate in their own workspace and copy the requested tensors out at the end, so a
// null output pointer never changes what the kernels compute and a caller's buffer is never read back.
#pragma once

#include "variant.h"

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace bk::cuda {

inline void check(cudaError_t status, const std::string& what)
{
    if (status != cudaSuccess) fail(BK_ERR_DEVICE, what + ": " + cudaGetErrorString(status));
}

// Called right after every <<<...>>> launch: a bad configuration is only reported through the last error.
inline void checkLaunch(const std::string& what)
{
    check(cudaGetLastError(), "launch of " + what);
}

inline cudaStream_t streamOf(const bk_params& params)
{
    return static_cast<cudaStream_t>(params.stream);
}

inline int64_t modelWidth(const bk_dims& dims)
{
    return dims.heads * dims.head_size;
}

// One device buffer per device, grown on demand and reused across runs. The lease holds the lock for a whole run,
// so two threads running the same variant on one device never share the buffer while either is in flight.
class WorkspaceCache {
public:
    struct Lease {
        std::unique_lock<std::mutex> lock;
        char* base;
    };

    Lease acquire(size_t bytes, const std::string& variant)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        int device = 0;
        check(cudaGetDevice(&device), variant + ": cudaGetDevice");
        if (static_cast<size_t>(device) >= slots_.size()) slots_.resize(static_cast<size_t>(device) + 1);
        Slot& slot = slots_[static_cast<size_t>(device)];
        if (slot.bytes < bytes) {
            if (slot.base != nullptr) check(cudaFree(slot.base), variant + ": cudaFree of the old workspace");
            slot.base = nullptr;
            slot.bytes = 0;
            check(cudaMalloc(reinterpret_cast<void**>(&slot.base), bytes),
                  variant + ": cudaMalloc of " + std::to_string(bytes) + " bytes of workspace");
            slot.bytes = bytes;
        }
        return Lease{std::move(lock), slot.base};
    }

private:
    struct Slot {
        char* base = nullptr;
        size_t bytes = 0;
    };
    std::mutex mutex_;
    // A vector, not a std::map: nvcc 11.8's front end with clang-14 fails on libstdc++ 12's map::emplace.
    std::vector<Slot> slots_;
};

// Carves consecutive, 256-byte aligned regions out of one workspace; first used to measure, then to place.
class WorkspaceLayout {
public:
    explicit WorkspaceLayout(char* base) : base_(base) {}

    template <typename T>
    T* take(int64_t count)
    {
        // Invariant: every region starts 256-byte aligned, which covers the 32-byte alignment wmma loads need.
        const size_t offset = (used_ + 255) / 256 * 256;
        used_ = offset + static_cast<size_t>(count) * sizeof(T);
        return base_ == nullptr ? nullptr : reinterpret_cast<T*>(base_ + offset);
    }

    size_t bytes() const { return used_; }

private:
    char* base_;
    size_t used_ = 0;
};

// Copies workspace tensor `source` to params.outputs[tensor] when the caller asked for it.
inline void copyOut(const bk_params& params, int tensor, const void* source, size_t bytes, const char* variant)
{
    void* target = params.outputs[tensor];
    if (target == nullptr) return;
    check(cudaMemcpyAsync(target, source, bytes, cudaMemcpyDeviceToDevice, streamOf(params)),
          std::string(variant) + ": copy of output " + std::to_string(tensor));
}

inline void zeroAsync(void* buffer, size_t bytes, const bk_params& params, const std::string& what)
{
    check(cudaMemsetAsync(buffer, 0, bytes, streamOf(params)), "cudaMemsetAsync of " + what);
}

inline void synchronize(const bk_params& params, const char* variant)
{
    check(cudaStreamSynchronize(streamOf(params)), std::string(variant) + ": cudaStreamSynchronize");
}

// Wmma fragment loads read 32-byte aligned addresses; every tile offset is a multiple of 16 halves, so the base
// pointer is what must be aligned.
inline void requireAligned32(const void* pointer, const char* field, const char* variant)
{
    if (reinterpret_cast<uintptr_t>(pointer) % 32 != 0)
        fail(BK_ERR_INVALID_ARGUMENT,
             std::string(variant) + ": " + field + " is not 32-byte aligned (tensor-core fragment loads need it)");
}

// Launches `kernel` cooperatively on as many co-resident blocks as useful (at most `usefulBlocks`), after checking
// that the device supports cooperative launches, that `sharedBytes` of dynamic shared memory fit a block, and that
// at least one block fits a multiprocessor. Returns the grid size used.
template <typename Params>
int launchCooperative(void (*kernel)(Params), const Params& kernelParams, int threads, size_t sharedBytes,
                      int usefulBlocks, cudaStream_t stream, const std::string& what)
{
    int device = 0;
    check(cudaGetDevice(&device), what + ": cudaGetDevice");
    int cooperative = 0;
    check(cudaDeviceGetAttribute(&cooperative, cudaDevAttrCooperativeLaunch, device),
          what + ": query of cudaDevAttrCooperativeLaunch");
    if (cooperative == 0) fail(BK_ERR_DEVICE, what + ": the device does not support cooperative launches");

    int sharedLimit = 0;
    check(cudaDeviceGetAttribute(&sharedLimit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device),
          what + ": query of cudaDevAttrMaxSharedMemoryPerBlockOptin");
    if (sharedBytes > static_cast<size_t>(sharedLimit))
        fail(BK_ERR_DEVICE, what + ": needs " + std::to_string(sharedBytes) + " bytes of dynamic shared memory, the device allows " +
                                std::to_string(sharedLimit));
    check(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(sharedBytes)),
          what + ": cudaFuncSetAttribute(MaxDynamicSharedMemorySize)");

    int multiprocessors = 0;
    check(cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, device),
          what + ": query of cudaDevAttrMultiProcessorCount");
    int blocksPerMultiprocessor = 0;
    check(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocksPerMultiprocessor, kernel, threads, sharedBytes),
          what + ": cudaOccupancyMaxActiveBlocksPerMultiprocessor");
    if (blocksPerMultiprocessor == 0)
        fail(BK_ERR_DEVICE, what + ": not one block of " + std::to_string(threads) + " threads with " + std::to_string(sharedBytes) +
                                " bytes of shared memory fits a multiprocessor");

    // More than two blocks per multiprocessor only lengthens every grid-wide barrier.
    const int residentBlocks = multiprocessors * (blocksPerMultiprocessor < 2 ? blocksPerMultiprocessor : 2);
    const int grid = usefulBlocks < residentBlocks ? usefulBlocks : residentBlocks;
    // Invariant: grid <= blocksPerMultiprocessor * multiprocessors, so every block is co-resident and grid.sync() cannot hang.
    if (grid > blocksPerMultiprocessor * multiprocessors || grid < 1)
        fail(BK_ERR_DEVICE, what + ": grid of " + std::to_string(grid) + " blocks is not co-resident");

    Params copy = kernelParams;
    void* args[] = {&copy};
    check(cudaLaunchCooperativeKernel(reinterpret_cast<void*>(kernel), dim3(grid), dim3(threads), args, sharedBytes, stream),
          what + ": cudaLaunchCooperativeKernel");
    checkLaunch(what);
    return grid;
}

}  // namespace bk::cuda
