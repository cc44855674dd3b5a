// fused_host.cuh — the host side the two fused variants ("souffle" and "fused") share: the shapes and operand
// alignment their kernels need, the dimensions handed to the kernels, how many blocks each launch can use, and
// the canonical tensors both materialise, and the registry traits they share.
#pragma once

#include "cuda_util.cuh"
#include "fused_layer.cuh"
#include "workspace.cuh"

#include <cstdint>
#include <string>

namespace bk::cuda {

// D = 64 (one tile), S and F whole tiles, and every tensor indexable with int32 arithmetic.
inline void requireFusedShape(const bk_dims& dims, const char* variant)
{
    if (dims.head_size != tiles::kHeadSize || dims.seq % tiles::kBlockTile != 0 || dims.intermediate % tiles::kBlockTile != 0)
        fail(BK_ERR_UNSUPPORTED_SHAPE, std::string(variant) + ": needs D=64, S and F multiples of 64; got " + describe(dims));
    requireInt32Indexable(dims, {dims.batch * dims.heads * dims.seq * dims.seq, dims.batch * dims.seq * dims.intermediate}, variant);
}

// The operands the kernels load as wmma fragments straight from the caller's memory.
inline void requireFusedOperandsAligned(const bk_params& params, const char* variant)
{
    requireAligned32(params.input, "input", variant);
    requireAligned32(params.qkv_weight, "qkv_weight", variant);
    requireAligned32(params.attn_dense_weight, "attn_dense_weight", variant);
    requireAligned32(params.fc1_weight, "fc1_weight", variant);
    requireAligned32(params.fc2_weight, "fc2_weight", variant);
}

// Invariant: called only after requireFusedShape, so every dimension fits an int.
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

// The start of a fused run once the variant's own checks have passed: the operands' alignment checked, and a workspace
// plan with the canonical tensors both variants materialise placed (the variant's scratch regions go after them).
inline WorkspacePlan beginFusedRun(const bk_params& params, const char* variant)
{
    requireFusedOperandsAligned(params, variant);
    WorkspacePlan plan(params.dims, variant);
    plan.canonical<half>(kFusedOutputs);
    return plan;
}

// The registry entry of a fused variant: CUDA pointers, fp16 storage, [in][out] weights, the fused outputs.
inline VariantDef fusedVariant(const char* name, const char* description, const char* shapes, int32_t semantics,
                               int32_t defaultAccumulationGroup, RunFn run)
{
    return VariantDef{{name, description, shapes, BK_DEVICE_CUDA, semantics, BK_DTYPE_F16, BK_LAYOUT_IN_OUT, defaultAccumulationGroup,
                       kFusedOutputs},
                      run};
}

}  // namespace bk::cuda
