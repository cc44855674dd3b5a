// fused_host.cuh — the host side the cooperative Souffle variant ("souffle") uses: the shape
// limits their kernels need, the dimensions handed to the kernels, how many blocks each launch can use, the canonical
// tensors both materialise, their workspace, what their tensor cores accumulate, and the registry traits they share.
#pragma once

#include "cuda_util.cuh"
#include "fused_layer.cuh"
#include "workspace.cuh"

#include <cstdint>
#include <string>

namespace bk::cuda {

// The shapes both fused kernels run: D = 64 (one tile), S and F whole 64-wide tiles (so M = H*64 is too), any B and H.
// The shims refuse anything else with the limit named before a run or a workspace query reaches the variant.
constexpr bk_shape_limits kFusedLimits{anyValue(),
                                       multipleOf(tiles::kBlockTile),
                                       anyValue(),
                                       fixedValue(tiles::kHeadSize),
                                       multipleOf(tiles::kBlockTile),
                                       multipleOf(tiles::kBlockTile)};

// What the limits cannot say: every tensor indexable with int32 arithmetic (the kernels' FusedDims are ints).
inline void requireFusedIndexable(const bk_dims& dims, const char* variant)
{
    requireInt32Indexable(dims, {dims.batch * dims.heads * dims.seq * dims.seq, dims.batch * dims.seq * dims.intermediate}, variant);
}

// Invariant: called only after requireFusedIndexable (and within kFusedLimits), so every dimension fits an int.
inline tiles::FusedDims fusedDims(const bk_dims& dims)
{
    return tiles::FusedDims{static_cast<int>(dims.batch), static_cast<int>(dims.seq), static_cast<int>(dims.heads),
                            static_cast<int>(dims.intermediate)};
}

// The attention kernel's largest stage decides how many blocks are useful: the QKV projection or the score tiles.
inline int attentionBlocks(const tiles::FusedDims& dims)
{
    return dims.scoreTiles() > dims.qkvTiles() ? dims.scoreTiles() : dims.qkvTiles();
}

inline const half* halfOperand(const void* pointer) { return static_cast<const half*>(pointer); }

constexpr uint64_t kFusedOutputs = tensorBit(BK_T_ATTN_Q) | tensorBit(BK_T_ATTN_K) | tensorBit(BK_T_ATTN_V) | tensorBit(BK_T_ATTN_QKV) |
                                   tensorBit(BK_T_ATTN_SOFTMAX_ROWSUM) | tensorBit(BK_T_ATTN_PROBS) | tensorBit(BK_T_ATTN_CONTEXT) |
                                   tensorBit(BK_T_ATTN_LN_SUM) | tensorBit(BK_T_ATTN_LN_SUMSQ) | tensorBit(BK_T_ATTN_OUTPUT) |
                                   tensorBit(BK_T_FFN_FC1) | tensorBit(BK_T_FFN_LN_SUM) | tensorBit(BK_T_FFN_LN_SUMSQ) | tensorBit(BK_T_OUTPUT);

// The start of a fused variant's workspace plan: the canonical tensors both variants materialise (the variant's scratch
// regions go after them), once the shape passed the variant's own check.
inline WorkspacePlan fusedPlan(const bk_dims& dims, const char* variant)
{
    requireFusedIndexable(dims, variant);
    WorkspacePlan plan(dims, variant);
    plan.canonical<half>(kFusedOutputs);
    return plan;
}

// The workspace of a Souffle variant: the fused canonical tensors, then x = dense + input and x = fc2 + attn.output in
// fp16 (the residual sums its LayerNorm stages read).
struct SoufflePlan {
    WorkspacePlan layout;
    Region<half> attnResidualSum;
    Region<half> ffnResidualSum;
};

inline SoufflePlan soufflePlan(const bk_dims& dims, const char* variant)
{
    SoufflePlan plan{fusedPlan(dims, variant), {0}, {0}};
    plan.attnResidualSum = plan.layout.scratch<half>(canonicalElements(dims, BK_T_ATTN_OUTPUT));
    plan.ffnResidualSum = plan.layout.scratch<half>(canonicalElements(dims, BK_T_ATTN_OUTPUT));
    return plan;
}

// What a Souffle variant's tensor cores accumulate: fp16 groups of 16 rounded to nearest even; any other request fails.
inline void requireTensorCoreAccumulation(const bk_params& params, const char* variant)
{
    if (params.accumulation_group != 0 && params.accumulation_group != 16)
        fail(BK_ERR_INVALID_ARGUMENT, std::string(variant) + ": accumulation_group " + std::to_string(params.accumulation_group) +
                                          " requested, but the tensor cores accumulate in groups of 16 (pass 0 or 16)");
    if (params.accumulation_rounding != BK_ROUND_NEAREST_EVEN)
        fail(BK_ERR_INVALID_ARGUMENT, std::string(variant) + ": the tensor cores round fp16 accumulators to nearest even only");
}

// The registry entry of a fused variant: CUDA pointers, fp16 storage, [in][out] weights, the fused outputs, asynchronous
// runs, kFusedLimits.
inline VariantDef fusedVariant(const char* name, const char* description, const char* shapes, int32_t semantics,
                               int32_t defaultAccumulationGroup, int32_t flags, RunFn run, WorkspaceFn workspace)
{
    return VariantDef{{name, description, shapes, BK_DEVICE_CUDA, semantics, BK_DTYPE_F16, BK_LAYOUT_IN_OUT, defaultAccumulationGroup,
                       kFusedOutputs, BK_VARIANT_ASYNC | flags, 0, kFusedLimits},
                      run, workspace};
}

}  // namespace bk::cuda
