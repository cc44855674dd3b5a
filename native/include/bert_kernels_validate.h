/*
 * bert_kernels_validate.h — the parameter checks of the bk_* shims, header-only, for every library that implements
 * bert_kernels.h: this project's own shims (src/api.cpp) and out-of-tree libraries include it, so both refuse bad
 * parameters with the same status and the same one-line message.
 *
 * Plain C99 (also valid C++): static inline functions, no allocation, no global state, no libm. The only library
 * calls are snprintf (messages) and memcpy (reading float bits).
 *
 *   bk_tensor_row(index)                      one row of the header's tensor table (BK_TENSOR_TABLE), or NULL
 *   bk_tensor_elements(dims, tensor)          elements of a canonical tensor for dims (-1: unknown or implausible)
 *   bk_tensor_bytes(dims, tensor, dtype)      bytes of that tensor when the dtype tensors are `dtype` (-1 as above)
 *   bk_dtype_size(dtype)                      bytes of one dtype element (0 for an unknown code)
 *   bk_validate_params(info, params, ...)     what bk_workspace_size checks: ABI, dims, dtype, semantics, scalars,
 *                                             reserved fields, the variant's shape limits. Reads no pointer field.
 *   bk_validate_run(info, params, needed, ...) bk_validate_params, then what only a run needs: required pointers,
 *                                             alignment, run_flags, the workspace (`needed` bytes; 0 = none)
 *
 * Each bk_validate_* function returns BK_OK or a BK_ERR_* status and, on failure, writes a one-line message
 * (truncated to message_size, always NUL-terminated when message_size > 0) without a "bk_run(...)" prefix.
 * Order matters and is part of the contract: abi_version and struct_size are checked before any other field is
 * read, since a caller built against another layout may have passed a shorter struct.
 *
 * A typical bk_run of a one-variant library without workspace:
 *
 *     char message[512];
 *     const int32_t status = bk_validate_run(&info, params, 0, message, sizeof message);
 *     if (status != BK_OK) return fail(status, message);
 */
#ifndef BERT_KERNELS_VALIDATE_H
#define BERT_KERNELS_VALIDATE_H

#include "bert_kernels.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest element count any one tensor may have: sizes beyond it are refused as implausible (and cannot overflow). */
#define BK_MAX_TENSOR_ELEMENTS (((int64_t)1) << 40)

/* Row `index` of the tensor table, or NULL outside [0, BK_TENSOR_COUNT). The rows are static. */
static inline const bk_tensor_info* bk_tensor_row(int32_t index)
{
    static const bk_tensor_info rows[BK_TENSOR_COUNT] = {
#define BK_VALIDATE_TENSOR_ROW(id, name, kind, rank, a0, a1, a2, a3) {name, BK_T_##id, kind, rank, {a0, a1, a2, a3}},
        BK_TENSOR_TABLE(BK_VALIDATE_TENSOR_ROW)
#undef BK_VALIDATE_TENSOR_ROW
    };
    return index >= 0 && index < BK_TENSOR_COUNT ? &rows[index] : NULL;
}

/* Bytes of one element of a dtype tensor: 4 (F32), 2 (F16), 0 for an unknown code. */
static inline int64_t bk_dtype_size(int32_t dtype)
{
    return dtype == BK_DTYPE_F32 ? 4 : dtype == BK_DTYPE_F16 ? 2 : 0;
}

/* count * factor, or -1 when a factor is not positive or the product exceeds BK_MAX_TENSOR_ELEMENTS. */
static inline int64_t bk_validate_times(int64_t count, int64_t factor)
{
    if (count < 0 || factor <= 0 || count > BK_MAX_TENSOR_ELEMENTS / factor) return -1;
    return count * factor;
}

/* Length of one axis, BK_AXIS(factor, BK_DIM_* bits), for dims; -1 if implausible. */
static inline int64_t bk_axis_length(const bk_dims* dims, int32_t axis)
{
    int64_t length = (axis >> 8) & 0xFF;
    if ((axis & BK_DIM_B) != 0) length = bk_validate_times(length, dims->batch);
    if ((axis & BK_DIM_S) != 0) length = bk_validate_times(length, dims->seq);
    if ((axis & BK_DIM_H) != 0) length = bk_validate_times(length, dims->heads);
    if ((axis & BK_DIM_D) != 0) length = bk_validate_times(length, dims->head_size);
    if ((axis & BK_DIM_F) != 0) length = bk_validate_times(length, dims->intermediate);
    return length;
}

/*
 * Elements of canonical tensor `tensor` (a BK_T_* code) for dims, from the tensor table; -1 when the code is unknown,
 * a dimension is not positive, or the count exceeds BK_MAX_TENSOR_ELEMENTS.
 */
static inline int64_t bk_tensor_elements(const bk_dims* dims, int32_t tensor)
{
    const bk_tensor_info* row = bk_tensor_row(tensor);
    int64_t count = 1;
    int32_t axis;
    if (row == NULL || dims == NULL) return -1;
    for (axis = 0; axis < row->rank && axis < 4; ++axis) {
        count = bk_validate_times(count, bk_axis_length(dims, row->axes[axis]));
    }
    return count;
}

/* Bytes of canonical tensor `tensor` when the dtype tensors are `dtype` (accumulators are float32); -1 as above. */
static inline int64_t bk_tensor_bytes(const bk_dims* dims, int32_t tensor, int32_t dtype)
{
    const bk_tensor_info* row = bk_tensor_row(tensor);
    const int64_t elements = bk_tensor_elements(dims, tensor);
    const int64_t size = row != NULL && row->kind == BK_KIND_FP32 ? 4 : bk_dtype_size(dtype);
    return elements < 0 || size == 0 ? -1 : elements * size;
}

/* Writes the message (if there is room) and returns status. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 4, 5)))
#endif
static inline int32_t bk_validate_fail(int32_t status, char* message, size_t message_size, const char* format, ...)
{
    if (message != NULL && message_size > 0) {
        va_list arguments;
        va_start(arguments, format);
        vsnprintf(message, message_size, format, arguments);
        va_end(arguments);
    }
    return status;
}

/* Whether a float is neither infinite nor NaN, from its bits (no libm; immune to -ffinite-math-only). */
static inline int bk_validate_finite(float value)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return (bits & 0x7F800000u) != 0x7F800000u;
}

static inline const char* bk_validate_dtype_name(int32_t dtype)
{
    return dtype == BK_DTYPE_F32 ? "BK_DTYPE_F32" : dtype == BK_DTYPE_F16 ? "BK_DTYPE_F16" : "an unknown dtype";
}

static inline const char* bk_validate_semantics_names(int32_t bits)
{
    const int32_t both = BK_SEMANTICS_HUGGINGFACE | BK_SEMANTICS_SOUFFLE;
    if ((bits & both) == both) return "BK_SEMANTICS_HUGGINGFACE|BK_SEMANTICS_SOUFFLE";
    if ((bits & BK_SEMANTICS_HUGGINGFACE) != 0) return "BK_SEMANTICS_HUGGINGFACE";
    if ((bits & BK_SEMANTICS_SOUFFLE) != 0) return "BK_SEMANTICS_SOUFFLE";
    return "none";
}

/* Writes what `limit` accepts for dimension `symbol`, e.g. "D in [32, 64], multiple of 32" or "only D=64". */
static inline void bk_validate_describe_limit(const bk_dim_limit* limit, const char* symbol, char* text, size_t size)
{
    const long long low = limit->min > 1 ? (long long)limit->min : 1;
    const long long multiple = (long long)limit->multiple_of;
    int used;
    if (limit->max > 0 && limit->min == limit->max) {
        snprintf(text, size, "only %s=%lld", symbol, (long long)limit->max);
        return;
    }
    if (limit->max > 0) {
        used = snprintf(text, size, "%s in [%lld, %lld]", symbol, low, (long long)limit->max);
    } else if (low > 1) {
        used = snprintf(text, size, "%s >= %lld", symbol, low);
    } else {
        used = snprintf(text, size, "any %s", symbol);
    }
    if (multiple > 1 && used > 0 && (size_t)used < size) {
        snprintf(text + used, size - (size_t)used, ", multiple of %lld", multiple);
    }
}

/* Checks one dimension against its limit; BK_ERR_UNSUPPORTED_SHAPE names the dimension, its value and the limit. */
static inline int32_t bk_validate_dim_limit(const bk_variant_info* info, const char* field, const char* symbol,
                                            int64_t value, const bk_dim_limit* limit, char* message, size_t message_size)
{
    char accepts[96];
    const long long v = (long long)value;
    bk_validate_describe_limit(limit, symbol, accepts, sizeof accepts);
    if (limit->max > 0 && limit->min == limit->max && value != limit->max) {
        return bk_validate_fail(BK_ERR_UNSUPPORTED_SHAPE, message, message_size,
                                "%s %s=%lld is not %lld (variant '%s' accepts %s)", field, symbol, v,
                                (long long)limit->max, info->name, accepts);
    }
    if (limit->min > 1 && value < limit->min) {
        return bk_validate_fail(BK_ERR_UNSUPPORTED_SHAPE, message, message_size,
                                "%s %s=%lld is below the minimum %lld (variant '%s' accepts %s)", field, symbol, v,
                                (long long)limit->min, info->name, accepts);
    }
    if (limit->max > 0 && value > limit->max) {
        return bk_validate_fail(BK_ERR_UNSUPPORTED_SHAPE, message, message_size,
                                "%s %s=%lld is above the maximum %lld (variant '%s' accepts %s)", field, symbol, v,
                                (long long)limit->max, info->name, accepts);
    }
    if (limit->multiple_of > 1 && value % limit->multiple_of != 0) {
        return bk_validate_fail(BK_ERR_UNSUPPORTED_SHAPE, message, message_size,
                                "%s %s=%lld is not a multiple of %lld (variant '%s' accepts %s)", field, symbol, v,
                                (long long)limit->multiple_of, info->name, accepts);
    }
    return BK_OK;
}

/* Every dimension against the variant's limits, M = H*D included (dims already checked positive and plausible). */
static inline int32_t bk_validate_limits(const bk_variant_info* info, const bk_dims* dims, char* message,
                                         size_t message_size)
{
    const bk_shape_limits* l = &info->limits;
    int32_t status = bk_validate_dim_limit(info, "batch", "B", dims->batch, &l->batch, message, message_size);
    if (status == BK_OK) status = bk_validate_dim_limit(info, "seq", "S", dims->seq, &l->seq, message, message_size);
    if (status == BK_OK) status = bk_validate_dim_limit(info, "heads", "H", dims->heads, &l->heads, message, message_size);
    if (status == BK_OK) {
        status = bk_validate_dim_limit(info, "head_size", "D", dims->head_size, &l->head_size, message, message_size);
    }
    if (status == BK_OK) {
        status = bk_validate_dim_limit(info, "model width", "M", dims->heads * dims->head_size, &l->model, message,
                                       message_size);
    }
    if (status == BK_OK) {
        status = bk_validate_dim_limit(info, "intermediate", "F", dims->intermediate, &l->intermediate, message,
                                       message_size);
    }
    return status;
}

/* Positive dimensions, and no tensor (canonical or weight) beyond BK_MAX_TENSOR_ELEMENTS. */
static inline int32_t bk_validate_dims(const bk_dims* dims, char* message, size_t message_size)
{
    const char* names[5] = {"batch", "seq", "heads", "head_size", "intermediate"};
    const int64_t values[5] = {dims->batch, dims->seq, dims->heads, dims->head_size, dims->intermediate};
    int64_t qkv_weight, fc1_weight;
    int32_t i;
    for (i = 0; i < 5; ++i) {
        if (values[i] <= 0) {
            return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                    "params.dims.%s must be positive (got %lld)", names[i], (long long)values[i]);
        }
    }
    for (i = 0; i < BK_TENSOR_COUNT; ++i) {
        if (bk_tensor_elements(dims, i) < 0) {
            return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                    "params.dims: tensor %s would have more than 2^40 elements; the dimensions are "
                                    "implausible",
                                    bk_tensor_row(i)->name);
        }
    }
    /* M*M and M*F bound every weight and bias; M itself is bounded by attn.context = B*S*M above. */
    qkv_weight = bk_validate_times(bk_validate_times(3 * dims->heads * dims->head_size, dims->heads), dims->head_size);
    fc1_weight = bk_validate_times(dims->heads * dims->head_size, dims->intermediate);
    if (qkv_weight < 0 || fc1_weight < 0) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.dims: weight %s would have more than 2^40 elements; the dimensions are "
                                "implausible",
                                qkv_weight < 0 ? "qkv_weight" : "fc1_weight");
    }
    return BK_OK;
}

/*
 * The checks of bk_workspace_size (and the first part of bk_run's): ABI version and struct size, dims, dtype,
 * semantics, accumulation group and rounding, the LayerNorm scalars, reserved fields, the variant's shape limits.
 * Reads no pointer field of params, so a zero-initialised bk_params with abi_version, struct_size, dims, dtype and
 * semantics set passes. Invariant: info and params are non-null.
 */
static inline int32_t bk_validate_params(const bk_variant_info* info, const bk_params* params, char* message,
                                         size_t message_size)
{
    int32_t status;
    if (params->abi_version != BK_ABI_VERSION) {
        return bk_validate_fail(BK_ERR_ABI_MISMATCH, message, message_size,
                                "params.abi_version is %d but this library implements BK_ABI_VERSION %d",
                                (int)params->abi_version, BK_ABI_VERSION);
    }
    if (params->struct_size != (int32_t)sizeof(bk_params)) {
        return bk_validate_fail(BK_ERR_ABI_MISMATCH, message, message_size,
                                "params.struct_size is %d but sizeof(bk_params) in this library is %d%s",
                                (int)params->struct_size, (int)sizeof(bk_params),
                                params->struct_size == BK_PARAMS_ABI1_SIZE ? " (an ABI 1 layout)" : "");
    }
    status = bk_validate_dims(&params->dims, message, message_size);
    if (status != BK_OK) return status;
    if (params->dtype != BK_DTYPE_F32 && params->dtype != BK_DTYPE_F16) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.dtype = %d is not a BK_DTYPE_* code (F32 = 0, F16 = 1)", (int)params->dtype);
    }
    if (params->dtype != info->dtype) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.dtype is %s but variant '%s' computes in %s",
                                bk_validate_dtype_name(params->dtype), info->name, bk_validate_dtype_name(info->dtype));
    }
    if (params->semantics != BK_SEMANTICS_HUGGINGFACE && params->semantics != BK_SEMANTICS_SOUFFLE) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.semantics = %d is not exactly one BK_SEMANTICS_* value (HUGGINGFACE = 1, "
                                "SOUFFLE = 2)",
                                (int)params->semantics);
    }
    if ((params->semantics & info->semantics) == 0) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.semantics is %s but variant '%s' supports only %s",
                                bk_validate_semantics_names(params->semantics), info->name,
                                bk_validate_semantics_names(info->semantics));
    }
    if (params->accumulation_group < 0 || params->accumulation_group > 4096) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.accumulation_group = %d is outside [0, 4096] (0 = the variant's default)",
                                (int)params->accumulation_group);
    }
    if (params->accumulation_rounding != BK_ROUND_NEAREST_EVEN && params->accumulation_rounding != BK_ROUND_TOWARD_ZERO) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.accumulation_rounding = %d is not a BK_ROUND_* code (NEAREST_EVEN = 0, "
                                "TOWARD_ZERO = 1)",
                                (int)params->accumulation_rounding);
    }
    if (!bk_validate_finite(params->layernorm_eps) || params->layernorm_eps < 0.0f) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.layernorm_eps must be finite and not negative (got %g)",
                                (double)params->layernorm_eps);
    }
    if (!bk_validate_finite(params->layernorm_scalar_gamma)) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.layernorm_scalar_gamma must be finite (got %g)",
                                (double)params->layernorm_scalar_gamma);
    }
    if (!bk_validate_finite(params->layernorm_scalar_beta)) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.layernorm_scalar_beta must be finite (got %g)",
                                (double)params->layernorm_scalar_beta);
    }
    if (params->reserved0 != 0 || params->reserved1 != 0) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.%s must be 0 (got %d)", params->reserved0 != 0 ? "reserved0" : "reserved1",
                                (int)(params->reserved0 != 0 ? params->reserved0 : params->reserved1));
    }
    return bk_validate_limits(info, &params->dims, message, message_size);
}

/* The alignment every pointer of a run on `info` must have (BK_ALIGNMENT_CUDA or BK_ALIGNMENT_CPU). */
static inline uint64_t bk_required_alignment(const bk_variant_info* info)
{
    return info->device == BK_DEVICE_CUDA ? BK_ALIGNMENT_CUDA : BK_ALIGNMENT_CPU;
}

static inline int32_t bk_validate_aligned(const bk_variant_info* info, const char* field, const void* pointer,
                                          char* message, size_t message_size)
{
    const uint64_t alignment = bk_required_alignment(info);
    const uint64_t remainder = (uint64_t)(uintptr_t)pointer % alignment;
    if (pointer != NULL && remainder != 0) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.%s is not %llu-byte aligned (address %% %llu = %llu; %s variants need "
                                "BK_ALIGNMENT_%s)",
                                field, (unsigned long long)alignment, (unsigned long long)alignment,
                                (unsigned long long)remainder, info->device == BK_DEVICE_CUDA ? "CUDA" : "CPU",
                                info->device == BK_DEVICE_CUDA ? "CUDA" : "CPU");
    }
    return BK_OK;
}

/*
 * Everything a variant's run may take for granted: bk_validate_params, then the five required pointers, the
 * alignment of every non-null pointer, run_flags (known bits; BK_RUN_ASYNC only for BK_VARIANT_ASYNC variants) and,
 * when workspace_needed > 0, a workspace that is present, at least that large and aligned (BK_ERR_WORKSPACE).
 * workspace_needed is the variant's bk_workspace_size for these params (0 = none; the workspace fields are then
 * ignored). Invariant: info and params are non-null.
 */
static inline int32_t bk_validate_run(const bk_variant_info* info, const bk_params* params, uint64_t workspace_needed,
                                      char* message, size_t message_size)
{
    const char* input_names[14] = {"input",     "qkv_weight", "qkv_bias",  "attn_dense_weight", "attn_dense_bias",
                                   "ln1_gamma", "ln1_beta",   "fc1_weight", "fc1_bias",         "fc2_weight",
                                   "fc2_bias",  "ln2_gamma",  "ln2_beta",  "attention_mask"};
    const void* inputs[14];
    const int required[14] = {1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0};
    const uint64_t alignment = bk_required_alignment(info);
    char field[64];
    int32_t status = bk_validate_params(info, params, message, message_size);
    int32_t i;
    if (status != BK_OK) return status;
    inputs[0] = params->input;
    inputs[1] = params->qkv_weight;
    inputs[2] = params->qkv_bias;
    inputs[3] = params->attn_dense_weight;
    inputs[4] = params->attn_dense_bias;
    inputs[5] = params->ln1_gamma;
    inputs[6] = params->ln1_beta;
    inputs[7] = params->fc1_weight;
    inputs[8] = params->fc1_bias;
    inputs[9] = params->fc2_weight;
    inputs[10] = params->fc2_bias;
    inputs[11] = params->ln2_gamma;
    inputs[12] = params->ln2_beta;
    inputs[13] = params->attention_mask;
    for (i = 0; i < 14; ++i) {
        if (required[i] && inputs[i] == NULL) {
            return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size, "params.%s is required but null",
                                    input_names[i]);
        }
    }
    for (i = 0; i < 14; ++i) {
        status = bk_validate_aligned(info, input_names[i], inputs[i], message, message_size);
        if (status != BK_OK) return status;
    }
    for (i = 0; i < BK_TENSOR_COUNT; ++i) {
        snprintf(field, sizeof field, "outputs[%d] (%s)", (int)i, bk_tensor_row(i)->name);
        status = bk_validate_aligned(info, field, params->outputs[i], message, message_size);
        if (status != BK_OK) return status;
    }
    if ((params->run_flags & ~BK_RUN_ASYNC) != 0) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.run_flags = 0x%x has bits no BK_RUN_* flag defines (known: BK_RUN_ASYNC = 1)",
                                (unsigned)params->run_flags);
    }
    if ((params->run_flags & BK_RUN_ASYNC) != 0 && (info->flags & BK_VARIANT_ASYNC) == 0) {
        return bk_validate_fail(BK_ERR_INVALID_ARGUMENT, message, message_size,
                                "params.run_flags has BK_RUN_ASYNC but variant '%s' runs synchronously only (its "
                                "flags lack BK_VARIANT_ASYNC)",
                                info->name);
    }
    if (workspace_needed > 0) {
        if (params->workspace == NULL) {
            return bk_validate_fail(BK_ERR_WORKSPACE, message, message_size,
                                    "params.workspace is null but variant '%s' needs %llu bytes of workspace for "
                                    "these dims (bk_workspace_size)",
                                    info->name, (unsigned long long)workspace_needed);
        }
        if (params->workspace_size < workspace_needed) {
            return bk_validate_fail(BK_ERR_WORKSPACE, message, message_size,
                                    "params.workspace_size is %llu bytes but variant '%s' needs %llu for these dims "
                                    "(bk_workspace_size)",
                                    (unsigned long long)params->workspace_size, info->name,
                                    (unsigned long long)workspace_needed);
        }
        if ((uint64_t)(uintptr_t)params->workspace % alignment != 0) {
            return bk_validate_fail(BK_ERR_WORKSPACE, message, message_size,
                                    "params.workspace is not %llu-byte aligned (address %% %llu = %llu)",
                                    (unsigned long long)alignment, (unsigned long long)alignment,
                                    (unsigned long long)((uint64_t)(uintptr_t)params->workspace % alignment));
        }
    }
    return BK_OK;
}

#ifdef __cplusplus
}
#endif

#endif /* BERT_KERNELS_VALIDATE_H */
