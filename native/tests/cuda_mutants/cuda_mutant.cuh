// cuda_mutant.cuh — the honest attention half of a Hugging Face BERT layer on the GPU that every CUDA mutant of
// libbk_cuda_mutants.so (CMake option BK_CUDA_MUTANTS, test-only) runs, with exactly one defect switched on by the
// mutant's source file (one file per Defect below, whose header says the defect and which check must catch it).
// Not a variant itself (the library globs *.cu).
//
// The pipeline, fp32 storage and double arithmetic inside each stage (as cuda-reference does, so that the honest
// pipeline stays within the float32 error budget):
//   1. one cooperative kernel: stage 1 projects Q, K, V ([3][B][H][S][D], attn.qkv) grid-stride; grid.sync();
//      stage 2 computes attn.scores = Q.K^T / sqrt(D) + mask[b][key] in 16x16 tiles staged through shared memory
//      (__syncthreads between loading a tile and reading it, and between reading it and loading the next);
//   2. softmax: one block of 64 threads per row, the row max and Σexp(s - max) reduced in shared memory (a thread
//      with no key of its own contributes -inf and 0), attn.probs and attn.softmax_rowsum;
//   3. context: blocks of 16 query rows per (b, h), ceil(S/16) of them, attn.context[b][s][h*D + d] =
//      Σ_j probs[b][h][s][j] * v[b][h][j][d], V's head stride S*D.
// Outputs: attn.q, attn.k, attn.v, attn.qkv, attn.scores, attn.softmax_rowsum, attn.probs, attn.context, kept in the
// workspace and copied out (workspace.cuh). Hugging Face semantics only; synchronous runs; flagged test-only.
#pragma once

#include "cuda/cuda_util.cuh"
#include "cuda/workspace.cuh"
#include "test_variant.h"

#include <cooperative_groups.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace bk::mutant {

namespace cg = cooperative_groups;

enum class Defect {
    None,                   // the control: the honest pipeline, which must pass (control_honest.cu)
    MissingSyncthreads,     // stage 2 reads the shared K tile without the barrier after loading it
    MissingGridSync,        // stage 2 reads Q and K without grid.sync() after stage 1 wrote them
    SharedReadBeforeWrite,  // softmax's Σexp reduction reads shared slots that threads without keys never wrote
    LastTileUnwritten,      // context launches S/16 query tiles, not ceil(S/16)
    KeyMaskOffByOne,        // key j takes mask[j - 1]
    WrongHeadStride,        // V's head stride is M = H*D instead of S*D
};

constexpr int kTile = 16;
constexpr int kSoftmaxThreads = 64;
constexpr uint64_t kOutputs = cuda::tensorBit(BK_T_ATTN_Q) | cuda::tensorBit(BK_T_ATTN_K) | cuda::tensorBit(BK_T_ATTN_V) |
                              cuda::tensorBit(BK_T_ATTN_QKV) | cuda::tensorBit(BK_T_ATTN_SCORES) |
                              cuda::tensorBit(BK_T_ATTN_SOFTMAX_ROWSUM) | cuda::tensorBit(BK_T_ATTN_PROBS) |
                              cuda::tensorBit(BK_T_ATTN_CONTEXT);

struct Dims {
    int batch;
    int seq;
    int heads;
    int headSize;
};

struct ScoreArgs {
    const float* input;  // [B][S][M]
    const float* weight; // [3M][M], OUT_IN
    const float* bias;   // [3M] or null
    const float* mask;   // [B][S] additive, or null
    float* qkv;          // [3][B][H][S][D]
    float* scores;       // [B][H][S][S]
    Dims dims;
    float scale;
};

template <Defect defect>
__global__ void projectAndScoreKernel(ScoreArgs a)
{
    const Dims d = a.dims;
    const int64_t width = static_cast<int64_t>(d.heads) * d.headSize;
    const int64_t third = static_cast<int64_t>(d.batch) * d.seq * width;
    const int threadsPerBlock = blockDim.x;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(threadsPerBlock) + threadIdx.x; i < 3 * third;
         i += static_cast<int64_t>(gridDim.x) * threadsPerBlock) {
        const int64_t which = i / third;
        const int64_t e = i % d.headSize;
        const int64_t s = (i / d.headSize) % d.seq;
        const int64_t h = (i / (static_cast<int64_t>(d.headSize) * d.seq)) % d.heads;
        const int64_t b = (i / (static_cast<int64_t>(d.headSize) * d.seq * d.heads)) % d.batch;
        const int64_t out = which * width + h * d.headSize + e;
        const float* x = a.input + (b * d.seq + s) * width;
        const float* w = a.weight + out * width;
        double acc = a.bias != nullptr ? a.bias[out] : 0.0;
        for (int64_t k = 0; k < width; ++k) acc += static_cast<double>(x[k]) * w[k];
        a.qkv[i] = static_cast<float>(acc);
    }

    if constexpr (defect != Defect::MissingGridSync) cg::this_grid().sync();

    __shared__ float qTile[kTile][kTile];
    __shared__ float kTileRows[kTile][kTile + 1];
    const float* q = a.qkv;
    const float* k = a.qkv + third;
    const int tx = threadIdx.x % kTile;
    const int ty = threadIdx.x / kTile;
    const int tiles = (d.seq + kTile - 1) / kTile;
    const int64_t work = static_cast<int64_t>(d.batch) * d.heads * tiles * tiles;
    // Invariant: every thread of a block runs the same iterations (the bound depends on blockIdx only), so the
    // barriers below are reached by the whole block.
    for (int64_t t = blockIdx.x; t < work; t += gridDim.x) {
        const int64_t bh = t / (static_cast<int64_t>(tiles) * tiles);
        const int row = static_cast<int>((t / tiles) % tiles) * kTile + ty;
        const int keyRow = static_cast<int>(t % tiles) * kTile + ty;
        const int key = static_cast<int>(t % tiles) * kTile + tx;
        double dot = 0.0;
        for (int e0 = 0; e0 < d.headSize; e0 += kTile) {
            const int e = e0 + tx;
            qTile[ty][tx] = (row < d.seq && e < d.headSize) ? q[(bh * d.seq + row) * d.headSize + e] : 0.0f;
            kTileRows[ty][tx] = (keyRow < d.seq && e < d.headSize) ? k[(bh * d.seq + keyRow) * d.headSize + e] : 0.0f;
            if constexpr (defect != Defect::MissingSyncthreads) __syncthreads();
            for (int j = 0; j < kTile; ++j) dot += static_cast<double>(qTile[ty][j]) * kTileRows[tx][j];
            __syncthreads();
        }
        if (row < d.seq && key < d.seq) {
            const int64_t b = bh / d.heads;
            int maskKey = key;
            if constexpr (defect == Defect::KeyMaskOffByOne) maskKey = key > 0 ? key - 1 : 0;
            const double mask = a.mask != nullptr ? a.mask[b * d.seq + maskKey] : 0.0;
            a.scores[(bh * d.seq + row) * d.seq + key] = static_cast<float>(dot * a.scale + mask);
        }
    }
}

template <Defect defect>
__global__ void softmaxKernel(const float* scores, float* probs, float* rowsum, int64_t rows, int seq)
{
    __shared__ float maxima[kSoftmaxThreads];
    __shared__ double sums[kSoftmaxThreads];
    const int tid = threadIdx.x;
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* s = scores + r * seq;
        float localMax = -INFINITY;
        for (int j = tid; j < seq; j += kSoftmaxThreads) localMax = fmaxf(localMax, s[j]);
        maxima[tid] = localMax;
        __syncthreads();
        for (int half = kSoftmaxThreads / 2; half > 0; half /= 2) {
            if (tid < half) maxima[tid] = fmaxf(maxima[tid], maxima[tid + half]);
            __syncthreads();
        }
        const float rowMax = maxima[0];
        double localSum = 0.0;
        for (int j = tid; j < seq; j += kSoftmaxThreads) localSum += exp(static_cast<double>(s[j]) - rowMax);
        if constexpr (defect == Defect::SharedReadBeforeWrite) {
            if (tid < seq) sums[tid] = localSum;
        } else {
            sums[tid] = localSum;
        }
        __syncthreads();
        for (int half = kSoftmaxThreads / 2; half > 0; half /= 2) {
            if (tid < half) sums[tid] += sums[tid + half];
            __syncthreads();
        }
        const double sum = sums[0];
        for (int j = tid; j < seq; j += kSoftmaxThreads) probs[r * seq + j] = static_cast<float>(exp(static_cast<double>(s[j]) - rowMax) / sum);
        if (tid == 0) rowsum[r] = static_cast<float>(sum);
        // The next row overwrites maxima and sums: every thread must have read them first.
        __syncthreads();
    }
}

// Block (tile, bh): query rows tile*16 .. tile*16+15 of head bh.
template <Defect defect>
__global__ void contextKernel(const float* probs, const float* v, float* context, Dims d)
{
    const int64_t bh = blockIdx.y;
    const int64_t b = bh / d.heads;
    const int64_t h = bh % d.heads;
    const int64_t width = static_cast<int64_t>(d.heads) * d.headSize;
    int64_t headStride = static_cast<int64_t>(d.seq) * d.headSize;
    if constexpr (defect == Defect::WrongHeadStride) headStride = width;
    const float* vHead = v + b * d.heads * static_cast<int64_t>(d.seq) * d.headSize + h * headStride;
    for (int e = threadIdx.x; e < kTile * d.headSize; e += blockDim.x) {
        const int row = static_cast<int>(blockIdx.x) * kTile + e / d.headSize;
        const int col = e % d.headSize;
        if (row >= d.seq) continue;
        const float* p = probs + (bh * d.seq + row) * d.seq;
        double acc = 0.0;
        for (int j = 0; j < d.seq; ++j) acc += static_cast<double>(p[j]) * vHead[static_cast<int64_t>(j) * d.headSize + col];
        context[(b * d.seq + row) * width + h * d.headSize + col] = static_cast<float>(acc);
    }
}

inline cuda::WorkspacePlan planFor(const bk_dims& d, const char* name)
{
    cuda::requireInt32Indexable(d, {d.batch * d.heads * d.seq * d.seq, 3 * d.batch * d.seq * d.heads * d.head_size}, name);
    cuda::WorkspacePlan plan(d, name);
    plan.canonical<float>(kOutputs);
    return plan;
}

template <Defect defect>
void run(const bk_params& params, const char* name)
{
    const bk_dims& dims = params.dims;
    const cuda::WorkspacePlan plan = planFor(dims, name);
    const cuda::Workspace ws = plan.place(params);
    cudaStream_t stream = cuda::streamOf(params);
    const Dims d{static_cast<int>(dims.batch), static_cast<int>(dims.seq), static_cast<int>(dims.heads), static_cast<int>(dims.head_size)};

    ScoreArgs scoreArgs{static_cast<const float*>(params.input), static_cast<const float*>(params.qkv_weight),
                        static_cast<const float*>(params.qkv_bias),  static_cast<const float*>(params.attention_mask),
                        ws.tensor<float>(BK_T_ATTN_QKV),               ws.tensor<float>(BK_T_ATTN_SCORES),
                        d,                                             1.0f / std::sqrt(static_cast<float>(d.headSize))};
    const int64_t tiles = (dims.seq + kTile - 1) / kTile;
    const int64_t useful = dims.batch * dims.heads * tiles * tiles;
    cuda::launchCooperative(&projectAndScoreKernel<defect>, scoreArgs, kTile * kTile, 0, static_cast<int>(useful < 65535 ? useful : 65535),
                            stream, std::string(name) + " projection and scores");

    const int64_t rows = dims.batch * dims.heads * dims.seq;
    softmaxKernel<defect><<<static_cast<unsigned>(rows < 65535 ? rows : 65535), kSoftmaxThreads, 0, stream>>>(
        ws.tensor<float>(BK_T_ATTN_SCORES), ws.tensor<float>(BK_T_ATTN_PROBS), ws.tensor<float>(BK_T_ATTN_SOFTMAX_ROWSUM), rows, d.seq);
    cuda::checkLaunch(std::string(name) + " softmax");

    int64_t queryTiles = (dims.seq + kTile - 1) / kTile;
    if constexpr (defect == Defect::LastTileUnwritten) queryTiles = dims.seq / kTile;
    if (queryTiles > 0) {
        contextKernel<defect><<<dim3(static_cast<unsigned>(queryTiles), static_cast<unsigned>(dims.batch * dims.heads)), 256, 0, stream>>>(
            ws.tensor<float>(BK_T_ATTN_PROBS), ws.tensor<float>(BK_T_ATTN_V), ws.tensor<float>(BK_T_ATTN_CONTEXT), d);
        cuda::checkLaunch(std::string(name) + " context");
    }
    ws.copyOutAndFinish(params);
}

inline bk_variant_info info(const char* name, const char* description)
{
    bk_variant_info info = test::info(name, description, BK_DEVICE_CUDA, kOutputs);
    info.limits = cuda::kAnyShape;
    return info;
}

}  // namespace bk::mutant

// One line at the end of a mutant's file: its registration with the honest pipeline and its one defect.
#define BK_REGISTER_CUDA_MUTANT(ident, name, defect, description)                                                          \
    namespace {                                                                                                            \
    void run_##ident(const bk_params& params) { ::bk::mutant::run<defect>(params, name); }                                 \
    uint64_t workspace_##ident(const bk_params& params) { return ::bk::mutant::planFor(params.dims, name).bytes(); }       \
    }                                                                                                                      \
    BK_REGISTER_VARIANT(ident, {::bk::mutant::info(name, description), &run_##ident, &workspace_##ident})
