// gpu-cluster-probe.cu — the open questions of docs/FUSED-NOTES.md's sketch of FC1, FC2 and the second LayerNorm as one
// cluster kernel at B=1, answered alone on a device:
//  1. how many clusters of 16 (and 8) blocks the GPU holds at once with a 24 KiB GELU slice and operand stages in
//     shared memory (cudaOccupancyMaxActiveClusters; a cluster's blocks share one GPC);
//  2. what reading the other blocks' GELU slices through distributed shared memory costs: every block of a 16-block
//     cluster reads all sixteen 24 KiB slices (its own included) in 16-byte loads, against the same bytes read sixteen
//     times from its own shared memory;
//  3. what such a cluster kernel pays after a predecessor that fills the SMs' shared memory and drains at staggered
//     times: launched early with programmatic dependent launch (as `fused` launches its kernels) and in stream order,
//     against a plain 96-block kernel doing the same reads from its own shared memory. The increments over the
//     predecessor alone are printed.
// Times are medians of graph replays, µs per iteration, events.
//
//   nvcc -O3 -std=c++17 -arch=sm_90 scripts/gpu-cluster-probe.cu -o cluster-probe && ./cluster-probe
#include <cooperative_groups.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

#include "gpu-probe-timing.cuh"

namespace cg = cooperative_groups;

namespace {

constexpr int kThreads = 256;
constexpr int kSliceBytes = 64 * 192 * 2;                  // a 64-row block's GELU slice of 192 columns, fp16
constexpr int kSliceQuads = kSliceBytes / 16;              // 16-byte pieces
constexpr int kStageBytes = 4 * (64 + 48) * 64 * 2;        // four stages of a 64-deep k step: W2's 48 rows, A's 64
constexpr int kSharedBytes = kSliceBytes + kStageBytes;
constexpr int kBlocks = 96;                                // six row blocks of sixteen at S=384
constexpr int kCluster = 16;
constexpr int kPredecessorSharedBytes = 150 * 1024;

// Every block fills its slice, then reads all `kCluster` slices of its cluster (Remote) or its own that many times.
template <bool Remote>
__global__ void __launch_bounds__(kThreads) readSlices(unsigned* out, int waitForPredecessor)
{
    extern __shared__ uint4 slice[];
    if (waitForPredecessor) {
        asm volatile("griddepcontrol.wait;" ::: "memory");
    }
    for (int i = threadIdx.x; i < kSliceQuads; i += kThreads) {
        slice[i] = make_uint4(blockIdx.x, i, i ^ blockIdx.x, 7u);
    }
    // Each thread's six 16-byte pieces of a slice are loaded together, then combined: the loads of one slice are in
    // flight at once, as a pipelined copy would keep them (one at a time, the reads took the loads' latency each).
    constexpr int kPerThread = kSliceQuads / kThreads;
    static_assert(kSliceQuads % kThreads == 0, "whole pieces per thread");
    unsigned acc = 0;
    auto readSlice = [&](const uint4* from, int rotate) {
        uint4 v[kPerThread];
#pragma unroll
        for (int k = 0; k < kPerThread; ++k) {
            v[k] = from[(threadIdx.x + k * kThreads + rotate) % kSliceQuads];
        }
#pragma unroll
        for (int k = 0; k < kPerThread; ++k) {
            acc += v[k].x ^ v[k].y ^ v[k].z ^ v[k].w;
        }
    };
    if constexpr (Remote) {
        cg::cluster_group cluster = cg::this_cluster();
        cluster.sync();
        for (int r = 0; r < kCluster; ++r) {
            readSlice(cluster.map_shared_rank(slice, (static_cast<int>(cluster.block_rank()) + r) % kCluster), 0);
        }
        cluster.sync();  // no block leaves while a peer may still read its slice
    } else {
        __syncthreads();
        for (int r = 0; r < kCluster; ++r) {
            readSlice(slice, r * 37);
        }
    }
    out[blockIdx.x * kThreads + threadIdx.x] = acc;
}

// A predecessor on every SM whose blocks end at staggered times (block b spins ~b/gridDim of `cycles` more) and, like
// `fused`'s GEMM blocks, take so much shared memory that no block of the next kernel fits beside one: a block of the
// next kernel can start only on an SM this one has left. It lets its dependents launch at once (programmatic
// dependent launch), as `fused`'s kernels do once their last loads are issued.
__global__ void staggeredPredecessor(unsigned long long cycles, unsigned* sink)
{
    asm volatile("griddepcontrol.launch_dependents;");
    const unsigned long long start = clock64();
    const unsigned long long until = cycles / 2 + cycles * blockIdx.x / gridDim.x / 2;
    unsigned spin = 0;
    while (clock64() - start < until) {
        ++spin;
    }
    if (spin == 0xFFFFFFFFu) {
        *sink = spin;
    }
}

void launchReads(bool remote, bool afterPredecessor, unsigned* out, cudaStream_t stream)
{
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(kBlocks);
    config.blockDim = dim3(kThreads);
    config.dynamicSmemBytes = kSharedBytes;
    config.stream = stream;
    cudaLaunchAttribute attributes[2];
    int count = 0;
    if (remote) {
        attributes[count].id = cudaLaunchAttributeClusterDimension;
        attributes[count].val.clusterDim.x = kCluster;
        attributes[count].val.clusterDim.y = 1;
        attributes[count].val.clusterDim.z = 1;
        ++count;
    }
    if (afterPredecessor) {
        attributes[count].id = cudaLaunchAttributeProgrammaticStreamSerialization;
        attributes[count].val.programmaticStreamSerializationAllowed = 1;
        ++count;
    }
    config.attrs = attributes;
    config.numAttrs = count;
    const int wait = afterPredecessor ? 1 : 0;
    if (remote) {
        CHECK(cudaLaunchKernelEx(&config, readSlices<true>, out, wait));
    } else {
        CHECK(cudaLaunchKernelEx(&config, readSlices<false>, out, wait));
    }
}

int maxActiveClusters(int clusterSize)
{
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(kBlocks);
    config.blockDim = dim3(kThreads);
    config.dynamicSmemBytes = kSharedBytes;
    cudaLaunchAttribute attribute{};
    attribute.id = cudaLaunchAttributeClusterDimension;
    attribute.val.clusterDim.x = clusterSize;
    attribute.val.clusterDim.y = 1;
    attribute.val.clusterDim.z = 1;
    config.attrs = &attribute;
    config.numAttrs = 1;
    int clusters = 0;
    CHECK(cudaOccupancyMaxActiveClusters(&clusters, readSlices<true>, &config));
    return clusters;
}

}  // namespace

int main()
{
    cudaDeviceProp properties;
    CHECK(cudaGetDeviceProperties(&properties, 0));
    CHECK(cudaFuncSetAttribute(readSlices<true>, cudaFuncAttributeNonPortableClusterSizeAllowed, 1));
    CHECK(cudaFuncSetAttribute(readSlices<true>, cudaFuncAttributeMaxDynamicSharedMemorySize, kSharedBytes));
    CHECK(cudaFuncSetAttribute(readSlices<false>, cudaFuncAttributeMaxDynamicSharedMemorySize, kSharedBytes));
    CHECK(cudaFuncSetAttribute(staggeredPredecessor, cudaFuncAttributeMaxDynamicSharedMemorySize, kPredecessorSharedBytes));
    unsigned* out;
    unsigned* sink;
    CHECK(cudaMalloc(&out, sizeof(unsigned) * kBlocks * kThreads));
    CHECK(cudaMalloc(&sink, sizeof(unsigned)));
    cudaStream_t stream;
    CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    std::printf("device: %s, %d SMs; %d blocks of %d threads, %d bytes of shared memory each\n", properties.name,
                properties.multiProcessorCount, kBlocks, kThreads, kSharedBytes);
    std::printf("clusters held at once: %d of 16 blocks, %d of 8 blocks (the sketch needs 6 of 16)\n", maxActiveClusters(16),
                maxActiveClusters(8));

    const float remote = timeGraph(stream, [&] { launchReads(true, false, out, stream); });
    const float local = timeGraph(stream, [&] { launchReads(false, false, out, stream); });
    std::printf("16 x 24 KiB read per block: through DSMEM %.2f us, from its own shared memory %.2f us\n", remote, local);

    const int predecessorBlocks = properties.multiProcessorCount;
    for (unsigned long long cycles : {0ull, 4000ull, 8000ull, 16000ull}) {
        auto predecessor = [&] {
            staggeredPredecessor<<<predecessorBlocks, 128, kPredecessorSharedBytes, stream>>>(cycles, sink);
        };
        const float alone = timeGraph(stream, predecessor);
        const float withCluster = timeGraph(stream, [&] { predecessor(); launchReads(true, true, out, stream); });
        const float withPlain = timeGraph(stream, [&] { predecessor(); launchReads(false, true, out, stream); });
        const float withClusterInOrder = timeGraph(stream, [&] { predecessor(); launchReads(true, false, out, stream); });
        const float withPlainInOrder = timeGraph(stream, [&] { predecessor(); launchReads(false, false, out, stream); });
        std::printf("predecessor spinning %5llu-%5llu cycles: alone %5.2f us; then, launched early (PDL): the cluster kernel "
                    "+%5.2f, the plain kernel +%5.2f; launched in stream order: the cluster kernel +%5.2f, the plain kernel "
                    "+%5.2f\n",
                    cycles / 2, cycles, alone, withCluster - alone, withPlain - alone, withClusterInOrder - alone,
                    withPlainInOrder - alone);
    }
    CHECK(cudaGetLastError());
    CHECK(cudaStreamSynchronize(stream));
    return 0;
}
