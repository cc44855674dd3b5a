// fp16.h — IEEE binary16 conversion written out in integer arithmetic, so that the result does not depend on
// the compiler's or the CPU's half support. Correct for normals, subnormals, signed zero, infinities and NaN;
// rounds to nearest-even or toward zero. Usable from host code and, being header-only and free of library
// calls, from CUDA device code as well.
#pragma once

#include "bert_kernels.h"

#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#define BK_HOST_DEVICE __host__ __device__
#else
#define BK_HOST_DEVICE
#endif

namespace bk {

enum class Rounding : int32_t {
    NearestEven = BK_ROUND_NEAREST_EVEN,
    TowardZero = BK_ROUND_TOWARD_ZERO,
};

// Bit casts that compile as host code and as CUDA device code.
BK_HOST_DEVICE inline uint64_t bits_of_double(double value) {
#if defined(__CUDA_ARCH__)
    return static_cast<uint64_t>(__double_as_longlong(value));
#else
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
#endif
}

BK_HOST_DEVICE inline double double_of_bits(uint64_t bits) {
#if defined(__CUDA_ARCH__)
    return __longlong_as_double(static_cast<long long>(bits));
#else
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
#endif
}

// Rounds a double straight to binary16 bits. Going through float first would round twice and can be off
// by one ulp at ties, so the double's own bits are cut here.
BK_HOST_DEVICE inline uint16_t half_bits_from_double(double value, Rounding rounding = Rounding::NearestEven) {
    const uint64_t bits = bits_of_double(value);
    const uint16_t sign = static_cast<uint16_t>((bits >> 48) & 0x8000u);
    const int biased_exponent = static_cast<int>((bits >> 52) & 0x7FFu);
    const uint64_t fraction = bits & 0xFFFFFFFFFFFFFull;
    if (biased_exponent == 0x7FF) {
        return static_cast<uint16_t>(sign | (fraction != 0 ? 0x7E00u : 0x7C00u));
    }
    const int exponent = biased_exponent - 1023;
    if (exponent > 15) {
        // Toward zero never reaches infinity from a finite value: it stops at the largest finite half.
        return static_cast<uint16_t>(sign | (rounding == Rounding::NearestEven ? 0x7C00u : 0x7BFFu));
    }
    uint64_t significand;
    int shift;
    uint32_t base;
    if (exponent >= -14) {
        significand = fraction;  // the implicit bit lives in `base`
        shift = 42;
        base = static_cast<uint32_t>(exponent + 15) << 10;
    } else {
        if (biased_exponent == 0) {
            return sign;  // double zero or double subnormal: far below half's smallest subnormal
        }
        significand = fraction | (1ull << 52);
        shift = 28 - exponent;  // units of 2^-24, half's subnormal quantum
        base = 0;
        if (shift > 63) {
            return sign;
        }
    }
    uint32_t kept = static_cast<uint32_t>(significand >> shift);
    const uint64_t rest = significand & ((1ull << shift) - 1);
    const uint64_t halfway = 1ull << (shift - 1);
    if (rounding == Rounding::NearestEven && (rest > halfway || (rest == halfway && (kept & 1u) != 0))) {
        ++kept;
    }
    // Invariant: a carry out of the 10 fraction bits lands in the exponent field, which is exactly the next
    // binade (or infinity, 0x7C00, above 65504), and a subnormal that rounds up to 1024 becomes the smallest normal.
    return static_cast<uint16_t>(sign | (base + kept));
}

BK_HOST_DEVICE inline uint16_t half_bits_from_float(float value, Rounding rounding = Rounding::NearestEven) {
    return half_bits_from_double(static_cast<double>(value), rounding);  // float -> double is exact
}

// Every binary16 value is exactly a double; the bits are assembled directly.
BK_HOST_DEVICE inline double double_from_half_bits(uint16_t half) {
    const uint64_t sign = static_cast<uint64_t>(half & 0x8000u) << 48;
    const uint32_t exponent = (half >> 10) & 0x1Fu;
    const uint64_t fraction = half & 0x3FFu;
    uint64_t bits;
    if (exponent == 0x1F) {
        bits = sign | (0x7FFull << 52) | (fraction != 0 ? (1ull << 51) | (fraction << 42) : 0);
    } else if (exponent == 0) {
        const double magnitude = static_cast<double>(fraction) * 5.9604644775390625e-08;  // 2^-24
        return (half & 0x8000u) != 0 ? -magnitude : magnitude;
    } else {
        bits = sign | (static_cast<uint64_t>(exponent - 15 + 1023) << 52) | (fraction << 42);
    }
    return double_of_bits(bits);
}

BK_HOST_DEVICE inline float float_from_half_bits(uint16_t half) {
    return static_cast<float>(double_from_half_bits(half));  // exact: binary16 is a subset of binary32
}

// The nearest binary16 value (per `rounding`), returned as a double: what an fp16 register would hold.
BK_HOST_DEVICE inline double round_to_half(double value, Rounding rounding = Rounding::NearestEven) {
    return double_from_half_bits(half_bits_from_double(value, rounding));
}

}  // namespace bk
