// fused_tiles.cuh — the tile machinery of the cooperative "souffle" variant: one warp's
// 32x32 tensor-core GEMM tile with a chosen accumulator type, and the staging of its accumulators through shared
// memory so that an epilogue sees them element by element (lane = column, one row at a time).
//
// Every block has 4 warps; a 64x64 block tile gives each warp one 32x32 quadrant (2x2 wmma 16x16x16 fragments).
// Fragments are loaded straight from global memory (L1/L2 serve the re-reads): simpler than a shared-memory
// pipeline, and the accumulation order — k ascending in steps of 16, one mma per step — is what the numerics
// of both variants depend on, not the load path.
#pragma once

#include <cuda_fp16.h>
#include <mma.h>

#include <type_traits>

namespace bk::cuda::tiles {

namespace wmma = nvcuda::wmma;

constexpr int kWarps = 4;
constexpr int kThreads = kWarps * 32;
constexpr int kBlockTile = 64;
constexpr int kWarpTile = 32;
constexpr int kFragment = 16;
// Row stride of a warp's staging area: 32 columns plus 8 of padding against bank conflicts; a multiple of 8 halves
// and of 4 floats, as store_matrix_sync requires, and it keeps every fragment 32-byte aligned.
constexpr int kStageStride = kWarpTile + 8;

template <typename Acc>
using Accumulators = wmma::fragment<wmma::accumulator, kFragment, kFragment, kFragment, Acc>[2][2];

template <typename Acc>
constexpr size_t stageBytesPerWarp()
{
    return sizeof(Acc) * kWarpTile * kStageStride;
}

// acc (+)= A[0:32, kBegin:kEnd] . B[kBegin:kEnd, 0:32], where A is row-major with leading dimension lda and B is
// either row-major [k][n] (ldb = row length) or column-major, i.e. stored [n][k] (ldb = row length of that
// storage): the second is how K^T is read out of K[s][d]. k advances 16 at a time: each mma_sync adds one group
// of 16 products to the accumulator, which for half accumulators is one fp16 rounding per group.
template <typename BLayout, typename Acc>
__device__ void warpGemm(const half* a, int lda, const half* b, int ldb, int kBegin, int kEnd, Accumulators<Acc>& acc)
{
    wmma::fragment<wmma::matrix_a, kFragment, kFragment, kFragment, half, wmma::row_major> aFrag[2];
    wmma::fragment<wmma::matrix_b, kFragment, kFragment, kFragment, half, BLayout> bFrag[2];
    for (int k = kBegin; k < kEnd; k += kFragment) {
        for (int i = 0; i < 2; ++i) wmma::load_matrix_sync(aFrag[i], a + static_cast<int64_t>(i * kFragment) * lda + k, lda);
        for (int j = 0; j < 2; ++j) {
            if constexpr (std::is_same<BLayout, wmma::row_major>::value)
                wmma::load_matrix_sync(bFrag[j], b + static_cast<int64_t>(k) * ldb + j * kFragment, ldb);
            else
                wmma::load_matrix_sync(bFrag[j], b + static_cast<int64_t>(j * kFragment) * ldb + k, ldb);
        }
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[i][j], aFrag[i], bFrag[j], acc[i][j]);
    }
}

template <typename Acc>
__device__ void zero(Accumulators<Acc>& acc)
{
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc[i][j], static_cast<Acc>(0.0f));
}

// Writes the warp's accumulators to its staging area [32][kStageStride]; the warp may read it after this returns.
template <typename Acc>
__device__ void stage(const Accumulators<Acc>& acc, Acc* area)
{
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
            wmma::store_matrix_sync(area + i * kFragment * kStageStride + j * kFragment, acc[i][j], kStageStride, wmma::mem_row_major);
    __syncwarp();
}

__device__ inline float warpSum(float value)
{
    for (int offset = 16; offset > 0; offset /= 2) value += __shfl_xor_sync(0xffffffffu, value, offset);
    return value;
}

__device__ inline float warpMax(float value)
{
    for (int offset = 16; offset > 0; offset /= 2) value = fmaxf(value, __shfl_xor_sync(0xffffffffu, value, offset));
    return value;
}

__device__ inline int warpIndex() { return static_cast<int>(threadIdx.x) / 32; }
__device__ inline int laneIndex() { return static_cast<int>(threadIdx.x) % 32; }

// The quadrant of a 64x64 block tile that this warp owns.
__device__ inline int warpRowOffset() { return (warpIndex() / 2) * kWarpTile; }
__device__ inline int warpColOffset() { return (warpIndex() % 2) * kWarpTile; }

// This warp's staging area [32][kStageStride] in the block's dynamic shared memory (kWarps areas of Acc).
template <typename Acc>
__device__ Acc* warpStage()
{
    extern __shared__ __align__(128) unsigned char shared[];
    return reinterpret_cast<Acc*>(shared) + warpIndex() * kWarpTile * kStageStride;
}

// Accumulates this warp's 32x32 tile of A . B over k in [kBegin, kEnd), starting from zero, and stages it in `area`.
template <typename BLayout, typename Acc>
__device__ void gemmAndStage(const half* a, int lda, const half* b, int ldb, int kBegin, int kEnd, Acc* area)
{
    Accumulators<Acc> acc;
    zero(acc);
    warpGemm<BLayout>(a, lda, b, ldb, kBegin, kEnd, acc);
    stage(acc, area);
}

// The first row and column of this warp's quadrant in block tile `tile` of a row-major grid `tilesPerRow` tiles wide.
struct Quadrant {
    int row;
    int col;
};

__device__ inline Quadrant quadrantOf(int tile, int tilesPerRow)
{
    return Quadrant{tile / tilesPerRow * kBlockTile + warpRowOffset(), tile % tilesPerRow * kBlockTile + warpColOffset()};
}

// Stages this warp's quadrant of block tile `tile` of A[rows][depth] . W[depth][cols] (both row-major, the full
// depth) and returns where it lies.
template <typename Acc>
__device__ Quadrant stageLinearTile(const half* a, const half* weight, int cols, int depth, int tile, Acc* area)
{
    const Quadrant quadrant = quadrantOf(tile, cols / kBlockTile);
    gemmAndStage<wmma::row_major>(a + static_cast<int64_t>(quadrant.row) * depth, depth, weight + quadrant.col, cols, 0, depth, area);
    return quadrant;
}

// How a staged accumulator is stored as an fp16 tensor element: float rounds to nearest even, half is kept.
__device__ inline half toHalf(float value) { return __float2half(value); }
__device__ inline half toHalf(half value) { return value; }

}  // namespace bk::cuda::tiles
