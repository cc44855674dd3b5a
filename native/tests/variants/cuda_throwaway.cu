// cuda_throwaway.cu — test variant "cuda-throwaway" (test-variants library only): the Hugging Face QKV projection in
// fp32 on the GPU, and nothing else of the layer.
//
// What it is for: showing that a new CUDA variant file adds its GPU test cases with no other edit (the test matrix is
// built from the registry: variants, outputs, limits). It is small but honest: attn.q/k/v/qkv are the real
// projection, q|k|v[b][h][s][d] = sum_k input[b][s][k] * W[which*M + h*D + d][k] + bias[which*M + h*D + d], with W in
// checkpoint order (OUT_IN) and the products summed in double and rounded to float once (a float32 running sum over
// K = 768 errs beyond the harness's float32 error budget, as cuda-reference explains). One thread per element, no
// shared memory, no workspace; each of the four outputs is written straight to the caller's buffer when asked for.
// Known deviations: none within its four tensors; it computes no other tensor (outputs mask = q, k, v, qkv only).
// Measured (H200, 2026-11-25, results/2026-11-25-h200/gpu-tests.log): its GPU conformance cases pass; not benched (a test fixture).
#include "cuda/cuda_util.cuh"

#include <cstdint>
#include <string>

namespace {

constexpr const char* kName = "cuda-throwaway";
constexpr uint64_t kOutputs = (uint64_t{1} << BK_T_ATTN_Q) | (uint64_t{1} << BK_T_ATTN_K) | (uint64_t{1} << BK_T_ATTN_V) |
                              (uint64_t{1} << BK_T_ATTN_QKV);

struct ProjectionArgs {
    const float* input;  // [B][S][M]
    const float* weight; // [3M][M], OUT_IN
    const float* bias;   // [3M] or null
    float* parts[3];     // attn.q, attn.k, attn.v: [B][H][S][D] each, null = not wanted
    float* qkv;          // attn.qkv [3][B*H][S][D], null = not wanted
    int64_t batch;
    int64_t seq;
    int64_t heads;
    int64_t headSize;
};

// Element i of attn.qkv, in its [3][B][H][S][D] order; int64 indices, so any shape the shims accept fits.
__global__ void projectionKernel(ProjectionArgs a)
{
    const int64_t width = a.heads * a.headSize;
    const int64_t third = a.batch * a.seq * width;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < 3 * third;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t which = i / third;
        const int64_t d = i % a.headSize;
        const int64_t s = (i / a.headSize) % a.seq;
        const int64_t h = (i / (a.headSize * a.seq)) % a.heads;
        const int64_t b = (i / (a.headSize * a.seq * a.heads)) % a.batch;
        const int64_t out = which * width + h * a.headSize + d;
        const float* x = a.input + (b * a.seq + s) * width;
        const float* w = a.weight + out * width;
        double acc = 0.0;
        for (int64_t k = 0; k < width; ++k) acc += static_cast<double>(x[k]) * w[k];
        const float value = static_cast<float>(acc + (a.bias != nullptr ? a.bias[out] : 0.0f));
        if (a.qkv != nullptr) a.qkv[i] = value;
        if (a.parts[which] != nullptr) a.parts[which][i - which * third] = value;
    }
}

void run(const bk_params& params)
{
    const bk_dims& d = params.dims;
    ProjectionArgs args{static_cast<const float*>(params.input),
                        static_cast<const float*>(params.qkv_weight),
                        static_cast<const float*>(params.qkv_bias),
                        {static_cast<float*>(params.outputs[BK_T_ATTN_Q]), static_cast<float*>(params.outputs[BK_T_ATTN_K]),
                         static_cast<float*>(params.outputs[BK_T_ATTN_V])},
                        static_cast<float*>(params.outputs[BK_T_ATTN_QKV]),
                        d.batch,
                        d.seq,
                        d.heads,
                        d.head_size};
    const int64_t total = 3 * d.batch * d.seq * d.heads * d.head_size;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    projectionKernel<<<static_cast<unsigned>(blocks < 65535 ? blocks : 65535), threads, 0, bk::cuda::streamOf(params)>>>(args);
    bk::cuda::checkLaunch(std::string(kName) + " projection");
    bk::cuda::finishRun(params, kName);
}

}  // namespace

BK_REGISTER_VARIANT(cuda_throwaway,
                    {{kName, "Test only: the Hugging Face QKV projection in fp32 on the GPU (attn.q/k/v/qkv), nothing else", "any",
                      BK_DEVICE_CUDA, BK_SEMANTICS_HUGGINGFACE, BK_DTYPE_F32, BK_LAYOUT_OUT_IN, 0, kOutputs,
                      BK_VARIANT_ASYNC | BK_VARIANT_TEST_ONLY, 0, bk::cuda::kAnyShape},
                     &run, nullptr});
