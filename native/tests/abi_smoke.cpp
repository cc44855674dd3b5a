// abi_smoke — checks of the library through its C ABI (and of the numeric helpers and the header-only validator
// directly): fp16 bit patterns, the fp16-accumulation emulator on hand-computed sums, the exported tensor table
// against hand-computed sizes, closed-form facts of cpu-reference, cpu-souffle's accumulation-group sensitivity,
// every mutant's first wrong tensor, the status + message of every misuse, and the validator's refusals (shape
// limits, alignment, workspace, run flags) on variant descriptions made up here.
// Exit status 0 when every check passes.
#include "bert_kernels.h"
#include "bert_kernels_validate.h"
#include "common/fp16.h"
#include "common/gemm.h"
#include "layer_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool condition, const std::string& what) {
    if (!condition) {
        ++failures;
        std::printf("FAIL: %s\n", what.c_str());
    }
}

// The canonical name of tensor t, as the library's exported table gives it (the one table in the header).
std::string tensor_name(int32_t t) {
    bk_tensor_info info{};
    return bk_tensor_info_at(t, &info) == BK_OK ? info.name : "(tensor " + std::to_string(t) + ")";
}

bool all_finite(const std::vector<double>& values) {
    for (double v : values) {
        if (!std::isfinite(v)) {
            return false;
        }
    }
    return true;
}

std::string hex(uint16_t bits) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%04X", bits);
    return text;
}

void check_half_bits() {
    using bk::Rounding;
    struct Case {
        double value;
        Rounding rounding;
        uint16_t bits;
    };
    const Case cases[] = {
        {1.0, Rounding::NearestEven, 0x3C00},         {-2.0, Rounding::NearestEven, 0xC000},
        {0.1, Rounding::NearestEven, 0x2E66},         {1.0 / 3.0, Rounding::NearestEven, 0x3555},
        {65504.0, Rounding::NearestEven, 0x7BFF},     {65519.99, Rounding::NearestEven, 0x7BFF},
        {65520.0, Rounding::NearestEven, 0x7C00},     {65520.0, Rounding::TowardZero, 0x7BFF},
        {1e6, Rounding::TowardZero, 0x7BFF},          {-1e6, Rounding::NearestEven, 0xFC00},
        {std::ldexp(1.0, -14), Rounding::NearestEven, 0x0400},  // smallest normal
        {std::ldexp(1.0, -24), Rounding::NearestEven, 0x0001},  // smallest subnormal
        {std::ldexp(1.0, -25), Rounding::NearestEven, 0x0000},  // tie between 0 and 2^-24 -> even (0)
        {std::ldexp(1.5, -25), Rounding::NearestEven, 0x0001},
        {std::ldexp(1023.5, -24), Rounding::NearestEven, 0x0400},  // largest subnormal tie rounds into the normals
        {std::ldexp(1023.5, -24), Rounding::TowardZero, 0x03FF},
        {1.0 + std::ldexp(1.0, -11), Rounding::NearestEven, 0x3C00},  // tie -> even
        {1.0 + 3 * std::ldexp(1.0, -11), Rounding::NearestEven, 0x3C02},
        {1.0 + 0.75 * std::ldexp(1.0, -10), Rounding::NearestEven, 0x3C01},
        {1.0 + 0.75 * std::ldexp(1.0, -10), Rounding::TowardZero, 0x3C00},
        {-0.1, Rounding::TowardZero, 0xAE66},         {-0.0, Rounding::NearestEven, 0x8000},
        {1e-300, Rounding::NearestEven, 0x0000},      {INFINITY, Rounding::NearestEven, 0x7C00},
        {-INFINITY, Rounding::TowardZero, 0xFC00},
    };
    for (const Case& c : cases) {
        const uint16_t bits = bk::half_bits_from_double(c.value, c.rounding);
        check(bits == c.bits, "half_bits_from_double(" + std::to_string(c.value) + ") = " + hex(bits) + ", expected " +
                                  hex(c.bits));
    }
    const uint16_t nan = bk::half_bits_from_double(NAN);
    check((nan & 0x7C00) == 0x7C00 && (nan & 0x03FF) != 0, "NaN converts to an fp16 NaN");
    check(std::isnan(bk::double_from_half_bits(0x7E00)), "0x7E00 decodes to NaN");
    check(bk::double_from_half_bits(0x0001) == std::ldexp(1.0, -24), "0x0001 decodes to 2^-24");
    check(bk::double_from_half_bits(0xFBFF) == -65504.0, "0xFBFF decodes to -65504");
    check(bk::double_from_half_bits(0x3555) == 0.333251953125, "0x3555 decodes to 0.333251953125");
    check(bk::half_bits_from_float(0.1f) == 0x2E66, "half_bits_from_float(0.1f) = 0x2E66");
    int round_trip_failures = 0;
    for (uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
        const auto h = static_cast<uint16_t>(bits);
        const bool is_nan = (h & 0x7C00) == 0x7C00 && (h & 0x03FF) != 0;
        if (!is_nan && bk::half_bits_from_double(bk::double_from_half_bits(h)) != h) {
            ++round_trip_failures;
        }
    }
    check(round_trip_failures == 0, "every non-NaN fp16 value round-trips through double");
}

// Hand-computed dot products: A = [2048, 1, 1] (one row), B = [1, 1, 1]ᵀ; fp16 spacing at 2048 is 2.
void check_emulator() {
    const double a[] = {2048.0, 1.0, 1.0};
    const double b[] = {1.0, 1.0, 1.0};
    double c = 0.0;
    bk::gemm_fp16_accumulate(a, b, &c, 1, 1, 3, 1, bk::Rounding::NearestEven);
    check(c == 2048.0, "k=1: 2048 + 1 rounds back to 2048 twice (ties to even), got " + std::to_string(c));
    bk::gemm_fp16_accumulate(a, b, &c, 1, 1, 3, 3, bk::Rounding::NearestEven);
    check(c == 2050.0, "k=3: one exact group sum 2050, got " + std::to_string(c));
    bk::gemm_fp16_accumulate(a, b, &c, 1, 1, 3, 2, bk::Rounding::NearestEven);
    check(c == 2048.0, "k=2: groups {2048+1}, {1}: 2049 -> 2048, 2049 -> 2048, got " + std::to_string(c));
    const double a2[] = {2048.0, 3.0};
    bk::gemm_fp16_accumulate(a2, b, &c, 1, 1, 2, 2, bk::Rounding::NearestEven);
    check(c == 2052.0, "2051 ties to even 2052, got " + std::to_string(c));
    bk::gemm_fp16_accumulate(a2, b, &c, 1, 1, 2, 2, bk::Rounding::TowardZero);
    check(c == 2050.0, "2051 toward zero is 2050, got " + std::to_string(c));
    // 2x2 times 2x2, depth 2, group 16 (one group): exact products, then one rounding.
    const double m1[] = {1.0, 2.0, 3.0, 4.0}, m2[] = {0.5, 0.25, 0.125, 1.0};
    double out[4];
    bk::gemm_fp16_accumulate(m1, m2, out, 2, 2, 2, 16, bk::Rounding::NearestEven);
    check(out[0] == 0.75 && out[1] == 2.25 && out[2] == 2.0 && out[3] == 4.75, "2x2 product with one group");
    bk::gemm_wide(m1, m2, out, 2, 2, 2);
    check(out[0] == 0.75 && out[1] == 2.25 && out[2] == 2.0 && out[3] == 4.75, "2x2 product in double");
}

// The naive fp16-accumulated product, one element at a time, straight from the definition.
std::vector<double> naive_fp16_product(const std::vector<double>& a, const std::vector<double>& b, std::size_t rows,
                                       std::size_t columns, std::size_t depth, std::size_t group,
                                       bk::Rounding rounding) {
    std::vector<double> c(rows * columns);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < columns; ++j) {
            double accumulator = 0.0;
            for (std::size_t first = 0; first < depth; first += group) {
                double sum = 0.0;
                for (std::size_t k = first; k < std::min(depth, first + group); ++k) {
                    sum += a[i * depth + k] * b[k * columns + j];
                }
                accumulator = bk::round_to_half(accumulator + sum, rounding);
            }
            c[i * columns + j] = accumulator;
        }
    }
    return c;
}

// Bit-for-bit equality (NaN equals NaN of the same bits); the number of elements that differ.
int bit_mismatches(const std::vector<double>& x, const std::vector<double>& y) {
    int mismatches = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        mismatches += std::memcmp(&x[i], &y[i], sizeof(double)) == 0 ? 0 : 1;
    }
    return mismatches;
}

const char* isa_name(bk::GemmIsa isa) {
    return isa == bk::GemmIsa::Avx512 ? "AVX-512" : isa == bk::GemmIsa::Avx2 ? "AVX2" : "baseline";
}

// Runs of repeated rows of A (multiplied once per run and copied) against the naive loop: rows 0-9 one row, row 10 the
// same but for a -0 where the others hold +0 (a different row by its bits), rows 11-40 distinct, rows 41-69 one row, so
// that the runs cross the micro-tile and work-item edges.
void check_emulator_repeated_rows() {
    const std::size_t rows = 70, columns = 45, depth = 33;
    std::mt19937_64 rng(7);
    auto a = bk::test::random_values(rng, rows * depth, 0.0, 4.0);
    const auto b = bk::test::random_values(rng, depth * columns, 0.0, 4.0);
    a[0] = 0.0;
    auto copy_row = [&](std::size_t from, std::size_t to) { std::copy_n(a.begin() + from * depth, depth, a.begin() + to * depth); };
    for (std::size_t i = 1; i <= 10; ++i) copy_row(0, i);
    a[10 * depth] = -0.0;
    for (std::size_t i = 42; i < rows; ++i) copy_row(41, i);
    for (bk::GemmIsa isa : {bk::GemmIsa::Baseline, bk::GemmIsa::Avx2, bk::GemmIsa::Avx512}) {
        if (!bk::gemm_isa_supported(isa)) continue;
        for (std::size_t group : {std::size_t{1}, std::size_t{16}}) {
            const auto expected = naive_fp16_product(a, b, rows, columns, depth, group, bk::Rounding::NearestEven);
            std::vector<double> c(rows * columns);
            bk::Fp16GemmArgs args =
                bk::fp16_gemm_args(a.data(), depth, c.data(), columns, rows, columns, depth, group, bk::Rounding::NearestEven);
            args.b = b.data();
            args.b_row_stride = columns;
            args.b_column_stride = 1;
            bk::gemm_fp16_accumulate(args, isa);
            check(bit_mismatches(c, expected) == 0, std::string("repeated rows equal the naive emulation, ") + isa_name(isa) +
                                                        ", k=" + std::to_string(group));
        }
    }
}

// The vectorised, tiled GEMMs against a naive one-element-at-a-time loop on shapes that cross the micro-tile (4 rows),
// panel (up to 16 columns) and work-item (64 rows) edges, with a last group shorter than k, in every instruction-set
// build this CPU runs, on values whose fp16 accumulators cover every rounding path: normals, subnormals, exact zeros,
// ±65504 and beyond (inf), NaN.
void check_emulator_against_naive() {
    const std::size_t rows = 70, columns = 300, depth = 37;
    std::mt19937_64 rng(99);
    auto a = bk::test::random_values(rng, rows * depth, 0.0, 4.0);
    auto b = bk::test::random_values(rng, depth * columns, 0.0, 4.0);
    for (std::size_t k = 0; k < depth; ++k) {
        a[1 * depth + k] = bk::round_to_half(a[1 * depth + k] * 1e-6);  // row 1: products far below 2^-14
        a[2 * depth + k] = 0.0;                                          // row 2: exact zeros
        a[3 * depth + k] = bk::round_to_half(a[3 * depth + k] * 4000.0);  // row 3: sums beyond 65504
    }
    a[5 * depth + 3] = std::nan("");                 // row 5: a NaN
    b[7 * columns + 11] = -INFINITY;                 // column 11: an infinity
    for (bk::GemmIsa isa : {bk::GemmIsa::Baseline, bk::GemmIsa::Avx2, bk::GemmIsa::Avx512}) {
        if (!bk::gemm_isa_supported(isa)) {
            std::printf("skipped: the %s build of gemm_fp16_accumulate (this CPU lacks it)\n", isa_name(isa));
            continue;
        }
        for (bk::Rounding rounding : {bk::Rounding::NearestEven, bk::Rounding::TowardZero}) {
            for (std::size_t group : {std::size_t{1}, std::size_t{5}, std::size_t{16}, std::size_t{64}}) {
                const auto expected = naive_fp16_product(a, b, rows, columns, depth, group, rounding);
                std::vector<double> c(rows * columns);
                bk::Fp16GemmArgs args =
                    bk::fp16_gemm_args(a.data(), depth, c.data(), columns, rows, columns, depth, group, rounding);
                args.b = b.data();
                args.b_row_stride = columns;
                args.b_column_stride = 1;
                bk::gemm_fp16_accumulate(args, isa);
                const std::string label = std::string(isa_name(isa)) + ", k=" + std::to_string(group) +
                                          (rounding == bk::Rounding::TowardZero ? ", rz" : ", rn");
                check(bit_mismatches(c, expected) == 0, "gemm_fp16_accumulate equals the naive emulation, " + label);

                // The same product with B transposed in memory and given as fp16 bits, A and C inside wider rows.
                std::vector<uint16_t> b_half(columns * depth);
                for (std::size_t k = 0; k < depth; ++k) {
                    for (std::size_t j = 0; j < columns; ++j) {
                        b_half[j * depth + k] = bk::half_bits_from_double(b[k * columns + j]);
                    }
                }
                std::vector<double> wide_a(rows * (depth + 3), 7.0), wide_c(rows * (columns + 5), 7.0);
                for (std::size_t i = 0; i < rows; ++i) {
                    std::copy(a.begin() + static_cast<std::ptrdiff_t>(i * depth),
                              a.begin() + static_cast<std::ptrdiff_t>((i + 1) * depth),
                              wide_a.begin() + static_cast<std::ptrdiff_t>(i * (depth + 3)));
                }
                args.a = wide_a.data();
                args.a_stride = depth + 3;
                args.b = nullptr;
                args.b_half = b_half.data();
                args.b_row_stride = 1;
                args.b_column_stride = depth;
                args.c = wide_c.data();
                args.c_stride = columns + 5;
                bk::gemm_fp16_accumulate(args, isa);
                std::vector<double> strided(rows * columns);
                bool margins_kept = true;
                for (std::size_t i = 0; i < rows; ++i) {
                    for (std::size_t j = 0; j < columns + 5; ++j) {
                        const double value = wide_c[i * (columns + 5) + j];
                        if (j < columns) {
                            strided[i * columns + j] = value;
                        } else {
                            margins_kept = margins_kept && value == 7.0;
                        }
                    }
                }
                check(bit_mismatches(strided, expected) == 0 && margins_kept,
                      "gemm_fp16_accumulate on strided operands with fp16 B equals the naive emulation, " + label);
            }
        }
    }
}

// gemm_wide against the naive double product, on shapes that cross its tile (8 rows) and block (256 columns) edges.
void check_wide_against_naive() {
    const std::size_t rows = 13, columns = 300, depth = 37;
    std::mt19937_64 rng(99);
    const auto a = bk::test::random_values(rng, rows * depth, 0.0, 4.0);
    const auto b = bk::test::random_values(rng, depth * columns, 0.0, 4.0);
    std::vector<double> c(rows * columns);
    bk::gemm_wide(a.data(), b.data(), c.data(), rows, columns, depth);
    double worst = 0.0;
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < columns; ++j) {
            double sum = 0.0;
            for (std::size_t k = 0; k < depth; ++k) {
                sum += a[i * depth + k] * b[k * columns + j];
            }
            worst = std::max(worst, std::fabs(sum - c[i * columns + j]));
        }
    }
    check(worst < 1e-9, "gemm_wide equals the naive product");
}

void check_listing() {
    const int32_t count = bk_variant_count();
    check(count >= 13, "at least cpu-reference, cpu-souffle and 11 mutants are registered");
    bool has_reference = false, has_souffle = false;
    bk_variant_info previous{};
    for (int32_t i = 0; i < count; ++i) {
        bk_variant_info info{};
        check(bk_variant_info_at(i, &info) == BK_OK, "bk_variant_info_at(" + std::to_string(i) + ")");
        has_reference = has_reference || std::strcmp(info.name, "cpu-reference") == 0;
        has_souffle = has_souffle || std::strcmp(info.name, "cpu-souffle") == 0;
        if (info.device == BK_DEVICE_CPU) {
            check((info.flags & (BK_VARIANT_ASYNC | BK_VARIANT_TEST_ONLY)) == 0 && info.reserved == 0,
                  std::string(info.name) + ": a CPU variant of the project's library is synchronous and not test-only");
        }
        if (i > 0) {
            const bool ordered = previous.device < info.device ||
                                 (previous.device == info.device && std::strcmp(previous.name, info.name) < 0);
            check(ordered, std::string("variants sorted by (device, name): ") + previous.name + " before " + info.name);
        }
        previous = info;
    }
    check(has_reference && has_souffle, "cpu-reference and cpu-souffle are listed");
}

// Runs `name` on `values` in the variant's dtype/layout with the given semantics; returns the buffers.
bk::test::LayerBuffers run(const char* name, const bk::test::LayerValues& values, int32_t dtype, int32_t layout,
                           int32_t semantics, const std::function<void(bk_params&)>& adjust = {}) {
    bk::test::LayerBuffers buffers(values, dtype, layout);
    buffers.params().semantics = semantics;
    if (semantics == BK_SEMANTICS_SOUFFLE) {
        buffers.params().layernorm_eps = 1e-5f;
    }
    if (adjust) {
        adjust(buffers.params());
    }
    const int32_t status = bk_run(name, &buffers.params());
    check(status == BK_OK, std::string(name) + " runs: " + bk_last_error());
    return buffers;
}

void check_reference_facts() {
    const bk_dims dims{2, 7, 3, 5, 11};
    const auto values = bk::test::random_layer(dims, 7);
    for (int32_t semantics : {BK_SEMANTICS_HUGGINGFACE, BK_SEMANTICS_SOUFFLE}) {
        const std::string label = semantics == BK_SEMANTICS_HUGGINGFACE ? " (HF)" : " (Souffle)";
        auto out = run("cpu-reference", values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN, semantics);
        for (int32_t t = 0; t < BK_TENSOR_COUNT; ++t) {
            check(all_finite(out.output(t)), std::string("cpu-reference writes finite ") + tensor_name(t) + label);
        }
        const auto probs = out.output(BK_T_ATTN_PROBS);
        double worst = 0.0;
        for (std::size_t row = 0; row < probs.size() / 7; ++row) {
            double sum = 0.0;
            for (std::size_t key = 0; key < 7; ++key) {
                sum += probs[row * 7 + key];
            }
            worst = std::max(worst, std::fabs(sum - 1.0));
        }
        check(worst < 1e-6, "probs rows sum to 1" + label + ", worst error " + std::to_string(worst));
        const auto dense = out.output(BK_T_ATTN_DENSE), ln_sum = out.output(BK_T_ATTN_LN_SUM);
        double sum_error = 0.0;
        for (std::size_t t = 0; t < 14; ++t) {
            double sum = 0.0;
            for (std::size_t j = 0; j < 15; ++j) {
                sum += static_cast<double>(static_cast<float>(dense[t * 15 + j] + values.input[t * 15 + j]));
            }
            sum_error = std::max(sum_error, std::fabs(sum - ln_sum[t]));
        }
        check(sum_error < 1e-4, "attn.ln_sum is Σ(dense + input)" + label);
        const auto q = out.output(BK_T_ATTN_Q), qkv = out.output(BK_T_ATTN_QKV);
        check(std::equal(q.begin(), q.end(), qkv.begin()), "attn.qkv starts with attn.q" + label);
    }
    // Identical tokens make every key identical, so each probs row is uniform: 1/S.
    auto constant = values;
    for (std::size_t i = 0; i < constant.input.size(); ++i) {
        constant.input[i] = constant.input[i % 15];
    }
    std::fill(constant.mask.begin(), constant.mask.end(), 0.0);
    for (int32_t semantics : {BK_SEMANTICS_HUGGINGFACE, BK_SEMANTICS_SOUFFLE}) {
        auto out = run("cpu-reference", constant, BK_DTYPE_F32, BK_LAYOUT_OUT_IN, semantics);
        double worst = 0.0;
        for (double p : out.output(BK_T_ATTN_PROBS)) {
            worst = std::max(worst, std::fabs(p - 1.0 / 7.0));
        }
        check(worst < 1e-7, "constant input gives uniform probs 1/S, worst error " + std::to_string(worst));
    }
}

void check_souffle() {
    const bk_dims dims{1, 7, 3, 5, 40};
    const auto values = bk::test::random_layer(dims, 11);
    // No QKV bias: Souffle semantics in cpu-reference has none, and upstream passes zeros.
    auto k1 = run("cpu-souffle", values, BK_DTYPE_F16, BK_LAYOUT_IN_OUT, BK_SEMANTICS_SOUFFLE, [](bk_params& p) {
        p.accumulation_group = 1;
        p.qkv_bias = nullptr;
    });
    auto k16 = run("cpu-souffle", values, BK_DTYPE_F16, BK_LAYOUT_IN_OUT, BK_SEMANTICS_SOUFFLE, [](bk_params& p) {
        p.accumulation_group = 16;
        p.qkv_bias = nullptr;
    });
    auto k0 = run("cpu-souffle", values, BK_DTYPE_F16, BK_LAYOUT_IN_OUT, BK_SEMANTICS_SOUFFLE,
                  [](bk_params& p) { p.qkv_bias = nullptr; });
    bool any_difference = false;
    for (int32_t t = 0; t < BK_TENSOR_COUNT; ++t) {
        check(all_finite(k1.output(t)) && all_finite(k16.output(t)),
              std::string("cpu-souffle k=1 and k=16 write finite ") + tensor_name(t));
        check(k0.output(t) == k16.output(t), std::string("accumulation_group 0 means 16 for ") + tensor_name(t));
        any_difference = any_difference || k1.output(t) != k16.output(t);
    }
    check(any_difference, "cpu-souffle with k=1 differs from k=16");
    // Same numbers through cpu-reference's Souffle semantics: the two agree to fp16 accuracy (layouts, stages).
    auto reference = run("cpu-reference", values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN, BK_SEMANTICS_SOUFFLE);
    for (int32_t t : {BK_T_ATTN_Q, BK_T_ATTN_PROBS, BK_T_ATTN_CONTEXT, BK_T_ATTN_OUTPUT, BK_T_FFN_FC1, BK_T_OUTPUT}) {
        const auto a = k16.output(t), b = reference.output(t);
        double worst = 0.0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            worst = std::max(worst, std::fabs(a[i] - b[i]) / (1.0 + std::fabs(b[i])));
        }
        check(worst < 0.02, std::string("cpu-souffle ~ cpu-reference (Souffle) on ") + tensor_name(t) +
                                ", worst relative error " + std::to_string(worst));
    }
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!(a[i] == b[i]) && !(std::isnan(a[i]) && std::isnan(b[i]))) {
            return false;
        }
    }
    return true;
}

void check_mutants() {
    struct Mutant {
        const char* name;
        int32_t first_tensor;
        int32_t semantics;
    };
    const Mutant mutants[] = {
        {"cpu-mutant-dense-untransposed", BK_T_ATTN_DENSE, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-pv-fp16-accum", BK_T_ATTN_CONTEXT, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-ln1-no-residual", BK_T_ATTN_LN_SUM, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-scale-model-width", BK_T_ATTN_SCORES, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-relu", BK_T_FFN_FC1, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-ln-no-affine", BK_T_ATTN_OUTPUT, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-heads-merged-wrong", BK_T_ATTN_CONTEXT, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-last-tile-unwritten", BK_T_OUTPUT, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-qkv-bias-ignored", BK_T_ATTN_Q, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-softmax-no-max", BK_T_ATTN_SOFTMAX_ROWSUM, BK_SEMANTICS_HUGGINGFACE},
        {"cpu-mutant-ln-eps-outside-root", BK_T_ATTN_OUTPUT, BK_SEMANTICS_SOUFFLE},
    };
    const bk_dims dims{2, 7, 3, 5, 11};
    const auto values = bk::test::random_layer(dims, 5);
    for (int32_t semantics : {BK_SEMANTICS_HUGGINGFACE, BK_SEMANTICS_SOUFFLE}) {
        auto reference = run("cpu-reference", values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN, semantics);
        for (const Mutant& m : mutants) {
            if (m.semantics != semantics) {
                continue;
            }
            auto mutant = run(m.name, values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN, semantics);
            int32_t first = -1;
            for (int32_t t = 0; t < BK_TENSOR_COUNT && first < 0; ++t) {
                if (!same(mutant.output(t), reference.output(t))) {
                    first = t;
                }
            }
            check(first == m.first_tensor, std::string(m.name) + ": first differing tensor is " +
                                                (first < 0 ? "none" : tensor_name(first)) + ", expected " +
                                                tensor_name(m.first_tensor));
        }
    }
}

void expect_status(const char* name, bk_params params, int32_t status, const std::string& needle) {
    const int32_t result = bk_run(name, &params);
    const std::string message = bk_last_error();
    check(result == status && message.find(needle) != std::string::npos,
          "misuse '" + needle + "': status " + std::to_string(result) + " (expected " + std::to_string(status) +
              "), message: " + message);
}

// The exported table against sizes worked out by hand for B=2, S=7, H=3, D=5 (M=15), F=11.
void check_tensor_table() {
    check(bk_tensor_count() == BK_TENSOR_COUNT, "bk_tensor_count() = BK_TENSOR_COUNT");
    const bk_dims dims{2, 7, 3, 5, 11};
    struct Expected {
        const char* name;
        int32_t index;
        int32_t kind;
        int64_t elements;
    };
    const Expected expected[] = {
        {"attn.q", BK_T_ATTN_Q, BK_KIND_DTYPE, 2 * 3 * 7 * 5},
        {"attn.qkv", BK_T_ATTN_QKV, BK_KIND_DTYPE, 3 * 2 * 3 * 7 * 5},
        {"attn.scores_raw", BK_T_ATTN_SCORES_RAW, BK_KIND_DTYPE, 2 * 3 * 7 * 7},
        {"attn.softmax_rowsum", BK_T_ATTN_SOFTMAX_ROWSUM, BK_KIND_FP32, 2 * 3 * 7},
        {"attn.context", BK_T_ATTN_CONTEXT, BK_KIND_DTYPE, 2 * 7 * 15},
        {"attn.ln_sumsq", BK_T_ATTN_LN_SUMSQ, BK_KIND_FP32, 2 * 7},
        {"ffn.fc1_linear", BK_T_FFN_FC1_LINEAR, BK_KIND_DTYPE, 2 * 7 * 11},
        {"ffn.ln_sum", BK_T_FFN_LN_SUM, BK_KIND_FP32, 2 * 7},
        {"output", BK_T_OUTPUT, BK_KIND_DTYPE, 2 * 7 * 15},
    };
    for (const Expected& e : expected) {
        bk_tensor_info info{};
        check(bk_tensor_info_at(e.index, &info) == BK_OK, std::string("bk_tensor_info_at for ") + e.name);
        check(info.index == e.index && info.name != nullptr && std::strcmp(info.name, e.name) == 0 && info.kind == e.kind,
              std::string("tensor row ") + std::to_string(e.index) + " is " + e.name);
        check(bk_tensor_elements(&dims, e.index) == e.elements,
              std::string("elements of ") + e.name + " = " + std::to_string(bk_tensor_elements(&dims, e.index)) +
                  ", expected " + std::to_string(e.elements));
    }
    int fp32_rows = 0;
    for (int32_t t = 0; t < BK_TENSOR_COUNT; ++t) {
        bk_tensor_info info{};
        check(bk_tensor_info_at(t, &info) == BK_OK && info.index == t && info.rank >= 1 && info.rank <= 4,
              "tensor row " + std::to_string(t) + " has its own index and a rank in 1..4");
        for (int32_t u = 0; u < t; ++u) {
            check(tensor_name(u) != info.name, "tensor names are unique: " + std::string(info.name));
        }
        fp32_rows += info.kind == BK_KIND_FP32 ? 1 : 0;
    }
    check(fp32_rows == 5, "five fp32 accumulator rows (softmax row sum, four LayerNorm sums)");
    check(bk_tensor_bytes(&dims, BK_T_ATTN_LN_SUM, BK_DTYPE_F16) == 2 * 7 * 4, "accumulators are fp32 in F16 runs");
    check(bk_tensor_bytes(&dims, BK_T_OUTPUT, BK_DTYPE_F16) == 2 * 7 * 15 * 2, "dtype tensors are 2 bytes in F16");
    const bk_dims huge{1 << 20, 1 << 20, 1, 1, 1};
    check(bk_tensor_elements(&huge, BK_T_ATTN_SCORES) == -1, "more than 2^40 elements is refused, not overflowed");
    bk_tensor_info info{};
    check(bk_tensor_info_at(-1, &info) == BK_ERR_INVALID_ARGUMENT, "bk_tensor_info_at(-1)");
    check(bk_tensor_info_at(BK_TENSOR_COUNT, &info) == BK_ERR_INVALID_ARGUMENT &&
              std::string(bk_last_error()).find("outside") != std::string::npos,
          "bk_tensor_info_at(count)");
    check(bk_tensor_info_at(0, nullptr) == BK_ERR_INVALID_ARGUMENT, "bk_tensor_info_at(0, null)");
}

void check_workspace_size() {
    const bk_dims dims{1, 3, 2, 2, 4};
    bk::test::LayerBuffers buffers(bk::test::random_layer(dims, 3), BK_DTYPE_F32, BK_LAYOUT_OUT_IN);
    bk_params params = buffers.params();
    uint64_t bytes = 99;
    check(bk_workspace_size("cpu-reference", &params, &bytes) == BK_OK && bytes == 0, "cpu-reference needs no workspace");
    bk_params bare{};  // no pointers: a workspace query reads none
    bare.abi_version = BK_ABI_VERSION;
    bare.struct_size = static_cast<int32_t>(sizeof(bk_params));
    bare.dims = dims;
    bare.semantics = BK_SEMANTICS_HUGGINGFACE;
    bytes = 99;
    check(bk_workspace_size("cpu-reference", &bare, &bytes) == BK_OK && bytes == 0,
          std::string("a query without pointers is answered: ") + bk_last_error());
    check(bk_workspace_size("cpu-reference", &params, nullptr) == BK_ERR_INVALID_ARGUMENT, "null bytes");
    check(bk_workspace_size("cpu-reference", nullptr, &bytes) == BK_ERR_INVALID_ARGUMENT, "null params");
    check(bk_workspace_size(nullptr, &params, &bytes) == BK_ERR_INVALID_ARGUMENT, "null name");
    check(bk_workspace_size("no-such-variant", &params, &bytes) == BK_ERR_UNKNOWN_VARIANT &&
              std::string(bk_last_error()).find("bk_workspace_size('no-such-variant')") != std::string::npos,
          std::string("unknown variant: ") + bk_last_error());
    bare.struct_size = BK_PARAMS_ABI1_SIZE;
    check(bk_workspace_size("cpu-reference", &bare, &bytes) == BK_ERR_ABI_MISMATCH, "ABI 1 struct size in a query");
    bare.struct_size = static_cast<int32_t>(sizeof(bk_params));
    bare.dims.heads = 0;
    check(bk_workspace_size("cpu-reference", &bare, &bytes) == BK_ERR_INVALID_ARGUMENT, "bad dims in a query");
}

// A made-up variant description for checking the validator on its own.
bk_variant_info made_up_variant(int32_t device, int32_t flags) {
    bk_variant_info info{};
    info.name = "made-up";
    info.device = device;
    info.semantics = BK_SEMANTICS_HUGGINGFACE;
    info.dtype = BK_DTYPE_F32;
    info.flags = flags;
    return info;
}

void expect_validation(int32_t got, int32_t status, const char* message, const std::string& needle,
                       const std::string& what) {
    check(got == status && std::string(message).find(needle) != std::string::npos,
          what + ": status " + std::to_string(got) + " (expected " + std::to_string(status) + "), message: " + message);
}

void check_validator_limits() {
    const bk_dims dims{1, 3, 2, 2, 4};
    bk::test::LayerBuffers buffers(bk::test::random_layer(dims, 3), BK_DTYPE_F32, BK_LAYOUT_OUT_IN);
    bk_variant_info info = made_up_variant(BK_DEVICE_CPU, 0);
    info.limits.head_size = {32, 64, 32};
    info.limits.seq = {384, 384, 0};
    info.limits.batch = {1, 8, 0};
    info.limits.model = {0, 768, 0};
    info.limits.intermediate = {64, 0, 64};
    char message[512];
    auto with = [&](int64_t b, int64_t s, int64_t h, int64_t d, int64_t f) {
        bk_params p = buffers.params();
        p.dims = {b, s, h, d, f};
        return bk_validate_params(&info, &p, message, sizeof message);
    };
    check(with(8, 384, 12, 64, 3072) == BK_OK, std::string("a shape within every limit passes: ") + message);
    expect_validation(with(1, 384, 12, 48, 3072), BK_ERR_UNSUPPORTED_SHAPE, message,
                      "head_size D=48 is not a multiple of 32 (variant 'made-up' accepts D in [32, 64], multiple of 32)",
                      "D not a multiple");
    expect_validation(with(1, 384, 12, 16, 3072), BK_ERR_UNSUPPORTED_SHAPE, message,
                      "head_size D=16 is below the minimum 32", "D below min");
    expect_validation(with(1, 384, 1, 96, 3072), BK_ERR_UNSUPPORTED_SHAPE, message,
                      "head_size D=96 is above the maximum 64", "D above max");
    expect_validation(with(1, 128, 12, 64, 3072), BK_ERR_UNSUPPORTED_SHAPE, message,
                      "seq S=128 is not 384 (variant 'made-up' accepts only S=384)", "S fixed");
    expect_validation(with(9, 384, 12, 64, 3072), BK_ERR_UNSUPPORTED_SHAPE, message,
                      "batch B=9 is above the maximum 8 (variant 'made-up' accepts B in [1, 8])", "B above max");
    expect_validation(with(1, 384, 16, 64, 3072), BK_ERR_UNSUPPORTED_SHAPE, message,
                      "model width M=1024 is above the maximum 768 (variant 'made-up' accepts M in [1, 768])",
                      "M above max");
    expect_validation(with(1, 384, 12, 64, 100), BK_ERR_UNSUPPORTED_SHAPE, message,
                      "intermediate F=100 is not a multiple of 64 (variant 'made-up' accepts F >= 64, multiple of 64)",
                      "F not a multiple");
}

void check_validator_run() {
    const bk_dims dims{1, 3, 2, 2, 4};
    bk::test::LayerBuffers buffers(bk::test::random_layer(dims, 3), BK_DTYPE_F32, BK_LAYOUT_OUT_IN);
    const bk_params good = buffers.params();
    char message[512];
    bk_variant_info cpu = made_up_variant(BK_DEVICE_CPU, 0);
    bk_variant_info cuda = made_up_variant(BK_DEVICE_CUDA, BK_VARIANT_ASYNC);
    check(bk_validate_run(&cpu, &good, 0, message, sizeof message) == BK_OK, std::string("good params: ") + message);
    check(bk_validate_run(&cuda, &good, 0, message, sizeof message) == BK_OK,
          std::string("the test buffers are 256-byte aligned: ") + message);
    auto shifted = [](const void* pointer, std::ptrdiff_t bytes) {
        return static_cast<const void*>(static_cast<const unsigned char*>(pointer) + bytes);
    };
    bk_params p = good;
    p.ln1_gamma = shifted(good.ln1_gamma, 4);
    expect_validation(bk_validate_run(&cpu, &p, 0, message, sizeof message), BK_ERR_INVALID_ARGUMENT, message,
                      "params.ln1_gamma is not 64-byte aligned (address % 64 = 4", "misaligned ln1_gamma (CPU)");
    p = good;
    p.outputs[BK_T_ATTN_PROBS] = const_cast<void*>(shifted(good.outputs[BK_T_ATTN_PROBS], 64));
    check(bk_validate_run(&cpu, &p, 0, message, sizeof message) == BK_OK, "64 bytes off is aligned for CPU variants");
    expect_validation(bk_validate_run(&cuda, &p, 0, message, sizeof message), BK_ERR_INVALID_ARGUMENT, message,
                      "params.outputs[7] (attn.probs) is not 256-byte aligned", "misaligned output (CUDA)");
    p = good;
    p.run_flags = BK_RUN_ASYNC;
    check(bk_validate_run(&cuda, &p, 0, message, sizeof message) == BK_OK, "BK_RUN_ASYNC on an async variant");
    expect_validation(bk_validate_run(&cpu, &p, 0, message, sizeof message), BK_ERR_INVALID_ARGUMENT, message,
                      "BK_VARIANT_ASYNC", "BK_RUN_ASYNC on a synchronous variant");
    p.run_flags = 4;
    expect_validation(bk_validate_run(&cuda, &p, 0, message, sizeof message), BK_ERR_INVALID_ARGUMENT, message,
                      "params.run_flags = 0x4", "unknown run flag");
    // Workspace: 1000 bytes needed.
    bk::test::AlignedBytes scratch(2048);
    p = good;
    expect_validation(bk_validate_run(&cuda, &p, 1000, message, sizeof message), BK_ERR_WORKSPACE, message,
                      "params.workspace is null but variant 'made-up' needs 1000 bytes", "missing workspace");
    p.workspace = scratch.data();
    p.workspace_size = 999;
    expect_validation(bk_validate_run(&cuda, &p, 1000, message, sizeof message), BK_ERR_WORKSPACE, message,
                      "params.workspace_size is 999 bytes but variant 'made-up' needs 1000", "small workspace");
    p.workspace_size = 1000;
    check(bk_validate_run(&cuda, &p, 1000, message, sizeof message) == BK_OK, std::string("exact workspace: ") + message);
    p.workspace = scratch.data() + 64;
    expect_validation(bk_validate_run(&cuda, &p, 1000, message, sizeof message), BK_ERR_WORKSPACE, message,
                      "params.workspace is not 256-byte aligned (address % 256 = 64)", "misaligned workspace");
    p.workspace = nullptr;
    p.workspace_size = 0;
    check(bk_validate_run(&cuda, &p, 0, message, sizeof message) == BK_OK, "no workspace needed, none given");
    // Truncation: a tiny buffer still gets a NUL-terminated prefix.
    char tiny[8];
    p = good;
    p.input = nullptr;
    check(bk_validate_run(&cpu, &p, 0, tiny, sizeof tiny) == BK_ERR_INVALID_ARGUMENT && std::strlen(tiny) == 7,
          "a short message buffer is filled and terminated");
}

void check_misuse() {
    const bk_dims dims{1, 3, 2, 2, 4};
    const auto values = bk::test::random_layer(dims, 3);
    bk::test::LayerBuffers buffers(values, BK_DTYPE_F32, BK_LAYOUT_OUT_IN);
    const bk_params good = buffers.params();
    check(bk_run("cpu-reference", &good) == BK_OK, "the unmodified params run");
    auto with = [&](const std::function<void(bk_params&)>& change) {
        bk_params p = good;
        change(p);
        return p;
    };
    check(bk_run(nullptr, &good) == BK_ERR_INVALID_ARGUMENT && std::string(bk_last_error()).find("name") != std::string::npos,
          "null name");
    check(bk_run("cpu-reference", nullptr) == BK_ERR_INVALID_ARGUMENT &&
              std::string(bk_last_error()).find("params is null") != std::string::npos,
          "null params");
    expect_status("no-such-variant", good, BK_ERR_UNKNOWN_VARIANT, "cpu-reference");
    expect_status("cpu-reference", with([](bk_params& p) { p.abi_version = 99; }), BK_ERR_ABI_MISMATCH, "abi_version");
    expect_status("cpu-reference", with([](bk_params& p) { p.struct_size -= 8; }), BK_ERR_ABI_MISMATCH, "struct_size");
    expect_status("cpu-reference", with([](bk_params& p) { p.dims.batch = 0; }), BK_ERR_INVALID_ARGUMENT, "dims.batch");
    expect_status("cpu-reference", with([](bk_params& p) { p.dims.seq = -1; }), BK_ERR_INVALID_ARGUMENT, "dims.seq");
    expect_status("cpu-reference", with([](bk_params& p) { p.dims.heads = 0; }), BK_ERR_INVALID_ARGUMENT, "dims.heads");
    expect_status("cpu-reference", with([](bk_params& p) { p.dims.head_size = 0; }), BK_ERR_INVALID_ARGUMENT,
                  "dims.head_size");
    expect_status("cpu-reference", with([](bk_params& p) { p.dims.intermediate = 0; }), BK_ERR_INVALID_ARGUMENT,
                  "dims.intermediate");
    expect_status("cpu-reference", with([](bk_params& p) { p.dims.seq = int64_t{1} << 40; }), BK_ERR_INVALID_ARGUMENT,
                  "2^40");
    expect_status("cpu-reference", with([](bk_params& p) { p.dtype = BK_DTYPE_F16; }), BK_ERR_INVALID_ARGUMENT, "dtype");
    expect_status("cpu-reference", with([](bk_params& p) { p.dtype = 5; }), BK_ERR_INVALID_ARGUMENT, "dtype");
    expect_status("cpu-reference", with([](bk_params& p) { p.semantics = 3; }), BK_ERR_INVALID_ARGUMENT, "semantics");
    expect_status("cpu-reference", with([](bk_params& p) { p.semantics = 0; }), BK_ERR_INVALID_ARGUMENT, "semantics");
    expect_status("cpu-reference", with([](bk_params& p) { p.accumulation_group = -1; }), BK_ERR_INVALID_ARGUMENT,
                  "accumulation_group");
    expect_status("cpu-reference", with([](bk_params& p) { p.accumulation_group = 4097; }), BK_ERR_INVALID_ARGUMENT,
                  "accumulation_group");
    expect_status("cpu-reference", with([](bk_params& p) { p.accumulation_rounding = 2; }), BK_ERR_INVALID_ARGUMENT,
                  "accumulation_rounding");
    expect_status("cpu-reference", with([](bk_params& p) { p.reserved0 = 1; }), BK_ERR_INVALID_ARGUMENT, "reserved0");
    expect_status("cpu-reference", with([](bk_params& p) { p.layernorm_eps = NAN; }), BK_ERR_INVALID_ARGUMENT,
                  "layernorm_eps");
    expect_status("cpu-reference", with([](bk_params& p) { p.input = nullptr; }), BK_ERR_INVALID_ARGUMENT, "input");
    expect_status("cpu-reference", with([](bk_params& p) { p.qkv_weight = nullptr; }), BK_ERR_INVALID_ARGUMENT,
                  "qkv_weight");
    expect_status("cpu-reference", with([](bk_params& p) { p.attn_dense_weight = nullptr; }), BK_ERR_INVALID_ARGUMENT,
                  "attn_dense_weight");
    expect_status("cpu-reference", with([](bk_params& p) { p.fc1_weight = nullptr; }), BK_ERR_INVALID_ARGUMENT,
                  "fc1_weight");
    expect_status("cpu-reference", with([](bk_params& p) { p.fc2_weight = nullptr; }), BK_ERR_INVALID_ARGUMENT,
                  "fc2_weight");
    expect_status("cpu-souffle", with([](bk_params& p) { p.dtype = BK_DTYPE_F16; }), BK_ERR_INVALID_ARGUMENT,
                  "HUGGINGFACE");
    expect_status("cpu-reference", with([](bk_params& p) { p.abi_version = 1; }), BK_ERR_ABI_MISMATCH,
                  "params.abi_version is 1 but this library implements BK_ABI_VERSION 2");
    expect_status("cpu-reference", with([](bk_params& p) { p.struct_size = BK_PARAMS_ABI1_SIZE; }), BK_ERR_ABI_MISMATCH,
                  "(an ABI 1 layout)");
    expect_status("cpu-reference", with([](bk_params& p) { p.reserved1 = 1; }), BK_ERR_INVALID_ARGUMENT, "reserved1");
    expect_status("cpu-reference", with([](bk_params& p) { p.run_flags = BK_RUN_ASYNC; }), BK_ERR_INVALID_ARGUMENT,
                  "variant 'cpu-reference' runs synchronously only");
    expect_status("cpu-reference", with([](bk_params& p) { p.run_flags = 2; }), BK_ERR_INVALID_ARGUMENT, "run_flags");
    expect_status("cpu-reference", with([](bk_params& p) {
                      p.fc2_weight = static_cast<const unsigned char*>(p.fc2_weight) + 8;
                  }),
                  BK_ERR_INVALID_ARGUMENT, "bk_run('cpu-reference'): params.fc2_weight is not 64-byte aligned");
    expect_status("cpu-reference", with([](bk_params& p) {
                      p.outputs[BK_T_OUTPUT] = static_cast<unsigned char*>(p.outputs[BK_T_OUTPUT]) + 4;
                  }),
                  BK_ERR_INVALID_ARGUMENT, "params.outputs[18] (output) is not 64-byte aligned");
    bk_variant_info info{};
    check(bk_variant_info_at(-1, &info) == BK_ERR_INVALID_ARGUMENT, "bk_variant_info_at(-1)");
    check(bk_variant_info_at(bk_variant_count(), &info) == BK_ERR_INVALID_ARGUMENT, "bk_variant_info_at(count)");
    check(bk_variant_info_at(0, nullptr) == BK_ERR_INVALID_ARGUMENT, "bk_variant_info_at(0, null)");
    check(bk_abi_version() == BK_ABI_VERSION, "bk_abi_version");
}

}  // namespace

int main() {
    check_half_bits();
    check_emulator();
    check_emulator_against_naive();
    check_emulator_repeated_rows();
    check_wide_against_naive();
    check_tensor_table();
    check_listing();
    check_reference_facts();
    check_souffle();
    check_mutants();
    check_misuse();
    check_workspace_size();
    check_validator_limits();
    check_validator_run();
    if (failures != 0) {
        std::printf("%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("all checks passed\n");
    return 0;
}
