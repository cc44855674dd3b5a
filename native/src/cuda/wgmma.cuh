// wgmma.cuh — the sm_90a warpgroup tensor-core primitives of the `fused` GEMMs: shared-memory matrix descriptors for
// 128-byte-swizzled K-major tiles, wgmma.mma_async m64nNk16 (fp16 operands, fp32 accumulators) for N = 128 and 256,
// and the fences and batch waits around it, written as inline PTX like mma.cuh.
//
// Operand layout (PTX ISA, "Shared memory matrix layout", K-major, 128-byte swizzle): a tile of R rows x 64 halfs
// (128 bytes per row) starts 1024-byte aligned; the 16-byte chunk c of row r lives at r * 128 + ((c ^ (r % 8)) * 16).
// Eight rows make one 1024-byte swizzle atom (the descriptor's stride byte offset); the k-slice kk (16 halfs, 32 bytes)
// of an instruction starts kk * 32 bytes into the tile, and the hardware applies the swizzle to the absolute address,
// so the atoms must be 1024-byte aligned.
// Accumulators of m64nNk16 (fp32): thread t of the warpgroup holds, for n-block j (8 columns), d[4j], d[4j+1] at row
// 16 * (t / 32) + (t % 32) / 4, columns 8j + 2 * (t % 4) + {0, 1}, and d[4j+2], d[4j+3] eight rows below: per warp,
// the C layout of mma.sync m16n8k16 repeated over the n-blocks.
//
// Available only when compiled for sm_90a (CUDA 12 or newer; the architecture-specific features macro); elsewhere
// every primitive traps, and the host never selects a kernel that uses them (fused.cu: wgmmaDevice()).
#pragma once

#include "mma.cuh"

#include <cstdint>

#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
#define BK_WGMMA_AVAILABLE 1
#endif

namespace bk::cuda::wgmma {

constexpr int kSwizzleRowBytes = 128;   // one K-major row of 64 halfs
constexpr int kSwizzleAtomBytes = 1024; // eight rows

// Byte offset of 16-byte chunk `chunk` (0..7) of row `row` in a 128-byte-swizzled tile.
__device__ __forceinline__ int swizzledOffset(int row, int chunk) { return row * kSwizzleRowBytes + ((chunk ^ (row % 8)) * 16); }

// Descriptor of a K-major, 128-byte-swizzled operand starting at `tile` (inside a 1024-aligned atom row):
// start address >> 4 (bits 0-13), leading byte offset 16 >> 4 (unused by swizzled K-major layouts), stride byte
// offset 1024 >> 4 (bits 32-45), base offset 0, swizzle mode 1 = 128 bytes (bits 62-63).
__device__ __forceinline__ uint64_t descriptor(const void* tile)
{
    const uint64_t address = mma::sharedAddress(tile);
    return ((address & 0x3FFFF) >> 4) | (uint64_t{16 >> 4} << 16) | (uint64_t{kSwizzleAtomBytes >> 4} << 32) | (uint64_t{1} << 62);
}

// Orders this thread's earlier generic-proxy shared-memory writes (cp.async included) before later async-proxy reads
// (wgmma operands); a barrier then extends it to the block.
__device__ __forceinline__ void fenceSharedForAsync()
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
#else
    __trap();
#endif
}

// Before the first wgmma of a batch: orders earlier register accesses to the accumulators.
__device__ __forceinline__ void fenceOperands()
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
#else
    __trap();
#endif
}

__device__ __forceinline__ void commitBatch()
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
#else
    __trap();
#endif
}

// Waits until at most `Pending` committed batches of this warpgroup are still in flight.
template <int Pending>
__device__ __forceinline__ void waitBatches()
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.wait_group.sync.aligned %0;\n" ::"n"(Pending) : "memory");
#else
    __trap();
#endif
}

// d += A . B^T for a 64 x N x 16 step: A 64 rows and B N rows, both K-major in shared memory (descriptors above).
__device__ __forceinline__ void multiply128(float (&d)[64], uint64_t a, uint64_t b)
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile(
        "wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16 "
        "{" 
        "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, "
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, "
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, "
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63"
        "}, %64, %65, 1, 1, 1, 0, 0;\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]),
          "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]),
          "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]),
          "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31]),
          "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]), "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]),
          "+f"(d[40]), "+f"(d[41]), "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]),
          "+f"(d[48]), "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]),
          "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63])
        : "l"(a), "l"(b));
#else
    (void)d;
    (void)a;
    (void)b;
    __trap();
#endif
}

__device__ __forceinline__ void multiply256(float (&d)[128], uint64_t a, uint64_t b)
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile(
        "wgmma.mma_async.sync.aligned.m64n256k16.f32.f16.f16 "
        "{" 
        "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, "
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, "
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, "
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63, "
        "%64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79, "
        "%80, %81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95, "
        "%96, %97, %98, %99, %100, %101, %102, %103, %104, %105, %106, %107, %108, %109, %110, %111, "
        "%112, %113, %114, %115, %116, %117, %118, %119, %120, %121, %122, %123, %124, %125, %126, %127"
        "}, %128, %129, 1, 1, 1, 0, 0;\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]),
          "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]),
          "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]),
          "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31]),
          "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]), "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]),
          "+f"(d[40]), "+f"(d[41]), "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]),
          "+f"(d[48]), "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]),
          "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63]),
          "+f"(d[64]), "+f"(d[65]), "+f"(d[66]), "+f"(d[67]), "+f"(d[68]), "+f"(d[69]), "+f"(d[70]), "+f"(d[71]),
          "+f"(d[72]), "+f"(d[73]), "+f"(d[74]), "+f"(d[75]), "+f"(d[76]), "+f"(d[77]), "+f"(d[78]), "+f"(d[79]),
          "+f"(d[80]), "+f"(d[81]), "+f"(d[82]), "+f"(d[83]), "+f"(d[84]), "+f"(d[85]), "+f"(d[86]), "+f"(d[87]),
          "+f"(d[88]), "+f"(d[89]), "+f"(d[90]), "+f"(d[91]), "+f"(d[92]), "+f"(d[93]), "+f"(d[94]), "+f"(d[95]),
          "+f"(d[96]), "+f"(d[97]), "+f"(d[98]), "+f"(d[99]), "+f"(d[100]), "+f"(d[101]), "+f"(d[102]), "+f"(d[103]),
          "+f"(d[104]), "+f"(d[105]), "+f"(d[106]), "+f"(d[107]), "+f"(d[108]), "+f"(d[109]), "+f"(d[110]), "+f"(d[111]),
          "+f"(d[112]), "+f"(d[113]), "+f"(d[114]), "+f"(d[115]), "+f"(d[116]), "+f"(d[117]), "+f"(d[118]), "+f"(d[119]),
          "+f"(d[120]), "+f"(d[121]), "+f"(d[122]), "+f"(d[123]), "+f"(d[124]), "+f"(d[125]), "+f"(d[126]), "+f"(d[127])
        : "l"(a), "l"(b));
#else
    (void)d;
    (void)a;
    (void)b;
    __trap();
#endif
}

}  // namespace bk::cuda::wgmma
