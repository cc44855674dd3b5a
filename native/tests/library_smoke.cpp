// library_smoke — checks of the other shared libraries built here, each loaded with dlopen like the harness loads
// them: the test-variants library (cpu-throwaway listed as test-only, its limits enforced by the shared runtime,
// its projection equal to cpu-reference's), the frozen ABI 1 library (five exports, abi_version 1, runs with an
// ABI 1 struct size), the out-of-tree example (refuses exactly like the project's shims, computes like
// cpu-reference) and the layout probe (answers for every field it lists, matching this compiler's offsetof).
// cpu-reference, linked directly, is the truth for the projections. Usage: library_smoke TEST_VARIANTS ABI1 EXAMPLE
// PROBE (paths). Exit status 0 when every check passes.
#include "bert_kernels.h"
#include "layer_data.h"

#include <dlfcn.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

int failures = 0;

void check(bool condition, const std::string& what) {
    if (!condition) {
        ++failures;
        std::printf("FAIL: %s\n", what.c_str());
    }
}

// The bk_* entry points of one dlopen'ed library (null where it does not export one).
struct Library {
    void* handle = nullptr;
    int32_t (*abi_version)() = nullptr;
    int32_t (*variant_count)() = nullptr;
    int32_t (*variant_info_at)(int32_t, bk_variant_info*) = nullptr;
    int32_t (*tensor_count)() = nullptr;
    int32_t (*workspace_size)(const char*, const bk_params*, uint64_t*) = nullptr;
    int32_t (*run)(const char*, const bk_params*) = nullptr;
    const char* (*last_error)() = nullptr;

    explicit Library(const char* path) : handle(dlopen(path, RTLD_NOW | RTLD_LOCAL)) {
        check(handle != nullptr, std::string("dlopen ") + path + ": " + (handle == nullptr ? dlerror() : ""));
        if (handle == nullptr) {
            return;
        }
        load(abi_version, "bk_abi_version");
        load(variant_count, "bk_variant_count");
        load(variant_info_at, "bk_variant_info_at");
        load(tensor_count, "bk_tensor_count");
        load(workspace_size, "bk_workspace_size");
        load(run, "bk_run");
        load(last_error, "bk_last_error");
    }
    ~Library() {
        if (handle != nullptr) {
            dlclose(handle);
        }
    }
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;

    template <typename F>
    void load(F& function, const char* name) {
        function = reinterpret_cast<F>(dlsym(handle, name));
    }

    bool find(const char* name, bk_variant_info& info) const {
        for (int32_t i = 0; variant_count != nullptr && i < variant_count(); ++i) {
            if (variant_info_at(i, &info) == BK_OK && std::strcmp(info.name, name) == 0) {
                return true;
            }
        }
        return false;
    }
};

// The text after "): " of a shim message (the part without the function and variant name).
std::string reason(const std::string& message) {
    const std::size_t at = message.find("): ");
    return at == std::string::npos ? message : message.substr(at + 3);
}

// attn.q/k/v/qkv of `buffers` within 1e-6 (relative) of cpu-reference's on the same values.
void check_projection(const char* who, const bk::test::LayerValues& values, const bk::test::LayerBuffers& buffers) {
    bk::test::LayerBuffers truth(values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN);
    check(bk_run("cpu-reference", &truth.params()) == BK_OK, std::string("cpu-reference runs: ") + bk_last_error());
    for (int32_t t : {BK_T_ATTN_Q, BK_T_ATTN_K, BK_T_ATTN_V, BK_T_ATTN_QKV}) {
        const auto got = buffers.output(t), expected = truth.output(t);
        double worst = 0.0;
        for (std::size_t i = 0; i < got.size(); ++i) {
            const double error = std::fabs(got[i] - expected[i]) / (1.0 + std::fabs(expected[i]));
            worst = std::isnan(error) ? INFINITY : std::max(worst, error);
        }
        check(worst < 1e-6, std::string(who) + " tensor " + std::to_string(t) + " equals cpu-reference's, worst " +
                                std::to_string(worst));
    }
}

void check_test_variants(const char* path) {
    Library library(path);
    if (library.handle == nullptr) {
        return;
    }
    check(library.abi_version() == BK_ABI_VERSION && library.tensor_count() == BK_TENSOR_COUNT,
          "test variants: ABI 2 with the whole tensor table");
    bk_variant_info info{};
    check(library.find("cpu-throwaway", info), "test variants: cpu-throwaway is listed");
    check((info.flags & BK_VARIANT_TEST_ONLY) != 0 && (info.flags & BK_VARIANT_ASYNC) == 0,
          "cpu-throwaway is test-only and synchronous");
    check(info.limits.head_size.multiple_of == 2 && info.limits.model.max == 1024, "cpu-throwaway's limits are listed");
    const bk_dims dims{2, 7, 3, 4, 11};
    const auto values = bk::test::random_layer(dims, 21);
    bk::test::LayerBuffers buffers(values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN);
    check(library.run("cpu-throwaway", &buffers.params()) == BK_OK,
          std::string("cpu-throwaway runs: ") + library.last_error());
    check_projection("cpu-throwaway", values, buffers);
    check(std::isnan(buffers.output(BK_T_OUTPUT)[0]), "cpu-throwaway leaves undeclared outputs alone");
    bk_params odd = buffers.params();
    odd.dims.head_size = 5;
    check(library.run("cpu-throwaway", &odd) == BK_ERR_UNSUPPORTED_SHAPE &&
              reason(library.last_error()) ==
                  "head_size D=5 is not a multiple of 2 (variant 'cpu-throwaway' accepts any D, multiple of 2)",
          std::string("cpu-throwaway refuses an odd D: ") + library.last_error());
    uint64_t bytes = 0;
    check(library.workspace_size("cpu-throwaway", &odd, &bytes) == BK_ERR_UNSUPPORTED_SHAPE,
          "bk_workspace_size refuses a shape outside the limits as bk_run does");
    bk_params wide = buffers.params();
    wide.dims.heads = 512;
    check(library.run("cpu-throwaway", &wide) == BK_ERR_UNSUPPORTED_SHAPE &&
              reason(library.last_error()).find("model width M=2048 is above the maximum 1024") == 0,
          std::string("cpu-throwaway refuses M > 1024: ") + library.last_error());
}

void check_abi1(const char* path) {
    Library library(path);
    if (library.handle == nullptr) {
        return;
    }
    check(library.abi_version() == 1, "ABI 1 library reports abi_version 1");
    check(library.tensor_count == nullptr && library.workspace_size == nullptr,
          "ABI 1 library exports no bk_tensor_count and no bk_workspace_size");
    bk_variant_info info{};
    check(library.variant_count() == 1 && library.variant_info_at(0, &info) == BK_OK &&
              std::strcmp(info.name, "abi1-qkv-projection") == 0,
          "ABI 1 library lists abi1-qkv-projection");
    const bk_dims dims{1, 5, 2, 3, 7};
    const auto values = bk::test::random_layer(dims, 22);
    bk::test::LayerBuffers buffers(values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN);
    bk_params& p = buffers.params();
    check(library.run("abi1-qkv-projection", &p) == BK_ERR_ABI_MISMATCH, "ABI 1 library refuses ABI 2 params");
    p.abi_version = 1;
    p.struct_size = BK_PARAMS_ABI1_SIZE;
    check(library.run("abi1-qkv-projection", &p) == BK_OK, std::string("ABI 1 run: ") + library.last_error());
    check_projection("abi1-qkv-projection", values, buffers);
}

void check_example(const char* path) {
    Library library(path);
    if (library.handle == nullptr) {
        return;
    }
    check(library.abi_version() == BK_ABI_VERSION && library.tensor_count() == BK_TENSOR_COUNT, "example: ABI 2");
    const bk_dims dims{2, 3, 2, 4, 5};
    const auto values = bk::test::random_layer(dims, 23);
    bk::test::LayerBuffers buffers(values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN);
    check(library.run("external-qkv-projection", &buffers.params()) == BK_OK,
          std::string("example runs: ") + library.last_error());
    check_projection("external-qkv-projection", values, buffers);
    // The same bad parameters get the same status and reason from the example and from the project's shims (up to
    // the variant's name, which a message may quote).
    const auto same_refusal = [&](const char* what, auto change) {
        bk_params p = buffers.params();
        change(p);
        const int32_t ours = bk_run("cpu-reference", &p);
        std::string our_reason = reason(bk_last_error());
        const std::size_t quoted = our_reason.find("'cpu-reference'");
        if (quoted != std::string::npos) {
            our_reason.replace(quoted, std::strlen("'cpu-reference'"), "'external-qkv-projection'");
        }
        const int32_t theirs = library.run("external-qkv-projection", &p);
        const std::string their_reason = reason(library.last_error());
        check(ours != BK_OK && ours == theirs && our_reason == their_reason,
              std::string("example refuses ") + what + " like the shims: " + std::to_string(ours) + " '" + our_reason +
                  "' vs " + std::to_string(theirs) + " '" + their_reason + "'");
    };
    same_refusal("a misaligned input", [](bk_params& p) { p.input = static_cast<const char*>(p.input) + 4; });
    same_refusal("a null qkv_weight", [](bk_params& p) { p.qkv_weight = nullptr; });
    same_refusal("an ABI 1 struct size", [](bk_params& p) { p.struct_size = BK_PARAMS_ABI1_SIZE; });
    same_refusal("a zero batch", [](bk_params& p) { p.dims.batch = 0; });
    same_refusal("BK_RUN_ASYNC", [](bk_params& p) { p.run_flags = BK_RUN_ASYNC; });
    same_refusal("a NaN eps", [](bk_params& p) { p.layernorm_eps = NAN; });
}

void check_probe(const char* path) {
    void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    check(handle != nullptr, std::string("dlopen ") + path);
    if (handle == nullptr) {
        return;
    }
    const auto offset = reinterpret_cast<int64_t (*)(const char*, const char*)>(dlsym(handle, "bk_probe_offset"));
    const auto count = reinterpret_cast<int32_t (*)(const char*)>(dlsym(handle, "bk_probe_field_count"));
    const auto name = reinterpret_cast<const char* (*)(const char*, int32_t)>(dlsym(handle, "bk_probe_field_name"));
    check(offset != nullptr && count != nullptr && name != nullptr, "the probe exports its three functions");
    if (offset != nullptr && count != nullptr && name != nullptr) {
        struct Known {
            const char* type;
            std::size_t size;
            int32_t fields;
        };
        const Known known[] = {{"bk_params", sizeof(bk_params), 31},     {"bk_variant_info", sizeof(bk_variant_info), 12},
                               {"bk_tensor_info", sizeof(bk_tensor_info), 5}, {"bk_dims", sizeof(bk_dims), 5},
                               {"bk_dim_limit", sizeof(bk_dim_limit), 3}, {"bk_shape_limits", sizeof(bk_shape_limits), 6}};
        for (const Known& k : known) {
            check(count(k.type) == k.fields, std::string(k.type) + " has " + std::to_string(k.fields) +
                                                 " fields in declaration order, probe says " +
                                                 std::to_string(count(k.type)));
            check(offset(k.type, "") == static_cast<int64_t>(k.size) && offset(k.type, "sizeof") == offset(k.type, ""),
                  std::string("sizeof ") + k.type);
            for (int32_t i = 0; i < count(k.type); ++i) {
                check(name(k.type, i) != nullptr && offset(k.type, name(k.type, i)) >= 0,
                      std::string(k.type) + " field " + std::to_string(i) + " has an offset");
            }
            check(name(k.type, count(k.type)) == nullptr && offset(k.type, "no_such_field") == -1,
                  std::string(k.type) + ": unknown fields are -1");
        }
        check(offset("bk_params", "run_flags") == static_cast<int64_t>(offsetof(bk_params, run_flags)) &&
                  offset("bk_params", "run_flags") == BK_PARAMS_ABI1_SIZE,
              "bk_params.run_flags sits where ABI 1 ended");
        check(offset("bk_params", "workspace_size") == static_cast<int64_t>(offsetof(bk_params, workspace_size)),
              "bk_params.workspace_size");
        check(offset("bk_variant_info", "flags") == BK_VARIANT_INFO_ABI1_SIZE, "bk_variant_info.flags where ABI 1 ended");
        check(offset("bk_variant_info", "limits") == static_cast<int64_t>(offsetof(bk_variant_info, limits)),
              "bk_variant_info.limits");
        check(offset("bk_shape_limits", "intermediate") == static_cast<int64_t>(offsetof(bk_shape_limits, intermediate)),
              "bk_shape_limits.intermediate");
        check(offset("bk_tensor_info", "axes") == static_cast<int64_t>(offsetof(bk_tensor_info, axes)), "bk_tensor_info.axes");
        check(offset("no_such_struct", "") == -1 && count("no_such_struct") == -1, "unknown structs are -1");
    }
    dlclose(handle);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::printf("usage: library_smoke TEST_VARIANTS ABI1 EXAMPLE PROBE\n");
        return 2;
    }
    check_test_variants(argv[1]);
    check_abi1(argv[2]);
    check_example(argv[3]);
    check_probe(argv[4]);
    if (failures != 0) {
        std::printf("%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("all checks passed\n");
    return 0;
}
