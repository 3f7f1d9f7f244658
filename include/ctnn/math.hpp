#ifndef CTNN_MATH_HPP
#define CTNN_MATH_HPP

/// \file
/// constexpr elementary functions for `float` and `double`.
///
/// The same code runs in constant evaluation and at run time, so a `static_assert`
/// checks what the firmware computes (sqrt is the one exception, see there; and a
/// compiler that contracts a*b+c into an FMA at run time may differ in the last bit).
/// No libm call is made: exp and log are range reduction + polynomial + exponent-bit
/// manipulation, written branch-free (special cases are selects on clamped inputs) so
/// that loops over arrays vectorise.
///
/// Special values never come out of arithmetic: constant evaluation rejects arithmetic
/// whose result is NaN, even from a NaN operand (clang), or that overflows to infinity
/// (GCC), and float-to-int conversions out of range (both). So inputs are clamped to a
/// range where every intermediate is finite, and the special results (inf, 0, NaN, -1,
/// +-1) are selected explicitly afterwards.
///
/// These functions assume IEEE 754 semantics and round-to-nearest: -ffast-math (its
/// -ffinite-math-only and -fassociative-math parts) breaks the NaN tests and the
/// rounding trick of the exp reduction.
///
/// Accuracy figures (max error in ulp of the result, measured against long double libm
/// in test/math_test.cpp, tabulated in docs/math.md) are stated per function.

#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/detail/lane_lookup.hpp>
#include <ctnn/detail/math_float.hpp>
#include <ctnn/detail/math_sqrt.hpp>
#include <ctnn/detail/vector_sqrt.hpp>

#include <concepts>
#include <limits>
#include <type_traits>

namespace ctnn::detail {

/// c ? a : b without control flow: a bitwise blend of the two bit patterns.
///
/// Both operands (and the comparison computing c) are evaluated unconditionally. A
/// plain `?:` lets GCC sink the whole kernel into the branch where its result is
/// used; the loop then has control flow around floating-point operations, which GCC
/// does not if-convert under -ftrapping-math (the default) unless the target has
/// masked vector instructions (AVX-512), so it does not vectorise.
template <math_float T>
[[nodiscard]] constexpr T select(bool c, T a, T b) noexcept
{
    using bits = float_bits<T>;
    bits const mask = static_cast<bits>(bits{0} - static_cast<bits>(c)); // all ones if c
    return from_bits<T>(static_cast<bits>((to_bits(a) & mask) | (to_bits(b) & static_cast<bits>(~mask))));
}

#if defined(__GNUC__)
/// The same per lane of vectors, c a vector comparison's result (all ones where true).
/// Element-wise `?:` of vectors is no control flow, and it is one instruction where the
/// target blends by a mask (AVX-512's mask registers, AVX's blendv, NEON's bsl), where
/// the bitwise blend takes three, or two and a mask-to-vector move.
template <math_vector V>
[[nodiscard]] constexpr V select(typename lane_traits<V>::signed_bits c, V a, V b) noexcept
{
    return c ? a : b;
}
#endif

/// x clamped to [exp_lo, exp_hi] (NaN to one end). Every intermediate of the exp and
/// expm1 kernels is finite on this range.
template <math_float T>
[[nodiscard]] constexpr T clamp_exp_argument(T x) noexcept
{
    return clamp_bits(x, float_format<T>::exp_lo, float_format<T>::exp_hi);
}

/// y rounded to the nearest integer, as a floating-point number and as an integer.
template <math_lane V>
struct nearest_integer {
    V value;
    lane_int<V> integer;
};

/// Adds and subtracts 1.5 * 2^(digits-1): the sum has no fraction bits left, and its low
/// significand bits hold the integer (two's complement relative to the shifter's), for
/// |y| < 2^(digits-2). No int/float conversion is needed, which matters to GCC: with
/// -ftrapping-math (the default) it does not if-convert, hence not vectorise, some loops
/// that convert. Needs round-to-nearest and no -fassociative-math (which would fold the
/// rounding away).
template <math_lane V>
[[nodiscard]] constexpr nearest_integer<V> round_to_integer(V y) noexcept
{
    using T = lane_scalar<V>;
    constexpr T shifter = T(1.5) * pow2<T>(float_format<T>::digits - 1);
    V const shifted = y + shifter;
    lane_int<V> k;
    if constexpr (lane_traits<V>::is_vector) {
        k = std::bit_cast<lane_int<V>>(to_bits(shifted) - to_bits(shifter));
    } else {
        k = static_cast<int>(static_cast<std::make_signed_t<float_bits<T>>>(to_bits(shifted) - to_bits(shifter)));
    }
    return {shifted - shifter, k};
}

/// x = k ln2 + r, for exp_lo <= x <= exp_hi (per lane: see lane_traits).
template <math_lane V>
struct exp_reduction {
    V r;
    lane_int<V> k;
};

/// Cody-Waite reduction around k = y rounded to the nearest integer: k * ln2_hi is exact
/// and x - k * ln2_hi cancels exactly (Sterbenz), so r carries the full precision of x.
template <math_lane V>
[[nodiscard]] constexpr exp_reduction<V> reduce_exp_around(V x, V y) noexcept
{
    using fmt = float_format<lane_scalar<V>>;
    auto const [kf, k] = round_to_integer(y);
    return {(x - kf * fmt::ln2_hi) - kf * fmt::ln2_lo, k};
}

/// k = round(x / ln2), |r| <= ln2/2 (+ a tiny margin): the short polynomial, for exp.
template <math_lane V>
[[nodiscard]] constexpr exp_reduction<V> reduce_exp_nearest(V x) noexcept
{
    return reduce_exp_around(x, x * float_format<lane_scalar<V>>::log2e);
}

/// k = trunc(x / ln2) (or one less in magnitude at exact integers), so 0 <= r/x and
/// |r| <= ln2 (+ a tiny margin): for expm1, where this makes (2^k - 1) and 2^k expm1(r)
/// share their sign, so their sum never cancels.
template <math_float T>
[[nodiscard]] constexpr exp_reduction<T> reduce_exp_toward_zero(T x) noexcept
{
    return reduce_exp_around(x, x * float_format<T>::log2e - with_sign_of(T(0.5), x));
}

/// e^r - 1 for |r| <= 0.347, relative error well below 1/2 ulp before rounding: double's
/// exp kernel (float's is in exp_in_range).
template <math_lane V>
    requires std::same_as<lane_scalar<V>, double>
[[nodiscard]] constexpr V expm1_short(V r) noexcept
{
    return r + (r * r) * horner_estrin<2>(r, expm1_short_coefficients);
}

/// e^r - 1 for |r| <= 0.694, relative error well below 1/2 ulp before rounding.
template <math_float T>
[[nodiscard]] constexpr T expm1_long(T r) noexcept
{
    return r + (r * r) * horner_estrin<2>(r, expm1_long_coefficients<T>);
}

/// s e^r for a reduced argument r and a power of two s such that s e^r is a normal
/// number: the one rounding of the value's size is the last one.
template <math_lane V>
[[nodiscard]] constexpr V exp_times_pow2(V r, V s) noexcept
{
    if constexpr (std::same_as<lane_scalar<V>, float>) {
        // e^r = 1 + r + r^2 Q(r). 1 + r is rounded to hi and its rounding error lo is
        // recovered exactly (Fast2Sum: |r| < 1), so the one rounding of the value's size
        // is the last sum, and the polynomial (minimax, by Estrin's scheme: 3 dependent
        // multiply-adds after r^2) only enters the small term. p s is exact.
        V const hi = 1.0f + r;
        V const lo = (1.0f - hi) + r;
        V const p = hi + ((r * r) * estrin(r, exp_float_coefficients) + lo);
        return p * s;
    } else {
        // s (1 + p) as s + s p: s p is exact (a power of two times p, far above the
        // subnormals), so the same single rounding, contracted or not, one operation less.
        return s + s * expm1_short(r);
    }
}

/// 2^k e^r, with 2^k given as two factors s1 s2 such that s1 e^r is a normal number:
/// the product by s2 is exact or rounds a subnormal result once.
template <math_lane V>
[[nodiscard]] constexpr V exp_scaled(V r, V s1, V s2) noexcept
{
    return exp_times_pow2(r, s1) * s2;
}

/// e^x for exp_lo <= x <= exp_hi.
template <math_lane V>
[[nodiscard]] constexpr V exp_in_range(V x) noexcept
{
    auto const [r, k] = reduce_exp_nearest(x);
    // 2^k as two factors: k reaches 128 (1024) and -150 (-1075), outside the exponent
    // range, and scaling twice also rounds subnormal results only once.
    lane_int<V> const k1 = k >> 1;
    return exp_scaled(r, pow2<V>(k1), pow2<V>(k - k1));
}

/// The power of two by which exp_nonpositive_scaled scales e^x: 2^c with c half the
/// exponent range, 64 (512 for double).
template <math_float T>
inline constexpr int exp_nonpositive_scale_exponent = (float_format<T>::max_exp + 1) / 2;
template <math_float T>
inline constexpr T exp_nonpositive_scale = pow2<T>(exp_nonpositive_scale_exponent<T>);

/// e^x 2^c for -sigmoid_clamp <= x <= 0 (sigmoid's e^-|x|), 2^c = exp_nonpositive_scale,
/// a normal number for every such x (also where e^x is subnormal or below exp_lo).
///
/// float: x = n ln2/16 + r with n = 16m + j (0 <= j < 16) and |r| <= ln2/32, so that
/// e^x 2^c = 2^(m+c) 2^(j/16) e^r, with 2^(j/16) = h (1 + rho) from tables and e^r - 1 a
/// polynomial p of degree 3, where exp_in_range's whole range needs degree 7 and an exact
/// split of 1 + r. The result is h' + h' ((r + rho) + r^2 Q(r)), h' = h 2^(m+c): rho joins
/// r off the polynomial's path, so two multiply-adds follow r^2 and one the polynomial.
/// (The next layer of a sigmoid network waits for its sigmoids: their latency is on the
/// network's critical path.) Here |n| <= 2401, so n sixteenth_ln2_hi (ln2/16 rounded to
/// 12 bits) is exact, and x minus it cancels exactly (Sterbenz); 2^(m+c) is a normal
/// number (-87 <= m + c <= 64) and scales h exactly. The one rounding of the value's size is the last multiply-add;
/// the dropped rho p is below 2^-29 relative. Within 0.57 ulp of e^x 2^c on every float
/// of [-sigmoid_clamp, 0] (test/math_exhaustive_test.cpp).
///
/// double: exp_in_range's kernel with one variable power of two, 2^(k+c) for
/// -1075 <= k <= 0, a normal number far above the subnormals: exp_in_range's value times
/// 2^c exactly, without its rounding to a subnormal.
template <math_lane V>
[[nodiscard]] constexpr V exp_nonpositive_scaled(V x) noexcept
{
    using T = lane_scalar<V>;
    constexpr int c = exp_nonpositive_scale_exponent<T>;
    if constexpr (std::same_as<T, float>) {
        auto const [nf, n] = round_to_integer(x * sixteen_log2e);
        V const r = (x - nf * sixteenth_ln2_hi) - nf * sixteenth_ln2_lo;
        V const h = lookup_sixteen<V>(exp2_sixteenths, n) * pow2<V>((n >> 4) + c); // n & 15 is j
        auto const& q = exp_sixteenths_coefficients;
        V const p = (r + lookup_sixteen<V>(exp2_sixteenths_rest, n)) + (r * r) * (q[0] + q[1] * r);
        return h + h * p;
    } else {
        auto const [r, k] = reduce_exp_nearest(x);
        return exp_times_pow2(r, pow2<V>(k + c));
    }
}

/// e^x - 1 for exp_lo <= x <= exp_hi.
template <math_float T>
[[nodiscard]] constexpr T expm1_in_range(T x) noexcept
{
    auto const [r, k] = reduce_exp_toward_zero(x);
    T const e = expm1_long(r);
    // e^x - 1 = (2^k - 1) + 2^k e = 2^k1 ((2^k2 - 2^-k1) + 2^k2 e). For |k| < digits
    // 2^k - 1 is exact, so the only roundings are e's and the final sum's (same signs);
    // for |x| < ln2, k == 0 and the result is e itself. Splitting k keeps every power of
    // two finite.
    int const k1 = k >> 1;
    int const k2 = k - k1;
    T const s2 = pow2<T>(k2);
    return ((s2 - pow2<T>(-k1)) + s2 * e) * pow2<T>(k1);
}

/// (e^x - 1) / 2 for 0 <= x <= 2 tanh_saturation: expm1_in_range's value halved, bit
/// for bit, with one scaling instead of two. Here k <= 29, so 2^(k-1) is a normal
/// number and (2^(k-1) - 1/2) is exact; halving both terms of expm1_in_range's sum, an
/// exact scaling, changes neither its rounding nor the result's.
template <math_float T>
[[nodiscard]] constexpr T half_expm1_nonnegative(T x) noexcept
{
    auto const [r, k] = reduce_exp_around(x, x * float_format<T>::log2e - T(0.5)); // toward zero, x >= 0
    T const e = expm1_long(r);
    T const s = pow2<T>(k - 1);
    return (s - T(0.5)) + s * e;
}

/// u = 2^k (1 + f) with sqrt(1/2) <= 1 + f < sqrt(2), for a positive normal u; k is
/// returned as a floating-point number.
template <math_float T>
struct log_reduction {
    T f;
    T k;
};

template <math_float T>
[[nodiscard]] constexpr log_reduction<T> reduce_log(T u) noexcept
{
    using fmt = float_format<T>;
    using bits = float_bits<T>;
    constexpr bits one = to_bits(T(1));
    constexpr bits sqrt_half = to_bits(static_cast<T>(0x1.6a09e667f3bcdp-1));
    // Adding (one - sqrt_half) carries into the exponent exactly when the significand is
    // >= sqrt(2); putting sqrt_half's bits back yields the significand in [sqrt(1/2), sqrt(2)).
    bits const b = to_bits(u) + (one - sqrt_half);
    T const m = from_bits<T>((b & mantissa_mask<T>) + sqrt_half);
    // The biased exponent e < 2^(digits-1) as a float without an int conversion (see
    // round_to_integer): the significand bits of 2^(digits-1) + e are e.
    constexpr T magic = pow2<T>(fmt::digits - 1);
    T const e = from_bits<T>(to_bits(magic) | (b >> (fmt::digits - 1))) - magic;
    return {m - T(1), e - T(fmt::bias)}; // both exact
}

/// log(1 + f) for sqrt(1/2) - 1 <= f <= sqrt(2) - 1, via s = f / (2 + f):
/// log(1 + f) = 2 atanh(s) = f - s (f - R(s^2)) with R(z) = 2z/3 + 2z^2/5 + ...
/// Written around f so that the rounding error of the division is scaled by s.
template <math_float T>
[[nodiscard]] constexpr T log1p_reduced(T f) noexcept
{
    T const s = f / (T(2) + f);
    T const z = s * s;
    T const r = z * horner(z, log_coefficients<T>);
    return f - s * (f - r);
}

/// math::sigmoid (see there) per lane of V: its one definition, for scalars and vectors.
template <math_lane V>
[[nodiscard]] constexpr V sigmoid_lanes(V x) noexcept
{
    using T = lane_scalar<V>;
    auto const nan = x != x;
    // e = exp(-|x|) 2^c, with exp's clamp and special cases reduced to the ones that can
    // occur here: the argument is never positive, e stays a normal number down to the
    // clamp (the quotient below rounds to 0 where e^-|x| underflows, without a select),
    // and a NaN is overridden below.
    V const e = exp_nonpositive_scaled(-clamp_magnitude_bits(abs_bits(x), float_format<T>::sigmoid_clamp));
    // sigmoid is 1/(1 + e^-|x|) for x >= 0 and e^-|x|/(1 + e^-|x|) for x < 0 (the same
    // value, but no 1 - (something close to 1)). Here the numerator and the denominator
    // are both 2^c times those: 2^c + e is 1 + e^-|x| rounded, times 2^c exactly, so the
    // quotient is the same real number and rounds the same. Where e^-|x| would be
    // subnormal, 2^c + e is 2^c and the quotient rounds e 2^-c once, as e^-|x| itself
    // would be rounded. That saves the product by 2^-c before the division.
    V const scale = splat<V>(exp_nonpositive_scale<T>);
    V const y = select(x < T(0), e, scale) / (scale + e);
    return select(nan, x, y);
}

/// math::tanh for float (see there) per lane of V.
///
/// Below tanh_split, tanh(a) = a + a^3 P(a^2): no division, and the leading term is a
/// itself, so the relative accuracy holds down to the subnormals. Above it, with
/// E = e^(2a), tanh(a) = 1 - 2/(1 + E), where a relative error of E reaches the result
/// scaled by 2E/((1 + E)^2 tanh(a)) <= 0.53. So E needs neither expm1's reduction nor
/// exp's longer polynomial nor its second scaling (2a <= 20, so k <= 29), and the
/// evaluation is arranged for latency, which is what a layer waits for. The branches
/// are independent (their latencies overlap) and only the upper one divides.
template <math_lane V>
    requires std::same_as<lane_scalar<V>, float>
[[nodiscard]] constexpr V tanh_float_lanes(V x) noexcept
{
    using fmt = float_format<float>;
    auto const nan = x != x;
    V const a = clamp_magnitude_bits(abs_bits(x), fmt::tanh_saturation); // NaN, inf too
    V const z = a * a;
    V const below = a + (a * z) * estrin(z, tanh_small_coefficients);

    // 2a = k ln2 + r + d: r = 2a - k ln2_hi is exact, d = -k ln2_lo (|d| < 4.2e-5) is
    // left out of the polynomial's argument and applied to first order below, off the
    // polynomial's path. k is rounded from a * 2log2e, the same value as (2a) * log2e.
    auto const [kf, k] = round_to_integer(a * (2.0f * fmt::log2e));
    V const r = (a + a) - kf * fmt::ln2_hi;
    V const d = kf * -fmt::ln2_lo;
    // e^r - 1 = r + r^2 Q(r) by Estrin's scheme with the leading term r exact.
    auto const& q = exp_float_coefficients;
    V const r2 = r * r;
    V const em1 = (r + r2 * (q[0] + q[1] * r)) + (r2 * r2) * ((q[2] + q[3] * r) + r2 * (q[4] + q[5] * r));
    // e^(r + d) = 1 + em1 + d (1 + em1) + O(d^2), so with s = 2^k (s d and s em1 exact):
    // 1 + E = ((s + 1) + s d) + (s + s d) em1. s + 1 is exact while k < 24; beyond, 2/(1 + E)
    // is below 2^-23 and its error immaterial.
    V const s = pow2<V>(k);
    V const sd = s * d;
    V const above = 1.0f - 2.0f / (((s + 1.0f) + sd) + (s + sd) * em1);
    return select(nan, x, with_sign_of(select(a < tanh_split, below, above), x));
}

} // namespace ctnn::detail

namespace ctnn::math {

/// |x|, by clearing the sign bit: exact, abs(-0) = +0, abs(+-inf) = inf, abs(NaN) is NaN.
template <std::floating_point T>
[[nodiscard]] constexpr T abs(T x) noexcept
{
    if constexpr (detail::math_float<T>) {
        return detail::abs_bits(x);
    } else {
        return x == T(0) ? T(0) : (x < T(0) ? -x : x);
    }
}

/// True iff x is a NaN. (Relies on IEEE comparisons; meaningless under -ffast-math.)
template <std::floating_point T>
[[nodiscard]] constexpr bool isnan(T x) noexcept
{
    return x != x; // NOLINT(misc-redundant-expression): only NaN compares unequal to itself
}

/// True iff x is +inf or -inf.
template <std::floating_point T>
[[nodiscard]] constexpr bool isinf(T x) noexcept
{
    return math::abs(x) == std::numeric_limits<T>::infinity(); // one comparison: vectorises
}

/// True iff x is neither infinite nor NaN.
template <std::floating_point T>
[[nodiscard]] constexpr bool isfinite(T x) noexcept
{
    return math::abs(x) <= std::numeric_limits<T>::max(); // false for NaN
}

/// e^x. Max error (docs/math.md): float 1 ulp, double 1 ulp, subnormal results included.
/// exp(x) = +inf exactly when the rounded result overflows (x > 88.7228 float,
/// 709.7827 double), 0 exactly when it rounds to 0 (x < -103.9721 float, -745.1332
/// double); exp(+inf) = +inf, exp(-inf) = 0, exp(NaN) = NaN (the input), exp(+-0) = 1.
template <std::floating_point T>
[[nodiscard]] constexpr T exp(T x) noexcept
{
    static_assert(detail::math_float<T>, "ctnn::math: float and double only; convert long double to double");
    using fmt = detail::float_format<T>;
    bool const nan = x != x;
    bool const over = x > fmt::exp_hi;
    bool const under = x < fmt::exp_lo;
    T const y = detail::exp_in_range(detail::clamp_exp_argument(x));
    return detail::select(nan, x, detail::select(over, std::numeric_limits<T>::infinity(),
                                                 detail::select(under, T(0), y)));
}

/// e^x - 1, accurate relative to the result near 0 (expm1(x) = x for tiny x, including
/// subnormals and the sign of zero). Max error: float 1.5 ulp, double 1.5 ulp.
/// Overflows to +inf where exp does; expm1(x) = -1 once e^x is below half an ulp of 1;
/// expm1(-inf) = -1, expm1(+inf) = +inf, expm1(NaN) = NaN.
template <std::floating_point T>
[[nodiscard]] constexpr T expm1(T x) noexcept
{
    static_assert(detail::math_float<T>, "ctnn::math: float and double only; convert long double to double");
    using fmt = detail::float_format<T>;
    bool const nan = x != x;
    bool const zero = x == T(0); // keeps the sign of zero
    bool const over = x > fmt::exp_hi;
    bool const under = x < fmt::exp_lo;
    T const y = detail::expm1_in_range(detail::clamp_exp_argument(x));
    return detail::select(nan, x, detail::select(zero, x, detail::select(over, std::numeric_limits<T>::infinity(),
                                                                        detail::select(under, T(-1), y))));
}

/// Natural logarithm. Max error: float 1 ulp, double 1.5 ulp, over all positive inputs
/// including subnormals. log(+-0) = -inf, log(x < 0) = quiet NaN, log(+inf) = +inf,
/// log(NaN) = NaN (the input), log(1) = +0.
template <std::floating_point T>
[[nodiscard]] constexpr T log(T x) noexcept
{
    static_assert(detail::math_float<T>, "ctnn::math: float and double only; convert long double to double");
    using fmt = detail::float_format<T>;
    constexpr T min_normal = std::numeric_limits<T>::min();
    bool const nan = x != x;
    bool const zero = x == T(0);
    bool const negative = x < T(0);
    bool const infinite = x > std::numeric_limits<T>::max();
    // Positive finite numbers pass; everything else is overridden below.
    T const in = detail::clamp_bits(x, std::numeric_limits<T>::denorm_min(), std::numeric_limits<T>::max());
    // Subnormals: scale into the normal range first (exact), correct k afterwards.
    bool const subnormal = in < min_normal;
    T const scaled = detail::select(subnormal, in, min_normal) * detail::pow2<T>(fmt::digits);
    auto const [f, k_u] = detail::reduce_log(detail::select(subnormal, scaled, in));
    T const k = k_u - detail::select(subnormal, T(fmt::digits), T(0));
    T const y = k * fmt::ln2_hi + (detail::log1p_reduced(f) + k * fmt::ln2_lo);
    return detail::select(
        nan, x,
        detail::select(infinite, x,
                       detail::select(zero, -std::numeric_limits<T>::infinity(),
                                      detail::select(negative, std::numeric_limits<T>::quiet_NaN(), y))));
}

/// log(1 + x), accurate relative to the result near 0 (log1p(x) = x for tiny x,
/// including subnormals and the sign of zero). Max error: float 1.5 ulp, double 1.5 ulp.
/// log1p(-1) = -inf, log1p(x < -1) = quiet NaN, log1p(+inf) = +inf, log1p(NaN) = NaN.
template <std::floating_point T>
[[nodiscard]] constexpr T log1p(T x) noexcept
{
    static_assert(detail::math_float<T>, "ctnn::math: float and double only; convert long double to double");
    using fmt = detail::float_format<T>;
    // Each condition its own select: GCC turns `a | b` of comparisons into branches.
    bool const nan = x != x;
    bool const zero = x == T(0);
    bool const infinite = x > std::numeric_limits<T>::max();
    bool const minus_one = x == T(-1);
    bool const below = x < T(-1);
    T const in = detail::clamp_bits(x, T(-1) + std::numeric_limits<T>::epsilon() / T(2), std::numeric_limits<T>::max());
    T const u = T(1) + in; // a positive normal number
    auto const [f_u, k] = detail::reduce_log(u);
    // Near 0 (k == 0) the reduction is x itself, with no rounding. Elsewhere u = fl(1+x)
    // carries a rounding error; log(1 + x) = log(u) + log1p(c), c = (1 + x - u) / u, and
    // c is small enough that log1p(c) ~ c. Both differences below are exact (Sterbenz):
    // u - 1 for x < 1 (u <= 2), u - x for x >= 1.
    T const below_one = in - (u - T(1));
    T const above_one = T(1) - (u - in);
    T const c = detail::select(in < T(1), below_one, above_one) / u;
    bool const near_zero = k == T(0);
    T const f = detail::select(near_zero, in, f_u);
    T const y = k * fmt::ln2_hi + (detail::log1p_reduced(f) + (k * fmt::ln2_lo + detail::select(near_zero, T(0), c)));
    return detail::select(
        nan, x,
        detail::select(zero, x,
                       detail::select(infinite, x,
                                      detail::select(minus_one, -std::numeric_limits<T>::infinity(),
                                                     detail::select(below, std::numeric_limits<T>::quiet_NaN(), y)))));
}

/// Hyperbolic tangent: odd, |tanh(x)| <= 1 for all x, exactly +-1 for |x| >= 10 (float)
/// / 20 (double), where the correctly rounded value is +-1 already; relative accuracy
/// near 0 (tanh(x) = x for tiny x, sign of zero kept). Max error: float 1.5 ulp
/// (checked for every float), double 2 ulp. tanh(+-inf) = +-1, tanh(NaN) = NaN.
template <std::floating_point T>
[[nodiscard]] constexpr T tanh(T x) noexcept
{
    static_assert(detail::math_float<T>, "ctnn::math: float and double only; convert long double to double");
    if constexpr (std::same_as<T, float>) {
        return detail::tanh_float_lanes(x);
    } else {
        using fmt = detail::float_format<T>;
        bool const nan = x != x;
        T const a = detail::abs_bits(x);
        T const in = detail::clamp_bits(a, T(0), fmt::tanh_saturation); // NaN, inf too
        // With h = expm1(2a) / 2 >= 0, tanh(a) = h / (1 + h), computed as h - h^2 / (1 + h)
        // for small a (keeps the rounding of 1 + h out of the leading term: relative
        // accuracy near 0) and as 1 - 1 / (1 + h) above (damps the error of h where tanh is
        // near 1). Both lie in [0, 1] whatever the rounding; one division serves both.
        T const h = detail::half_expm1_nonnegative(T(2) * in);
        bool const small = in < T(0.55); // the split of the smallest maximum error (math_test: 2 ulp)
        T const q = detail::select(small, h * h, T(1)) / (T(1) + h);
        T const t = detail::select(small, h, T(1)) - q;
        return detail::select(nan, x, detail::with_sign_of(t, x));
    }
}

/// Logistic function 1 / (1 + e^-x), in [0, 1] for every input, never overflowing:
/// e^-|x| is all that is computed. sigmoid(x) = 0 where e^x underflows to 0 (x < -103.97
/// float, -745.13 double), 1 for large x, sigmoid(0) = 1/2, sigmoid(+inf) = 1,
/// sigmoid(-inf) = 0, sigmoid(NaN) = NaN.
/// Max error: float 2.5 ulp, double 2.5 ulp (relative, so also for tiny results).
template <std::floating_point T>
[[nodiscard]] constexpr T sigmoid(T x) noexcept
{
    static_assert(detail::math_float<T>, "ctnn::math: float and double only; convert long double to double");
    return detail::sigmoid_lanes(x);
}

/// log(1 + e^x), never overflowing: max(x, 0) + log1p(e^-|x|). softplus(x) = x for large
/// x, ~e^x (relative accuracy, subnormals included) for very negative x.
/// softplus(+inf) = +inf, softplus(-inf) = 0, softplus(NaN) = NaN. Max error: float
/// 2 ulp, double 2 ulp.
template <std::floating_point T>
[[nodiscard]] constexpr T softplus(T x) noexcept
{
    static_assert(detail::math_float<T>, "ctnn::math: float and double only; convert long double to double");
    bool const nan = x != x;
    bool const plus_inf = x == std::numeric_limits<T>::infinity();
    bool const minus_inf = x == -std::numeric_limits<T>::infinity();
    T const in = detail::clamp_bits(x, -std::numeric_limits<T>::max(), std::numeric_limits<T>::max());
    T const y = detail::select(in > T(0), in, T(0)) + math::log1p(math::exp(-detail::abs_bits(in)));
    return detail::select(nan, x, detail::select(plus_inf, x, detail::select(minus_inf, T(0), y)));
}

/// Square root, correctly rounded (0 ulp): sqrt(-0) = -0, sqrt(+inf) = +inf,
/// sqrt(x < 0) = quiet NaN, sqrt(NaN) = NaN.
///
/// The one function with two code paths: at run time the hardware instruction via
/// `__builtin_sqrt` (an exact integer iteration would be slow, and clang cannot
/// constant-evaluate the builtin), in constant evaluation an integer digit-by-digit
/// root. Both are correctly rounded, hence bit-identical. With the default
/// -fmath-errno the compilers keep a libm fallback for negative inputs (errno), which
/// also stops loops of sqrt from vectorising; -fno-math-errno removes both. On a target
/// without a square-root instruction (soft float) `__builtin_sqrt` is a libm call.
template <std::floating_point T>
[[nodiscard]] constexpr T sqrt(T x) noexcept
{
    static_assert(detail::math_float<T>, "ctnn::math: float and double only; convert long double to double");
    if (detail::is_constant_evaluated()) {
        if (x != x || x == T(0) || x > std::numeric_limits<T>::max()) {
            return x;
        }
        if (x < T(0)) {
            return std::numeric_limits<T>::quiet_NaN();
        }
        return detail::sqrt_correctly_rounded(x);
    }
    if constexpr (std::same_as<T, float>) {
        return __builtin_sqrtf(x);
    } else {
        return __builtin_sqrt(x);
    }
}

#if defined(__GNUC__)
/// The square root of every lane of a generic vector (run time only), each lane bit
/// for bit the scalar `sqrt`'s, through the target's vector instruction: unlike a
/// loop of scalar roots, it needs no -fno-math-errno to be vectorised.
template <detail::math_vector V>
[[nodiscard, gnu::always_inline]] inline V sqrt(V x) noexcept
{
    return detail::sqrt_lanes(x);
}
#endif

} // namespace ctnn::math

#endif
