#include "common/tensor_io.h"

#include "common/fp16.h"
#include "variant.h"

#include <string>

namespace bk {

LayerDims LayerDims::from(const bk_dims& dims) {
    // Invariant: api.cpp has already checked every dimension positive and every tensor size representable.
    LayerDims result{};
    result.batch = static_cast<std::size_t>(dims.batch);
    result.seq = static_cast<std::size_t>(dims.seq);
    result.heads = static_cast<std::size_t>(dims.heads);
    result.head_size = static_cast<std::size_t>(dims.head_size);
    result.model = result.heads * result.head_size;
    result.intermediate = static_cast<std::size_t>(dims.intermediate);
    return result;
}

std::vector<double> load_tensor(const void* data, int32_t dtype, std::size_t count) {
    std::vector<double> values(count);
    if (dtype == BK_DTYPE_F32) {
        const auto* source = static_cast<const float*>(data);
        for (std::size_t i = 0; i < count; ++i) {
            values[i] = static_cast<double>(source[i]);
        }
    } else if (dtype == BK_DTYPE_F16) {
        const auto* source = static_cast<const uint16_t*>(data);
        for (std::size_t i = 0; i < count; ++i) {
            values[i] = double_from_half_bits(source[i]);
        }
    } else {
        fail(BK_ERR_INTERNAL, "load_tensor: unknown dtype code " + std::to_string(dtype));
    }
    return values;
}

std::vector<double> load_optional_tensor(const void* data, int32_t dtype, std::size_t count, double fill) {
    if (data == nullptr) {
        return std::vector<double>(count, fill);
    }
    return load_tensor(data, dtype, count);
}

void store_tensor(void* destination, int32_t dtype, const double* values, std::size_t count) {
    if (destination == nullptr) {
        return;
    }
    if (dtype == BK_DTYPE_F32) {
        auto* target = static_cast<float*>(destination);
        for (std::size_t i = 0; i < count; ++i) {
            target[i] = static_cast<float>(values[i]);
        }
    } else if (dtype == BK_DTYPE_F16) {
        auto* target = static_cast<uint16_t*>(destination);
        for (std::size_t i = 0; i < count; ++i) {
            target[i] = half_bits_from_double(values[i]);
        }
    } else {
        fail(BK_ERR_INTERNAL, "store_tensor: unknown dtype code " + std::to_string(dtype));
    }
}

void store_tensor(void* destination, int32_t dtype, const std::vector<double>& values) {
    store_tensor(destination, dtype, values.data(), values.size());
}

double round_to_dtype(double value, int32_t dtype) {
    return dtype == BK_DTYPE_F16 ? round_to_half(value) : static_cast<double>(static_cast<float>(value));
}

void round_to_dtype(std::vector<double>& values, int32_t dtype) {
    for (double& value : values) {
        value = round_to_dtype(value, dtype);
    }
}

}  // namespace bk
