// api.cpp — the eight exported C functions. Each is a shim: it validates everything the variant would otherwise
// have to trust (through bert_kernels_validate.h, the same checks out-of-tree libraries use), runs the variant, and
// turns every failure into a status code plus a thread-local message. Nothing escapes a shim: a C# caller cannot
// unwind a C++ exception.
#include "bert_kernels.h"
#include "bert_kernels_validate.h"
#include "registry.h"
#include "variant.h"

#include <cstdint>
#include <new>
#include <string>

namespace {

thread_local std::string last_error_message;

std::string known_variant_names() {
    std::string names;
    for (const bk::VariantDef& def : bk::registered_variants()) {
        names += names.empty() ? "" : ", ";
        names += def.info.name;
    }
    return names.empty() ? "(none)" : names;
}

// The variant called `name`; throws the status bk_run and bk_workspace_size report for a broken registry or an
// unknown name.
const bk::VariantDef& lookup(const char* name) {
    if (!bk::registry_error().empty()) {
        bk::fail(BK_ERR_INTERNAL, "the library's variant registry is broken: " + bk::registry_error());
    }
    const bk::VariantDef* variant = bk::find_variant(name);
    if (variant == nullptr) {
        bk::fail(BK_ERR_UNKNOWN_VARIANT, "no variant of that name; this library has: " + known_variant_names());
    }
    return *variant;
}

// Throws the validator's status and message unless it returned BK_OK.
void require(int32_t status, const char* message) {
    if (status != BK_OK) {
        bk::fail(status, message);
    }
}

// Bytes of workspace `variant` needs for params, after checking everything bk_workspace_size checks.
uint64_t checked_workspace_size(const bk::VariantDef& variant, const bk_params& params) {
    char message[512];
    require(bk_validate_params(&variant.info, &params, message, sizeof message), message);
    return variant.workspace != nullptr ? variant.workspace(params) : 0;
}

// Runs `body` and turns every exception into its status and the thread-local message "<function>('<name>'): ...".
// Building the message can itself fail (out of memory): the status still comes back, with an empty message.
template <typename Body>
int32_t shielded(const char* function, const char* name, Body body) noexcept {
    int32_t status = BK_ERR_INTERNAL;
    try {
        const auto record = [&](int32_t code, const std::string& message) {
            status = code;
            last_error_message = std::string(function) + (name != nullptr ? std::string("('") + name + "')" : "") +
                                 ": " + message;
        };
        try {
            body();
            return BK_OK;
        } catch (const bk::Error& error) {
            record(error.status(), error.what());
        } catch (const std::bad_alloc&) {
            record(BK_ERR_INTERNAL, "out of host memory");
        } catch (const std::exception& error) {
            record(BK_ERR_INTERNAL, std::string("unexpected error: ") + error.what());
        } catch (...) {
            record(BK_ERR_INTERNAL, "unexpected non-standard exception");
        }
    } catch (...) {
        last_error_message.clear();
    }
    return status;
}

}  // namespace

extern "C" {

BK_EXPORT int32_t bk_abi_version(void) { return BK_ABI_VERSION; }

BK_EXPORT int32_t bk_variant_count(void) { return static_cast<int32_t>(bk::registered_variants().size()); }

BK_EXPORT int32_t bk_variant_info_at(int32_t index, bk_variant_info* info) {
    return shielded("bk_variant_info_at", nullptr, [&] {
        if (info == nullptr) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, "info is null");
        }
        const auto& variants = bk::registered_variants();
        if (index < 0 || static_cast<std::size_t>(index) >= variants.size()) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, "index " + std::to_string(index) + " is outside [0, " +
                                                  std::to_string(variants.size()) + ")");
        }
        *info = variants[static_cast<std::size_t>(index)].info;
    });
}

BK_EXPORT int32_t bk_tensor_count(void) { return BK_TENSOR_COUNT; }

BK_EXPORT int32_t bk_tensor_info_at(int32_t index, bk_tensor_info* info) {
    return shielded("bk_tensor_info_at", nullptr, [&] {
        if (info == nullptr) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, "info is null");
        }
        const bk_tensor_info* row = bk_tensor_row(index);
        if (row == nullptr) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, "index " + std::to_string(index) + " is outside [0, " +
                                                  std::to_string(BK_TENSOR_COUNT) + ")");
        }
        *info = *row;
    });
}

BK_EXPORT int32_t bk_workspace_size(const char* name, const bk_params* params, uint64_t* bytes) {
    return shielded("bk_workspace_size", name, [&] {
        if (name == nullptr) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, "the variant name is null");
        }
        if (params == nullptr || bytes == nullptr) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, params == nullptr ? "params is null" : "bytes is null");
        }
        *bytes = checked_workspace_size(lookup(name), *params);
    });
}

BK_EXPORT int32_t bk_run(const char* name, const bk_params* params) {
    return shielded("bk_run", name, [&] {
        if (name == nullptr) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, "the variant name is null");
        }
        if (params == nullptr) {
            bk::fail(BK_ERR_INVALID_ARGUMENT, "params is null");
        }
        const bk::VariantDef& variant = lookup(name);
        const uint64_t needed = checked_workspace_size(variant, *params);
        char message[512];
        require(bk_validate_run(&variant.info, params, needed, message, sizeof message), message);
        variant.run(*params);
    });
}

BK_EXPORT const char* bk_last_error(void) { return last_error_message.c_str(); }

}  // extern "C"
