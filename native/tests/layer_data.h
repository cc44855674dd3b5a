// layer_data.h — random BERT-layer inputs and poisoned output buffers for the check programs, in either dtype and
// weight layout. Every value is drawn once in double and rounded to fp16, so the same layer can be fed to an F32
// variant and an F16 variant with identical numbers.
#pragma once

#include "bert_kernels.h"
#include "bert_kernels_validate.h"
#include "common/fp16.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <random>
#include <vector>

namespace bk::test {

// The logical (OUT_IN, double) contents of one layer.
struct LayerValues {
    bk_dims dims{};
    std::vector<double> input, qkv_weight, qkv_bias, dense_weight, dense_bias, ln1_gamma, ln1_beta;
    std::vector<double> fc1_weight, fc1_bias, fc2_weight, fc2_bias, ln2_gamma, ln2_beta, mask;
};

inline std::vector<double> random_values(std::mt19937_64& rng, std::size_t count, double mean, double spread) {
    std::normal_distribution<double> normal(mean, spread);
    std::vector<double> values(count);
    for (double& v : values) {
        v = round_to_half(normal(rng));
    }
    return values;
}

inline LayerValues random_layer(bk_dims dims, uint64_t seed, double weight_spread = 0.2) {
    std::mt19937_64 rng(seed);
    const auto b = static_cast<std::size_t>(dims.batch), s = static_cast<std::size_t>(dims.seq);
    const auto m = static_cast<std::size_t>(dims.heads * dims.head_size), f = static_cast<std::size_t>(dims.intermediate);
    LayerValues v;
    v.dims = dims;
    v.input = random_values(rng, b * s * m, 0.0, 1.0);
    v.qkv_weight = random_values(rng, 3 * m * m, 0.0, weight_spread);
    v.qkv_bias = random_values(rng, 3 * m, 0.0, 0.1);
    v.dense_weight = random_values(rng, m * m, 0.0, weight_spread);
    v.dense_bias = random_values(rng, m, 0.0, 0.1);
    v.ln1_gamma = random_values(rng, m, 1.0, 0.1);
    v.ln1_beta = random_values(rng, m, 0.0, 0.1);
    v.fc1_weight = random_values(rng, f * m, 0.0, weight_spread);
    v.fc1_bias = random_values(rng, f, 0.0, 0.1);
    v.fc2_weight = random_values(rng, m * f, 0.0, weight_spread);
    v.fc2_bias = random_values(rng, m, 0.0, 0.1);
    v.ln2_gamma = random_values(rng, m, 1.0, 0.1);
    v.ln2_beta = random_values(rng, m, 0.0, 0.1);
    v.mask = std::vector<double>(b * s, 0.0);
    v.mask.back() = -10000.0;  // the last key of the last batch entry is padding
    return v;
}

// Elements of canonical tensor `tensor` for d, from the header's tensor table. Invariant: d is plausible.
inline std::size_t element_count(const bk_dims& d, int32_t tensor) {
    return static_cast<std::size_t>(bk_tensor_elements(&d, tensor));
}

inline bool is_fp32_accumulator(int32_t tensor) { return bk_tensor_row(tensor)->kind == BK_KIND_FP32; }

// Allocates BK_ALIGNMENT_CUDA-aligned memory (more than BK_ALIGNMENT_CPU), as the shims require of every pointer.
template <typename T>
struct AlignedAllocator {
    using value_type = T;
    AlignedAllocator() = default;
    template <typename U>
    AlignedAllocator(const AlignedAllocator<U>&) {}
    T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{BK_ALIGNMENT_CUDA}));
    }
    void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t{BK_ALIGNMENT_CUDA}); }
    template <typename U>
    bool operator==(const AlignedAllocator<U>&) const { return true; }
    template <typename U>
    bool operator!=(const AlignedAllocator<U>&) const { return false; }
};

using AlignedBytes = std::vector<unsigned char, AlignedAllocator<unsigned char>>;

// One run's memory: inputs encoded in a dtype and layout, all 19 outputs allocated and poisoned with NaN.
class LayerBuffers {
public:
    LayerBuffers(const LayerValues& v, int32_t dtype, int32_t layout) : dtype_(dtype) {
        const auto m = static_cast<std::size_t>(v.dims.heads * v.dims.head_size);
        const auto f = static_cast<std::size_t>(v.dims.intermediate);
        std::vector<double> qkv = v.qkv_weight;
        std::vector<double> dense = v.dense_weight, fc1 = v.fc1_weight, fc2 = v.fc2_weight;
        if (layout == BK_LAYOUT_IN_OUT) {
            for (std::size_t p = 0; p < 3; ++p) {
                transpose_into(v.qkv_weight.data() + p * m * m, qkv.data() + p * m * m, m, m);
            }
            transpose_into(v.dense_weight.data(), dense.data(), m, m);
            transpose_into(v.fc1_weight.data(), fc1.data(), f, m);
            transpose_into(v.fc2_weight.data(), fc2.data(), m, f);
        }
        inputs_ = {encode(v.input), encode(qkv), encode(v.qkv_bias), encode(dense), encode(v.dense_bias),
                   encode(v.ln1_gamma), encode(v.ln1_beta), encode(fc1), encode(v.fc1_bias), encode(fc2),
                   encode(v.fc2_bias), encode(v.ln2_gamma), encode(v.ln2_beta), encode(v.mask)};
        std::memset(&params_, 0, sizeof params_);
        params_.abi_version = BK_ABI_VERSION;
        params_.struct_size = static_cast<int32_t>(sizeof(bk_params));
        params_.dims = v.dims;
        params_.dtype = dtype;
        params_.semantics = BK_SEMANTICS_HUGGINGFACE;
        params_.layernorm_eps = 1e-12f;
        params_.layernorm_scalar_gamma = 1.0f;
        const void** fields[] = {&params_.input, &params_.qkv_weight, &params_.qkv_bias, &params_.attn_dense_weight,
                                 &params_.attn_dense_bias, &params_.ln1_gamma, &params_.ln1_beta, &params_.fc1_weight,
                                 &params_.fc1_bias, &params_.fc2_weight, &params_.fc2_bias, &params_.ln2_gamma,
                                 &params_.ln2_beta, &params_.attention_mask};
        for (std::size_t i = 0; i < inputs_.size(); ++i) {
            *fields[i] = inputs_[i].data();
        }
        for (int32_t t = 0; t < BK_TENSOR_COUNT; ++t) {
            const std::size_t count = element_count(v.dims, t);
            const bool fp32 = dtype == BK_DTYPE_F32 || is_fp32_accumulator(t);
            outputs_[t].assign(count * (fp32 ? 4 : 2), 0);
            for (std::size_t i = 0; i < count; ++i) {
                if (fp32) {
                    const float nan = std::numeric_limits<float>::quiet_NaN();
                    std::memcpy(outputs_[t].data() + 4 * i, &nan, 4);
                } else {
                    const uint16_t nan = 0x7E00;
                    std::memcpy(outputs_[t].data() + 2 * i, &nan, 2);
                }
            }
            params_.outputs[t] = outputs_[t].data();
        }
    }

    bk_params& params() { return params_; }

    // Output `tensor` decoded to doubles.
    std::vector<double> output(int32_t tensor) const {
        const bool fp32 = dtype_ == BK_DTYPE_F32 || is_fp32_accumulator(tensor);
        const std::size_t count = outputs_[tensor].size() / (fp32 ? 4 : 2);
        std::vector<double> values(count);
        for (std::size_t i = 0; i < count; ++i) {
            if (fp32) {
                float f;
                std::memcpy(&f, outputs_[tensor].data() + 4 * i, 4);
                values[i] = f;
            } else {
                uint16_t h;
                std::memcpy(&h, outputs_[tensor].data() + 2 * i, 2);
                values[i] = double_from_half_bits(h);
            }
        }
        return values;
    }

private:
    static void transpose_into(const double* source, double* target, std::size_t rows, std::size_t columns) {
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < columns; ++j)
                target[j * rows + i] = source[i * columns + j];
    }

    AlignedBytes encode(const std::vector<double>& values) const {
        AlignedBytes bytes(values.size() * (dtype_ == BK_DTYPE_F32 ? 4 : 2));
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (dtype_ == BK_DTYPE_F32) {
                const auto f = static_cast<float>(values[i]);
                std::memcpy(bytes.data() + 4 * i, &f, 4);
            } else {
                const uint16_t h = half_bits_from_double(values[i]);
                std::memcpy(bytes.data() + 2 * i, &h, 2);
            }
        }
        return bytes;
    }

    int32_t dtype_;
    std::vector<AlignedBytes> inputs_;
    AlignedBytes outputs_[BK_TENSOR_COUNT];
    bk_params params_;
};

}  // namespace bk::test
