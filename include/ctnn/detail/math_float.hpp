#ifndef CTNN_DETAIL_MATH_FLOAT_HPP
#define CTNN_DETAIL_MATH_FLOAT_HPP

/// \file
/// Implementation helpers for `ctnn/math.hpp`: the bit layout and the constants of
/// `float` and `double`, bit-level access, and compile-time-unrolled Horner evaluation.
/// Nothing here is public API.

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

/// The floating-point types ctnn::math implements: IEEE binary32 and binary64.
template <class T>
concept math_float = std::same_as<T, float> || std::same_as<T, double>;

/// Layout and constants of one floating-point format. Every constant is a hex-float
/// literal so that it is exact and identical on every compiler.
template <class T>
struct float_format;

template <>
struct float_format<float> {
    using bits = std::uint32_t;
    static constexpr int digits = 24; ///< significand bits, hidden bit included
    static constexpr int bias = 127;
    static constexpr int min_exp = -126; ///< exponent of the smallest normal number
    static constexpr int max_exp = 127;

    // ln 2 = ln2_hi + ln2_lo (Cody-Waite). ln2_hi has 15 significant bits, so k * ln2_hi
    // is exact for every |k| < 512, which covers every reduction exp and log perform.
    static constexpr float ln2_hi = 0x1.62e4p-1f;
    static constexpr float ln2_lo = 0x1.7f7d1cp-20f;
    static constexpr float log2e = 0x1.715476p+0f;

    /// Largest x whose correctly rounded e^x is finite.
    static constexpr float exp_hi = 0x1.62e42ep+6f;
    /// Smallest x whose correctly rounded e^x is not zero.
    static constexpr float exp_lo = -0x1.9fe368p+6f;
    /// tanh(x) rounds to 1 for every x >= 9.02; from here on tanh returns exactly 1.
    static constexpr float tanh_saturation = 10.0f;
    /// sigmoid's clamp of |x|: past -exp_lo, from where e^-|x| rounds to 0, yet small
    /// enough for its exp's reduction (detail::exp_nonpositive_scaled): n = round(16|x|
    /// log2e) <= 2401 < 2^12, so that n sixteenth_ln2_hi is exact, and 2^(m+64) with
    /// m = floor(-n/16) >= -151 a normal number.
    static constexpr float sigmoid_clamp = 104.0f;
};

template <>
struct float_format<double> {
    using bits = std::uint64_t;
    static constexpr int digits = 53;
    static constexpr int bias = 1023;
    static constexpr int min_exp = -1022;
    static constexpr int max_exp = 1023;

    // ln2_hi has 32 significant bits: k * ln2_hi is exact for every |k| < 2^21.
    static constexpr double ln2_hi = 0x1.62e42feep-1;
    static constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
    static constexpr double log2e = 0x1.71547652b82fep+0;

    static constexpr double exp_hi = 0x1.62e42fefa39efp+9;
    static constexpr double exp_lo = -0x1.74910d52d3051p+9;
    /// tanh(x) rounds to 1 for every x >= 19.07.
    static constexpr double tanh_saturation = 20.0;
    /// sigmoid's clamp of |x|: past -exp_lo, from where e^-|x| rounds to 0, yet below
    /// 1075.5 ln2, so that exp's reduction of -|x| keeps k >= -1075 and 2^(k+512) is a
    /// normal number.
    static constexpr double sigmoid_clamp = 745.25;
};

template <math_float T>
using float_bits = typename float_format<T>::bits;

template <math_float T>
inline constexpr float_bits<T> sign_mask = float_bits<T>{1} << (sizeof(T) * 8 - 1);

template <math_float T>
inline constexpr float_bits<T> mantissa_mask = (float_bits<T>{1} << (float_format<T>::digits - 1)) - 1;

/// Lanes: the kernels that serve an activation (sigmoid's exp) are written once, over a
/// "lane" type V that is either a scalar `float`/`double` or, at run time with GCC or
/// Clang, a generic vector of them (`__attribute__((vector_size))`), so that one
/// definition is evaluated one value at a time (constant evaluation, firmware) or
/// several at once in vector registers (see detail::apply_activation). Arithmetic is
/// the same per lane, so each lane's result is the scalar one (up to FMA contraction).
/// lane_traits<V>: the scalar type, the bit pattern (bits), its signed form (mask: what
/// a comparison yields, all ones where true) and the integer type of exponents (int).
template <class V>
struct lane_traits;

template <math_float T>
struct lane_traits<T> {
    using scalar = T;
    using bits = float_bits<T>;
    using signed_bits = std::make_signed_t<bits>;
    using integer = int;
    static constexpr bool is_vector = false;
};

#if defined(__GNUC__)
/// A generic vector of float or double (GCC and Clang).
template <class V>
concept math_vector = !std::is_class_v<V> && !std::is_pointer_v<V> && !std::is_array_v<V> &&
                      requires(V v) { v[0]; } && math_float<std::remove_cvref_t<decltype(std::declval<V&>()[0])>>;

template <math_vector V>
struct lane_traits<V> {
    using scalar = std::remove_cvref_t<decltype(std::declval<V&>()[0])>;
    // The type a comparison of two V yields, not a vector of float_bits's
    // signed type: the two differ where int32_t is long (arm-none-eabi), and
    // select takes what a comparison gives.
    using signed_bits = decltype(std::declval<V>() < std::declval<V>());
    typedef std::make_unsigned_t<std::remove_cvref_t<decltype(std::declval<signed_bits&>()[0])>> bits
        __attribute__((vector_size(sizeof(V))));
    using integer = signed_bits;
    static constexpr bool is_vector = true;
};

template <class V>
concept math_lane = math_float<V> || math_vector<V>;
#else
template <class V>
concept math_lane = math_float<V>;
#endif

template <class V>
using lane_scalar = typename lane_traits<V>::scalar;
template <class V>
using lane_bits = typename lane_traits<V>::bits;
template <class V>
using lane_int = typename lane_traits<V>::integer;

template <math_lane V>
[[nodiscard]] constexpr lane_bits<V> to_bits(V x) noexcept
{
    return std::bit_cast<lane_bits<V>>(x);
}

template <math_lane V>
[[nodiscard]] constexpr V from_bits(lane_bits<V> b) noexcept
{
    return std::bit_cast<V>(b);
}

/// 2^k for min_exp <= k <= max_exp, built from the exponent bits (exact, no arithmetic).
template <math_lane V>
[[nodiscard]] constexpr V pow2(lane_int<V> k) noexcept
{
    using T = lane_scalar<V>;
    using fmt = float_format<T>;
    if constexpr (lane_traits<V>::is_vector) {
        return from_bits<V>(std::bit_cast<lane_bits<V>>((k + fmt::bias) << (fmt::digits - 1)));
    } else {
        return from_bits<T>(static_cast<float_bits<T>>(static_cast<float_bits<T>>(k + fmt::bias)
                                                       << (fmt::digits - 1)));
    }
}

/// c in every lane of V (c itself for a scalar).
template <math_lane V, class C>
[[nodiscard]] constexpr V splat(C c) noexcept
{
    if constexpr (lane_traits<V>::is_vector && !std::is_same_v<C, V>) {
        return V{} + c;
    } else {
        return c;
    }
}

/// |x| with the sign bit cleared bitwise, so that abs(-0) is +0 and NaNs stay NaNs.
template <math_lane V>
[[nodiscard]] constexpr V abs_bits(V x) noexcept
{
    using T = lane_scalar<V>;
    return from_bits<V>(to_bits(x) & static_cast<float_bits<T>>(~sign_mask<T>));
}

/// |magnitude| with the sign of `sign` (magnitude must have its sign bit clear).
template <math_lane V>
[[nodiscard]] constexpr V with_sign_of(V magnitude, V sign) noexcept
{
    return from_bits<V>(to_bits(magnitude) | (to_bits(sign) & sign_mask<lane_scalar<V>>));
}

/// x clamped to [lo, hi] (lo <= hi, neither NaN); a NaN x lands on lo or hi by its sign
/// bit. The comparison is on integers: sign-magnitude bits mapped to a signed integer
/// that increases with the value. Compilers turn an integer clamp into min/max
/// instructions, whereas a floating-point clamp stays a branch that GCC threads through
/// the code after it (evaluating the kernels at lo and hi as constants), which leaves
/// the loop with control flow and unvectorised.
template <math_lane V, math_float T>
[[nodiscard]] constexpr V clamp_bits(V x, T lo, T hi) noexcept
{
    using signed_bits = std::make_signed_t<float_bits<T>>;
    using lane_signed = typename lane_traits<V>::signed_bits;
    constexpr signed_bits magnitude = std::numeric_limits<signed_bits>::max();
    // An involution: negative values get their magnitude bits flipped.
    auto const key = [](auto b) { return static_cast<decltype(b)>(b ^ ((b >> (sizeof(T) * 8 - 1)) & magnitude)); };
    signed_bits const klo = key(std::bit_cast<signed_bits>(lo));
    signed_bits const khi = key(std::bit_cast<signed_bits>(hi));
    lane_signed k = key(std::bit_cast<lane_signed>(x));
    if constexpr (lane_traits<V>::is_vector) {
        // Element-wise ?: of vectors: the same integer min/max per lane.
        k = k < klo ? lane_signed{} + klo : k;
        k = k > khi ? lane_signed{} + khi : k;
    } else {
        k = k < klo ? klo : k;
        k = k > khi ? khi : k;
    }
    return std::bit_cast<V>(key(k));
}

/// min(a, hi) for an a with its sign bit clear (hi positive, not NaN); a NaN lands on
/// hi. clamp_bits(a, 0, hi) in one integer minimum: non-negative floats, NaN above
/// infinity, are ordered like their bit patterns.
template <math_lane V, math_float T>
[[nodiscard]] constexpr V clamp_magnitude_bits(V a, T hi) noexcept
{
    using signed_bits = std::make_signed_t<float_bits<T>>;
    using lane_signed = typename lane_traits<V>::signed_bits;
    signed_bits const khi = std::bit_cast<signed_bits>(hi);
    lane_signed k = std::bit_cast<lane_signed>(a);
    if constexpr (lane_traits<V>::is_vector) {
        k = k > khi ? lane_signed{} + khi : k;
    } else {
        k = k > khi ? khi : k;
    }
    return std::bit_cast<V>(k);
}

template <math_float T, std::size_t N, std::size_t I = 0>
[[nodiscard]] constexpr T horner(T x, std::array<T, N> const& c) noexcept
{
    // Unrolled by the template, not by a loop, so that an outer loop over data is the
    // innermost loop the vectoriser sees even at -O2.
    if constexpr (I + 1 == N) {
        return c[I];
    } else {
        return c[I] + x * horner<T, N, I + 1>(x, c);
    }
}

/// c[0] + c[1] x + ... + c[N-1] x^(N-1) by Estrin's scheme: adjacent coefficients paired
/// as c[2i] + c[2i+1] x, which leaves a polynomial of half the degree in x^2, and so on.
/// About log2(N) dependent multiply-adds instead of Horner's N - 1: the latency of one
/// evaluation, which is what a single activation waits for, drops by half. Unrolled by
/// templates like horner.
///
/// Over lanes V (math_lane) with scalar coefficients C (V itself, or its scalar type).
template <math_lane V, class C, std::size_t N, std::size_t I>
[[nodiscard]] constexpr V estrin_pair(V x, std::array<C, N> const& c) noexcept
{
    if constexpr (2 * I + 1 < N) {
        return c[2 * I] + c[2 * I + 1] * x;
    } else {
        return splat<V>(c[2 * I]);
    }
}

template <math_lane V, class C, std::size_t N>
[[nodiscard]] constexpr V estrin(V x, std::array<C, N> const& c) noexcept
{
    if constexpr (N == 1) {
        return splat<V>(c[0]);
    } else {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return estrin(x * x, std::array<V, (N + 1) / 2>{estrin_pair<V, C, N, I>(x, c)...});
        }(std::make_index_sequence<(N + 1) / 2>{});
    }
}

/// c[0] + x (c[1] + ... + x (c[H-1] + x E)) with E the Estrin evaluation of the
/// remaining coefficients: Horner's rounding for the H leading terms, which carry the
/// value, and Estrin's latency for the small rest.
template <std::size_t H, math_lane V, math_float T, std::size_t N, std::size_t I = 0>
[[nodiscard]] constexpr V horner_estrin(V x, std::array<T, N> const& c) noexcept
{
    if constexpr (I == H) {
        return [&]<std::size_t... J>(std::index_sequence<J...>) {
            return estrin(x, std::array<T, N - H>{c[H + J]...});
        }(std::make_index_sequence<N - H>{});
    } else {
        return c[I] + x * horner_estrin<H, V, T, N, I + 1>(x, c);
    }
}

/// 1/2!, 1/3!, ..., 1/(N+1)!: the Taylor coefficients of (e^r - 1 - r) / r^2.
template <math_float T, std::size_t N>
[[nodiscard]] consteval std::array<T, N> inverse_factorials_from_2() noexcept
{
    std::array<T, N> c{};
    double f = 1.0;
    for (std::size_t i = 0; i < N; ++i) {
        f *= static_cast<double>(i + 2);
        c[i] = static_cast<T>(1.0 / f);
    }
    return c;
}

/// 2/3, 2/5, ..., 2/(2N+1): the Taylor coefficients of (2 atanh(s) - 2s) / s^3 in s^2.
template <math_float T, std::size_t N>
[[nodiscard]] consteval std::array<T, N> atanh_coefficients() noexcept
{
    std::array<T, N> c{};
    for (std::size_t i = 0; i < N; ++i) {
        c[i] = static_cast<T>(2.0 / static_cast<double>(2 * i + 3));
    }
    return c;
}

// Degrees. exp reduces to |r| <= ln2/2 + tiny = 0.347; truncating the Taylor series of
// expm1(r) after r^n leaves a relative error below r^n / (n+1)!: n = 13 gives 1.2e-17
// (double), far under half an ulp (float's exp uses exp_float_coefficients). expm1 reduces to
// |r| < ln2 = 0.694 (see reduce_exp_toward_zero): n = 10 gives 6e-10, n = 17 gives
// 3e-19. The log kernel works with s = f/(2+f), |s| <= 0.1716, and the series
// 2s(1 + s^2/3 + s^4/5 + ...); stopping before s^(2n) leaves s^(2n)/(2n+1): n = 5 gives
// 2e-9 (float), n = 11 gives 6e-19 (double).
inline constexpr std::array expm1_short_coefficients = inverse_factorials_from_2<double, 12>();

template <math_float T>
inline constexpr std::array expm1_long_coefficients =
    inverse_factorials_from_2<T, std::same_as<T, float> ? 9 : 16>();

template <math_float T>
inline constexpr std::array log_coefficients = atanh_coefficients<T, std::same_as<T, float> ? 4 : 10>();

// Minimax fits of the relative error for float, by tools/fit_float_polynomials.py:
// Q with e^r = 1 + r + r^2 Q(r) for |r| <= ln2/2 (fit error 5e-11; exp_in_range and
// tanh's upper branch), and P with tanh(x) = x + x^3 P(x^2) for |x| < tanh_split
// (1.5e-8). Double keeps Taylor coefficients.
inline constexpr std::array<float, 6> exp_float_coefficients = {
    0x1p-1f, 0x1.555554p-3f, 0x1.55548ep-5f, 0x1.11127p-7f, 0x1.6d8d06p-10f, 0x1.9f0884p-13f};
inline constexpr float tanh_split = 0.7f;
inline constexpr std::array<float, 5> tanh_small_coefficients = {
    -0x1.5554f6p-2f, 0x1.10faeep-3f, -0x1.b6c116p-5f, 0x1.492fe4p-6f, -0x1.50c4aap-8f};

// sigmoid's exp for float (detail::exp_nonpositive_scaled) reduces x = (16m + j) ln2/16 + r,
// |r| <= ln2/32, and takes 2^(j/16) = hi[j] (1 + rho[j]) from tables: hi rounded to float,
// rho the relative rest, rounded (|rho| < 2^-24). e^r - 1 = r + r^2 (c0 + c1 r), a
// minimax fit of the relative error of e^r by tools/fit_float_polynomials.py (1.6e-9,
// 0.027 x 2^-24). ln2/16 = sixteenth_ln2_hi + sixteenth_ln2_lo, the hi part of 12
// significant bits, so that n sixteenth_ln2_hi is exact for every |n| < 2^12 (sigmoid's
// clamp needs |n| <= 2401).
inline constexpr std::array<float, 16> exp2_sixteenths = {
    0x1p+0f,        0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f, 0x1.306fep+0f,  0x1.3dea64p+0f,
    0x1.4bfdaep+0f, 0x1.5ab07ep+0f, 0x1.6a09e6p+0f, 0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
    0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f};
inline constexpr std::array<float, 16> exp2_sixteenths_rest = {
    0.0f,           0x1.8d96d4p-25f,  -0x1.9c0c22p-27f, 0x1.964904p-25f,  0x1.125002p-25f,  0x1.370be4p-25f,
    -0x1.0a355p-25f, -0x1.00d8acp-27f, 0x1.26055cp-26f,  -0x1.05cb44p-25f, 0x1.67a1cap-28f,  0x1.a3b5e4p-28f,
    -0x1.f9c304p-27f, -0x1.6961b4p-28f, -0x1.a5217cp-28f, 0x1.61428ep-28f};
inline constexpr float sixteenth_ln2_hi = 0x1.62ep-5f;
inline constexpr float sixteenth_ln2_lo = 0x1.0bfbe8p-19f;
inline constexpr float sixteen_log2e = 0x1.715476p+4f;
inline constexpr std::array<float, 2> exp_sixteenths_coefficients = {0x1.00022p-1f, 0x1.55559ap-3f};

} // namespace ctnn::detail

#endif
