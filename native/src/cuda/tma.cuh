// tma.cuh — the sm_90 bulk tensor copy (TMA) and shared-memory barrier (mbarrier) primitives of the `fused` GEMMs,
// as inline PTX like mma.cuh and wgmma.cuh, and the host side that describes a k-contiguous fp16 matrix to the copy
// engine.
//
// A tensor map names a row-major [rows][k] fp16 matrix in global memory and a box of 64 halfs (128 bytes) x R rows; one
// copy lands the box at a 1024-byte-aligned shared address with the 128-byte swizzle (CU_TENSOR_MAP_SWIZZLE_128B), the
// very layout wgmma.cuh's descriptors read: 16-byte chunk c of row r at r * 128 + ((c ^ (r % 8)) * 16). One thread
// issues a whole tile; the copy engine computes the addresses and signals a barrier's transaction count when the bytes
// have landed, so the waiting threads need no fence before wgmma reads them (both are the async proxy).
//
// Device primitives exist only when compiled for sm_90 or newer; elsewhere they trap, and the host selects them only
// through fused.cu's tmaMaps(), which succeeds only with BK_WITH_SM90A (CUDA 12 or newer, an sm_90a build).
#pragma once

#include "mma.cuh"

#include <cstdint>

#ifdef BK_WITH_SM90A
#include <cuda.h>
#endif

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
#define BK_TMA_AVAILABLE 1
#endif

namespace bk::cuda::tma {

// Makes the barrier at `barrier` expect `arrivals` arrivals per phase.
__device__ __forceinline__ void initBarrier(uint64_t* barrier, int arrivals)
{
#ifdef BK_TMA_AVAILABLE
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;\n" ::"r"(mma::sharedAddress(barrier)), "r"(arrivals) : "memory");
#else
    (void)barrier;
    (void)arrivals;
    __trap();
#endif
}

// Makes initialised barriers visible to the copy engine (the async proxy); a block barrier then extends it to the block.
__device__ __forceinline__ void fenceBarrierInit()
{
#ifdef BK_TMA_AVAILABLE
    asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
#else
    __trap();
#endif
}

// One arrival that also announces `bytes` more bytes the phase waits for (the copies that signal this barrier).
__device__ __forceinline__ void arriveExpectingBytes(uint64_t* barrier, uint32_t bytes)
{
#ifdef BK_TMA_AVAILABLE
    asm volatile(
        "{\n"
        ".reg .b64 state;\n"
        "mbarrier.arrive.expect_tx.shared::cta.b64 state, [%0], %1;\n"
        "}\n" ::"r"(mma::sharedAddress(barrier)),
        "r"(bytes)
        : "memory");
#else
    (void)barrier;
    (void)bytes;
    __trap();
#endif
}

__device__ __forceinline__ void arrive(uint64_t* barrier)
{
#ifdef BK_TMA_AVAILABLE
    asm volatile(
        "{\n"
        ".reg .b64 state;\n"
        "mbarrier.arrive.shared::cta.b64 state, [%0];\n"
        "}\n" ::"r"(mma::sharedAddress(barrier))
        : "memory");
#else
    (void)barrier;
    __trap();
#endif
}

// Waits until the phase of parity `parity` (0 for the barrier's first phase, then alternating) has completed.
__device__ __forceinline__ void waitPhase(uint64_t* barrier, uint32_t parity)
{
#ifdef BK_TMA_AVAILABLE
    const uint32_t address = mma::sharedAddress(barrier);
    uint32_t done = 0;
    while (!done) {
        asm volatile(
            "{\n"
            ".reg .pred complete;\n"
            "mbarrier.try_wait.parity.shared::cta.b64 complete, [%1], %2;\n"
            "selp.u32 %0, 1, 0, complete;\n"
            "}\n"
            : "=r"(done)
            : "r"(address), "r"(parity)
            : "memory");
    }
#else
    (void)barrier;
    (void)parity;
    __trap();
#endif
}

// Synchronises the `threads` threads (whole warps) that reach named barrier `id` (1 to 15; 0 is __syncthreads'):
// the consumer warps of a warp-specialised block, without its producer.
__device__ __forceinline__ void syncThreads(int id, int threads)
{
    asm volatile("bar.sync %0, %1;\n" ::"r"(id), "r"(threads) : "memory");
}

// Fetches a tensor map (a __grid_constant__ kernel parameter) into the copy engine's cache ahead of its first use.
__device__ __forceinline__ void prefetchMap(const void* map)
{
#ifdef BK_TMA_AVAILABLE
    asm volatile("prefetch.tensormap [%0];\n" ::"l"(reinterpret_cast<uint64_t>(map)) : "memory");
#else
    (void)map;
    __trap();
#endif
}

// Copies the box at (column k, row `row`) of the matrix `map` names to `target` (1024-byte aligned), and counts its
// bytes on `barrier`.
__device__ __forceinline__ void loadBox(void* target, const void* map, int k, int row, uint64_t* barrier)
{
#ifdef BK_TMA_AVAILABLE
    asm volatile(
        "cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3}], [%4];\n" ::"r"(
            mma::sharedAddress(target)),
        "l"(reinterpret_cast<uint64_t>(map)), "r"(k), "r"(row), "r"(mma::sharedAddress(barrier))
        : "memory");
#else
    (void)target;
    (void)map;
    (void)k;
    (void)row;
    (void)barrier;
    __trap();
#endif
}

}  // namespace bk::cuda::tma
