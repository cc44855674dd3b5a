// gpu-timeline-probe.cu — where one B=1 layer's time goes on the clock, kernel by kernel, inside a graph of layers run
// back to back as `harness bench` runs them (graph timing and checked calls: gpu-probe-timing.cuh). Needs a library
// built from fused.cu with the timeline probe's marks
// (results/2026-11-27-h100/s19-call4-timeline-phases/timeline-marks.patch: every block of the seven kernels writes the
// global nanosecond clock at its start, when its predecessor is done, when its first operands are in shared memory or
// registers, when its products or row statistics are computed (before its epilogue's stores) and at its end, and its
// SM; bk_probe_timeline copies them out. s18's calls ran the four-mark form of the patch, kept with them). Only the
// first 512 blocks of a kernel are recorded, and only the kernels B=1 runs carry marks (not the streaming attention or
// the warp-per-row LayerNorm).
//   nvcc -O2 -std=c++17 -Inative/include scripts/gpu-timeline-probe.cu -Lnative/build/gpu -lbertkernels \
//        -Xlinker -rpath=$PWD/native/build/gpu -o /tmp/timeline && /tmp/timeline [B S [SETS]]
#include "bert_kernels.h"
#include "gpu-probe-timing.cuh"

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

extern "C" int bk_probe_timeline(void* host, unsigned long long bytes);

namespace {

constexpr int kSlots = 7;
constexpr int kBlocks = 512;
constexpr int kMarks = 5;
constexpr int kEvents = kMarks + 1;  // the clock marks, then 1 + the block's SM
constexpr int kEnd = kMarks - 1;
constexpr int kSm = kMarks;
const char* const kSlotNames[kSlots] = {"QKV GEMM", "attention", "dense GEMM", "LayerNorm 1", "FC1 GEMM", "FC2 GEMM", "LayerNorm 2"};
const char* const kEventNames[kMarks] = {"start", "waited", "operands", "computed", "end"};

void checkRun(int32_t status, const char* what)
{
    if (status != BK_OK) {
        std::fprintf(stderr, "timeline: %s: %s\n", what, bk_last_error());
        std::exit(1);
    }
}

__global__ void fill(half* p, size_t n, uint32_t seed, float scale, float offset)
{
    for (size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<size_t>(gridDim.x) * blockDim.x) {
        uint32_t x = static_cast<uint32_t>(i) * 2654435761u ^ seed;
        x ^= x >> 16;
        x *= 2246822519u;
        x ^= x >> 13;
        p[i] = __float2half(offset + scale * (static_cast<float>(x & 0xffff) / 32768.0f - 1.0f));
    }
}

half* filled(size_t n, uint32_t seed, float scale, float offset = 0.0f)
{
    half* p = nullptr;
    CHECK(cudaMalloc(&p, n * sizeof(half)));
    fill<<<256, 256>>>(p, n, seed, scale, offset);
    return p;
}

}  // namespace

int main(int argc, char** argv)
{
    const int64_t batch = argc > 2 ? std::atoll(argv[1]) : 1;
    const int64_t seq = argc > 2 ? std::atoll(argv[2]) : 384;
    const int64_t heads = 12, headSize = 64, width = 768, intermediate = 3072;
    // As `harness bench` rotates them at B=1 S=384 (K x N = 7 x 21): the weights come from DRAM in every layer. One set
    // (a third argument of 1) keeps them in L2.
    const int sets = argc > 3 ? std::atoi(argv[3]) : 7, runs = 21;
    cudaStream_t stream;
    CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    std::vector<bk_params> params(sets);
    const size_t tokens = static_cast<size_t>(batch * seq);
    for (int s = 0; s < sets; ++s) {
        bk_params& p = params[s];
        p = bk_params{};
        p.abi_version = BK_ABI_VERSION;
        p.struct_size = sizeof(bk_params);
        p.dims = bk_dims{batch, seq, heads, headSize, intermediate};
        p.dtype = BK_DTYPE_F16;
        p.semantics = BK_SEMANTICS_HUGGINGFACE;
        p.layernorm_eps = 1e-12f;
        p.stream = stream;
        p.run_flags = BK_RUN_ASYNC;
        const uint32_t seed = 1000u * static_cast<uint32_t>(s);
        p.input = filled(tokens * width, seed + 1, 1.0f);
        p.qkv_weight = filled(3 * width * width, seed + 2, 0.03f);
        p.qkv_bias = filled(3 * width, seed + 3, 0.02f);
        p.attn_dense_weight = filled(width * width, seed + 4, 0.03f);
        p.attn_dense_bias = filled(width, seed + 5, 0.02f);
        p.ln1_gamma = filled(width, seed + 6, 0.1f, 1.0f);
        p.ln1_beta = filled(width, seed + 7, 0.02f);
        p.fc1_weight = filled(intermediate * width, seed + 8, 0.03f);
        p.fc1_bias = filled(intermediate, seed + 9, 0.02f);
        p.fc2_weight = filled(width * intermediate, seed + 10, 0.03f);
        p.fc2_bias = filled(width, seed + 11, 0.02f);
        p.ln2_gamma = filled(width, seed + 12, 0.1f, 1.0f);
        p.ln2_beta = filled(width, seed + 13, 0.02f);
        CHECK(cudaMalloc(&p.outputs[BK_T_OUTPUT], tokens * width * sizeof(half)));
        uint64_t bytes = 0;
        checkRun(bk_workspace_size("fused", &p, &bytes), "workspace size");
        p.workspace_size = bytes;
        if (bytes > 0) CHECK(cudaMalloc(&p.workspace, bytes));
    }
    CHECK(cudaDeviceSynchronize());
    for (int s = 0; s < sets; ++s) checkRun(bk_run("fused", &params[s]), "eager run");
    CHECK(cudaStreamSynchronize(stream));

    int next = 0;
    const float us = timeGraph(stream, [&] { checkRun(bk_run("fused", &params[next++ % sets]), "captured run"); }, runs);
    std::printf("B=%lld S=%lld, %d parameter sets: %.1f us per layer, the median of 50 replays of %d layers (events)\n",
                static_cast<long long>(batch), static_cast<long long>(seq), sets, us, runs);

    // The marks of the last replay's last layer (each block's slot is overwritten by every layer).
    std::vector<unsigned long long> times(static_cast<size_t>(kSlots) * kBlocks * kEvents, 0);
    CHECK(static_cast<cudaError_t>(bk_probe_timeline(times.data(), times.size() * sizeof(unsigned long long))));
    auto at = [&](int slot, int block, int event) { return times[(static_cast<size_t>(slot) * kBlocks + block) * kEvents + event]; };
    unsigned long long origin = ~0ull;
    for (int b = 0; b < kBlocks; ++b)
        if (at(0, b, 0) != 0) origin = std::min(origin, at(0, b, 0));
    std::printf("%-12s %6s", "kernel", "blocks");
    for (const char* name : kEventNames) std::printf("  %8s first..last us", name);
    std::printf("  end by blocks on the SM: SMs, mean us");
    std::printf("\n");
    for (int slot = 0; slot < kSlots; ++slot) {
        int blocks = 0;
        for (int b = 0; b < kBlocks; ++b) blocks += at(slot, b, 0) != 0;
        std::printf("%-12s %6d", kSlotNames[slot], blocks);
        for (int e = 0; e < kMarks; ++e) {
            unsigned long long first = ~0ull, last = 0;
            for (int b = 0; b < kBlocks; ++b) {
                const unsigned long long t = at(slot, b, e);
                if (t == 0) continue;
                first = std::min(first, t);
                last = std::max(last, t);
            }
            if (last == 0)
                std::printf("  %23s", "-");
            else
                std::printf("  %10.2f..%10.2f", (static_cast<double>(first) - static_cast<double>(origin)) / 1000.0,
                            (static_cast<double>(last) - static_cast<double>(origin)) / 1000.0);
        }
        // The blocks' ends grouped by how many of this kernel's blocks shared their SM in this layer.
        std::vector<int> perSm(1024, 0);
        for (int b = 0; b < kBlocks; ++b)
            if (at(slot, b, 0) != 0 && at(slot, b, kSm) != 0) ++perSm[at(slot, b, kSm) - 1];
        for (int share = 1; share <= 8; ++share) {
            double sum = 0.0;
            int ended = 0;
            for (int b = 0; b < kBlocks; ++b)
                if (at(slot, b, 0) != 0 && at(slot, b, kEnd) != 0 && perSm[at(slot, b, kSm) - 1] == share) {
                    sum += (static_cast<double>(at(slot, b, kEnd)) - static_cast<double>(origin)) / 1000.0;
                    ++ended;
                }
            if (ended > 0) std::printf("  [%d a SM: %d SMs, %.2f]", share, ended / share, sum / ended);
        }
        std::printf("\n");
    }
    // The clock's step: the smallest non-zero difference between any two marks.
    std::vector<unsigned long long> all;
    for (size_t i = 0; i < times.size(); ++i)
        if (times[i] != 0 && i % kEvents < kMarks) all.push_back(times[i]);
    std::sort(all.begin(), all.end());
    unsigned long long step = ~0ull;
    for (size_t i = 1; i < all.size(); ++i)
        if (all[i] != all[i - 1]) step = std::min(step, all[i] - all[i - 1]);
    std::printf("clock step seen: %llu ns over %zu marks\n", step, all.size());
    return 0;
}
