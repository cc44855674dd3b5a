/*
 * abi1_library.c — a frozen ABI 1 kernel library, for the harness's "still loads ABI 1 libraries" test.
 *
 * It deliberately does not include bert_kernels.h: it declares its own copies of the ABI 1 structs (the layouts a
 * library built before ABI 2 has), reports abi_version 1 and exports the five ABI 1 functions only (no
 * bk_tensor_count, bk_tensor_info_at or bk_workspace_size). Its one variant, "abi1-qkv-projection", is honest: the
 * Hugging Face QKV projection in float32 (weights [out][in], biases added), writing attn.q, attn.k, attn.v and
 * attn.qkv only, accumulated in double and rounded once per element. Synchronous, CPU, any shape.
 *
 * Never update this file to a newer ABI: its value is that it stays what an old library is.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ABI1_EXPORT __attribute__((visibility("default")))

/* ABI 1 constants (the values bert_kernels.h had then and still has). */
enum {
    ABI1_VERSION = 1,
    ABI1_OK = 0,
    ABI1_ERR_INVALID_ARGUMENT = 1,
    ABI1_ERR_UNKNOWN_VARIANT = 3,
    ABI1_ERR_ABI_MISMATCH = 4,
    ABI1_DEVICE_CPU = 0,
    ABI1_DTYPE_F32 = 0,
    ABI1_SEMANTICS_HUGGINGFACE = 1,
    ABI1_LAYOUT_OUT_IN = 0,
    ABI1_T_ATTN_Q = 0,
    ABI1_T_ATTN_K = 1,
    ABI1_T_ATTN_V = 2,
    ABI1_T_ATTN_QKV = 3,
    ABI1_TENSOR_COUNT = 19
};

/* bk_variant_info as ABI 1 defined it (56 bytes on LP64). */
typedef struct abi1_variant_info {
    const char* name;
    const char* description;
    const char* shapes;
    int32_t device;
    int32_t semantics;
    int32_t dtype;
    int32_t weight_layout;
    int32_t default_accumulation_group;
    uint64_t outputs;
} abi1_variant_info;

typedef struct abi1_dims {
    int64_t batch, seq, heads, head_size, intermediate;
} abi1_dims;

/* bk_params as ABI 1 defined it (352 bytes on LP64). */
typedef struct abi1_params {
    int32_t abi_version;
    int32_t struct_size;
    abi1_dims dims;
    int32_t dtype;
    int32_t semantics;
    int32_t accumulation_group;
    int32_t accumulation_rounding;
    float layernorm_eps;
    float layernorm_scalar_gamma;
    float layernorm_scalar_beta;
    int32_t reserved0;
    void* stream;
    const void* input;
    const void* qkv_weight;
    const void* qkv_bias;
    const void* attn_dense_weight;
    const void* attn_dense_bias;
    const void* ln1_gamma;
    const void* ln1_beta;
    const void* fc1_weight;
    const void* fc1_bias;
    const void* fc2_weight;
    const void* fc2_bias;
    const void* ln2_gamma;
    const void* ln2_beta;
    const void* attention_mask;
    void* outputs[ABI1_TENSOR_COUNT];
} abi1_params;

_Static_assert(sizeof(void*) != 8 || sizeof(abi1_params) == 352, "ABI 1 bk_params is 352 bytes on LP64");
_Static_assert(sizeof(void*) != 8 || sizeof(abi1_variant_info) == 56, "ABI 1 bk_variant_info is 56 bytes on LP64");

static _Thread_local char last_error[256];

static int32_t fail(int32_t status, const char* message)
{
    snprintf(last_error, sizeof last_error, "bk_run('abi1-qkv-projection'): %s", message);
    return status;
}

static const abi1_variant_info info = {
    "abi1-qkv-projection",
    "frozen ABI 1 test library: the Hugging Face QKV projection in plain C (writes attn.q/k/v and attn.qkv only)",
    "any",
    ABI1_DEVICE_CPU,
    ABI1_SEMANTICS_HUGGINGFACE,
    ABI1_DTYPE_F32,
    ABI1_LAYOUT_OUT_IN,
    0,
    (1ull << ABI1_T_ATTN_Q) | (1ull << ABI1_T_ATTN_K) | (1ull << ABI1_T_ATTN_V) | (1ull << ABI1_T_ATTN_QKV),
};

ABI1_EXPORT int32_t bk_abi_version(void) { return ABI1_VERSION; }

ABI1_EXPORT int32_t bk_variant_count(void) { return 1; }

ABI1_EXPORT int32_t bk_variant_info_at(int32_t index, abi1_variant_info* out)
{
    if (out == NULL || index != 0) {
        snprintf(last_error, sizeof last_error, "bk_variant_info_at: index must be 0 and info non-null");
        return ABI1_ERR_INVALID_ARGUMENT;
    }
    *out = info;
    return ABI1_OK;
}

ABI1_EXPORT const char* bk_last_error(void) { return last_error; }

/* out[which][b][h][s][d] = input[b][s][:] . weight[which][h*D + d][:] + bias[which][h*D + d] */
static void run_projection(const abi1_params* p)
{
    const int64_t B = p->dims.batch, S = p->dims.seq, H = p->dims.heads, D = p->dims.head_size, M = H * D;
    const float* x = (const float*)p->input;
    const float* w = (const float*)p->qkv_weight;
    const float* bias = (const float*)p->qkv_bias;
    float* qkv = (float*)p->outputs[ABI1_T_ATTN_QKV];
    float* parts[3];
    int64_t which, b, s, o, i;
    parts[0] = (float*)p->outputs[ABI1_T_ATTN_Q];
    parts[1] = (float*)p->outputs[ABI1_T_ATTN_K];
    parts[2] = (float*)p->outputs[ABI1_T_ATTN_V];
    for (which = 0; which < 3; ++which)
        for (b = 0; b < B; ++b)
            for (s = 0; s < S; ++s)
                for (o = 0; o < M; ++o) {
                    const int64_t at = ((b * H + o / D) * S + s) * D + o % D;
                    double acc = bias != NULL ? bias[which * M + o] : 0.0;
                    for (i = 0; i < M; ++i) acc += (double)x[(b * S + s) * M + i] * w[(which * M + o) * M + i];
                    if (parts[which] != NULL) parts[which][at] = (float)acc;
                    if (qkv != NULL) qkv[which * B * H * S * D + at] = (float)acc;
                }
}

/* The checks an ABI 1 library made: its own, by hand (there was no validator header then). */
ABI1_EXPORT int32_t bk_run(const char* name, const abi1_params* p)
{
    if (name == NULL || strcmp(name, info.name) != 0) return fail(ABI1_ERR_UNKNOWN_VARIANT, "unknown variant; this library has abi1-qkv-projection");
    if (p == NULL) return fail(ABI1_ERR_INVALID_ARGUMENT, "params is null");
    if (p->abi_version != ABI1_VERSION || p->struct_size != (int32_t)sizeof(abi1_params)) {
        return fail(ABI1_ERR_ABI_MISMATCH, "params.abi_version must be 1 and params.struct_size 352 (an ABI 1 library)");
    }
    if (p->dims.batch <= 0 || p->dims.seq <= 0 || p->dims.heads <= 0 || p->dims.head_size <= 0 || p->dims.intermediate <= 0) {
        return fail(ABI1_ERR_INVALID_ARGUMENT, "params.dims must all be positive");
    }
    if (p->dims.batch > 65536 || p->dims.seq > 65536 || p->dims.heads > 4096 || p->dims.head_size > 4096) {
        return fail(ABI1_ERR_INVALID_ARGUMENT, "params.dims are implausibly large");
    }
    if (p->dtype != ABI1_DTYPE_F32) return fail(ABI1_ERR_INVALID_ARGUMENT, "params.dtype must be BK_DTYPE_F32");
    if (p->semantics != ABI1_SEMANTICS_HUGGINGFACE) return fail(ABI1_ERR_INVALID_ARGUMENT, "params.semantics must be BK_SEMANTICS_HUGGINGFACE");
    if (p->reserved0 != 0) return fail(ABI1_ERR_INVALID_ARGUMENT, "params.reserved0 must be 0");
    if (p->input == NULL || p->qkv_weight == NULL) return fail(ABI1_ERR_INVALID_ARGUMENT, "params.input and params.qkv_weight are required");
    run_projection(p);
    return ABI1_OK;
}
