#ifndef CTNN_DETAIL_VECTOR_SQRT_HPP
#define CTNN_DETAIL_VECTOR_SQRT_HPP

/// \file
/// The square root of every lane of a generic vector, with the target's vector
/// square-root instruction.
///
/// A loop of scalar square roots does not vectorise under the compilers'
/// default -fmath-errno: a negative input must set errno, so each one keeps a
/// call to the C library behind a check. The instruction is correctly rounded,
/// as the scalar one is, so every lane is bit for bit what `math::sqrt` gives
/// (NaN for a negative input, without errno). Targets without such an
/// instruction take the lanes one at a time.

#include <ctnn/detail/math_float.hpp>

#include <cstddef>
#include <utility>

#if defined(__GNUC__) && defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace ctnn::detail {

#if defined(__GNUC__)
template <math_vector V>
[[gnu::always_inline]] inline V sqrt_lanes(V v) noexcept;

// sqrt_halves(v): sqrt_lanes of each half of v, for a vector wider than the
// target's instructions take.
template <math_vector V, std::size_t... L>
[[gnu::always_inline]] inline V sqrt_halves(V v, std::index_sequence<L...>) noexcept
{
    constexpr std::size_t half = sizeof...(L);
    auto const low = sqrt_lanes(__builtin_shufflevector(v, v, L...));
    auto const high = sqrt_lanes(__builtin_shufflevector(v, v, (L + half)...));
    return __builtin_shufflevector(low, high, L..., (L + half)...);
}

template <math_vector V>
[[gnu::always_inline]] inline V sqrt_lanes(V v) noexcept
{
    using T = lane_scalar<V>;
    constexpr std::size_t bytes = sizeof(V);
#if defined(__SSE2__)
    if constexpr (bytes == 16) {
        if constexpr (sizeof(T) == 4) {
            return __builtin_ia32_sqrtps(v);
        } else {
            return __builtin_ia32_sqrtpd(v);
        }
    }
#endif
#if defined(__AVX__)
    if constexpr (bytes == 32) {
        if constexpr (sizeof(T) == 4) {
            return __builtin_ia32_sqrtps256(v);
        } else {
            return __builtin_ia32_sqrtpd256(v);
        }
    }
#endif
#if defined(__AVX512F__)
    if constexpr (bytes == 64) {
        // 4: _MM_FROUND_CUR_DIRECTION, the current rounding mode.
#if defined(__clang__)
        if constexpr (sizeof(T) == 4) {
            return __builtin_ia32_sqrtps512(v, 4);
        } else {
            return __builtin_ia32_sqrtpd512(v, 4);
        }
#else
        if constexpr (sizeof(T) == 4) {
            return __builtin_ia32_sqrtps512_mask(v, v, static_cast<short>(-1), 4);
        } else {
            return __builtin_ia32_sqrtpd512_mask(v, v, static_cast<char>(-1), 4);
        }
#endif
    }
#endif
#if defined(__aarch64__)
    if constexpr (bytes == 16) {
        if constexpr (sizeof(T) == 4) {
            return vsqrtq_f32(v);
        } else {
            return vsqrtq_f64(v);
        }
    }
#endif
#if defined(__SSE2__) || defined(__aarch64__)
    if constexpr (bytes > 16) {
        return sqrt_halves(v, std::make_index_sequence<bytes / sizeof(T) / 2>{});
    }
#endif
    // No vector instruction: lane by lane (the scalar instruction, or the C
    // library on a soft-float target).
    for (std::size_t l = 0; l < bytes / sizeof(T); ++l) {
        if constexpr (sizeof(T) == 4) {
            v[l] = __builtin_sqrtf(v[l]);
        } else {
            v[l] = __builtin_sqrt(v[l]);
        }
    }
    return v;
}
#endif

} // namespace ctnn::detail

#endif
