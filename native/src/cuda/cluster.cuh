// cluster.cuh — the sm_90 thread-block-cluster primitives of the `fused` GEMMs' LayerNorm epilogue: the block's rank in
// its cluster, the cluster-wide barrier, and reads of another block's shared memory (distributed shared memory), as
// inline PTX like tma.cuh.
//
// A block may read a cluster peer's shared memory only while the peer runs and after the peer's writes are ordered
// before the read: both are what the barrier gives (arrive has release, wait has acquire semantics by default), so the
// epilogue reads peers only between two barriers and waits on a last one before any block of the cluster exits.
// The barrier counts every non-exited thread of the cluster, so the producer warp of a copy-engine kernel takes part.
//
// Device primitives exist only when compiled for sm_90 or newer; elsewhere they trap, and the host launches clusters
// only with BK_WITH_SM90A (fused.cu: normInEpilogue()).
#pragma once

#include "mma.cuh"

#include <cstdint>

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
#define BK_CLUSTER_AVAILABLE 1
#endif

namespace bk::cuda::cluster {

// This block's rank in its cluster (0 .. blocks per cluster - 1).
__device__ __forceinline__ uint32_t rank()
{
#ifdef BK_CLUSTER_AVAILABLE
    uint32_t value = 0;
    asm volatile("mov.u32 %0, %%cluster_ctarank;\n" : "=r"(value));
    return value;
#else
    __trap();
    return 0;
#endif
}

// The number of blocks in this block's cluster.
__device__ __forceinline__ uint32_t size()
{
#ifdef BK_CLUSTER_AVAILABLE
    uint32_t value = 0;
    asm volatile("mov.u32 %0, %%cluster_nctarank;\n" : "=r"(value));
    return value;
#else
    __trap();
    return 0;
#endif
}

// This thread's arrival at the cluster barrier (release: its earlier shared-memory writes become visible to the
// peers that wait).
__device__ __forceinline__ void arrive()
{
#ifdef BK_CLUSTER_AVAILABLE
    asm volatile("barrier.cluster.arrive;\n" ::: "memory");
#else
    __trap();
#endif
}

// Waits until every non-exited thread of the cluster has arrived (acquire).
__device__ __forceinline__ void wait()
{
#ifdef BK_CLUSTER_AVAILABLE
    asm volatile("barrier.cluster.wait;\n" ::: "memory");
#else
    __trap();
#endif
}

__device__ __forceinline__ void sync()
{
    arrive();
    wait();
}

// The float2 at `local` (this block's shared memory) in the shared memory of the cluster's block `peer`.
__device__ __forceinline__ float2 loadPeer(const float2* local, uint32_t peer)
{
#ifdef BK_CLUSTER_AVAILABLE
    uint32_t remote = 0;
    float2 value;
    asm volatile("mapa.shared::cluster.u32 %0, %1, %2;\n" : "=r"(remote) : "r"(mma::sharedAddress(local)), "r"(peer));
    asm volatile("ld.shared::cluster.v2.f32 {%0, %1}, [%2];\n" : "=f"(value.x), "=f"(value.y) : "r"(remote) : "memory");
    return value;
#else
    (void)local;
    (void)peer;
    __trap();
    return make_float2(0.0f, 0.0f);
#endif
}

}  // namespace bk::cuda::cluster
