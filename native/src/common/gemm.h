// gemm.h — the two matrix products the CPU variants are built from. All matrices are dense row-major doubles:
// A is [rows][depth], B is [depth][columns], C is [rows][columns]; C is overwritten.
#pragma once

#include "common/fp16.h"

#include <cstddef>
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

// The [columns][rows] transpose of a [rows][columns] matrix (turns an nn.Linear [out][in] weight into B).
std::vector<double> transpose(const double* source, std::size_t rows, std::size_t columns);

}  // namespace bk
