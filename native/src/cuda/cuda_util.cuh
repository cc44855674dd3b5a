// cuda_util.cuh — what every CUDA variant needs around its kernels: error checks that turn a CUDA failure into
// bk::fail(BK_ERR_DEVICE, "<what>: <cuda error string>"), the shape and alignment checks the kernels' index
// arithmetic and fragment loads rely on, and a checked cooperative launch. Workspaces are in workspace.cuh.
#pragma once

#include "variant.h"

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

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

inline void synchronize(const bk_params& params, const char* variant)
{
    check(cudaStreamSynchronize(streamOf(params)), std::string(variant) + ": cudaStreamSynchronize");
}

// "B=.., S=.., H=.., D=.., F=..": how a shape is named in error messages.
inline std::string describe(const bk_dims& dims)
{
    return "B=" + std::to_string(dims.batch) + ", S=" + std::to_string(dims.seq) + ", H=" + std::to_string(dims.heads) +
           ", D=" + std::to_string(dims.head_size) + ", F=" + std::to_string(dims.intermediate);
}

// Kernels index their tensors with int32 arithmetic; every element count in `counts` must stay below 2^31.
inline void requireInt32Indexable(const bk_dims& dims, std::initializer_list<int64_t> counts, const char* variant)
{
    for (const int64_t count : counts)
        if (count >= (int64_t{1} << 31))
            fail(BK_ERR_UNSUPPORTED_SHAPE, std::string(variant) + ": a tensor of " + describe(dims) + " has 2^31 elements or more");
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
