// gemm.h — the two matrix products the CPU variants are built from. All matrices are dense row-major doubles:
// A is [rows][depth], B is [depth][columns], C is [rows][columns]; C is overwritten.
#pragma once

#include "common/fp16.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bk {

// C = A·B with every product and sum in double (the "fp32 or better" accumulation of cuBLAS, made exact enough
// that it serves as the truth for fp32 and fp16 operands).
void gemm_wide(const double* a, const double* b, double* c, std::size_t rows, std::size_t columns, std::size_t depth);

// C = A·B as a tensor core with an fp16 accumulator computes it (docs/SEMANTICS.md §4): along the reduction dimension the
// products of each group of `group` consecutive terms are summed exactly (in double), and each group's sum joins
// an fp16 accumulator that starts at 0 with one rounding (`rounding`). group = 1 is serial fp16 accumulation;
// a last group shorter than `group` (depth not a multiple) is summed the same way. Every C element is an
// fp16 value (possibly ±inf).
// Invariant: group >= 1.
void gemm_fp16_accumulate(const double* a, const double* b, double* c, std::size_t rows, std::size_t columns,
                          std::size_t depth, std::size_t group, Rounding rounding);

// The instruction sets gemm_fp16_accumulate is built for; it runs the widest the CPU supports. Every one gives the
// same result bit for bit (the isa argument below lets the checks run each one the CPU has).
enum class GemmIsa { Baseline, Avx2, Avx512 };
bool gemm_isa_supported(GemmIsa isa);
GemmIsa gemm_best_isa();

// The operands of gemm_fp16_accumulate in general layout: element (i, d) of A is a[i·a_stride + d], element (d, j) of
// B is b[d·b_row_stride + j·b_column_stride] (a transposed or column-sliced matrix needs no copy), element (i, j) of C
// is c[i·c_stride + j]. B is either doubles (b) or binary16 bits (b_half, e.g. a kernel's fp16 weights read in place);
// exactly one of the two is set.
struct Fp16GemmArgs {
    const double* a;
    std::size_t a_stride;
    const double* b;
    const uint16_t* b_half;
    std::size_t b_row_stride, b_column_stride;
    double* c;
    std::size_t c_stride;
    std::size_t rows, columns, depth, group;
    Rounding rounding;
};

// The arguments every product shares: A and C with their row strides, the sizes, the group and the rounding; B (b or
// b_half, and its two strides) is left for the caller to set.
Fp16GemmArgs fp16_gemm_args(const double* a, std::size_t a_stride, double* c, std::size_t c_stride, std::size_t rows,
                            std::size_t columns, std::size_t depth, std::size_t group, Rounding rounding);

// gemm_fp16_accumulate on general operands, built for `isa`. Invariant: group >= 1, gemm_isa_supported(isa).
void gemm_fp16_accumulate(const Fp16GemmArgs& args, GemmIsa isa = gemm_best_isa());

// The [columns][rows] transpose of a [rows][columns] matrix (turns an nn.Linear [out][in] weight into B).
std::vector<double> transpose(const double* source, std::size_t rows, std::size_t columns);

}  // namespace bk
