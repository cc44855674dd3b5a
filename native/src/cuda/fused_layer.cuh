// fused_layer.cuh — the BERT-layer geometry the cooperative "souffle" variant uses on the device (the "fused" variant
// has its own kernels since 2026-11-26): the kernel dimensions, what a LayerNorm stage reads and writes, the scalar
// LayerNorm parameters, and where an element of the stacked Q, K, V projection lives.
//
// What stays in the variant is what makes it that variant: the tiles, the epilogues (biases, scaling, softmax,
// activation, residual and LayerNorm numerics) and the accumulator type.
#pragma once

#include <cuda_fp16.h>

#include <cstdint>

namespace bk::cuda::tiles {

// The only head size the kernels support, and the multiple every tiled dimension (S, F, M = 64H) must be.
constexpr int kHeadSize = 64;
constexpr int kShapeMultiple = 64;

// The dimensions the kernels read, as ints (D is kHeadSize). Invariant: the host checks keep every tensor below 2^31
// elements, so no index computed from these overflows.
struct FusedDims {
    int batch;
    int seq;
    int heads;
    int intermediate;

    __host__ __device__ int rows() const { return batch * seq; }
    __host__ __device__ int width() const { return heads * kHeadSize; }
    __host__ __device__ int headCount() const { return batch * heads; }
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

// The LayerNorm parameters of the Souffle layer: eps inside the root (rounded to fp16 on use), scalar gamma and beta.
struct ScalarLayerNorm {
    float eps;
    float gamma;
    float beta;
};

// Index in attn.qkv [3][B*H][S][D] of projection `which` (0 q, 1 k, 2 v) at token row `row`, model column `col`.
__device__ inline int64_t qkvIndex(const FusedDims& dims, int which, int row, int col)
{
    const int b = row / dims.seq;
    const int s = row % dims.seq;
    const int64_t bh = static_cast<int64_t>(which) * dims.batch * dims.heads + b * dims.heads + col / kHeadSize;
    return (bh * dims.seq + s) * kHeadSize + col % kHeadSize;
}

}  // namespace bk::cuda::tiles
