// souffle_constants.h — constants the Souffle kernels compute in fp16, reproduced bit for bit.
#pragma once

#include "common/fp16.h"

#include <cmath>
#include <cstddef>

namespace bk {

// The score scale of the Souffle attention kernel, half(1) / hsqrt(half(M)). hsqrt returns an fp16 value, so the
// square root is rounded to fp16 before the division, which is rounded again. For M = 768 this equals
// fp16(1/sqrt(768)) = 1182·2^-15 = 0.0360718; for other widths the two roundings can differ by one ulp.
inline double souffle_score_scale(std::size_t model_width) {
    const double width = round_to_half(static_cast<double>(model_width));
    const double root = round_to_half(std::sqrt(width));
    return round_to_half(1.0 / root);
}

}  // namespace bk
