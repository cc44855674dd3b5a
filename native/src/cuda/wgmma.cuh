// wgmma.cuh — the sm_90a warpgroup tensor-core primitives of the `fused` GEMMs: shared-memory matrix descriptors for
// 128-byte-swizzled K-major tiles, wgmma.mma_async m64nNk16 (fp16 operands, fp32 accumulators) for N = 64, 128, 192 and
// 256, the attention's m64n64k16 forms (A from registers, B MN-major), and the fences and batch waits around them,
// written as inline PTX like mma.cuh.
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

// The accumulator operands of one instruction, written once: register names "%i" (the instruction's text) and the
// matching "+f" constraints (its operand list), in runs of 16; the two descriptors follow the accumulators.
#define BK_WGMMA_NAMES_16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)                                               \
    "%" #a ", %" #b ", %" #c ", %" #d ", %" #e ", %" #f ", %" #g ", %" #h ", %" #i ", %" #j ", %" #k ", %" #l ", %" #m \
    ", %" #n ", %" #o ", %" #p
#define BK_WGMMA_NAMES_0 BK_WGMMA_NAMES_16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
#define BK_WGMMA_NAMES_1 BK_WGMMA_NAMES_16(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31)
#define BK_WGMMA_NAMES_2 BK_WGMMA_NAMES_16(32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47)
#define BK_WGMMA_NAMES_3 BK_WGMMA_NAMES_16(48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63)
#define BK_WGMMA_NAMES_4 BK_WGMMA_NAMES_16(64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79)
#define BK_WGMMA_NAMES_5 BK_WGMMA_NAMES_16(80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95)
#define BK_WGMMA_NAMES_6 BK_WGMMA_NAMES_16(96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111)
#define BK_WGMMA_NAMES_7 BK_WGMMA_NAMES_16(112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127)
#define BK_WGMMA_D4(b) "+f"(d[(b)]), "+f"(d[(b) + 1]), "+f"(d[(b) + 2]), "+f"(d[(b) + 3])
#define BK_WGMMA_D16(b) BK_WGMMA_D4(b), BK_WGMMA_D4((b) + 4), BK_WGMMA_D4((b) + 8), BK_WGMMA_D4((b) + 12)
// The instruction's text after its name: accumulators, then the A and B descriptors (operands %A and %B), then
// scale-d = 1 (accumulate), scale-a = scale-b = 1, both operands K-major (no transpose).
#define BK_WGMMA_TAIL(names, a, b) "{" names "}, %" #a ", %" #b ", 1, 1, 1, 0, 0;\n"

// Where wgmma does not exist the multiplies trap (the host never selects their kernels there).
template <typename... Operands>
__device__ __forceinline__ void unavailable(const Operands&...)
{
    __trap();
}

// d += A . B^T for a 64 x N x 16 step: A 64 rows and B N rows, both K-major in shared memory (descriptors above).
__device__ __forceinline__ void multiply64(float (&d)[32], uint64_t a, uint64_t b)
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 " BK_WGMMA_TAIL(BK_WGMMA_NAMES_0 ", " BK_WGMMA_NAMES_1, 32, 33)
                 : BK_WGMMA_D16(0), BK_WGMMA_D16(16)
                 : "l"(a), "l"(b));
#else
    unavailable(d, a, b);
#endif
}

__device__ __forceinline__ void multiply128(float (&d)[64], uint64_t a, uint64_t b)
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16 " BK_WGMMA_TAIL(
                     BK_WGMMA_NAMES_0 ", " BK_WGMMA_NAMES_1 ", " BK_WGMMA_NAMES_2 ", " BK_WGMMA_NAMES_3, 64, 65)
                 : BK_WGMMA_D16(0), BK_WGMMA_D16(16), BK_WGMMA_D16(32), BK_WGMMA_D16(48)
                 : "l"(a), "l"(b));
#else
    unavailable(d, a, b);
#endif
}

__device__ __forceinline__ void multiply192(float (&d)[96], uint64_t a, uint64_t b)
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.mma_async.sync.aligned.m64n192k16.f32.f16.f16 " BK_WGMMA_TAIL(
                     BK_WGMMA_NAMES_0 ", " BK_WGMMA_NAMES_1 ", " BK_WGMMA_NAMES_2 ", " BK_WGMMA_NAMES_3 ", " BK_WGMMA_NAMES_4
                                      ", " BK_WGMMA_NAMES_5,
                     96, 97)
                 : BK_WGMMA_D16(0), BK_WGMMA_D16(16), BK_WGMMA_D16(32), BK_WGMMA_D16(48), BK_WGMMA_D16(64), BK_WGMMA_D16(80)
                 : "l"(a), "l"(b));
#else
    unavailable(d, a, b);
#endif
}

__device__ __forceinline__ void multiply256(float (&d)[128], uint64_t a, uint64_t b)
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.mma_async.sync.aligned.m64n256k16.f32.f16.f16 " BK_WGMMA_TAIL(
                     BK_WGMMA_NAMES_0 ", " BK_WGMMA_NAMES_1 ", " BK_WGMMA_NAMES_2 ", " BK_WGMMA_NAMES_3 ", " BK_WGMMA_NAMES_4
                                      ", " BK_WGMMA_NAMES_5 ", " BK_WGMMA_NAMES_6 ", " BK_WGMMA_NAMES_7,
                     128, 129)
                 : BK_WGMMA_D16(0), BK_WGMMA_D16(16), BK_WGMMA_D16(32), BK_WGMMA_D16(48), BK_WGMMA_D16(64), BK_WGMMA_D16(80),
                   BK_WGMMA_D16(96), BK_WGMMA_D16(112)
                 : "l"(a), "l"(b));
#else
    unavailable(d, a, b);
#endif
}

// The attention's 64 x 64 products keep their accumulators as eight n-blocks of four (mma.sync's C fragments, the
// same registers per thread as the flat array above): d[j][0..3] is n-block j.
#define BK_WGMMA_F4(j) "+f"(d[j][0]), "+f"(d[j][1]), "+f"(d[j][2]), "+f"(d[j][3])
#define BK_WGMMA_F32 BK_WGMMA_F4(0), BK_WGMMA_F4(1), BK_WGMMA_F4(2), BK_WGMMA_F4(3), BK_WGMMA_F4(4), BK_WGMMA_F4(5), BK_WGMMA_F4(6), BK_WGMMA_F4(7)

// d += A . B^T for a 64 x 64 x 16 step, both operands K-major in shared memory: the attention's scores Q . K^T.
__device__ __forceinline__ void multiply64(float (&d)[8][4], uint64_t a, uint64_t b)
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 " BK_WGMMA_TAIL(BK_WGMMA_NAMES_0 ", " BK_WGMMA_NAMES_1, 32, 33)
                 : BK_WGMMA_F32
                 : "l"(a), "l"(b));
#else
    unavailable(d, a, b);
#endif
}

// d += A . B for a 64 x 64 x 16 step with A in registers (each warp its 16 rows as an mma.sync m16n8k16 A fragment)
// and B MN-major in shared memory (imm-trans-b = 1: a [k][n] tile, n contiguous, 128-byte swizzled): the attention's
// P . V with P from the softmax's registers and V as it lies, [key][d]. In the MN-major canonical layout a swizzle atom
// is eight k rows of 64 n; the stride byte offset steps between atoms along k, the leading one along n (unused when
// n = 64), so `descriptor` describes an MN-major [k][64] tile as well.
__device__ __forceinline__ void multiply64RegisterA(float (&d)[8][4], const uint32_t (&a)[4], uint64_t b)
{
#ifdef BK_WGMMA_AVAILABLE
    asm volatile("wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {" BK_WGMMA_NAMES_0 ", " BK_WGMMA_NAMES_1
                 "}, {%32, %33, %34, %35}, %36, 1, 1, 1, 1;\n"
                 : BK_WGMMA_F32
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b));
#else
    unavailable(d, a, b);
#endif
}

}  // namespace bk::cuda::wgmma
