/*
 * external_projection.c — an out-of-tree kernel library: everything a researcher needs to put a kernel that lives
 * elsewhere under the harness, without touching this repository's library or the C# side.
 *
 * It implements the whole of bert_kernels.h for one variant, "external-qkv-projection": the QKV projection of the
 * Hugging Face layer in plain C (float32, weights [out][in], biases added), writing attn.q, attn.k, attn.v and
 * attn.qkv only. Load it with `harness verify --variant-lib <path>/libbk_external_example.so --variant
 * external-qkv-projection`. A real wrapper would call the foreign kernel where run_projection() computes.
 *
 * It checks its parameters with include/bert_kernels_validate.h, the same code the project's own shims use, so it
 * refuses bad parameters with the same statuses and messages (ABI, dims, dtype, semantics, shape limits, required
 * pointers, alignment, run flags) without copying any check. It needs no workspace and runs synchronously on the
 * calling thread (no BK_VARIANT_ASYNC), as every CPU variant does.
 *
 * Deviations: none intended; accumulation in double, one rounding to float per element.
 */
#include "bert_kernels.h"
#include "bert_kernels_validate.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[512];

static int32_t fail(int32_t status, const char* function, const char* message)
{
    snprintf(last_error, sizeof last_error, "%s: %s", function, message);
    return status;
}

/* Designated initialisers: every field not named (flags, reserved, limits) is zero = synchronous, any shape. */
static const bk_variant_info info = {
    .name = "external-qkv-projection",
    .description = "out-of-tree example: the Hugging Face QKV projection in plain C (writes attn.q/k/v and attn.qkv only)",
    .shapes = "any",
    .device = BK_DEVICE_CPU,
    .semantics = BK_SEMANTICS_HUGGINGFACE,
    .dtype = BK_DTYPE_F32,
    .weight_layout = BK_LAYOUT_OUT_IN,
    .default_accumulation_group = 0,
    .outputs = (1ull << BK_T_ATTN_Q) | (1ull << BK_T_ATTN_K) | (1ull << BK_T_ATTN_V) | (1ull << BK_T_ATTN_QKV),
};

BK_EXPORT int32_t bk_abi_version(void) { return BK_ABI_VERSION; }

BK_EXPORT int32_t bk_variant_count(void) { return 1; }

BK_EXPORT int32_t bk_variant_info_at(int32_t index, bk_variant_info* out)
{
    if (out == NULL || index != 0) return fail(BK_ERR_INVALID_ARGUMENT, "bk_variant_info_at", "index must be 0 and info non-null");
    *out = info;
    return BK_OK;
}

BK_EXPORT int32_t bk_tensor_count(void) { return BK_TENSOR_COUNT; }

BK_EXPORT int32_t bk_tensor_info_at(int32_t index, bk_tensor_info* out)
{
    const bk_tensor_info* row = bk_tensor_row(index);
    if (out == NULL || row == NULL) return fail(BK_ERR_INVALID_ARGUMENT, "bk_tensor_info_at", "index outside the tensor table or info null");
    *out = *row;
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

/* The variant name check every entry point taking a name makes first. */
static int32_t check_name(const char* function, const char* name)
{
    if (name == NULL) return fail(BK_ERR_INVALID_ARGUMENT, function, "the variant name is null");
    if (strcmp(name, info.name) != 0) return fail(BK_ERR_UNKNOWN_VARIANT, function, "no variant of that name; this library has: external-qkv-projection");
    return BK_OK;
}

BK_EXPORT int32_t bk_workspace_size(const char* name, const bk_params* p, uint64_t* bytes)
{
    char message[448];
    int32_t status = check_name("bk_workspace_size", name);
    if (status != BK_OK) return status;
    if (p == NULL || bytes == NULL) return fail(BK_ERR_INVALID_ARGUMENT, "bk_workspace_size", "params and bytes must be non-null");
    status = bk_validate_params(&info, p, message, sizeof message);
    if (status != BK_OK) return fail(status, "bk_workspace_size('external-qkv-projection')", message);
    *bytes = 0;
    return BK_OK;
}

BK_EXPORT int32_t bk_run(const char* name, const bk_params* p)
{
    char message[448];
    int32_t status = check_name("bk_run", name);
    if (status != BK_OK) return status;
    if (p == NULL) return fail(BK_ERR_INVALID_ARGUMENT, "bk_run('external-qkv-projection')", "params is null");
    status = bk_validate_run(&info, p, 0, message, sizeof message);
    if (status != BK_OK) return fail(status, "bk_run('external-qkv-projection')", message);
    run_projection(p);
    return BK_OK;
}
