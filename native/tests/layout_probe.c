/*
 * layout_probe.c — a test library that reports the C layout of every public struct of bert_kernels.h, so the C#
 * test can compare each mirrored field's offset (not only struct_size) with what the C compiler chose.
 *
 * Exports (all names and strings are C spellings, e.g. "bk_params", "run_flags"):
 *   int64_t bk_probe_offset(const char* struct_name, const char* field_name)
 *       offsetof(struct, field); sizeof(struct) for field "" or "sizeof"; -1 for an unknown struct or field.
 *   int32_t bk_probe_field_count(const char* struct_name)
 *       number of fields of the struct (-1 unknown), so a test can walk the C side too.
 *   const char* bk_probe_field_name(const char* struct_name, int32_t index)
 *       the index-th field in declaration order, or NULL.
 *
 * The field lists are X-macros, one per struct. Forgetting a field cannot pass silently: a static assertion requires
 * the listed fields' sizes plus the padding stated per struct to add up to sizeof(struct), so a missing or extra
 * field fails the build, and bk_probe_field_count reports -2 when the list is out of declaration order (overlapping
 * fields). The one change they cannot see is a new field placed entirely inside one of the stated padding holes.
 */
#include "bert_kernels.h"

#include <stddef.h>
#include <string.h>

#define BK_PROBE_PARAMS_FIELDS(X)                                                                                      \
    X(bk_params, abi_version) X(bk_params, struct_size) X(bk_params, dims) X(bk_params, dtype)                         \
    X(bk_params, semantics) X(bk_params, accumulation_group) X(bk_params, accumulation_rounding)                       \
    X(bk_params, layernorm_eps) X(bk_params, layernorm_scalar_gamma) X(bk_params, layernorm_scalar_beta)              \
    X(bk_params, reserved0) X(bk_params, stream) X(bk_params, input) X(bk_params, qkv_weight) X(bk_params, qkv_bias)  \
    X(bk_params, attn_dense_weight) X(bk_params, attn_dense_bias) X(bk_params, ln1_gamma) X(bk_params, ln1_beta)      \
    X(bk_params, fc1_weight) X(bk_params, fc1_bias) X(bk_params, fc2_weight) X(bk_params, fc2_bias)                   \
    X(bk_params, ln2_gamma) X(bk_params, ln2_beta) X(bk_params, attention_mask) X(bk_params, outputs)                 \
    X(bk_params, run_flags) X(bk_params, reserved1) X(bk_params, workspace) X(bk_params, workspace_size)

#define BK_PROBE_VARIANT_INFO_FIELDS(X)                                                                                \
    X(bk_variant_info, name) X(bk_variant_info, description) X(bk_variant_info, shapes) X(bk_variant_info, device)    \
    X(bk_variant_info, semantics) X(bk_variant_info, dtype) X(bk_variant_info, weight_layout)                         \
    X(bk_variant_info, default_accumulation_group) X(bk_variant_info, outputs) X(bk_variant_info, flags)              \
    X(bk_variant_info, reserved) X(bk_variant_info, limits)

#define BK_PROBE_TENSOR_INFO_FIELDS(X)                                                                                 \
    X(bk_tensor_info, name) X(bk_tensor_info, index) X(bk_tensor_info, kind) X(bk_tensor_info, rank)                  \
    X(bk_tensor_info, axes)

#define BK_PROBE_DIMS_FIELDS(X)                                                                                        \
    X(bk_dims, batch) X(bk_dims, seq) X(bk_dims, heads) X(bk_dims, head_size) X(bk_dims, intermediate)

#define BK_PROBE_DIM_LIMIT_FIELDS(X) X(bk_dim_limit, min) X(bk_dim_limit, max) X(bk_dim_limit, multiple_of)

#define BK_PROBE_SHAPE_LIMITS_FIELDS(X)                                                                                \
    X(bk_shape_limits, batch) X(bk_shape_limits, seq) X(bk_shape_limits, heads) X(bk_shape_limits, head_size)         \
    X(bk_shape_limits, model) X(bk_shape_limits, intermediate)

/* Every struct: its field list and the bytes of alignment padding it has on LP64 (inside and at the end). */
#define BK_PROBE_STRUCTS(X)                                                                                            \
    X(bk_params, BK_PROBE_PARAMS_FIELDS, 0)                                                                            \
    X(bk_variant_info, BK_PROBE_VARIANT_INFO_FIELDS, 4) /* after default_accumulation_group */                        \
    X(bk_tensor_info, BK_PROBE_TENSOR_INFO_FIELDS, 4)   /* at the end */                                               \
    X(bk_dims, BK_PROBE_DIMS_FIELDS, 0)                                                                                \
    X(bk_dim_limit, BK_PROBE_DIM_LIMIT_FIELDS, 0)                                                                      \
    X(bk_shape_limits, BK_PROBE_SHAPE_LIMITS_FIELDS, 0)

#define BK_PROBE_FIELD_SIZE(type, field) sizeof(((type*)0)->field) +
#define BK_PROBE_TILES(type, fields, padding)                                                                          \
    _Static_assert(fields(BK_PROBE_FIELD_SIZE) 0 + (padding) == sizeof(type),                                         \
                   #type ": the listed fields plus the stated padding do not add up to sizeof; a field is missing");
BK_PROBE_STRUCTS(BK_PROBE_TILES)

/* One field, from the lists above, in declaration order (bk_probe_field_count checks the order). */
typedef struct bk_probe_field {
    const char* name;
    size_t offset;
    size_t size;
} bk_probe_field;

#define BK_PROBE_ROW(type, field) {#field, offsetof(type, field), sizeof(((type*)0)->field)},
#define BK_PROBE_TABLE(type, fields, padding) static const bk_probe_field type##_fields[] = {fields(BK_PROBE_ROW)};
BK_PROBE_STRUCTS(BK_PROBE_TABLE)

typedef struct bk_probe_struct {
    const char* name;
    size_t size;
    const bk_probe_field* fields;
    int32_t count;
} bk_probe_struct;

#define BK_PROBE_STRUCT_ROW(type, fields, padding)                                                                     \
    {#type, sizeof(type), type##_fields, (int32_t)(sizeof type##_fields / sizeof type##_fields[0])},
static const bk_probe_struct structs[] = {BK_PROBE_STRUCTS(BK_PROBE_STRUCT_ROW)};

static const bk_probe_struct* find_struct(const char* name)
{
    size_t i;
    for (i = 0; name != NULL && i < sizeof structs / sizeof structs[0]; ++i) {
        if (strcmp(structs[i].name, name) == 0) return &structs[i];
    }
    return NULL;
}

/* Whether the struct's fields are in declaration order without overlap (the tiling's other half). */
static int in_order(const bk_probe_struct* s)
{
    int32_t i;
    for (i = 1; i < s->count; ++i) {
        if (s->fields[i].offset < s->fields[i - 1].offset + s->fields[i - 1].size) return 0;
    }
    return s->count > 0 && s->fields[s->count - 1].offset + s->fields[s->count - 1].size <= s->size;
}

__attribute__((visibility("default"))) int64_t bk_probe_offset(const char* struct_name, const char* field_name)
{
    const bk_probe_struct* s = find_struct(struct_name);
    int32_t i;
    if (s == NULL || field_name == NULL) return -1;
    if (field_name[0] == '\0' || strcmp(field_name, "sizeof") == 0) return (int64_t)s->size;
    for (i = 0; i < s->count; ++i) {
        if (strcmp(s->fields[i].name, field_name) == 0) return (int64_t)s->fields[i].offset;
    }
    return -1;
}

/* -1 for an unknown struct, and -2 if its field list is out of declaration order (a broken probe, never 0 fields). */
__attribute__((visibility("default"))) int32_t bk_probe_field_count(const char* struct_name)
{
    const bk_probe_struct* s = find_struct(struct_name);
    if (s == NULL) return -1;
    return in_order(s) ? s->count : -2;
}

__attribute__((visibility("default"))) const char* bk_probe_field_name(const char* struct_name, int32_t index)
{
    const bk_probe_struct* s = find_struct(struct_name);
    return s != NULL && index >= 0 && index < s->count ? s->fields[index].name : NULL;
}
