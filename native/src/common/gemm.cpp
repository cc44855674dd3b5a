#include "common/gemm.h"

#include <algorithm>
#include <cstddef>

// Both products walk A in tiles of kRowTile rows and B in blocks of kColumnBlock columns, so that one
// row of a B block (2 KiB) is reused by every row of the tile from L1, and the tile's accumulators
// (kRowTile x kColumnBlock doubles, 16 KiB each) stay in L1/L2. The innermost loop runs over contiguous
// columns, which the compiler vectorises. Row tiles are independent, so they are shared among OpenMP threads
// when the library is built with OpenMP (the result does not depend on the thread count: each C element is
// still summed in one fixed order). Small products stay on the calling thread: on a busy 2-core machine every
// parallel region's barrier can cost a scheduler time slice, which would dwarf a tiny GEMM.
#define BK_PRAGMA(text) _Pragma(#text)
#if defined(_OPENMP)
#define BK_PARALLEL_FOR_IF(condition) BK_PRAGMA(omp parallel for schedule(static) if(condition))
#else
#define BK_PARALLEL_FOR_IF(condition)
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

// sums[r][j] += Σ_{d in [first, last)} A[row0 + r][d] · B[d][column0 + j]
void accumulate_products(const double* a, const double* b, std::size_t columns, std::size_t depth,
                         std::size_t row0, std::size_t tile_rows, std::size_t column0, std::size_t block_columns,
                         std::size_t first, std::size_t last, double (*sums)[kColumnBlock]) {
    for (std::size_t d = first; d < last; ++d) {
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

}  // namespace

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
            accumulate_products(a, b, columns, depth, row0, tile_rows, column0, block_columns, 0, depth, sums);
            for (std::size_t r = 0; r < tile_rows; ++r) {
                std::copy(sums[r], sums[r] + block_columns, c + (row0 + r) * columns + column0);
            }
        }
    }
}

void gemm_fp16_accumulate(const double* a, const double* b, double* c, std::size_t rows, std::size_t columns,
                          std::size_t depth, std::size_t group, Rounding rounding) {
    [[maybe_unused]] const bool parallel = worth_threads(rows, columns, depth);
    BK_PARALLEL_FOR_IF(parallel)
    for (std::ptrdiff_t tile = 0; tile < row_tile_count(rows); ++tile) {
        const std::size_t row0 = static_cast<std::size_t>(tile) * kRowTile;
        const std::size_t tile_rows = std::min(kRowTile, rows - row0);
        double group_sums[kRowTile][kColumnBlock];
        double accumulators[kRowTile][kColumnBlock];
        for (std::size_t column0 = 0; column0 < columns; column0 += kColumnBlock) {
            const std::size_t block_columns = std::min(kColumnBlock, columns - column0);
            for (std::size_t r = 0; r < tile_rows; ++r) {
                std::fill(accumulators[r], accumulators[r] + block_columns, 0.0);
            }
            for (std::size_t first = 0; first < depth; first += group) {
                const std::size_t last = std::min(depth, first + group);
                for (std::size_t r = 0; r < tile_rows; ++r) {
                    std::fill(group_sums[r], group_sums[r] + block_columns, 0.0);
                }
                accumulate_products(a, b, columns, depth, row0, tile_rows, column0, block_columns, first, last,
                                    group_sums);
                for (std::size_t r = 0; r < tile_rows; ++r) {
                    for (std::size_t j = 0; j < block_columns; ++j) {
                        accumulators[r][j] = round_to_half(accumulators[r][j] + group_sums[r][j], rounding);
                    }
                }
            }
            for (std::size_t r = 0; r < tile_rows; ++r) {
                std::copy(accumulators[r], accumulators[r] + block_columns, c + (row0 + r) * columns + column0);
            }
        }
    }
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
