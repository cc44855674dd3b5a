// api.cpp — the five exported C functions. Each is a shim: it validates everything the variant would otherwise
// have to trust, runs the variant, and turns every failure into a status code plus a thread-local message.
// Nothing escapes a shim: a C# caller cannot unwind a C++ exception.
#include "bert_kernels.h"
#include "registry.h"
#include "variant.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <new>
#include <string>

namespace {

thread_local std::string last_error_message;

int32_t failure(int32_t status, const std::string& message) {
    last_error_message = message;
    return status;
}

std::string dtype_name(int32_t dtype) {
    switch (dtype) {
    case BK_DTYPE_F32: return "F32";
    case BK_DTYPE_F16: return "F16";
    default: return "code " + std::to_string(dtype);
    }
}

std::string semantics_names(int32_t bits) {
    std::string names;
    if ((bits & BK_SEMANTICS_HUGGINGFACE) != 0) {
        names += "HUGGINGFACE";
    }
    if ((bits & BK_SEMANTICS_SOUFFLE) != 0) {
        names += names.empty() ? "SOUFFLE" : "|SOUFFLE";
    }
    return names.empty() ? "none" : names;
}

std::string known_variant_names() {
    std::string names;
    for (const bk::VariantDef& def : bk::registered_variants()) {
        names += names.empty() ? "" : ", ";
        names += def.info.name;
    }
    return names.empty() ? "(none)" : names;
}

void check_dimension(const char* field, int64_t value) {
    if (value <= 0) {
        bk::fail(BK_ERR_INVALID_ARGUMENT,
                 std::string("params.dims.") + field + " must be positive (got " + std::to_string(value) + ")");
    }
}

// The element count of one tensor, refusing sizes no host or device buffer could have (and int64 overflow).
void check_tensor_size(const char* tensor, std::initializer_list<int64_t> extents) {
    constexpr int64_t kMaxElements = int64_t{1} << 40;
    int64_t count = 1;
    for (int64_t extent : extents) {
        if (__builtin_mul_overflow(count, extent, &count) || count > kMaxElements) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, std::string("params.dims: tensor ") + tensor +
                                                  " would have more than 2^40 elements; the dimensions are implausible");
        }
    }
}

void check_dims(const bk_dims& dims) {
    check_dimension("batch", dims.batch);
    check_dimension("seq", dims.seq);
    check_dimension("heads", dims.heads);
    check_dimension("head_size", dims.head_size);
    check_dimension("intermediate", dims.intermediate);
    const int64_t b = dims.batch, s = dims.seq, h = dims.heads, d = dims.head_size, f = dims.intermediate;
    check_tensor_size("attn.qkv", {3, b, h, s, d});
    check_tensor_size("attn.scores", {b, h, s, s});
    check_tensor_size("ffn.fc1", {b, s, f});
    check_tensor_size("qkv_weight", {3, h, d, h, d});
    check_tensor_size("fc1_weight", {h, d, f});
}

void check_finite(const char* field, float value) {
    if (!std::isfinite(value)) {
        bk::fail(BK_ERR_INVALID_ARGUMENT, std::string("params.") + field + " must be finite (got " +
                                              std::to_string(value) + ")");
    }
}

void check_required(const char* field, const void* pointer) {
    if (pointer == nullptr) {
        bk::fail(BK_ERR_INVALID_ARGUMENT, std::string("params.") + field + " is required but null");
    }
}

// Everything a variant may take for granted. Order matters: the ABI check comes before any field beyond
// the first two is read, since a caller built against another layout may have passed a shorter struct.
void validate(const bk::VariantDef& variant, const bk_params& params) {
    const bk_variant_info& info = variant.info;
    if (params.abi_version != BK_ABI_VERSION) {
        bk::fail(BK_ERR_ABI_MISMATCH, "params.abi_version is " + std::to_string(params.abi_version) +
                                          " but this library implements BK_ABI_VERSION " +
                                          std::to_string(BK_ABI_VERSION));
    }
    if (params.struct_size != static_cast<int32_t>(sizeof(bk_params))) {
        bk::fail(BK_ERR_ABI_MISMATCH, "params.struct_size is " + std::to_string(params.struct_size) +
                                          " but sizeof(bk_params) in this library is " +
                                          std::to_string(sizeof(bk_params)));
    }
    check_dims(params.dims);
    if (params.dtype != BK_DTYPE_F32 && params.dtype != BK_DTYPE_F16) {
        bk::fail(BK_ERR_INVALID_ARGUMENT,
                 "params.dtype = " + std::to_string(params.dtype) + " is not a BK_DTYPE_* code (F32 = 0, F16 = 1)");
    }
    if (params.dtype != info.dtype) {
        bk::fail(BK_ERR_INVALID_ARGUMENT, "params.dtype is " + dtype_name(params.dtype) + " but variant '" +
                                              info.name + "' computes in " + dtype_name(info.dtype));
    }
    if (params.semantics != BK_SEMANTICS_HUGGINGFACE && params.semantics != BK_SEMANTICS_SOUFFLE) {
        bk::fail(BK_ERR_INVALID_ARGUMENT, "params.semantics = " + std::to_string(params.semantics) +
                                              " is not exactly one BK_SEMANTICS_* value (HUGGINGFACE = 1, SOUFFLE = 2)");
    }
    if ((params.semantics & info.semantics) == 0) {
        bk::fail(BK_ERR_INVALID_ARGUMENT, "params.semantics is " + semantics_names(params.semantics) +
                                              " but variant '" + info.name + "' supports only " +
                                              semantics_names(info.semantics));
    }
    if (params.accumulation_group < 0 || params.accumulation_group > 4096) {
        bk::fail(BK_ERR_INVALID_ARGUMENT, "params.accumulation_group = " + std::to_string(params.accumulation_group) +
                                              " is outside [0, 4096] (0 = the variant's default)");
    }
    if (params.accumulation_rounding != BK_ROUND_NEAREST_EVEN && params.accumulation_rounding != BK_ROUND_TOWARD_ZERO) {
        bk::fail(BK_ERR_INVALID_ARGUMENT, "params.accumulation_rounding = " +
                                              std::to_string(params.accumulation_rounding) +
                                              " is not a BK_ROUND_* code (NEAREST_EVEN = 0, TOWARD_ZERO = 1)");
    }
    check_finite("layernorm_eps", params.layernorm_eps);
    if (params.layernorm_eps < 0.0f) {
        bk::fail(BK_ERR_INVALID_ARGUMENT,
                 "params.layernorm_eps must not be negative (got " + std::to_string(params.layernorm_eps) + ")");
    }
    check_finite("layernorm_scalar_gamma", params.layernorm_scalar_gamma);
    check_finite("layernorm_scalar_beta", params.layernorm_scalar_beta);
    if (params.reserved0 != 0) {
        bk::fail(BK_ERR_INVALID_ARGUMENT, "params.reserved0 must be 0 (got " + std::to_string(params.reserved0) + ")");
    }
    check_required("input", params.input);
    check_required("qkv_weight", params.qkv_weight);
    check_required("attn_dense_weight", params.attn_dense_weight);
    check_required("fc1_weight", params.fc1_weight);
    check_required("fc2_weight", params.fc2_weight);
}

}  // namespace

extern "C" {

BK_EXPORT int32_t bk_abi_version(void) { return BK_ABI_VERSION; }

BK_EXPORT int32_t bk_variant_count(void) { return static_cast<int32_t>(bk::registered_variants().size()); }

BK_EXPORT int32_t bk_variant_info_at(int32_t index, bk_variant_info* info) {
    if (info == nullptr) {
        return failure(BK_ERR_INVALID_ARGUMENT, "bk_variant_info_at: info is null");
    }
    const auto& variants = bk::registered_variants();
    if (index < 0 || static_cast<std::size_t>(index) >= variants.size()) {
        return failure(BK_ERR_INVALID_ARGUMENT, "bk_variant_info_at: index " + std::to_string(index) +
                                                    " is outside [0, " + std::to_string(variants.size()) + ")");
    }
    *info = variants[static_cast<std::size_t>(index)].info;
    return BK_OK;
}

BK_EXPORT int32_t bk_run(const char* name, const bk_params* params) {
    if (name == nullptr) {
        return failure(BK_ERR_INVALID_ARGUMENT, "bk_run: the variant name is null");
    }
    std::string prefix;
    try {
        prefix = std::string("bk_run('") + name + "'): ";
        if (params == nullptr) {
            return failure(BK_ERR_INVALID_ARGUMENT, prefix + "params is null");
        }
        if (!bk::registry_error().empty()) {
            return failure(BK_ERR_INTERNAL, prefix + "the library's variant registry is broken: " + bk::registry_error());
        }
        const bk::VariantDef* variant = bk::find_variant(name);
        if (variant == nullptr) {
            return failure(BK_ERR_UNKNOWN_VARIANT,
                           prefix + "no variant of that name; this library has: " + known_variant_names());
        }
        validate(*variant, *params);
        variant->run(*params);
        return BK_OK;
    } catch (const bk::Error& error) {
        return failure(error.status(), prefix + error.what());
    } catch (const std::bad_alloc&) {
        return failure(BK_ERR_INTERNAL, prefix + "out of host memory");
    } catch (const std::exception& error) {
        return failure(BK_ERR_INTERNAL, prefix + "unexpected error: " + error.what());
    } catch (...) {
        return failure(BK_ERR_INTERNAL, prefix + "unexpected non-standard exception");
    }
}

BK_EXPORT const char* bk_last_error(void) { return last_error_message.c_str(); }

}  // extern "C"
