// variant.h — the internal interface every kernel variant implements (not part of the public ABI).
//
// A variant is one source file that defines a run function and registers itself with BK_REGISTER_VARIANT;
// the registry (registry.cpp) collects them, and the C shims (api.cpp) validate bk_params generically through
// include/bert_kernels_validate.h (ABI version, struct size, dims, dtype, semantics, scalars, the variant's
// info.limits, required pointers, alignment, run flags, workspace) before calling run. Describe the variant with a
// function that fills a value-initialised bk_variant_info field by field (see cpu_reference.cpp): a brace list
// would have to name every ABI 2 field (flags, reserved, limits) to stay -Wmissing-field-initializers clean.
// A run function reports failure by throwing bk::Error (or calling bk::fail); the shim turns that into
// the status code and the thread-local message. Nothing may escape a shim.
#pragma once

#include "bert_kernels.h"

#include <stdexcept>
#include <string>

namespace bk {

class Error : public std::runtime_error {
public:
    Error(int32_t status, const std::string& message) : std::runtime_error(message), status_(status) {}
    int32_t status() const { return status_; }

private:
    int32_t status_;
};

[[noreturn]] inline void fail(int32_t status, const std::string& message) { throw Error(status, message); }

// Run function: called only after the generic validation in api.cpp succeeded (shape limits, alignment, and a
// workspace of at least workspace(params) bytes included). With params.run_flags & BK_RUN_ASYNC it must only enqueue.
using RunFn = void (*)(const bk_params& params);

// Workspace function: the bytes of params.workspace the run needs for params.dims (no pointer is read). Null = none.
using WorkspaceFn = uint64_t (*)(const bk_params& params);

struct VariantDef {
    bk_variant_info info;
    RunFn run;
    WorkspaceFn workspace = nullptr;
};

// Adds a variant to the registry at load time. Variants are listed sorted by (device, name).
struct Registrar {
    explicit Registrar(const VariantDef& def);
};

}  // namespace bk

// One line at the end of a variant's source file:
//   BK_REGISTER_VARIANT(cpu_reference, {cpu_reference_info(), &run});            // no workspace
//   BK_REGISTER_VARIANT(fused, {fused_info(), &run, &workspace_bytes});            // with a WorkspaceFn
#define BK_REGISTER_VARIANT(ident, ...) static const ::bk::Registrar bk_registrar_##ident(::bk::VariantDef __VA_ARGS__)
