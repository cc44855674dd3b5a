// gpu-partials-probe.cu — what a feed-forward fused over F would pay to reduce its partial sums, alone, on a device.
//
// The lead left for `fused` at B=1 (docs/FUSED-NOTES.md) is FC1 and FC2 as one kernel: each block computes FC1 for a
// 64-row block and a slice of F, keeps the GELU slice on chip and multiplies it into a 64 x M partial of FC2. At B=1
// S=384 only six 64-row blocks exist, so F is split over ~16-24 blocks each to fill the SMs, and the partials
// (splits x T x M fp32) must be summed before the residual LayerNorm. This probe times that traffic alone: one kernel
// writes the partials as such a kernel's epilogue would (16-byte stores, one block per row block and split, each its
// 64 x M partial), and one kernel sums them in a fixed order, adds bias and residual and normalises each row (two-pass
// mean and variance, as `fused`'s LayerNorm does; a warp per row, and a block per row), for several split counts. With
// one or two splits the write runs on 6 or 12 blocks only, unlike today's FC2, whose epilogue writes from 64x64 tiles.
// Each kernel and each pair is replayed from a CUDA graph, timed by events over many iterations.
//
//   nvcc -O3 -std=c++17 -arch=sm_90 scripts/gpu-partials-probe.cu -o partials-probe && ./partials-probe [T] [M]
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

#include "gpu-probe-timing.cuh"

namespace {

constexpr int kRowBlock = 64;
constexpr int kWriteThreads = 256;
constexpr int kNormWarps = 8;

// One block per (row block, split): its 64 x M fp32 partial, 16 bytes a store, as an epilogue would write it.
__global__ void __launch_bounds__(kWriteThreads) writePartials(float* partials, int tokens, int model)
{
    const int rowBlocks = tokens / kRowBlock;
    const int split = blockIdx.x / rowBlocks;
    const int rowBlock = blockIdx.x % rowBlocks;
    float4* out = reinterpret_cast<float4*>(partials + (static_cast<size_t>(split) * tokens + static_cast<size_t>(rowBlock) * kRowBlock) * model);
    const int quads = kRowBlock * model / 4;
    for (int i = threadIdx.x; i < quads; i += kWriteThreads) {
        const float v = 1e-3f * static_cast<float>((i + split) & 1023);
        out[i] = make_float4(v, -v, 0.5f * v, 0.25f);
    }
}

// One row's 16-byte column group before the LayerNorm: bias, the splits' partials in order, then the residual.
__device__ float4 layerNormInput(const float* partials, int splits, const float* bias, const half* residual, int tokens,
                                 int model, int row, int column)
{
    float4 s = reinterpret_cast<const float4*>(bias)[column / 4];
    for (int split = 0; split < splits; ++split) {
        const float4 p = *reinterpret_cast<const float4*>(partials + (static_cast<size_t>(split) * tokens + row) * model + column);
        s.x += p.x;
        s.y += p.y;
        s.z += p.z;
        s.w += p.w;
    }
    const half2* r = reinterpret_cast<const half2*>(residual + static_cast<size_t>(row) * model + column);
    const float2 r0 = __half22float2(r[0]);
    const float2 r1 = __half22float2(r[1]);
    return make_float4(s.x + r0.x, s.y + r0.y, s.z + r1.x, s.w + r1.y);
}

// A warp per row: the splits summed in order, bias and residual added in fp32, two-pass mean and variance, fp16 out.
template <int Quads>
__global__ void __launch_bounds__(kNormWarps * 32) reduceAndNormalise(const float* partials, int splits, const float* bias,
                                                                      const half* residual, const float* gamma,
                                                                      const float* beta, half* out, int tokens)
{
    constexpr int model = Quads * 4 * 32;
    const int warp = threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    const int row = blockIdx.x * kNormWarps + warp;
    if (row >= tokens) {
        return;
    }

    float4 x[Quads];
#pragma unroll
    for (int q = 0; q < Quads; ++q) {
        x[q] = layerNormInput(partials, splits, bias, residual, tokens, model, row, (q * 32 + lane) * 4);
    }

    float sum = 0;
#pragma unroll
    for (int q = 0; q < Quads; ++q) {
        sum += x[q].x + x[q].y + x[q].z + x[q].w;
    }
    for (int offset = 16; offset > 0; offset /= 2) {
        sum += __shfl_xor_sync(0xffffffffu, sum, offset);
    }
    const float mean = sum / model;
    float squares = 0;
#pragma unroll
    for (int q = 0; q < Quads; ++q) {
        const float a = x[q].x - mean, b = x[q].y - mean, c = x[q].z - mean, d = x[q].w - mean;
        squares += a * a + b * b + c * c + d * d;
    }
    for (int offset = 16; offset > 0; offset /= 2) {
        squares += __shfl_xor_sync(0xffffffffu, squares, offset);
    }
    const float inverse = rsqrtf(squares / model + 1e-12f);
#pragma unroll
    for (int q = 0; q < Quads; ++q) {
        const int column = (q * 32 + lane) * 4;
        const float4 g = reinterpret_cast<const float4*>(gamma)[column / 4];
        const float4 b = reinterpret_cast<const float4*>(beta)[column / 4];
        half2* o = reinterpret_cast<half2*>(out + static_cast<size_t>(row) * model + column);
        o[0] = __floats2half2_rn((x[q].x - mean) * inverse * g.x + b.x, (x[q].y - mean) * inverse * g.y + b.y);
        o[1] = __floats2half2_rn((x[q].z - mean) * inverse * g.z + b.z, (x[q].w - mean) * inverse * g.w + b.w);
    }
}

// A block per row (one thread per 16-byte column group, M / 4 threads; `fused`'s LayerNorm takes a 128-thread block per
// row below ~16 warps' worth of rows): the same sums and order per element, the row's statistics through shared memory.
__global__ void reduceAndNormaliseByBlock(const float* partials, int splits, const float* bias, const half* residual,
                                          const float* gamma, const float* beta, half* out, int tokens, int model)
{
    __shared__ float warpSums[32];
    __shared__ float total;
    const int row = blockIdx.x;
    const int column = threadIdx.x * 4;
    const float4 x = layerNormInput(partials, splits, bias, residual, tokens, model, row, column);
    auto blockSum = [&](float v) {
        for (int offset = 16; offset > 0; offset /= 2) {
            v += __shfl_xor_sync(0xffffffffu, v, offset);
        }
        if (threadIdx.x % 32 == 0) {
            warpSums[threadIdx.x / 32] = v;
        }
        __syncthreads();
        if (threadIdx.x == 0) {
            float t = 0;
            for (int w = 0; w < static_cast<int>(blockDim.x / 32); ++w) {
                t += warpSums[w];
            }
            total = t;
        }
        __syncthreads();
        const float result = total;
        __syncthreads();
        return result;
    };
    const float mean = blockSum(x.x + x.y + x.z + x.w) / model;
    const float a = x.x - mean, b = x.y - mean, c = x.z - mean, d = x.w - mean;
    const float inverse = rsqrtf(blockSum(a * a + b * b + c * c + d * d) / model + 1e-12f);
    const float4 g = reinterpret_cast<const float4*>(gamma)[threadIdx.x];
    const float4 be = reinterpret_cast<const float4*>(beta)[threadIdx.x];
    half2* o = reinterpret_cast<half2*>(out + static_cast<size_t>(row) * model + column);
    o[0] = __floats2half2_rn(a * inverse * g.x + be.x, b * inverse * g.y + be.y);
    o[1] = __floats2half2_rn(c * inverse * g.z + be.z, d * inverse * g.w + be.w);
}

struct Buffers {
    float* partials;
    float* bias;
    half* residual;
    float* gamma;
    float* beta;
    half* out;
};

}  // namespace

int main(int argc, char** argv)
{
    const int tokens = argc > 1 ? std::atoi(argv[1]) : 384;
    const int model = argc > 2 ? std::atoi(argv[2]) : 768;
    if (model != 768 || tokens % kRowBlock != 0) {
        std::fprintf(stderr, "this probe is built for M = 768 and T a multiple of 64 (got T=%d M=%d)\n", tokens, model);
        return 2;
    }
    const int splitCounts[] = {1, 2, 4, 8, 16, 24};
    constexpr int maxSplits = 24;
    cudaDeviceProp properties;
    CHECK(cudaGetDeviceProperties(&properties, 0));
    Buffers b{};
    CHECK(cudaMalloc(&b.partials, sizeof(float) * maxSplits * tokens * model));
    CHECK(cudaMalloc(&b.bias, sizeof(float) * model));
    CHECK(cudaMalloc(&b.residual, sizeof(half) * tokens * model));
    CHECK(cudaMalloc(&b.gamma, sizeof(float) * model));
    CHECK(cudaMalloc(&b.beta, sizeof(float) * model));
    CHECK(cudaMalloc(&b.out, sizeof(half) * tokens * model));
    CHECK(cudaMemset(b.bias, 0, sizeof(float) * model));
    CHECK(cudaMemset(b.residual, 0, sizeof(half) * tokens * model));
    CHECK(cudaMemset(b.gamma, 0, sizeof(float) * model));
    CHECK(cudaMemset(b.beta, 0, sizeof(float) * model));
    cudaStream_t stream;
    CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    std::printf("device: %s, %d SMs, L2 %d MB; T=%d M=%d; median us per iteration, graph replays\n", properties.name,
                properties.multiProcessorCount, properties.l2CacheSize >> 20, tokens, model);
    std::printf("splits | partials MB | write | reduce+norm (warp a row / block a row) | write then reduce+norm (warp / block)\n");
    const int rowBlocks = tokens / kRowBlock;
    const int normBlocks = (tokens + kNormWarps - 1) / kNormWarps;
    for (int splits : splitCounts) {
        auto write = [&] { writePartials<<<rowBlocks * splits, kWriteThreads, 0, stream>>>(b.partials, tokens, model); };
        auto reduce = [&] {
            reduceAndNormalise<6><<<normBlocks, kNormWarps * 32, 0, stream>>>(b.partials, splits, b.bias, b.residual, b.gamma,
                                                                              b.beta, b.out, tokens);
        };
        auto reduceByBlock = [&] {
            reduceAndNormaliseByBlock<<<tokens, model / 4, 0, stream>>>(b.partials, splits, b.bias, b.residual, b.gamma,
                                                                         b.beta, b.out, tokens, model);
        };
        const float w = timeGraph(stream, write);
        const float r = timeGraph(stream, reduce);
        const float rb = timeGraph(stream, reduceByBlock);
        const float both = timeGraph(stream, [&] { write(); reduce(); });
        const float bothByBlock = timeGraph(stream, [&] { write(); reduceByBlock(); });
        CHECK(cudaGetLastError());
        std::printf("%6d | %11.1f | %5.2f | %18.2f / %5.2f | %26.2f / %5.2f\n", splits, 4.0 * splits * tokens * model / 1e6, w, r,
                    rb, both, bothByBlock);
    }
    CHECK(cudaStreamSynchronize(stream));
    return 0;
}
