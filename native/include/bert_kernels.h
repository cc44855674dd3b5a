/*
 * bert_kernels.h — the whole contract between the harness and a library of BERT-layer kernel variants.
 *
 * A library implementing this header exports the five bk_* functions below. The harness (C#, P/Invoke)
 * enumerates the variants, fills one bk_params per run and reads the canonical intermediates back.
 * Everything is plain C: fixed-width integers, no enums in structs (int32_t codes instead), no ownership
 * transfer. Every exported function catches all errors and returns a status; the message of the last
 * failure on the calling thread is available from bk_last_error().
 *
 * Conventions
 *  - Dimensions: B batch, S sequence, H heads, D head size, M = H*D model width, F intermediate width.
 *  - All tensors are dense, row-major, contiguous, in the shapes given per field.
 *  - "dtype tensors" hold elements of params.dtype (BK_DTYPE_F32: IEEE float; BK_DTYPE_F16: IEEE binary16 bits).
 *    Accumulator outputs (softmax row sums, LayerNorm sums) are always float32.
 *  - Pointers address host memory for BK_DEVICE_CPU variants and CUDA device memory for BK_DEVICE_CUDA variants.
 *  - A null output pointer means "not wanted"; a variant must not write through it.
 *  - A variant writes only the outputs it declares (bk_variant_info.outputs) and the caller poisons every
 *    output buffer (NaN) before a run, so an element a kernel never wrote is visible.
 */
#ifndef BERT_KERNELS_H
#define BERT_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define BK_EXPORT __declspec(dllexport)
#else
#define BK_EXPORT __attribute__((visibility("default")))
#endif

/* Bumped whenever a struct layout or a function signature below changes. */
#define BK_ABI_VERSION 1

/* Status codes returned by every function. */
#define BK_OK 0
#define BK_ERR_INVALID_ARGUMENT 1  /* a null required pointer, a non-positive dimension, a bad enum value */
#define BK_ERR_UNSUPPORTED_SHAPE 2 /* the dimensions are valid but this variant does not implement them */
#define BK_ERR_UNKNOWN_VARIANT 3   /* no variant of that name in this library */
#define BK_ERR_ABI_MISMATCH 4      /* params.abi_version or params.struct_size differ from this library's */
#define BK_ERR_DEVICE 5            /* a CUDA call or launch failed; the message holds the CUDA error string */
#define BK_ERR_INTERNAL 6          /* anything else (an exception inside the variant) */

/* Devices. */
#define BK_DEVICE_CPU 0
#define BK_DEVICE_CUDA 1

/* Element types of the dtype tensors. */
#define BK_DTYPE_F32 0
#define BK_DTYPE_F16 1

/* Semantics (bit flags in bk_variant_info.semantics; one value in bk_params.semantics). See the README's table. */
#define BK_SEMANTICS_HUGGINGFACE 1 /* biases, 1/sqrt(D), max-subtracted softmax, GELU erf, per-channel LayerNorm eps 1e-12 */
#define BK_SEMANTICS_SOUFFLE 2     /* Souffle: 1/sqrt(M) in fp16, exp without max, ReLU, scalar LayerNorm eps 1e-5 in root */

/* Weight layouts (bk_variant_info.weight_layout): how every weight matrix in bk_params is laid out. */
#define BK_LAYOUT_OUT_IN 0 /* nn.Linear / checkpoint order: weight[out][in] */
#define BK_LAYOUT_IN_OUT 1 /* Souffle order: weight[in][out] (the transpose of the checkpoint's) */

/* Rounding of fp16 accumulators (bk_params.accumulation_rounding). */
#define BK_ROUND_NEAREST_EVEN 0
#define BK_ROUND_TOWARD_ZERO 1

/*
 * Canonical intermediates, in dataflow order; the index into bk_params.outputs and the bit in
 * bk_variant_info.outputs. Names and shapes (dtype tensors unless marked fp32):
 */
#define BK_T_ATTN_Q 0              /* attn.q            [B,H,S,D] */
#define BK_T_ATTN_K 1              /* attn.k            [B,H,S,D] */
#define BK_T_ATTN_V 2              /* attn.v            [B,H,S,D] */
#define BK_T_ATTN_QKV 3            /* attn.qkv          [3,B*H,S,D] (q, k, v stacked) */
#define BK_T_ATTN_SCORES_RAW 4     /* attn.scores_raw   [B,H,S,S] Q.K^T before scaling */
#define BK_T_ATTN_SCORES 5         /* attn.scores       [B,H,S,S] scaled, mask added */
#define BK_T_ATTN_SOFTMAX_ROWSUM 6 /* attn.softmax_rowsum [B*H,S] fp32: sum of exp over a row as the variant defines it */
#define BK_T_ATTN_PROBS 7          /* attn.probs        [B,H,S,S] */
#define BK_T_ATTN_CONTEXT 8        /* attn.context      [B,S,M] heads merged, column = head*D + d */
#define BK_T_ATTN_DENSE 9          /* attn.dense        [B,S,M] context.Wo (+ bias), before the residual */
#define BK_T_ATTN_LN_SUM 10        /* attn.ln_sum       [B*S] fp32: sum of x = dense + input over a row */
#define BK_T_ATTN_LN_SUMSQ 11      /* attn.ln_sumsq     [B*S] fp32: sum of x^2 */
#define BK_T_ATTN_OUTPUT 12        /* attn.output       [B,S,M] LayerNorm(dense + input) */
#define BK_T_FFN_FC1_LINEAR 13     /* ffn.fc1_linear    [B,S,F] before the activation */
#define BK_T_FFN_FC1 14            /* ffn.fc1           [B,S,F] after the activation */
#define BK_T_FFN_FC2_LINEAR 15     /* ffn.fc2_linear    [B,S,M] before the residual */
#define BK_T_FFN_LN_SUM 16         /* ffn.ln_sum        [B*S] fp32 */
#define BK_T_FFN_LN_SUMSQ 17       /* ffn.ln_sumsq      [B*S] fp32 */
#define BK_T_OUTPUT 18             /* output            [B,S,M] the layer's output */
#define BK_TENSOR_COUNT 19

/* Description of one variant. All strings are static, NUL-terminated, owned by the library. */
typedef struct bk_variant_info {
    const char* name;                   /* unique, kebab-case, e.g. "cpu-souffle" */
    const char* description;            /* one line: what it is and how it differs */
    const char* shapes;                 /* human-readable supported shapes, e.g. "any" or "B=1, S=384, H=12, D=64, F=3072" */
    int32_t device;                     /* BK_DEVICE_* where its pointers live */
    int32_t semantics;                  /* bit set of BK_SEMANTICS_* it can compute */
    int32_t dtype;                      /* BK_DTYPE_* of its dtype tensors (inputs, weights and outputs) */
    int32_t weight_layout;              /* BK_LAYOUT_* of every weight matrix it reads */
    int32_t default_accumulation_group; /* fp16 accumulation group k used when params.accumulation_group is 0; 0 = fp32 accumulation */
    uint64_t outputs;                   /* bit (1 << BK_T_*) set for every canonical tensor it writes */
} bk_variant_info;

/* Dimensions of one layer invocation. All must be positive; M = heads * head_size. */
typedef struct bk_dims {
    int64_t batch;        /* B */
    int64_t seq;          /* S */
    int64_t heads;        /* H */
    int64_t head_size;    /* D */
    int64_t intermediate; /* F */
} bk_dims;

/*
 * Everything one run reads and writes. The caller zero-initialises the whole struct, then sets
 * abi_version = BK_ABI_VERSION and struct_size = sizeof(bk_params). Pointer fields marked "required"
 * must be non-null; the others may be null with the meaning given. The variant zeroes its own fp32
 * accumulators (softmax row sums, LayerNorm sums) before accumulating: callers poison them like the rest.
 */
typedef struct bk_params {
    int32_t abi_version;           /* = BK_ABI_VERSION, set by the caller */
    int32_t struct_size;           /* = sizeof(bk_params), set by the caller */
    bk_dims dims;                  /* shapes of every tensor below */
    int32_t dtype;                 /* BK_DTYPE_* of all dtype tensors; must equal the variant's */
    int32_t semantics;             /* one BK_SEMANTICS_* value the variant supports */
    int32_t accumulation_group;    /* fp16 accumulation group k (products summed exactly, then rounded once); 0 = variant default; ignored by fp32-accumulating variants */
    int32_t accumulation_rounding; /* BK_ROUND_* for fp16 accumulators */
    float layernorm_eps;           /* epsilon of both LayerNorms (HF 1e-12, Souffle 1e-5; placement per semantics) */
    float layernorm_scalar_gamma;  /* scalar gamma of both LayerNorms, used by BK_SEMANTICS_SOUFFLE (upstream 1) */
    float layernorm_scalar_beta;   /* scalar beta of both LayerNorms, used by BK_SEMANTICS_SOUFFLE (upstream 0) */
    int32_t reserved0;             /* zero */
    void* stream;                  /* CUDA: cudaStream_t to enqueue on (null = legacy default stream); CPU: ignored.
                                      A run returns after its work on this stream has completed. */

    const void* input;             /* required. [B,S,M] hidden states */
    const void* qkv_weight;        /* required. [3][M][M]: q, k, v projection weights stacked, each in weight_layout */
    const void* qkv_bias;          /* [3][M] q, k, v biases; null = zero */
    const void* attn_dense_weight; /* required. [M][M] in weight_layout */
    const void* attn_dense_bias;   /* [M]; null = zero */
    const void* ln1_gamma;         /* [M] per-channel gamma of LayerNorm 1 (HF semantics); null = ones */
    const void* ln1_beta;          /* [M] per-channel beta of LayerNorm 1; null = zeros */
    const void* fc1_weight;        /* required. [F][M] (OUT_IN) or [M][F] (IN_OUT) */
    const void* fc1_bias;          /* [F]; null = zero */
    const void* fc2_weight;        /* required. [M][F] (OUT_IN) or [F][M] (IN_OUT) */
    const void* fc2_bias;          /* [M]; null = zero */
    const void* ln2_gamma;         /* [M] per-channel gamma of LayerNorm 2; null = ones */
    const void* ln2_beta;          /* [M] per-channel beta of LayerNorm 2; null = zeros */
    const void* attention_mask;    /* [B][S] additive mask over key positions (broadcast over heads and query rows); null = none */

    void* outputs[BK_TENSOR_COUNT]; /* outputs[BK_T_*]: where to write that canonical tensor; null = not wanted */
} bk_params;

/* BK_ABI_VERSION of this library. */
BK_EXPORT int32_t bk_abi_version(void);

/* Number of variants in this library. */
BK_EXPORT int32_t bk_variant_count(void);

/* Fills *info for variant `index` (0 <= index < bk_variant_count()). */
BK_EXPORT int32_t bk_variant_info_at(int32_t index, bk_variant_info* info);

/* Runs variant `name` on *params. Validates everything before touching memory; returns BK_OK or an error status. */
BK_EXPORT int32_t bk_run(const char* name, const bk_params* params);

/* Message of the last failing call on this thread ("" if none). Valid until the next call on this thread. */
BK_EXPORT const char* bk_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* BERT_KERNELS_H */
