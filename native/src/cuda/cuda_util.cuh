// cuda_util.cuh — what every CUDA variant needs around its kernels: error checks that turn a CUDA failure into
// bk::fail(BK_ERR_DEVICE, "<what>: <cuda error string>"), the end of a run (synchronous or not), the int32 index
// limit the kernels' arithmetic relies on, and a checked cooperative launch. Workspaces are in workspace.cuh.
//
// Shape limits, alignment (BK_ALIGNMENT_CUDA) and the workspace's presence and size are checked by the shims
// (api.cpp) before a run starts; what stays here is only what a kernel needs beyond those promises.
#pragma once

#include "variant.h"

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
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

inline bool isAsync(const bk_params& params)
{
    return (params.run_flags & BK_RUN_ASYNC) != 0;
}

inline int64_t modelWidth(const bk_dims& dims)
{
    return dims.heads * dims.head_size;
}

// The end of every run: a synchronous run waits for its stream; an asynchronous one returns with its work enqueued
// (errors during execution then surface at the caller's next synchronisation, as bert_kernels.h says).
inline void finishRun(const bk_params& params, const char* variant)
{
    if (isAsync(params)) return;
    check(cudaStreamSynchronize(streamOf(params)), std::string(variant) + ": cudaStreamSynchronize");
}

// Shape limits as registrations state them (bk_dim_limit: min, max, multiple_of).
constexpr bk_dim_limit anyValue() { return bk_dim_limit{0, 0, 0}; }
constexpr bk_dim_limit fixedValue(int64_t value) { return bk_dim_limit{value, value, 0}; }
constexpr bk_dim_limit multipleOf(int64_t step) { return bk_dim_limit{step, 0, step}; }
constexpr bk_shape_limits kAnyShape{anyValue(), anyValue(), anyValue(), anyValue(), anyValue(), anyValue()};

// "B=.., S=.., H=.., D=.., F=..": how a shape is named in error messages.
inline std::string describe(const bk_dims& dims)
{
    return "B=" + std::to_string(dims.batch) + ", S=" + std::to_string(dims.seq) + ", H=" + std::to_string(dims.heads) +
           ", D=" + std::to_string(dims.head_size) + ", F=" + std::to_string(dims.intermediate);
}

// Kernels index their tensors with int32 arithmetic; every element count in `counts` must stay below 2^31. A limit on a
// product of dimensions, which bk_shape_limits cannot state, so the variants check it themselves (in their workspace
// function too, so that bk_workspace_size refuses what bk_run would).
inline void requireInt32Indexable(const bk_dims& dims, std::initializer_list<int64_t> counts, const char* variant)
{
    for (const int64_t count : counts)
        if (count >= (int64_t{1} << 31))
            fail(BK_ERR_UNSUPPORTED_SHAPE, std::string(variant) + ": a tensor of " + describe(dims) + " has 2^31 elements or more");
}

// How many blocks of `kernel` fit one multiprocessor with `threads` threads and `sharedBytes` of dynamic shared memory,
// and how many multiprocessors the current device has. Worked out once per (kernel, device, threads, sharedBytes) —
// including the opt-in cudaFuncSetAttribute for more than 48 KiB of shared memory — and cached, so that a run in a
// timed loop or a CUDA graph capture makes no device query after the first. Fails when the device cannot launch the
// kernel cooperatively at all.
struct Residency {
    int blocksPerMultiprocessor;
    int multiprocessors;
};

inline Residency cooperativeResidency(const void* kernel, int threads, size_t sharedBytes, const std::string& what)
{
    struct Entry {
        const void* kernel;
        int device;
        int threads;
        size_t sharedBytes;
        Residency residency;
    };
    static std::mutex mutex;
    // A vector, not a std::map: nvcc 11.8's front end with clang-14 fails on libstdc++ 12's map::emplace.
    static std::vector<Entry> entries;

    int device = 0;
    check(cudaGetDevice(&device), what + ": cudaGetDevice");
    std::lock_guard<std::mutex> lock(mutex);
    for (const Entry& entry : entries)
        if (entry.kernel == kernel && entry.device == device && entry.threads == threads && entry.sharedBytes == sharedBytes)
            return entry.residency;

    int cooperative = 0;
    check(cudaDeviceGetAttribute(&cooperative, cudaDevAttrCooperativeLaunch, device), what + ": query of cudaDevAttrCooperativeLaunch");
    if (cooperative == 0) fail(BK_ERR_DEVICE, what + ": the device does not support cooperative launches");
    int sharedLimit = 0;
    check(cudaDeviceGetAttribute(&sharedLimit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device),
          what + ": query of cudaDevAttrMaxSharedMemoryPerBlockOptin");
    if (sharedBytes > static_cast<size_t>(sharedLimit))
        fail(BK_ERR_DEVICE, what + ": needs " + std::to_string(sharedBytes) + " bytes of dynamic shared memory, the device allows " +
                                std::to_string(sharedLimit));
    check(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(sharedBytes)),
          what + ": cudaFuncSetAttribute(MaxDynamicSharedMemorySize)");
    Residency residency{0, 0};
    check(cudaDeviceGetAttribute(&residency.multiprocessors, cudaDevAttrMultiProcessorCount, device),
          what + ": query of cudaDevAttrMultiProcessorCount");
    check(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&residency.blocksPerMultiprocessor, kernel, threads, sharedBytes),
          what + ": cudaOccupancyMaxActiveBlocksPerMultiprocessor");
    if (residency.blocksPerMultiprocessor == 0)
        fail(BK_ERR_DEVICE, what + ": not one block of " + std::to_string(threads) + " threads with " + std::to_string(sharedBytes) +
                                " bytes of shared memory fits a multiprocessor");
    entries.push_back(Entry{kernel, device, threads, sharedBytes, residency});
    return residency;
}

// Launches `kernel` cooperatively with `grid` blocks of `threads` after checking that they are all co-resident
// (grid.sync() would hang otherwise), then checks the launch. `args` as cudaLaunchCooperativeKernel takes them.
inline void launchCooperativeGrid(const void* kernel, void** args, int grid, int threads, size_t sharedBytes, cudaStream_t stream,
                                  const std::string& what)
{
    const Residency residency = cooperativeResidency(kernel, threads, sharedBytes, what);
    if (grid < 1 || grid > residency.blocksPerMultiprocessor * residency.multiprocessors)
        fail(BK_ERR_DEVICE, what + ": a grid of " + std::to_string(grid) + " blocks is not co-resident (" +
                                std::to_string(residency.blocksPerMultiprocessor) + " per multiprocessor x " +
                                std::to_string(residency.multiprocessors) + " multiprocessors)");
    check(cudaLaunchCooperativeKernel(kernel, dim3(grid), dim3(threads), args, sharedBytes, stream), what + ": cudaLaunchCooperativeKernel");
    checkLaunch(what);
}

// Launches `kernel` cooperatively on as many co-resident blocks as useful (at most `usefulBlocks`, at most two per
// multiprocessor). Returns the grid size used.
template <typename Params>
int launchCooperative(void (*kernel)(Params), const Params& kernelParams, int threads, size_t sharedBytes, int usefulBlocks,
                      cudaStream_t stream, const std::string& what)
{
    const void* address = reinterpret_cast<const void*>(kernel);
    const Residency residency = cooperativeResidency(address, threads, sharedBytes, what);
    // More than two blocks per multiprocessor only lengthens every grid-wide barrier.
    const int perMultiprocessor = residency.blocksPerMultiprocessor < 2 ? residency.blocksPerMultiprocessor : 2;
    const int residentBlocks = residency.multiprocessors * perMultiprocessor;
    const int grid = usefulBlocks < residentBlocks ? usefulBlocks : residentBlocks;
    // The argument is copied by cudaLaunchCooperativeKernel before it returns (also while a graph is captured).
    Params copy = kernelParams;
    void* args[] = {&copy};
    launchCooperativeGrid(address, args, grid, threads, sharedBytes, stream, what);
    return grid;
}

}  // namespace bk::cuda
