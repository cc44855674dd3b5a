/*
 * external_projection.c — an out-of-tree kernel library: everything a researcher needs to put a kernel that lives
 * elsewhere under the harness, without touching this repository's library or the C# side.
 *
 * It implements the whole of bert_kernels.h for one variant, "external-qkv-projection": the QKV projection of the
 * Hugging Face layer in plain C (float32, weights [out][in], biases added), writing attn.q, attn.k, attn.v and
 * attn.qkv only. Load it with `harness verify --variant-lib <path>/libbk_external_example.so --variant
 * external-qkv-projection`. A real wrapper would call the foreign kernel where run_projection() computes.
 *
 * Deviations: none intended; accumulation in double, one rounding to float per element.
 */
#include "bert_kernels.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[256];

static int32_t fail(int32_t status, const char* message)
{
    snprintf(last_error, sizeof last_error, "%s", message);
    return status;
}

static const bk_variant_info info = {
    "external-qkv-projection",
    "out-of-tree example: the Hugging Face QKV projection in plain C (writes attn.q/k/v and attn.qkv only)",
    "any",
    BK_DEVICE_CPU,
    BK_SEMANTICS_HUGGINGFACE,
    BK_DTYPE_F32,
    BK_LAYOUT_OUT_IN,
    0,
    (1ull << BK_T_ATTN_Q) | (1ull << BK_T_ATTN_K) | (1ull << BK_T_ATTN_V) | (1ull << BK_T_ATTN_QKV),
};

BK_EXPORT int32_t bk_abi_version(void) { return BK_ABI_VERSION; }

BK_EXPORT int32_t bk_variant_count(void) { return 1; }

BK_EXPORT int32_t bk_variant_info_at(int32_t index, bk_variant_info* out)
{
    if (out == NULL || index != 0) return fail(BK_ERR_INVALID_ARGUMENT, "bk_variant_info_at: index must be 0 and info non-null");
    *out = info;
    return BK_OK;
}

BK_EXPORT const char* bk_last_error(void) { return last_error; }

/* out[which][b][h][s][d] = input[b][s][:] . weight[which][h*D + d][:] + bias[which][h*D + d] */
static void run_projection(const bk_params* p)
{
    const int64_t B = p->dims.batch, S = p->dims.seq, H = p->dims.heads, D = p->dims.head_size, M = H * D;
    const float* x = (const float*)p->input;
    const float* w = (const float*)p->qkv_weight;
    const float* bias = (const float*)p->qkv_bias;
    float* qkv = (float*)p->outputs[BK_T_ATTN_QKV];
    float* parts[3] = {(float*)p->outputs[BK_T_ATTN_Q], (float*)p->outputs[BK_T_ATTN_K], (float*)p->outputs[BK_T_ATTN_V]};
    for (int64_t which = 0; which < 3; ++which)
        for (int64_t b = 0; b < B; ++b)
            for (int64_t s = 0; s < S; ++s)
                for (int64_t o = 0; o < M; ++o) {
                    double acc = bias != NULL ? bias[which * M + o] : 0.0;
                    for (int64_t i = 0; i < M; ++i) acc += (double)x[(b * S + s) * M + i] * w[(which * M + o) * M + i];
                    const int64_t h = o / D, d = o % D;
                    const int64_t at = ((b * H + h) * S + s) * D + d;
                    if (parts[which] != NULL) parts[which][at] = (float)acc;
                    if (qkv != NULL) qkv[which * B * H * S * D + at] = (float)acc;
                }
}

BK_EXPORT int32_t bk_run(const char* name, const bk_params* p)
{
    if (name == NULL || strcmp(name, info.name) != 0) return fail(BK_ERR_UNKNOWN_VARIANT, "unknown variant; this library has external-qkv-projection");
    if (p == NULL) return fail(BK_ERR_INVALID_ARGUMENT, "params is null");
    if (p->abi_version != BK_ABI_VERSION || p->struct_size != (int32_t)sizeof(bk_params)) return fail(BK_ERR_ABI_MISMATCH, "params.abi_version or struct_size differ from this library's");
    if (p->dims.batch <= 0 || p->dims.seq <= 0 || p->dims.heads <= 0 || p->dims.head_size <= 0) return fail(BK_ERR_INVALID_ARGUMENT, "dims must be positive");
    if (p->dtype != BK_DTYPE_F32) return fail(BK_ERR_INVALID_ARGUMENT, "params.dtype must be BK_DTYPE_F32");
    if (p->semantics != BK_SEMANTICS_HUGGINGFACE) return fail(BK_ERR_INVALID_ARGUMENT, "params.semantics must be BK_SEMANTICS_HUGGINGFACE");
    if (p->input == NULL || p->qkv_weight == NULL) return fail(BK_ERR_INVALID_ARGUMENT, "params.input and params.qkv_weight are required");
    run_projection(p);
    return BK_OK;
}
