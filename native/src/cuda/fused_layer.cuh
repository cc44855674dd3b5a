// fused_layer.cuh — the BERT-layer geometry "souffle" uses on the device (the "fused" variant has its own kernels since 2026-11-26):
// the kernel dimensions, what a LayerNorm stage reads and writes, where each warp's quadrant of the QKV projection
// and of Q.K^T comes from and where its elements go, and the P.V stage, the same in both but for the accumulator type.
//
// What stays in each variant is what makes it that variant: the epilogues (biases, scaling, softmax, activation,
// residual and LayerNorm numerics) and the accumulator type.
#pragma once

#include "fused_tiles.cuh"

#include <cstdint>

namespace bk::cuda::tiles {

// The only head size the fused kernels support: one block tile spans D.
constexpr int kHeadSize = kBlockTile;

// The dimensions both fused kernels read, as ints (D is kHeadSize). Invariant: the host checks keep every tensor
// below 2^31 elements, so no index computed from these overflows.
struct FusedDims {
    int batch;
    int seq;
    int heads;
    int intermediate;

    __host__ __device__ int rows() const { return batch * seq; }
    __host__ __device__ int width() const { return heads * kHeadSize; }
    __host__ __device__ int headCount() const { return batch * heads; }
    __host__ __device__ int seqTiles() const { return seq / kBlockTile; }
    __host__ __device__ int qkvTiles() const { return rows() / kBlockTile * (3 * width() / kBlockTile); }
    __host__ __device__ int scoreTiles() const { return headCount() * seqTiles() * seqTiles(); }
    __host__ __device__ int fc1Tiles() const { return rows() / kBlockTile * (intermediate / kBlockTile); }
};

// Where a residual-add and LayerNorm pair of stages writes: x = linear + residual (in Sum precision), the row sums
// sum x and sum x^2 (the canonical ln_sum and ln_sumsq), and the normalised rows y.
template <typename Sum>
struct NormTargets {
    Sum* residualSum;
    float* lnSum;
    float* lnSumsq;
    half* y;
};

// The LayerNorm parameters of the Souffle layer ("souffle"): eps inside the root (rounded to fp16 on use), scalar gamma
// and beta.
struct ScalarLayerNorm {
    float eps;
    float gamma;
    float beta;
};

// Where a staged quadrant of input . Wqkv belongs: its first token row, which of q, k, v, and its first column there.
struct QkvQuadrant {
    int row;
    int which;
    int col;
};

// Stages this warp's quadrant of block tile `tile` of input[B*S][M] . Wqkv, Wqkv stacked [3][M][M] in [in][out] order.
template <typename Acc>
__device__ QkvQuadrant stageQkvTile(const half* input, const half* qkvWeight, const FusedDims& dims, int tile, Acc* area)
{
    const int width = dims.width();
    const Quadrant stacked = quadrantOf(tile, 3 * width / kBlockTile);
    const int which = stacked.col / width;
    const int col = stacked.col % width;
    gemmAndStage<wmma::row_major>(input + static_cast<int64_t>(stacked.row) * width, width,
                                  qkvWeight + static_cast<int64_t>(which) * width * width + col, width, 0, width, area);
    return QkvQuadrant{stacked.row, which, col};
}

// Index in attn.qkv [3][B*H][S][D] of projection `which` (0 q, 1 k, 2 v) at token row `row`, model column `col`.
__device__ inline int64_t qkvIndex(const FusedDims& dims, int which, int row, int col)
{
    const int b = row / dims.seq;
    const int s = row % dims.seq;
    const int64_t bh = static_cast<int64_t>(which) * dims.batch * dims.heads + b * dims.heads + col / kHeadSize;
    return (bh * dims.seq + s) * kHeadSize + col % kHeadSize;
}

// Where a staged quadrant of Q.K^T belongs: its (batch * H + head), first query row and first key column.
struct ScoreQuadrant {
    int head;
    int row;
    int col;
};

// Stages this warp's quadrant of block tile `tile` of the unscaled scores Q.K^T, tiles ordered (batch*head, i, j).
// K is read column-major out of attn.k [S][D], which is K^T.
template <typename Acc>
__device__ ScoreQuadrant stageScoreTile(const half* qkv, const FusedDims& dims, int tile, Acc* area)
{
    const int seqTiles = dims.seqTiles();
    const int bh = tile / (seqTiles * seqTiles);
    const int i0 = tile / seqTiles % seqTiles * kBlockTile + warpRowOffset();
    const int j0 = tile % seqTiles * kBlockTile + warpColOffset();
    const int64_t headBlock = static_cast<int64_t>(dims.seq) * kHeadSize;
    const half* q = qkv + bh * headBlock;
    const half* k = qkv + (dims.headCount() + bh) * headBlock;
    gemmAndStage<wmma::col_major>(q + static_cast<int64_t>(i0) * kHeadSize, kHeadSize, k + static_cast<int64_t>(j0) * kHeadSize,
                                  kHeadSize, 0, kHeadSize, area);
    return ScoreQuadrant{bh, i0, j0};
}

// attn.context[b][s][head*D + d] = probs . v per (batch, head), heads merged; tiles of 64 query rows by all of D.
template <typename Acc>
__device__ void contextStage(const half* probs, const half* qkv, half* context, const FusedDims& dims)
{
    const int seqTiles = dims.seqTiles();
    const int headCount = dims.headCount();
    const int tiles = headCount * seqTiles;
    const int width = dims.width();
    const int64_t headBlock = static_cast<int64_t>(dims.seq) * kHeadSize;
    Acc* area = warpStage<Acc>();
    for (int t = blockIdx.x; t < tiles; t += gridDim.x) {
        const int bh = t / seqTiles;
        const int i0 = t % seqTiles * kBlockTile + warpRowOffset();
        const int d0 = warpColOffset();
        const half* p = probs + static_cast<int64_t>(bh) * dims.seq * dims.seq;
        const half* v = qkv + (2 * headCount + bh) * headBlock;
        gemmAndStage<wmma::row_major>(p + static_cast<int64_t>(i0) * dims.seq, dims.seq, v + d0, kHeadSize, 0, dims.seq, area);
        const int b = bh / dims.heads;
        const int head = bh % dims.heads;
        for (int r = 0; r < kWarpTile; ++r)
            context[(static_cast<int64_t>(b) * dims.seq + i0 + r) * width + head * kHeadSize + d0 + laneIndex()] =
                toHalf(area[r * kStageStride + laneIndex()]);
        __syncwarp();
    }
}

}  // namespace bk::cuda::tiles
