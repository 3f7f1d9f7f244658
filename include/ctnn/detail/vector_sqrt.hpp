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
/// instruction take the lanes one at a time. Vectors no wider than the
/// target's registers only: a wider one changes how it is returned.

#include <ctnn/detail/math_float.hpp>

#include <cstddef>

#if defined(__GNUC__) && defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace ctnn::detail {

#if defined(__GNUC__)
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
    // No vector instruction of this width (the kernels use the target's
    // widths only): lane by lane (the scalar instruction, or the C
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
