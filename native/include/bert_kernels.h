/*
 * bert_kernels.h — the whole contract between the harness and a library of BERT-layer kernel variants.
 *
 * A library implementing this header exports the eight bk_* functions below (an ABI 1 library: five). The harness (C#, P/Invoke)
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

/*
 * Bumped whenever a struct layout or a function signature below changes.
 * ABI 2 appended fields to bk_variant_info and bk_params (the ABI 1 layouts are their prefixes, up to the fields
 * marked "ABI 2") and added bk_tensor_info_at and bk_workspace_size. A harness can still drive an ABI 1 library
 * (synchronous runs, no workspace) by passing abi_version = 1 and struct_size = BK_PARAMS_ABI1_SIZE.
 */
#define BK_ABI_VERSION 2
#define BK_PARAMS_ABI1_SIZE 352       /* sizeof(bk_params) under ABI 1 on LP64: offsetof(bk_params, run_flags) */
#define BK_VARIANT_INFO_ABI1_SIZE 56  /* sizeof(bk_variant_info) under ABI 1 on LP64: offsetof(bk_variant_info, flags) */

/*
 * Alignment promise: every pointer in bk_params (inputs, weights, outputs, workspace) is a multiple of
 * BK_ALIGNMENT_CUDA bytes for BK_DEVICE_CUDA variants (what cudaMalloc and PyTorch's caching allocator give) and of
 * BK_ALIGNMENT_CPU bytes for BK_DEVICE_CPU variants (what PyTorch's CPU allocator gives). The shims refuse anything
 * else with BK_ERR_INVALID_ARGUMENT (a misaligned workspace with BK_ERR_WORKSPACE), so kernels may use vector loads,
 * cp.async and tensor-core fragments directly. bert_kernels_validate.h holds these checks for every library.
 */
#define BK_ALIGNMENT_CUDA 256
#define BK_ALIGNMENT_CPU 64

/* Status codes returned by every function. */
#define BK_OK 0
#define BK_ERR_INVALID_ARGUMENT 1  /* a null required pointer, a non-positive dimension, a bad enum value */
#define BK_ERR_UNSUPPORTED_SHAPE 2 /* the dimensions are valid but this variant does not implement them */
#define BK_ERR_UNKNOWN_VARIANT 3   /* no variant of that name in this library */
#define BK_ERR_ABI_MISMATCH 4      /* params.abi_version or params.struct_size differ from this library's */
#define BK_ERR_DEVICE 5            /* a CUDA call or launch failed; the message holds the CUDA error string */
#define BK_ERR_INTERNAL 6          /* anything else (an exception inside the variant) */
#define BK_ERR_WORKSPACE 7         /* params.workspace is missing, too small or misaligned for this run */

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

/*
 * Variant properties (bit flags in bk_variant_info.flags). CPU variants run synchronously on the calling thread,
 * ignore params.stream and never set BK_VARIANT_ASYNC, so BK_RUN_ASYNC is refused for them.
 */
#define BK_VARIANT_ASYNC 1            /* honours BK_RUN_ASYNC: enqueues on params.stream, capturable in a CUDA graph */
#define BK_VARIANT_NONDETERMINISTIC 2 /* results may differ bit for bit between runs (e.g. fp32 atomics), by design */
#define BK_VARIANT_TEST_ONLY 4        /* a harness self-test (do-nothing, crashing, throwaway): never in default lists */

/* Run flags (bit flags in bk_params.run_flags). */
#define BK_RUN_ASYNC 1 /* enqueue on params.stream and return without synchronising, allocating or touching host memory */

/* Rounding of fp16 accumulators (bk_params.accumulation_rounding). */
#define BK_ROUND_NEAREST_EVEN 0
#define BK_ROUND_TOWARD_ZERO 1

/*
 * Canonical intermediates: THE tensor table. Defined once here as an X-macro and exported through
 * bk_tensor_info_at, so the harness (C#), the CUDA workspace planning and the native smoke test all read the same
 * rows. X(ID, name, kind, rank, axis0, axis1, axis2, axis3): ID gives BK_T_<ID> = the row's index = the index into
 * bk_params.outputs and the bit in bk_variant_info.outputs; kind says whether the elements are params.dtype or
 * always float32 (accumulators); each axis is BK_AXIS(factor, dims) = factor times the product of the dims
 * (BK_DIM_* bits), unused axes 0. Rows are in dataflow order.
 */
#define BK_KIND_DTYPE 0 /* elements of params.dtype */
#define BK_KIND_FP32 1  /* always float32: an accumulator output (softmax row sums, LayerNorm sums) */

#define BK_DIM_B 1  /* batch */
#define BK_DIM_S 2  /* sequence */
#define BK_DIM_H 4  /* heads */
#define BK_DIM_D 8  /* head size */
#define BK_DIM_F 16 /* intermediate width; M = H*D is BK_DIM_H | BK_DIM_D */
#define BK_DIM_M (BK_DIM_H | BK_DIM_D)
/* One axis: bits 0-7 the BK_DIM_* product, bits 8-15 a constant factor. */
#define BK_AXIS(factor, dims) (((factor) << 8) | (dims))

#define BK_TENSOR_TABLE(X)                                                                                             \
    /* q, k, v per head; the three thirds of attn.qkv */                                                               \
    X(ATTN_Q, "attn.q", BK_KIND_DTYPE, 4, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_H), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_D)) \
    X(ATTN_K, "attn.k", BK_KIND_DTYPE, 4, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_H), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_D)) \
    X(ATTN_V, "attn.v", BK_KIND_DTYPE, 4, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_H), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_D)) \
    /* q, k, v stacked: [3, B*H, S, D] */                                                                              \
    X(ATTN_QKV, "attn.qkv", BK_KIND_DTYPE, 4, BK_AXIS(3, 0), BK_AXIS(1, BK_DIM_B | BK_DIM_H), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_D)) \
    /* Q.K^T before scaling */                                                                                         \
    X(ATTN_SCORES_RAW, "attn.scores_raw", BK_KIND_DTYPE, 4, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_H), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_S)) \
    /* scaled, mask added */                                                                                           \
    X(ATTN_SCORES, "attn.scores", BK_KIND_DTYPE, 4, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_H), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_S)) \
    /* sum of exp over a row as the variant defines it: [B*H, S] */                                                    \
    X(ATTN_SOFTMAX_ROWSUM, "attn.softmax_rowsum", BK_KIND_FP32, 2, BK_AXIS(1, BK_DIM_B | BK_DIM_H), BK_AXIS(1, BK_DIM_S), 0, 0) \
    X(ATTN_PROBS, "attn.probs", BK_KIND_DTYPE, 4, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_H), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_S)) \
    /* heads merged, column = head*D + d */                                                                            \
    X(ATTN_CONTEXT, "attn.context", BK_KIND_DTYPE, 3, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_M), 0) \
    /* context.Wo (+ bias), before the residual */                                                                     \
    X(ATTN_DENSE, "attn.dense", BK_KIND_DTYPE, 3, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_M), 0) \
    /* sum of x = dense + input over a row: [B*S] */                                                                   \
    X(ATTN_LN_SUM, "attn.ln_sum", BK_KIND_FP32, 1, BK_AXIS(1, BK_DIM_B | BK_DIM_S), 0, 0, 0)                          \
    /* sum of x^2 */                                                                                                   \
    X(ATTN_LN_SUMSQ, "attn.ln_sumsq", BK_KIND_FP32, 1, BK_AXIS(1, BK_DIM_B | BK_DIM_S), 0, 0, 0)                      \
    /* LayerNorm(dense + input) */                                                                                     \
    X(ATTN_OUTPUT, "attn.output", BK_KIND_DTYPE, 3, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_M), 0) \
    /* before the activation */                                                                                        \
    X(FFN_FC1_LINEAR, "ffn.fc1_linear", BK_KIND_DTYPE, 3, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_F), 0) \
    /* after the activation */                                                                                         \
    X(FFN_FC1, "ffn.fc1", BK_KIND_DTYPE, 3, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_F), 0)      \
    /* before the residual */                                                                                          \
    X(FFN_FC2_LINEAR, "ffn.fc2_linear", BK_KIND_DTYPE, 3, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_M), 0) \
    X(FFN_LN_SUM, "ffn.ln_sum", BK_KIND_FP32, 1, BK_AXIS(1, BK_DIM_B | BK_DIM_S), 0, 0, 0)                            \
    X(FFN_LN_SUMSQ, "ffn.ln_sumsq", BK_KIND_FP32, 1, BK_AXIS(1, BK_DIM_B | BK_DIM_S), 0, 0, 0)                        \
    /* the layer's output */                                                                                           \
    X(OUTPUT, "output", BK_KIND_DTYPE, 3, BK_AXIS(1, BK_DIM_B), BK_AXIS(1, BK_DIM_S), BK_AXIS(1, BK_DIM_M), 0)

enum {
#define BK_TENSOR_ENUM_ROW(id, name, kind, rank, a0, a1, a2, a3) BK_T_##id,
    BK_TENSOR_TABLE(BK_TENSOR_ENUM_ROW)
#undef BK_TENSOR_ENUM_ROW
    BK_TENSOR_COUNT
};

/* One row of the tensor table, as bk_tensor_info_at returns it. Strings are static, owned by the library. */
typedef struct bk_tensor_info {
    const char* name; /* canonical name, e.g. "attn.qkv" */
    int32_t index;    /* BK_T_* code: the row's position, the index into bk_params.outputs */
    int32_t kind;     /* BK_KIND_DTYPE or BK_KIND_FP32 */
    int32_t rank;     /* number of axes used, 1..4 */
    int32_t axes[4];  /* BK_AXIS(factor, BK_DIM_* bits) per axis, outermost first; 0 past rank */
} bk_tensor_info;

/*
 * The values one dimension may take: min <= value <= max (max 0 = no upper bound) and value % multiple_of == 0.
 * A fixed value has min = max. All zero (ABI 1 libraries) means "any positive value".
 */
typedef struct bk_dim_limit {
    int64_t min;         /* smallest value; 0 or 1 = any positive */
    int64_t max;         /* largest value; 0 = unbounded */
    int64_t multiple_of; /* the value must be a multiple of this; 0 or 1 = any */
} bk_dim_limit;

/* Shape limits of a variant, per dimension (M = heads * head_size is limited on its own as well). */
typedef struct bk_shape_limits {
    bk_dim_limit batch;        /* B */
    bk_dim_limit seq;          /* S */
    bk_dim_limit heads;        /* H */
    bk_dim_limit head_size;    /* D */
    bk_dim_limit model;        /* M = H*D */
    bk_dim_limit intermediate; /* F */
} bk_shape_limits;

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
    /* ABI 2 */
    int32_t flags;                      /* BK_VARIANT_* bits */
    int32_t reserved;                   /* zero */
    bk_shape_limits limits;             /* the shapes it runs, for programs; `shapes` above says the same for people */
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
                                      Without BK_RUN_ASYNC a run returns after its work on this stream has completed. */

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
    /* ABI 2 */
    int32_t run_flags;             /* BK_RUN_* bits; 0 = synchronous. BK_RUN_ASYNC needs a BK_VARIANT_ASYNC variant */
    int32_t reserved1;             /* zero */
    void* workspace;               /* device (CUDA) or host (CPU) scratch of at least bk_workspace_size() bytes, aligned
                                      like every pointer; required when that size is not 0. Its contents on entry are
                                      irrelevant: the variant zeroes what it accumulates into, on params.stream */
    uint64_t workspace_size;       /* bytes available at workspace */
} bk_params;

/* BK_ABI_VERSION of this library. */
BK_EXPORT int32_t bk_abi_version(void);

/* Number of variants in this library. */
BK_EXPORT int32_t bk_variant_count(void);

/* Fills *info for variant `index` (0 <= index < bk_variant_count()). */
BK_EXPORT int32_t bk_variant_info_at(int32_t index, bk_variant_info* info);

/* Number of rows of the tensor table this library was built with (= BK_TENSOR_COUNT). */
BK_EXPORT int32_t bk_tensor_count(void);

/* Fills *info with row `index` of the tensor table (0 <= index < bk_tensor_count()). */
BK_EXPORT int32_t bk_tensor_info_at(int32_t index, bk_tensor_info* info);

/*
 * Bytes of params.workspace variant `name` needs for *params. Reads no pointer field: a zero-initialised bk_params
 * with abi_version, struct_size, dims, dtype and semantics set is enough. Refuses what bk_run would refuse before
 * looking at pointers (bk_validate_params in bert_kernels_validate.h), a shape outside the variant's limits
 * included. Never allocates device memory.
 */
BK_EXPORT int32_t bk_workspace_size(const char* name, const bk_params* params, uint64_t* bytes);

/*
 * Runs variant `name` on *params. Validates everything before touching memory; returns BK_OK or an error status.
 * With BK_RUN_ASYNC the work is enqueued on params.stream and the call returns at once; launch errors are still
 * reported (the last CUDA error is checked after every launch), errors during execution surface at the caller's
 * next synchronisation.
 */
BK_EXPORT int32_t bk_run(const char* name, const bk_params* params);

/* Message of the last failing call on this thread ("" if none). Valid until the next call on this thread. */
BK_EXPORT const char* bk_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* BERT_KERNELS_H */
