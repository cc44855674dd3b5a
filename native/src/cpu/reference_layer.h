// reference_layer.h — the CPU reference BERT layer as stage functions, shared by `cpu-reference` and the
// `cpu-mutant-*` variants. A mutant is the reference with exactly one switch of ReferenceDefects turned on,
// so the defect is the only difference between the two and the harness must find exactly that.
#pragma once

#include "variant.h"

namespace bk::cpu {

// Deliberate defects; all false is the reference itself.
struct ReferenceDefects {
    bool dense_weight_untransposed = false;   // attention dense computes context·Wo instead of context·Woᵀ
    bool pv_fp16_serial_accumulation = false; // P·V accumulated serially in fp16 (group k = 1)
    bool ln1_without_residual = false;        // LayerNorm 1 normalises dense alone, not dense + input
    bool scale_uses_model_width = false;      // HF semantics: scores scaled by 1/sqrt(M) instead of 1/sqrt(D)
    bool relu_instead_of_gelu = false;        // HF semantics: FC1 activation ReLU instead of GELU (erf)
    bool layernorm_without_affine = false;    // both LayerNorms skip gamma and beta
    bool heads_merged_d_major = false;        // context column d*H + head instead of head*D + d
    bool last_output_tile_unwritten = false;  // the last 16-row tile of `output` rows is never stored
    bool qkv_bias_ignored = false;            // HF semantics: the Q, K, V biases are not added
    bool softmax_without_max_fp16_exp = false;// HF semantics: exp without max subtraction, rounded to fp16
    bool layernorm_eps_outside_root = false;  // both LayerNorms divide by sqrt(var) + eps
};

// Runs the reference layer with the given defects. Invariant: params passed api.cpp's validation and its
// dtype is F32 and weight layout OUT_IN.
void run_reference(const bk_params& params, const ReferenceDefects& defects);

// The bk_variant_info every member of the reference family shares (F32, OUT_IN, both semantics, all 19 outputs),
// under the given name and description (static strings).
bk_variant_info reference_family_info(const char* name, const char* description);

}  // namespace bk::cpu
