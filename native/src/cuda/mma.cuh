// mma.cuh — the sm_80+ tensor-core primitives the fast kernels are built from: 16-byte cp.async copies into shared
// memory, ldmatrix fragment loads (plain and transposed) and mma.sync m16n8k16 with fp16 operands and fp32
// accumulators, written as inline PTX so that what runs is exactly what is written here (no wmma fragment
// layouts hidden behind the compiler).
//
// Fragment layouts (PTX ISA, "mma.m16n8k16" with .f16 A/B and .f32 C/D), for lane l = 4 * group + quad:
//   A (16x16, row-major): a0 = A[group][2q..2q+1], a1 = A[group+8][2q..], a2 = A[group][2q+8..], a3 = A[group+8][2q+8..]
//   B (16x8, "col"):      b0 = B[2q..2q+1][group], b1 = B[2q+8..2q+9][group]
//   C (16x8, fp32):       c0,c1 = C[group][2q..2q+1], c2,c3 = C[group+8][2q..2q+1]
// so a C fragment pair (columns 16j..16j+15) is, packed to fp16, an A fragment over k = 16j..16j+15: the property the
// attention kernel uses to feed probabilities straight from registers into P.V.
//
// Everything here needs sm_80 or newer. Compiled for an older architecture (a `native` build on an older GPU) each
// primitive traps instead, so the library still builds; the variants that use them refuse such a device before any
// launch (requireTensorCoreDevice).
#pragma once

#include "cuda_util.cuh"

#include <cuda_fp16.h>

#include <string>

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
#define BK_MMA_UNAVAILABLE 1
#endif

#include <cstdint>

namespace bk::cuda::mma {

__device__ __forceinline__ uint32_t sharedAddress(const void* pointer)
{
    return static_cast<uint32_t>(__cvta_generic_to_shared(pointer));
}

// 16 bytes global -> shared, bypassing L1 (.cg); both addresses 16-byte aligned.
__device__ __forceinline__ void copyAsync16(void* shared, const void* global)
{
#ifdef BK_MMA_UNAVAILABLE
    __trap();
#else
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(sharedAddress(shared)), "l"(global));
#endif
}

__device__ __forceinline__ void commitGroup()
{
#ifndef BK_MMA_UNAVAILABLE
    asm volatile("cp.async.commit_group;\n" ::);
#endif
}

// Waits until at most `Pending` committed groups of this thread are still in flight.
template <int Pending>
__device__ __forceinline__ void waitGroups()
{
#ifndef BK_MMA_UNAVAILABLE
    asm volatile("cp.async.wait_group %0;\n" ::"n"(Pending));
#endif
}

// Four 8x8 fp16 matrices; lane l gives the address of row (l % 8) of matrix (l / 8).
__device__ __forceinline__ void loadMatrix4(uint32_t (&r)[4], const void* rowAddress)
{
#ifdef BK_MMA_UNAVAILABLE
    r[0] = r[1] = r[2] = r[3] = 0;
    (void)rowAddress;
    __trap();
#else
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(sharedAddress(rowAddress)));
#endif
}

// The same, each 8x8 matrix transposed on the way (a row-major [k][n] tile becomes B fragments).
__device__ __forceinline__ void loadMatrix4Transposed(uint32_t (&r)[4], const void* rowAddress)
{
#ifdef BK_MMA_UNAVAILABLE
    r[0] = r[1] = r[2] = r[3] = 0;
    (void)rowAddress;
    __trap();
#else
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(sharedAddress(rowAddress)));
#endif
}

// c += a * b for one m16n8k16 tile, fp16 operands, fp32 accumulators.
__device__ __forceinline__ void mma16816(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1)
{
#ifdef BK_MMA_UNAVAILABLE
    (void)c;
    (void)a;
    (void)b0;
    (void)b1;
    __trap();
#else
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                 "{%0, %1, %2, %3};\n"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#endif
}

// Two floats rounded to nearest as one fp16 pair, low half first.
__device__ __forceinline__ uint32_t packHalf2(float low, float high)
{
    const __half2 pair = __floats2half2_rn(low, high);
    return *reinterpret_cast<const uint32_t*>(&pair);
}

// Fails with BK_ERR_DEVICE, before any launch, on a device older than sm_80 (two attribute queries per run, no sync).
inline void requireTensorCoreDevice(const char* variant)
{
    int device = 0;
    check(cudaGetDevice(&device), std::string(variant) + ": cudaGetDevice");
    int major = 0;
    int minor = 0;
    check(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device), std::string(variant) + ": compute capability");
    check(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device), std::string(variant) + ": compute capability");
    if (major < 8)
        fail(BK_ERR_DEVICE, std::string(variant) + ": needs compute capability 8.0 or newer (mma.sync m16n8k16, cp.async); device " +
                                std::to_string(device) + " is " + std::to_string(major) + "." + std::to_string(minor));
}

}  // namespace bk::cuda::mma
