// souffle_constants.h — constants the Souffle kernels compute in fp16, reproduced bit for bit.
#pragma once

#include "common/fp16.h"

#include <cmath>
#include <cstddef>

namespace bk {

// FC2's split over the feed-forward kernel's warps (docs/SEMANTICS.md §4): the reduction dimension F is cut into
// k-tiles of kSouffleFc2KTile (the tensor-core instruction's k), and warp w of kSouffleFc2Warps accumulates the tiles
// w, w + 4, w + 8, ... in ascending order; the four partial results are then added in fp16 in warp order.
constexpr std::size_t kSouffleFc2Warps = 4;
constexpr std::size_t kSouffleFc2KTile = 16;

// The per-thread partial sums the Souffle kernels hand to their fp32 atomics: a softmax row sum is taken over chunks
// of kSouffleSoftmaxChunk keys, a LayerNorm row's Σx and Σx² over chunks of kSouffleLayerNormChunk columns (each
// chunk summed pair by pair: s += (v0 + v1)).
constexpr std::size_t kSouffleSoftmaxChunk = 128;
constexpr std::size_t kSouffleLayerNormChunk = 32;

// The score scale of the Souffle attention kernel, half(1) / hsqrt(half(M)). hsqrt returns an fp16 value, so the
// square root is rounded to fp16 before the division, which is rounded again. For M = 768 this equals
// fp16(1/sqrt(768)) = 1182·2^-15 = 0.0360718; for other widths the two roundings can differ by one ulp.
inline double souffle_score_scale(std::size_t model_width) {
    const double width = round_to_half(static_cast<double>(model_width));
    const double root = round_to_half(std::sqrt(width));
    return round_to_half(1.0 / root);
}

}  // namespace bk
