#include "common/gemm.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

// gemm_wide walks A in tiles of kRowTile rows and B in blocks of kColumnBlock columns, so that one row of a B block
// (2 KiB) is reused by every row of the tile from L1, and the tile's accumulators (kRowTile x kColumnBlock doubles,
// 16 KiB) stay in L1/L2. The innermost loop runs over contiguous columns, which the compiler vectorises.
//
// gemm_fp16_accumulate packs B into panels of a few vector widths of columns, interleaved along the reduction, and
// keeps a tile of kMicroRows x panel-width group sums in registers: each group's products are summed there, added to
// the tile's fp16 accumulators and rounded (vectorised; see round_half), so nothing but A, B and the accumulators moves.
// It is compiled three times (AVX-512, AVX2 and the baseline x86-64 / any other target) and the widest the CPU
// supports runs. The result is the same bit for bit in every build and on every CPU: each C element is still the
// sequence of double multiplications and additions of the definition, in its order (no fused multiply-add: the numeric
// library is built with -ffp-contract=off), one lane of a vector per element.
//
// Work is shared among OpenMP threads (when the library is built with OpenMP) in items of a few panels by a run of row
// tiles; the result does not depend on the thread count. Small products stay on the calling thread: on a busy 2-core
// machine every parallel region's barrier can cost a scheduler time slice, which would dwarf a tiny GEMM.
#define BK_PRAGMA(text) _Pragma(#text)
#if defined(_OPENMP)
#define BK_PARALLEL_FOR_IF(condition) BK_PRAGMA(omp parallel for schedule(static) if(condition))
#define BK_PARALLEL_FOR_DYNAMIC_IF(condition) BK_PRAGMA(omp parallel for schedule(dynamic) if(condition))
#else
#define BK_PARALLEL_FOR_IF(condition)
#define BK_PARALLEL_FOR_DYNAMIC_IF(condition)
#endif

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define BK_X86_DISPATCH 1
#define BK_TARGET(isa) __attribute__((target(isa)))
#else
#define BK_X86_DISPATCH 0
#define BK_TARGET(isa)
#endif

namespace bk {
namespace {

constexpr std::size_t kRowTile = 8;
constexpr std::size_t kColumnBlock = 256;
constexpr std::size_t kParallelMinimumProducts = std::size_t{1} << 22;

bool worth_threads(std::size_t rows, std::size_t columns, std::size_t depth) {
    return rows > kRowTile && rows * columns * depth >= kParallelMinimumProducts;
}

std::ptrdiff_t row_tile_count(std::size_t rows) {
    return static_cast<std::ptrdiff_t>((rows + kRowTile - 1) / kRowTile);
}

// sums[r][j] += Σ_d A[row0 + r][d] · B[d][column0 + j]
void accumulate_products(const double* a, const double* b, std::size_t columns, std::size_t depth,
                         std::size_t row0, std::size_t tile_rows, std::size_t column0, std::size_t block_columns,
                         double (*sums)[kColumnBlock]) {
    for (std::size_t d = 0; d < depth; ++d) {
        const double* b_row = b + d * columns + column0;
        for (std::size_t r = 0; r < tile_rows; ++r) {
            const double a_value = a[(row0 + r) * depth + d];
            double* sum_row = sums[r];
            for (std::size_t j = 0; j < block_columns; ++j) {
                sum_row[j] += a_value * b_row[j];
            }
        }
    }
}

// ---- fp16 accumulation ----

constexpr std::size_t kMicroRows = 4;
constexpr std::size_t kPanelVectors = 2;  // a panel is this many vectors wide
// A work item covers as many panels as fit in about this much cache, so each row of A, once loaded, serves all of them.
constexpr std::size_t kItemPanelBytes = 192 * 1024;
constexpr std::size_t kItemRows = 64;

constexpr uint64_t kSignBit = 0x8000000000000000ull;
constexpr uint64_t kDroppedBits = (uint64_t{1} << 42) - 1;  // the 42 fraction bits a double has beyond binary16's 10
constexpr uint64_t kHalfMaxBits = 0x40EFFC0000000000ull;    // 65504, binary16's largest finite value
constexpr uint64_t kHalfMinNormalBits = 0x3F10000000000000ull;  // 2^-14, binary16's smallest normal
// 1.5 · 2^28: its binade has spacing 2^-24, binary16's subnormal quantum, and it is even in that unit, so
// (|x| + this) − this is |x| rounded to a multiple of 2^-24, ties to even, for |x| < 2^-14.
constexpr double kSubnormalRounder = 402653184.0;

template <std::size_t W>
struct Lanes {
    typedef double Doubles __attribute__((vector_size(8 * W)));
    typedef uint64_t Bits __attribute__((vector_size(8 * W)));
    typedef int64_t Mask __attribute__((vector_size(8 * W)));
};

// Vectors are passed by reference and never returned: a vector return value's ABI differs between the builds below.
template <typename To, typename From>
__attribute__((always_inline)) inline void bit_cast_into(To& to, const From& from) {
    static_assert(sizeof(To) == sizeof(From), "same size");
    std::memcpy(&to, &from, sizeof to);
}

constexpr std::size_t kTileVectors = kMicroRows * kPanelVectors;

// round_to_half of every lane of a tile's accumulators, in place. Lanes in binary16's finite range are rounded with
// integer arithmetic on the double's bits (normals: keep 10 fraction bits, ties to even by adding 2^41 − 1 + the kept
// last bit; a carry lands in the exponent, which is the next binade) or with kSubnormalRounder (subnormals,
// nearest-even only); when any lane holds anything else (±65504 and beyond, inf, NaN, a toward-zero subnormal), every
// lane goes through the scalar round_to_half.
template <std::size_t W>
__attribute__((always_inline)) inline void round_half(typename Lanes<W>::Doubles (&x)[kTileVectors], Rounding rounding) {
    using Bits = typename Lanes<W>::Bits;
    using Mask = typename Lanes<W>::Mask;
    Bits sign[kTileVectors], magnitude[kTileVectors];
    Mask special{};
#pragma GCC unroll 16
    for (std::size_t v = 0; v < kTileVectors; ++v) {
        Bits bits;
        bit_cast_into(bits, x[v]);
        sign[v] = bits & kSignBit;
        magnitude[v] = bits ^ sign[v];
        special |= magnitude[v] >= kHalfMaxBits;
        if (rounding == Rounding::TowardZero) {
            special |= (magnitude[v] < kHalfMinNormalBits) & (magnitude[v] != 0);
        }
    }
    int64_t any = 0;
#pragma GCC unroll 8
    for (std::size_t i = 0; i < W; ++i) {
        any |= special[i];
    }
    if (any != 0) {
        for (std::size_t v = 0; v < kTileVectors; ++v) {
            for (std::size_t i = 0; i < W; ++i) {
                x[v][i] = round_to_half(x[v][i], rounding);
            }
        }
        return;
    }
#pragma GCC unroll 16
    for (std::size_t v = 0; v < kTileVectors; ++v) {
        Bits kept;
        if (rounding == Rounding::NearestEven) {
            const Bits normal = (magnitude[v] + (kDroppedBits >> 1) + ((magnitude[v] >> 42) & 1)) & ~kDroppedBits;
            typename Lanes<W>::Doubles absolute;
            bit_cast_into(absolute, magnitude[v]);
            const typename Lanes<W>::Doubles rounded = (absolute + kSubnormalRounder) - kSubnormalRounder;
            Bits small;
            bit_cast_into(small, rounded);
            kept = magnitude[v] < kHalfMinNormalBits ? small : normal;
        } else {
            kept = magnitude[v] & ~kDroppedBits;  // toward zero; zero stays zero
        }
        bit_cast_into(x[v], kept | sign[v]);
    }
}

double element_of(const double* b, std::size_t i) { return b[i]; }
double element_of(const uint16_t* b, std::size_t i) { return double_from_half_bits(b[i]); }

// Panels [first_panel, last_panel) of B as [panel][depth][panel_width] doubles, the last panel zero-padded.
template <typename Element>
void pack_panels(const Element* b, std::size_t row_stride, std::size_t column_stride, std::size_t columns,
                 std::size_t depth, std::size_t panel_width, std::size_t first_panel, std::size_t last_panel,
                 double* packed) {
    for (std::size_t p = first_panel; p < last_panel; ++p) {
        const std::size_t column0 = p * panel_width;
        const std::size_t width = std::min(panel_width, columns - column0);
        double* target = packed + (p - first_panel) * depth * panel_width;
        for (std::size_t d = 0; d < depth; ++d) {
            for (std::size_t j = 0; j < width; ++j) {
                target[d * panel_width + j] = element_of(b, d * row_stride + (column0 + j) * column_stride);
            }
            std::fill(target + d * panel_width + width, target + (d + 1) * panel_width, 0.0);
        }
    }
}

struct Fp16Gemm {
    const Fp16GemmArgs& args;
    std::size_t panel_width, panels, panels_per_item, row_items;
};

// One tile: kMicroRows rows of A (a row past the end repeats the last, its results dropped) times one packed panel
// (`b`, [depth][panel_width], whose first column is C's column `column0`). Vector v of the tile is row
// v / kPanelVectors, columns (v % kPanelVectors)·W onwards of the panel.
template <std::size_t W>
__attribute__((always_inline)) inline void multiply_tile(const Fp16Gemm& g, const double* b, std::size_t row0,
                                                         std::size_t column0) {
    using Doubles = typename Lanes<W>::Doubles;
    const Fp16GemmArgs& x = g.args;
    const double* rows[kMicroRows];
#pragma GCC unroll 8
    for (std::size_t r = 0; r < kMicroRows; ++r) {
        rows[r] = x.a + std::min(row0 + r, x.rows - 1) * x.a_stride;
    }
    Doubles accumulators[kTileVectors];
#pragma GCC unroll 16
    for (std::size_t v = 0; v < kTileVectors; ++v) {
        accumulators[v] = Doubles{} + 0.0;
    }
    for (std::size_t first = 0; first < x.depth; first += x.group) {
        const std::size_t last = std::min(x.depth, first + x.group);
        Doubles sums[kTileVectors];
#pragma GCC unroll 16
        for (std::size_t v = 0; v < kTileVectors; ++v) {
            sums[v] = Doubles{} + 0.0;
        }
        for (std::size_t d = first; d < last; ++d) {
            Doubles columns[kPanelVectors];
            std::memcpy(columns, b + d * g.panel_width, sizeof columns);
#pragma GCC unroll 16
            for (std::size_t v = 0; v < kTileVectors; ++v) {
                sums[v] += rows[v / kPanelVectors][d] * columns[v % kPanelVectors];
            }
        }
#pragma GCC unroll 16
        for (std::size_t v = 0; v < kTileVectors; ++v) {
            accumulators[v] += sums[v];
        }
        round_half<W>(accumulators, x.rounding);
    }
    const std::size_t width = std::min(g.panel_width, x.columns - column0);
    for (std::size_t r = 0; r < kMicroRows && row0 + r < x.rows; ++r) {
        double values[kPanelVectors * W];
        std::memcpy(values, &accumulators[r * kPanelVectors], sizeof values);
        std::copy(values, values + width, x.c + (row0 + r) * x.c_stride + column0);
    }
}

// A work item: a run of kItemRows rows times a block of panels, packed into this thread's buffer first.
template <std::size_t W>
__attribute__((always_inline)) inline void multiply_item(const Fp16Gemm& g, std::size_t item) {
    const Fp16GemmArgs& x = g.args;
    const std::size_t first_panel = item / g.row_items * g.panels_per_item;
    const std::size_t last_panel = std::min(g.panels, first_panel + g.panels_per_item);
    const std::size_t first_row = item % g.row_items * kItemRows;
    const std::size_t last_row = std::min(x.rows, first_row + kItemRows);
    thread_local std::vector<double> packed;
    packed.resize((last_panel - first_panel) * x.depth * g.panel_width);
    if (x.b_half != nullptr) {
        pack_panels(x.b_half, x.b_row_stride, x.b_column_stride, x.columns, x.depth, g.panel_width, first_panel,
                    last_panel, packed.data());
    } else {
        pack_panels(x.b, x.b_row_stride, x.b_column_stride, x.columns, x.depth, g.panel_width, first_panel, last_panel,
                    packed.data());
    }
    for (std::size_t row0 = first_row; row0 < last_row; row0 += kMicroRows) {
        for (std::size_t panel = first_panel; panel < last_panel; ++panel) {
            multiply_tile<W>(g, packed.data() + (panel - first_panel) * x.depth * g.panel_width, row0,
                             panel * g.panel_width);
        }
    }
}

#if BK_X86_DISPATCH
BK_TARGET("avx512f") void multiply_item_avx512(const Fp16Gemm& g, std::size_t item) { multiply_item<8>(g, item); }
BK_TARGET("avx2") void multiply_item_avx2(const Fp16Gemm& g, std::size_t item) { multiply_item<4>(g, item); }
#endif
void multiply_item_baseline(const Fp16Gemm& g, std::size_t item) { multiply_item<2>(g, item); }

// Vector width (doubles) of each instruction set's build.
std::size_t lanes_of(GemmIsa isa) {
    switch (isa) {
        case GemmIsa::Avx512:
            return 8;
        case GemmIsa::Avx2:
            return 4;
        case GemmIsa::Baseline:
            break;
    }
    return 2;
}

}  // namespace

bool gemm_isa_supported(GemmIsa isa) {
#if BK_X86_DISPATCH
    switch (isa) {
        case GemmIsa::Avx512:
            return __builtin_cpu_supports("avx512f");
        case GemmIsa::Avx2:
            return __builtin_cpu_supports("avx2");
        case GemmIsa::Baseline:
            return true;
    }
    return false;
#else
    return isa == GemmIsa::Baseline;
#endif
}

GemmIsa gemm_best_isa() {
    static const GemmIsa best = gemm_isa_supported(GemmIsa::Avx512) ? GemmIsa::Avx512
                                : gemm_isa_supported(GemmIsa::Avx2) ? GemmIsa::Avx2
                                                                    : GemmIsa::Baseline;
    return best;
}

void gemm_wide(const double* a, const double* b, double* c, std::size_t rows, std::size_t columns, std::size_t depth) {
    [[maybe_unused]] const bool parallel = worth_threads(rows, columns, depth);
    BK_PARALLEL_FOR_IF(parallel)
    for (std::ptrdiff_t tile = 0; tile < row_tile_count(rows); ++tile) {
        const std::size_t row0 = static_cast<std::size_t>(tile) * kRowTile;
        const std::size_t tile_rows = std::min(kRowTile, rows - row0);
        double sums[kRowTile][kColumnBlock];
        for (std::size_t column0 = 0; column0 < columns; column0 += kColumnBlock) {
            const std::size_t block_columns = std::min(kColumnBlock, columns - column0);
            for (std::size_t r = 0; r < tile_rows; ++r) {
                std::fill(sums[r], sums[r] + block_columns, 0.0);
            }
            accumulate_products(a, b, columns, depth, row0, tile_rows, column0, block_columns, sums);
            for (std::size_t r = 0; r < tile_rows; ++r) {
                std::copy(sums[r], sums[r] + block_columns, c + (row0 + r) * columns + column0);
            }
        }
    }
}

void gemm_fp16_accumulate(const double* a, const double* b, double* c, std::size_t rows, std::size_t columns,
                          std::size_t depth, std::size_t group, Rounding rounding) {
    Fp16GemmArgs args = fp16_gemm_args(a, depth, c, columns, rows, columns, depth, group, rounding);
    args.b = b;
    args.b_row_stride = columns;
    args.b_column_stride = 1;
    gemm_fp16_accumulate(args);
}

Fp16GemmArgs fp16_gemm_args(const double* a, std::size_t a_stride, double* c, std::size_t c_stride, std::size_t rows,
                            std::size_t columns, std::size_t depth, std::size_t group, Rounding rounding) {
    Fp16GemmArgs args{};
    args.a = a;
    args.a_stride = a_stride;
    args.c = c;
    args.c_stride = c_stride;
    args.rows = rows;
    args.columns = columns;
    args.depth = depth;
    args.group = group;
    args.rounding = rounding;
    return args;
}

namespace {

// The first row of each run of rows of A that repeat the row before them bit for bit (+0 and -0 differ; a NaN repeats
// only the same NaN). A row that differs ends its comparison at its first differing element.
std::vector<std::size_t> run_starts(const Fp16GemmArgs& x) {
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 1; i < x.rows; ++i) {
        if (std::memcmp(x.a + i * x.a_stride, x.a + (i - 1) * x.a_stride, x.depth * sizeof(double)) != 0) {
            starts.push_back(i);
        }
    }
    return starts;
}

// Every row of A multiplied: the tiled, vectorised product of gemm_fp16_accumulate.
void multiply_every_row(const Fp16GemmArgs& args, GemmIsa isa) {
    if (args.depth == 0) {
        for (std::size_t i = 0; i < args.rows; ++i) {  // no group: every accumulator keeps its initial 0
            std::fill(args.c + i * args.c_stride, args.c + i * args.c_stride + args.columns, 0.0);
        }
        return;
    }
    const std::size_t panel_width = kPanelVectors * lanes_of(isa);
    const std::size_t panels = (args.columns + panel_width - 1) / panel_width;
    const std::size_t panel_bytes = args.depth * panel_width * sizeof(double);
    const std::size_t per_item = std::clamp<std::size_t>(kItemPanelBytes / panel_bytes, 1, panels);
    const std::size_t row_items = (args.rows + kItemRows - 1) / kItemRows;
    const Fp16Gemm g{args, panel_width, panels, per_item, row_items};
    void (*multiply)(const Fp16Gemm&, std::size_t) = multiply_item_baseline;
#if BK_X86_DISPATCH
    if (isa == GemmIsa::Avx512) {
        multiply = multiply_item_avx512;
    } else if (isa == GemmIsa::Avx2) {
        multiply = multiply_item_avx2;
    }
#endif
    const auto items = static_cast<std::ptrdiff_t>(row_items * ((panels + per_item - 1) / per_item));
    [[maybe_unused]] const bool parallel =
        items > 1 && args.rows * args.columns * args.depth >= kParallelMinimumProducts;
    BK_PARALLEL_FOR_DYNAMIC_IF(parallel)
    for (std::ptrdiff_t item = 0; item < items; ++item) {
        multiply(g, static_cast<std::size_t>(item));
    }
}

}  // namespace

void gemm_fp16_accumulate(const Fp16GemmArgs& args, GemmIsa isa) {
    if (args.rows == 0 || args.columns == 0) {
        return;
    }
    // Each element of C is its own sums over its row of A, so a row of A that repeats the row before it gives a row of C
    // that repeats the one before it: each run is multiplied once (its first row, into a compact product) and copied.
    // An input constant along the tokens (the seed case) then costs one row per product instead of S.
    if (args.depth > 0 && args.rows > 1) {
        const std::vector<std::size_t> starts = run_starts(args);
        if (starts.size() < args.rows) {
            std::vector<double> distinct(starts.size() * args.depth);
            for (std::size_t r = 0; r < starts.size(); ++r) {
                std::memcpy(distinct.data() + r * args.depth, args.a + starts[r] * args.a_stride, args.depth * sizeof(double));
            }
            std::vector<double> product(starts.size() * args.columns);
            Fp16GemmArgs compact = args;
            compact.a = distinct.data();
            compact.a_stride = args.depth;
            compact.c = product.data();
            compact.c_stride = args.columns;
            compact.rows = starts.size();
            multiply_every_row(compact, isa);
            for (std::size_t r = 0; r < starts.size(); ++r) {
                const std::size_t end = r + 1 < starts.size() ? starts[r + 1] : args.rows;
                for (std::size_t i = starts[r]; i < end; ++i) {
                    std::memcpy(args.c + i * args.c_stride, product.data() + r * args.columns, args.columns * sizeof(double));
                }
            }
            return;
        }
    }
    multiply_every_row(args, isa);
}

std::vector<double> transpose(const double* source, std::size_t rows, std::size_t columns) {
    std::vector<double> result(rows * columns);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < columns; ++j) {
            result[j * rows + i] = source[i * columns + j];
        }
    }
    return result;
}

}  // namespace bk
