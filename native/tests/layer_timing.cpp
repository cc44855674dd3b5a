// layer_timing — wall-clock seconds of one bert-base layer (B=1, S=384, H=12, D=64, F=3072) per CPU variant.
// Usage: layer_timing [variant ...]   (default: cpu-reference cpu-souffle)
#include "bert_kernels.h"
#include "layer_data.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> names(argv + 1, argv + argc);
    if (names.empty()) {
        names = {"cpu-reference", "cpu-souffle"};
    }
    const bk_dims dims{1, 384, 12, 64, 3072};
    const bk::test::LayerValues values = bk::test::random_layer(dims, 2024, 0.02);
    int status = 0;
    for (const std::string& name : names) {
        bk_variant_info info{};
        bool found = false;
        for (int32_t i = 0; i < bk_variant_count() && !found; ++i) {
            found = bk_variant_info_at(i, &info) == BK_OK && name == info.name;
        }
        if (!found) {
            std::fprintf(stderr, "layer_timing: no variant '%s'\n", name.c_str());
            status = 1;
            continue;
        }
        bk::test::LayerBuffers buffers(values, info.dtype, info.weight_layout);
        bk_params& params = buffers.params();
        const bool souffle = (info.semantics & BK_SEMANTICS_HUGGINGFACE) == 0;
        params.semantics = souffle ? BK_SEMANTICS_SOUFFLE : BK_SEMANTICS_HUGGINGFACE;
        params.layernorm_eps = souffle ? 1e-5f : 1e-12f;
        const auto start = std::chrono::steady_clock::now();
        const int32_t result = bk_run(name.c_str(), &params);
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        if (result != BK_OK) {
            std::fprintf(stderr, "layer_timing: %s failed: %s\n", name.c_str(), bk_last_error());
            status = 1;
            continue;
        }
        std::printf("%-32s B=1 S=384 H=12 D=64 F=3072: %.2f s\n", name.c_str(), elapsed.count());
    }
    return status;
}
