// souffle_upstream.cu — variant "souffle-upstream": the real upstream Souffle BERT kernels (fused_sqq_bert_attn and
// fused_sqq_feedforward from summerspringwei/souffle-models, cpp/bert), compiled from the user's own checkout
// (CMake: -DBK_SOUFFLE_UPSTREAM_DIR=/path/to/souffle-models, or SOUFFLE_MODELS_DIR in the environment) and driven
// through this adapter, which is this project's own code. Built only when that checkout is found.
//
// What the adapter does, per run, all enqueued on params.stream (no allocation, no host memory, so BK_RUN_ASYNC runs can
// be captured in a CUDA graph):
//   1. expands params.attention_mask [1][S] into the [12][384][384] additive fp16 buffer the attention kernel reads
//      (mask[h][i][j] = attention_mask[j]; zeros when null) in its workspace;
//   2. zeroes the buffers the kernels atomicAdd into (softmax row sums, both LayerNorms' sum x and sum x^2) and, when
//      params.qkv_bias is null, a [3][768] zero bias (the kernel always adds one);
//   3. launches both kernels cooperatively exactly as upstream's bert_binding.cu does at opt level 3: 128 threads a
//      block; attention grid 108 with 110,592 B and feed-forward grid 96 with 148,992 B of dynamic shared memory (the
//      opt-in attribute set once per device, co-residency checked with the occupancy API); eps, gamma and beta passed
//      as half (params.layernorm_eps / layernorm_scalar_gamma / layernorm_scalar_beta rounded to fp16); a private
//      9 x 108 x 4 int64 buffer for the clock64() stamps both kernels store unconditionally;
//   4. points the kernels straight at the caller's output buffers (upstream's buffers have the canonical layouts at
//      B=1), using the workspace only for the tensors the caller did not ask for, and copies attn.q/k/v (thirds of
//      attn.qkv) only when they were asked for: a run that wants only `output` makes no copy at all, so the bench times
//      the two kernels and the adapter's zeroing alone. The buffers:
//      qkv_output [3][12][384][64] = attn.qkv (q, k, v its thirds); query_key_output = attn.probs;
//      query_key_softmax_sum = attn.softmax_rowsum; attn_value_output = attn.context; attn_fc_output = attn.output
//      (LayerNorm'd in place); attn_layer_norm_sum / _variance = attn.ln_sum / attn.ln_sumsq (the "variance" buffer
//      holds sum x^2); fc1_output = ffn.fc1 (after ReLU); fc2_output = output; feed-forward layernorm_sum / _variance =
//      ffn.ln_sum / ffn.ln_sumsq.
// Semantics: Souffle only. Weights [in][out] (IN_OUT), fp16. Fixed shape B=1, S=384, H=12, D=64, F=3072 (compile-time
// constants of upstream's bert.h). The attention and FFN biases of bk_params are not read (the Souffle contract has
// only the QKV bias).
// Numerics (upstream's, which docs/SEMANTICS.md now states as the contract): fp16 tensor-core accumulation (k = 16 on
// an H100, 8 on an A100, so default_accumulation_group 16 describes an H100); FC2 split over 4 warps by interleaved
// 16-wide k-tiles and added in fp16; LayerNorm std and 1/std rounded to fp16 separately; exp without the row max.
// Known deviation: fp32 atomics make the sums' last bits run-dependent (BK_VARIANT_NONDETERMINISTIC). Since
// 2026-11-26 "cpu-souffle" and "souffle" follow the same order; scripts/gpu-souffle-check.sh compared "souffle" with
// this variant bit for bit (H100, 2026-11-26, results/2026-11-26-h100/call1-souffle-staged/): every fp16 tensor and
// the row sums equal, the fp32 LayerNorm sums differing in their last bits as two runs of this variant do. (In the run
// below "souffle" still split FC2 into 4 consecutive slices and rounded 1/std once, so the feed-forward tensors were
// not bit-equal.)
// Measured (H200, 2026-11-25/26, results/2026-11-25-h200): every tensor within budget on random and constant-debug (verify/042-044),
// agrees with souffle and cpu-souffle (verify/047-052); graph-mode bench 82.8 us per layer asking for `output` alone
// (bench.json) against 42.4 + 37.8 = 80.2 us for its two kernels under ncu in the same run (ncu-souffle-upstream.json).
// Tried and not adopted: copying every canonical tensor out of the workspace: 110.7 us, the 14 copy nodes cost ~28 us.
#include "../workspace.cuh"
#include "upstream_kernels.cuh"

#include <cuda_fp16.h>

#include <cstdint>
#include <string>

namespace {

using bk::cuda::tensorBit;

constexpr const char* kName = "souffle-upstream";

// Upstream's compile-time shape (bert.h) and launch configuration (bert_binding.cu, opt level 3).
constexpr int64_t kSeq = 384;
constexpr int64_t kHeads = 12;
constexpr int64_t kHeadSize = 64;
constexpr int64_t kWidth = kHeads * kHeadSize;
constexpr int64_t kIntermediate = 4 * kWidth;
constexpr int kThreads = 128;
constexpr int kAttentionBlocks = 108;
constexpr size_t kAttentionSharedBytes = 108 * 1024;
constexpr int kFeedForwardBlocks = 96;
constexpr size_t kFeedForwardSharedBytes = 148992;
// clock64() stamps: [stage][block][warp] with a block stride of 108 x 4 in both kernels; 9 stages in the attention
// kernel, 4 in the feed-forward one, so one buffer of the larger size serves both launches in turn.
constexpr int64_t kClockEntries = 9 * 108 * 4;

// What the kernels write (qkv_output's thirds are attn.q/k/v); the same tensors as "souffle".
constexpr uint64_t kOutputs = bk::cuda::kHeadTensors | tensorBit(BK_T_ATTN_SOFTMAX_ROWSUM) | tensorBit(BK_T_ATTN_PROBS) |
                              tensorBit(BK_T_ATTN_CONTEXT) | tensorBit(BK_T_ATTN_LN_SUM) | tensorBit(BK_T_ATTN_LN_SUMSQ) |
                              tensorBit(BK_T_ATTN_OUTPUT) | tensorBit(BK_T_FFN_FC1) | tensorBit(BK_T_FFN_LN_SUM) |
                              tensorBit(BK_T_FFN_LN_SUMSQ) | tensorBit(BK_T_OUTPUT);

constexpr bk_shape_limits kLimits{bk::cuda::fixedValue(1),      bk::cuda::fixedValue(kSeq),   bk::cuda::fixedValue(kHeads),
                                  bk::cuda::fixedValue(kHeadSize), bk::cuda::fixedValue(kWidth), bk::cuda::fixedValue(kIntermediate)};

// The workspace: the canonical tensors the kernels write, then the expanded mask, the zero QKV bias and the clock buffer.
struct Plan {
    bk::cuda::WorkspacePlan layout;
    bk::cuda::Region<half> mask;
    bk::cuda::Region<half> zeroBias;
    bk::cuda::Region<int64_t> clock;
};

constexpr int64_t kMaskElements = kHeads * kSeq * kSeq;

Plan planFor(const bk_dims& d)
{
    Plan plan{bk::cuda::WorkspacePlan(d, kName), {0}, {0}, {0}};
    plan.layout.canonical<half>(kOutputs);
    plan.mask = plan.layout.scratch<half>(kMaskElements);
    plan.zeroBias = plan.layout.scratch<half>(3 * kWidth);
    plan.clock = plan.layout.scratch<int64_t>(kClockEntries);
    return plan;
}

uint64_t workspaceBytes(const bk_params& params) { return planFor(params.dims).layout.bytes(); }

// mask[h][i][j] = keyMask[j]: the [B=1][S] additive key mask broadcast over heads and query rows.
__global__ void expandMaskKernel(const half* keyMask, half* mask)
{
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < kMaskElements;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x)
        mask[i] = keyMask[i % kSeq];
}

half* mutableHalf(const void* pointer) { return const_cast<half*>(static_cast<const half*>(pointer)); }

// Where the kernels write canonical tensor `id`: the caller's buffer when one was given, else the workspace.
template <typename T>
T* destination(const bk::cuda::Workspace& ws, const bk_params& params, int id)
{
    return params.outputs[id] != nullptr ? static_cast<T*>(params.outputs[id]) : ws.tensor<T>(id);
}

// Zeroes the fp32 sums the kernels atomicAdd into, wherever they are written.
void zeroAccumulators(const bk::cuda::Workspace& ws, const bk_params& params)
{
    for (int id = 0; id < BK_TENSOR_COUNT; ++id) {
        if ((bk::cuda::kAccumulatorTensors & kOutputs & tensorBit(id)) == 0) continue;
        const size_t bytes = sizeof(float) * static_cast<size_t>(bk::cuda::canonicalElements(params.dims, id));
        bk::cuda::check(cudaMemsetAsync(destination<float>(ws, params, id), 0, bytes, bk::cuda::streamOf(params)),
                        std::string(kName) + ": cudaMemsetAsync of " + bk::cuda::canonicalName(id));
    }
}

// attn.q, attn.k, attn.v are the thirds of qkv_output; copied only when asked for. Then the run ends.
void copyHeadsAndFinish(const half* qkv, const bk_params& params)
{
    const size_t third = sizeof(half) * static_cast<size_t>(bk::cuda::canonicalElements(params.dims, BK_T_ATTN_Q));
    for (int part = 0; part < 3; ++part) {
        void* target = params.outputs[BK_T_ATTN_Q + part];
        if (target == nullptr) continue;
        bk::cuda::check(cudaMemcpyAsync(target, reinterpret_cast<const char*>(qkv) + part * third, third, cudaMemcpyDeviceToDevice,
                                        bk::cuda::streamOf(params)),
                        std::string(kName) + ": copy of output " + bk::cuda::canonicalName(BK_T_ATTN_Q + part));
    }
    bk::cuda::finishRun(params, kName);
}

void run(const bk_params& params)
{
    if (params.accumulation_group != 0 && params.accumulation_group != 16)
        bk::fail(BK_ERR_INVALID_ARGUMENT, std::string(kName) + ": accumulation_group " + std::to_string(params.accumulation_group) +
                                              " requested, but the upstream kernels accumulate in the tensor cores' groups of 16 (pass 0 or 16)");
    if (params.accumulation_rounding != BK_ROUND_NEAREST_EVEN)
        bk::fail(BK_ERR_INVALID_ARGUMENT, std::string(kName) + ": the tensor cores round fp16 accumulators to nearest even only");
    const Plan plan = planFor(params.dims);
    const bk::cuda::Workspace ws = plan.layout.place(params);
    cudaStream_t stream = bk::cuda::streamOf(params);

    half* mask = ws.at(plan.mask);
    if (params.attention_mask != nullptr) {
        expandMaskKernel<<<256, 256, 0, stream>>>(static_cast<const half*>(params.attention_mask), mask);
        bk::cuda::checkLaunch(std::string(kName) + " mask expansion");
    } else {
        ws.zero(plan.mask, kMaskElements, params);
    }
    const half* qkvBias = static_cast<const half*>(params.qkv_bias);
    if (qkvBias == nullptr) {
        ws.zero(plan.zeroBias, 3 * kWidth, params);
        qkvBias = ws.at(plan.zeroBias);
    }
    zeroAccumulators(ws, params);

    // Upstream takes its inputs and weights as non-const half*; the kernels only read them.
    const half* qkvWeight = static_cast<const half*>(params.qkv_weight);
    half* src = mutableHalf(params.input);
    half* qkvOutput = destination<half>(ws, params, BK_T_ATTN_QKV);
    half* probs = destination<half>(ws, params, BK_T_ATTN_PROBS);
    float* softmaxSum = destination<float>(ws, params, BK_T_ATTN_SOFTMAX_ROWSUM);
    half* context = destination<half>(ws, params, BK_T_ATTN_CONTEXT);
    half* denseWeight = mutableHalf(params.attn_dense_weight);
    half* attnOutput = destination<half>(ws, params, BK_T_ATTN_OUTPUT);
    float* attnLnSum = destination<float>(ws, params, BK_T_ATTN_LN_SUM);
    float* attnLnSumsq = destination<float>(ws, params, BK_T_ATTN_LN_SUMSQ);
    half eps = __float2half(params.layernorm_eps);
    half gamma = __float2half(params.layernorm_scalar_gamma);
    half beta = __float2half(params.layernorm_scalar_beta);
    int64_t* clock = ws.at(plan.clock);
    void* attentionArgs[] = {&qkvWeight, &src,       &qkvBias,    &qkvOutput, &probs, &mask,  &softmaxSum, &context,
                             &denseWeight, &attnOutput, &attnLnSum, &attnLnSumsq, &eps,  &gamma, &beta,       &clock};
    bk::cuda::launchCooperativeGrid(reinterpret_cast<const void*>(bk::cuda::upstream::attentionKernel()), attentionArgs,
                                    kAttentionBlocks, kThreads, kAttentionSharedBytes, stream,
                                    std::string(kName) + " fused_sqq_bert_attn");

    half* fc1Weight = mutableHalf(params.fc1_weight);
    half* fc1Output = destination<half>(ws, params, BK_T_FFN_FC1);
    half* fc2Weight = mutableHalf(params.fc2_weight);
    half* output = destination<half>(ws, params, BK_T_OUTPUT);
    float* ffnLnSum = destination<float>(ws, params, BK_T_FFN_LN_SUM);
    float* ffnLnSumsq = destination<float>(ws, params, BK_T_FFN_LN_SUMSQ);
    // The last argument is the binding's second fc2_output pointer, which the kernel does not use.
    void* feedForwardArgs[] = {&attnOutput, &eps,     &gamma,    &beta,       &fc1Weight, &fc1Output,
                               &fc2Weight,  &output,  &ffnLnSum, &ffnLnSumsq, &clock,     &output};
    bk::cuda::launchCooperativeGrid(reinterpret_cast<const void*>(bk::cuda::upstream::feedForwardKernel()), feedForwardArgs,
                                    kFeedForwardBlocks, kThreads, kFeedForwardSharedBytes, stream,
                                    std::string(kName) + " fused_sqq_feedforward");

    copyHeadsAndFinish(qkvOutput, params);
}

}  // namespace

BK_REGISTER_VARIANT(souffle_upstream,
                    {{kName,
                      "Upstream Souffle kernels (fused_sqq_bert_attn + fused_sqq_feedforward) built from the user's "
                      "souffle-models checkout, driven by this project's adapter",
                      "B=1, S=384, H=12, D=64, F=3072 (upstream's compile-time shape)", BK_DEVICE_CUDA, BK_SEMANTICS_SOUFFLE,
                      BK_DTYPE_F16, BK_LAYOUT_IN_OUT, 16, kOutputs, BK_VARIANT_ASYNC | BK_VARIANT_NONDETERMINISTIC, 0, kLimits},
                     &run, &workspaceBytes});
