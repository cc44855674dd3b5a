// tensor_io.h — reading dtype tensors (F32 floats or F16 bits) from caller memory into doubles, and writing
// them back, plus the layer's dimensions. Host memory only (the CPU variants' side of the ABI).
#pragma once

#include "bert_kernels.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bk {

// The five dimensions of bk_dims plus the derived model width M = H*D, all as sizes.
struct LayerDims {
    std::size_t batch;
    std::size_t seq;
    std::size_t heads;
    std::size_t head_size;
    std::size_t model;  // M = heads * head_size
    std::size_t intermediate;

    static LayerDims from(const bk_dims& dims);
    std::size_t tokens() const { return batch * seq; }  // rows of every [B,S,*] tensor
};

// The values of `count` elements of `dtype` at `data`, exactly (both dtypes are subsets of double).
std::vector<double> load_tensor(const void* data, int32_t dtype, std::size_t count);

// As load_tensor, or `count` copies of `fill` when `data` is null (optional inputs: null bias = zero, ...).
std::vector<double> load_optional_tensor(const void* data, int32_t dtype, std::size_t count, double fill);

// Writes `count` values as `dtype` (rounded to nearest-even); a null `destination` means "not wanted".
void store_tensor(void* destination, int32_t dtype, const double* values, std::size_t count);
void store_tensor(void* destination, int32_t dtype, const std::vector<double>& values);

// The value `value` would have once stored as `dtype` (F32: float rounding; F16: binary16 rounding).
double round_to_dtype(double value, int32_t dtype);
void round_to_dtype(std::vector<double>& values, int32_t dtype);

}  // namespace bk
