#ifndef CTNN_DETAIL_MATH_SQRT_HPP
#define CTNN_DETAIL_MATH_SQRT_HPP

/// \file
/// A correctly rounded square root in integer arithmetic, for constant evaluation
/// (clang does not constant-fold `__builtin_sqrt`). Because IEEE 754 square root is
/// correctly rounded too, this gives bit for bit what the hardware instruction gives.

#include <ctnn/detail/math_float.hpp>

#include <bit>
#include <cstdint>

namespace ctnn::detail {

/// sqrt(x), correctly rounded to nearest even, for finite x > 0 (normal or subnormal).
/// Digit-by-digit (restoring) square root of the significand scaled by 4^p; only 64-bit
/// integers are needed, so it also works where `__int128` does not exist.
template <math_float T>
[[nodiscard]] constexpr T sqrt_correctly_rounded(T x) noexcept
{
    using fmt = float_format<T>;
    using u64 = std::uint64_t;
    constexpr int digits = fmt::digits;

    u64 const b = to_bits(x);
    int biased = static_cast<int>(b >> (digits - 1));
    u64 m = b & mantissa_mask<T>;
    if (biased == 0) { // subnormal: normalise so the hidden bit is set
        biased = 1;
        while ((m >> (digits - 1)) == 0) {
            m <<= 1;
            --biased;
        }
    } else {
        m |= u64{1} << (digits - 1);
    }
    // x = m * 2^ex with an even ex, m < 2^(digits+1).
    int ex = biased - fmt::bias - (digits - 1);
    if ((ex & 1) != 0) {
        m <<= 1;
        --ex;
    }

    // q = floor(sqrt(m * 4^p)) has digits+1 or digits+2 bits: one round bit at least.
    constexpr int p = (digits + 2) / 2;
    constexpr int pairs = (digits + 2) / 2 + p;
    u64 q = 0;
    u64 r = 0; // r < 2q + 1 < 2^56: the shifts below never overflow
    for (int j = pairs - 1; j >= 0; --j) {
        u64 const two_bits = j >= p ? (m >> (2 * (j - p))) & 3u : 0u;
        r = (r << 2) | two_bits;
        u64 const trial = (q << 2) | 1u;
        if (r >= trial) {
            r -= trial;
            q = (q << 1) | 1u;
        } else {
            q <<= 1;
        }
    }

    int const drop = static_cast<int>(std::bit_width(q)) - digits; // 1 or 2
    u64 const half = u64{1} << (drop - 1);
    u64 const rest = q & ((u64{1} << drop) - 1);
    q >>= drop;
    int ey = ex / 2 - p + drop; // sqrt(x) ~ q * 2^ey
    if (rest > half || (rest == half && (r != 0 || (q & 1u) != 0))) {
        ++q;
        if ((q >> digits) != 0) {
            q >>= 1;
            ++ey;
        }
    }
    // The square root of any positive finite number is a normal number.
    u64 const field = static_cast<u64>(ey + digits - 1 + fmt::bias);
    return from_bits<T>(static_cast<float_bits<T>>((field << (digits - 1)) | (q & mantissa_mask<T>)));
}

} // namespace ctnn::detail

#endif
