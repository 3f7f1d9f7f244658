#define BOOST_TEST_MODULE math
#include <boost/test/unit_test.hpp>

#include <ctnn/math.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>

// Accuracy is measured in ulp of the result type against long double libm (64-bit
// significand: its own error is ~2^-11 ulp of a double). Run with --log_level=message to
// see the measured maxima; docs/math.md lists them. Each bound asserted here is the
// documented bound, i.e. the measured maximum rounded up to a whole or half ulp.

namespace {

namespace m = ctnn::math;
using ld = long double;

template <class T>
using bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
constexpr bits_t<T> sign_bit = bits_t<T>{1} << (sizeof(T) * 8 - 1);

// Floats in increasing order map to increasing unsigned integers (and back).
template <class T>
bits_t<T> ordered(T x)
{
    auto const b = std::bit_cast<bits_t<T>>(x);
    return (b & sign_bit<T>) != 0 ? static_cast<bits_t<T>>(~b) : static_cast<bits_t<T>>(b | sign_bit<T>);
}

template <class T>
T unordered(bits_t<T> k)
{
    return std::bit_cast<T>((k & sign_bit<T>) != 0 ? static_cast<bits_t<T>>(k & ~sign_bit<T>)
                                                    : static_cast<bits_t<T>>(~k));
}

constexpr ld ld_inf = std::numeric_limits<ld>::infinity();

// One ulp of T at the magnitude of r (subnormal spacing below the normal range, the
// spacing at the top binade above max()).
template <class T>
ld ulp_at(ld r)
{
    r = std::fabs(r);
    int e = 0;
    if (r != 0) {
        std::frexp(r, &e); // r = f 2^e, f in [1/2, 1)
    }
    e = std::max(e, std::numeric_limits<T>::min_exponent);
    e = std::min(e, std::numeric_limits<T>::max_exponent);
    return std::ldexp(ld{1}, e - std::numeric_limits<T>::digits);
}

// Error of y against the exact value r, in ulp of T. Special results must match exactly.
template <class T>
ld ulp_error(T y, ld r)
{
    if (std::isnan(r) || std::isnan(y)) {
        return std::isnan(r) && std::isnan(y) ? 0 : ld_inf;
    }
    if (std::isinf(y)) {
        return static_cast<T>(r) == y ? 0 : ld_inf; // inf only where r rounds to inf
    }
    if (std::isinf(r)) {
        return ld_inf;
    }
    return std::fabs(static_cast<ld>(y) - r) / ulp_at<T>(r);
}

template <class T>
struct measurement {
    ld max_ulp = 0;
    T worst = 0;
    std::size_t points = 0;
};

template <class T, class F, class R>
void check_point(measurement<T>& acc, T x, F f, R ref)
{
    ld const e = ulp_error<T>(f(x), ref(static_cast<ld>(x)));
    ++acc.points;
    if (!(e <= acc.max_ulp)) { // a NaN error also lands here, and stays the maximum
        acc.max_ulp = std::isnan(e) ? ld_inf : e;
        acc.worst = x;
    }
}

// About `points` representable values spread evenly over the bit patterns of [lo, hi]
// (so every binade is sampled equally), plus `points` values evenly spaced in value.
template <class T, class F, class R>
measurement<T> measure(T lo, T hi, std::size_t points, F f, R ref)
{
    measurement<T> acc;
    auto const klo = ordered(lo);
    auto const khi = ordered(hi);
    auto const count = static_cast<std::uint64_t>(khi - klo);
    std::uint64_t stride = count / points;
    stride = stride | 1u; // odd, so the low mantissa bits vary too
    for (std::uint64_t i = 0; i <= count; i += stride) {
        check_point(acc, unordered<T>(static_cast<bits_t<T>>(klo + i)), f, ref);
    }
    check_point(acc, hi, f, ref);
    ld const width = static_cast<ld>(hi) - static_cast<ld>(lo);
    for (std::size_t i = 0; i <= points; ++i) {
        ld const x = static_cast<ld>(lo) + width * static_cast<ld>(i) / static_cast<ld>(points);
        check_point(acc, static_cast<T>(x), f, ref);
    }
    return acc;
}

template <class T>
void report(char const* what, measurement<T> const& r)
{
    BOOST_TEST_MESSAGE(what << ": max " << static_cast<double>(r.max_ulp) << " ulp at x = "
                            << static_cast<double>(r.worst) << " (" << r.points << " points)");
}

template <class T, class F, class R>
void check_accuracy(char const* what, T lo, T hi, ld bound, F f, R ref, std::size_t points = 1'000'000)
{
    auto const r = measure(lo, hi, points, f, ref);
    report(what, r);
    BOOST_TEST(r.max_ulp <= bound, what << ": " << static_cast<double>(r.max_ulp) << " ulp at x = "
                                        << static_cast<double>(r.worst) << " exceeds " << static_cast<double>(bound));
}

template <class T>
constexpr T inf = std::numeric_limits<T>::infinity();
template <class T>
constexpr T qnan = std::numeric_limits<T>::quiet_NaN();
template <class T>
constexpr T big = std::numeric_limits<T>::max();
template <class T>
constexpr T tiny = std::numeric_limits<T>::denorm_min();
template <class T>
constexpr T min_normal = std::numeric_limits<T>::min();

template <class T>
bool same_bits(T a, T b)
{
    return std::bit_cast<bits_t<T>>(a) == std::bit_cast<bits_t<T>>(b) || (std::isnan(a) && std::isnan(b));
}

// The oracles.
ld ref_exp(ld x) { return std::exp(x); }
ld ref_expm1(ld x) { return std::expm1(x); }
ld ref_log(ld x) { return std::log(x); }
ld ref_log1p(ld x) { return std::log1p(x); }
ld ref_tanh(ld x) { return std::tanh(x); }
ld ref_sigmoid(ld x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }
ld ref_softplus(ld x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
ld ref_sqrt(ld x) { return std::sqrt(x); }

template <class T>
struct fn {
    static T exp(T x) { return m::exp(x); }
    static T expm1(T x) { return m::expm1(x); }
    static T log(T x) { return m::log(x); }
    static T log1p(T x) { return m::log1p(x); }
    static T tanh(T x) { return m::tanh(x); }
    static T sigmoid(T x) { return m::sigmoid(x); }
    static T softplus(T x) { return m::softplus(x); }
    static T sqrt(T x) { return m::sqrt(x); }
};

using types = std::tuple<float, double>;

// Documented bounds (docs/math.md).
template <class T>
struct bound;
template <>
struct bound<float> {
    static constexpr ld exp = 1, expm1 = 1.5, log = 1, log1p = 1.5, tanh = 1.5, sigmoid = 2.5, softplus = 2;
    using T = float;
    static constexpr T exp_lo = -0x1.9fe368p+6f, exp_hi = 0x1.62e42ep+6f;
    static constexpr T exp_normal_lo = -87.33f; // e^x >= min() above this
    static constexpr T tanh_one = 10.0f;
};
template <>
struct bound<double> {
    static constexpr ld exp = 1, expm1 = 1.5, log = 1.5, log1p = 1.5, tanh = 2, sigmoid = 2.5, softplus = 2;
    using T = double;
    static constexpr T exp_lo = -0x1.74910d52d3051p+9, exp_hi = 0x1.62e42fefa39efp+9;
    static constexpr T exp_normal_lo = -708.39;
    static constexpr T tanh_one = 20.0;
};

} // namespace

// ---------------------------------------------------------------------------- accuracy

BOOST_AUTO_TEST_CASE_TEMPLATE(exp_accuracy, T, types)
{
    using b = bound<T>;
    check_accuracy<T>("exp, normal results", b::exp_normal_lo, b::exp_hi, b::exp, fn<T>::exp, ref_exp);
    check_accuracy<T>("exp, |x| <= 1", T(-1), T(1), b::exp, fn<T>::exp, ref_exp);
    // Subnormal results: the same bound in ulp, where an ulp is denorm_min.
    check_accuracy<T>("exp, subnormal results", b::exp_lo, b::exp_normal_lo, b::exp, fn<T>::exp, ref_exp);
    // Beyond the thresholds, and the thresholds themselves: inf / 0 exactly where the
    // correctly rounded result is inf / 0 (ulp_error demands that).
    check_accuracy<T>("exp, overflow side", std::nextafter(b::exp_hi, inf<T>), big<T>, 0, fn<T>::exp, ref_exp, 100'000);
    check_accuracy<T>("exp, underflow side", -big<T>, std::nextafter(b::exp_lo, -inf<T>), b::exp, fn<T>::exp, ref_exp, 100'000);
    BOOST_TEST(std::isfinite(m::exp(b::exp_hi)));
    BOOST_TEST(m::exp(std::nextafter(b::exp_hi, inf<T>)) == inf<T>);
    BOOST_TEST(m::exp(b::exp_lo) == tiny<T>);
    BOOST_TEST(m::exp(std::nextafter(b::exp_lo, -inf<T>)) == T(0));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(expm1_accuracy, T, types)
{
    using b = bound<T>;
    check_accuracy<T>("expm1, whole range", b::exp_lo, b::exp_hi, b::expm1, fn<T>::expm1, ref_expm1);
    check_accuracy<T>("expm1, |x| <= 1", T(-1), T(1), b::expm1, fn<T>::expm1, ref_expm1);
    check_accuracy<T>("expm1, 0 < x <= 1e-3", tiny<T>, T(1e-3), b::expm1, fn<T>::expm1, ref_expm1);
    check_accuracy<T>("expm1, -1e-3 <= x < 0", T(-1e-3), -tiny<T>, b::expm1, fn<T>::expm1, ref_expm1);
    check_accuracy<T>("expm1, beyond", -big<T>, std::nextafter(b::exp_lo, -inf<T>), 0, fn<T>::expm1, ref_expm1, 100'000);
    check_accuracy<T>("expm1, overflow side", std::nextafter(b::exp_hi, inf<T>), big<T>, 0, fn<T>::expm1, ref_expm1, 100'000);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(log_accuracy, T, types)
{
    using b = bound<T>;
    check_accuracy<T>("log, all positive finite", tiny<T>, big<T>, b::log, fn<T>::log, ref_log, 2'000'000);
    check_accuracy<T>("log, [1/2, 2]", T(0.5), T(2), b::log, fn<T>::log, ref_log);
    check_accuracy<T>("log, subnormal", tiny<T>, min_normal<T>, b::log, fn<T>::log, ref_log, 200'000);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(log1p_accuracy, T, types)
{
    using b = bound<T>;
    T const above_minus_one = std::nextafter(T(-1), T(0));
    check_accuracy<T>("log1p, (-1, 0]", above_minus_one, T(0), b::log1p, fn<T>::log1p, ref_log1p);
    check_accuracy<T>("log1p, [0, max]", T(0), big<T>, b::log1p, fn<T>::log1p, ref_log1p, 2'000'000);
    check_accuracy<T>("log1p, |x| <= 1", T(-1) + T(0.5), T(1), b::log1p, fn<T>::log1p, ref_log1p);
    check_accuracy<T>("log1p, 0 < x <= 1e-3", tiny<T>, T(1e-3), b::log1p, fn<T>::log1p, ref_log1p);
    check_accuracy<T>("log1p, -1e-3 <= x < 0", T(-1e-3), -tiny<T>, b::log1p, fn<T>::log1p, ref_log1p);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(tanh_accuracy, T, types)
{
    using b = bound<T>;
    check_accuracy<T>("tanh, |x| <= 25", T(-25), T(25), b::tanh, fn<T>::tanh, ref_tanh);
    check_accuracy<T>("tanh, 0 < x <= 1e-3", tiny<T>, T(1e-3), b::tanh, fn<T>::tanh, ref_tanh);
    check_accuracy<T>("tanh, whole range", -big<T>, big<T>, b::tanh, fn<T>::tanh, ref_tanh);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(sigmoid_accuracy, T, types)
{
    using b = bound<T>;
    check_accuracy<T>("sigmoid, [exp_lo, 40]", b::exp_lo, T(40), b::sigmoid, fn<T>::sigmoid, ref_sigmoid);
    check_accuracy<T>("sigmoid, |x| <= 4", T(-4), T(4), b::sigmoid, fn<T>::sigmoid, ref_sigmoid);
    check_accuracy<T>("sigmoid, whole range", -big<T>, big<T>, b::sigmoid, fn<T>::sigmoid, ref_sigmoid);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(softplus_accuracy, T, types)
{
    using b = bound<T>;
    check_accuracy<T>("softplus, [exp_lo, 100]", b::exp_lo, T(100), b::softplus, fn<T>::softplus, ref_softplus);
    check_accuracy<T>("softplus, |x| <= 4", T(-4), T(4), b::softplus, fn<T>::softplus, ref_softplus);
    check_accuracy<T>("softplus, whole range", -big<T>, big<T>, b::softplus, fn<T>::softplus, ref_softplus);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(sqrt_is_correctly_rounded, T, types)
{
    check_accuracy<T>("sqrt, all non-negative finite", T(0), big<T>, 0.5, fn<T>::sqrt, ref_sqrt, 2'000'000);
    // The constant-evaluation algorithm, run at run time: bit-identical to the hardware
    // square root on every sampled input, subnormals included.
    std::mt19937_64 gen(42);
    std::uniform_int_distribution<bits_t<T>> any(1, std::bit_cast<bits_t<T>>(big<T>));
    std::size_t mismatches = 0;
    T first = 0;
    for (int i = 0; i < 2'000'000; ++i) {
        T const x = i < 1000 ? std::bit_cast<T>(static_cast<bits_t<T>>(i + 1)) : std::bit_cast<T>(any(gen));
        if (ctnn::detail::sqrt_correctly_rounded(x) != std::sqrt(x)) {
            first = mismatches++ == 0 ? x : first;
        }
    }
    BOOST_TEST(mismatches == 0u, mismatches << " mismatches, first at " << static_cast<double>(first));
}

// ---------------------------------------------------------------------- special values

BOOST_AUTO_TEST_CASE_TEMPLATE(special_values, T, types)
{
    T const n = qnan<T>;
    for (auto f : {fn<T>::exp, fn<T>::expm1, fn<T>::log, fn<T>::log1p, fn<T>::tanh, fn<T>::sigmoid,
                   fn<T>::softplus, fn<T>::sqrt}) {
        BOOST_TEST(std::isnan(f(n)));
        BOOST_TEST(std::isnan(f(-n)));
    }
    BOOST_TEST(m::exp(inf<T>) == inf<T>);
    BOOST_TEST(m::exp(-inf<T>) == T(0));
    BOOST_TEST(m::exp(T(0)) == T(1));
    BOOST_TEST(m::exp(-T(0)) == T(1));
    BOOST_TEST(m::exp(big<T>) == inf<T>);
    BOOST_TEST(m::exp(-big<T>) == T(0));
    BOOST_TEST(m::expm1(inf<T>) == inf<T>);
    BOOST_TEST(m::expm1(-inf<T>) == T(-1));
    BOOST_TEST(m::expm1(-big<T>) == T(-1));
    BOOST_TEST(same_bits(m::expm1(-T(0)), -T(0)));
    BOOST_TEST(same_bits(m::expm1(T(0)), T(0)));
    BOOST_TEST(m::expm1(tiny<T>) == tiny<T>);
    BOOST_TEST(m::log(T(0)) == -inf<T>);
    BOOST_TEST(m::log(-T(0)) == -inf<T>);
    BOOST_TEST(std::isnan(m::log(-tiny<T>)));
    BOOST_TEST(std::isnan(m::log(-inf<T>)));
    BOOST_TEST(m::log(inf<T>) == inf<T>);
    BOOST_TEST(same_bits(m::log(T(1)), T(0)));
    BOOST_TEST(m::log1p(T(-1)) == -inf<T>);
    BOOST_TEST(std::isnan(m::log1p(T(-1.5))));
    BOOST_TEST(std::isnan(m::log1p(-inf<T>)));
    BOOST_TEST(m::log1p(inf<T>) == inf<T>);
    BOOST_TEST(same_bits(m::log1p(-T(0)), -T(0)));
    BOOST_TEST(m::log1p(-tiny<T>) == -tiny<T>);
    BOOST_TEST(m::tanh(inf<T>) == T(1));
    BOOST_TEST(m::tanh(-inf<T>) == T(-1));
    BOOST_TEST(same_bits(m::tanh(-T(0)), -T(0)));
    BOOST_TEST(m::tanh(-tiny<T>) == -tiny<T>);
    BOOST_TEST(m::sigmoid(inf<T>) == T(1));
    BOOST_TEST(m::sigmoid(-inf<T>) == T(0));
    BOOST_TEST(m::sigmoid(T(0)) == T(0.5));
    BOOST_TEST(m::sigmoid(-big<T>) == T(0));
    BOOST_TEST(m::softplus(inf<T>) == inf<T>);
    BOOST_TEST(m::softplus(-inf<T>) == T(0));
    BOOST_TEST(m::softplus(big<T>) == big<T>);
    BOOST_TEST(m::softplus(-big<T>) == T(0));
    BOOST_TEST(m::sqrt(inf<T>) == inf<T>);
    BOOST_TEST(std::isnan(m::sqrt(T(-1))));
    BOOST_TEST(same_bits(m::sqrt(-T(0)), -T(0)));
    BOOST_TEST(m::sqrt(T(4)) == T(2));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(classification_and_abs, T, types)
{
    for (T x : {T(0), -T(0), T(1), -T(1), tiny<T>, -tiny<T>, min_normal<T>, big<T>, -big<T>, inf<T>, -inf<T>,
                qnan<T>, -qnan<T>}) {
        BOOST_TEST(m::isnan(x) == std::isnan(x));
        BOOST_TEST(m::isinf(x) == std::isinf(x));
        BOOST_TEST(m::isfinite(x) == std::isfinite(x));
        BOOST_TEST(same_bits(m::abs(x), std::fabs(x)));
    }
}

// -------------------------------------------------------- properties on dense sweeps

BOOST_AUTO_TEST_CASE_TEMPLATE(no_nan_and_ranges_for_finite_input, T, types)
{
    // Every 97th representable value from -max to max: no NaN anywhere, tanh within
    // [-1, 1], odd and saturated, sigmoid within [0, 1], exp/softplus non-negative,
    // expm1 >= -1.
    auto const klo = ordered(-big<T>);
    auto const khi = ordered(big<T>);
    std::uint64_t const stride = sizeof(T) == 4 ? 97 : (std::uint64_t{1} << 42) + 97;
    std::size_t bad = 0;
    T first_bad = 0;
    auto fail = [&](T x) { first_bad = bad++ == 0 ? x : first_bad; };
    for (std::uint64_t i = 0; i <= static_cast<std::uint64_t>(khi - klo); i += stride) {
        T const x = unordered<T>(static_cast<bits_t<T>>(klo + i));
        T const e = m::exp(x);
        T const em = m::expm1(x);
        T const t = m::tanh(x);
        T const s = m::sigmoid(x);
        T const sp = m::softplus(x);
        T const l1 = m::log1p(x);
        T const l = m::log(x);
        if (std::isnan(e) || !(e >= 0) || std::isnan(em) || !(em >= -1) || std::isnan(t) || !(t >= -1 && t <= 1) ||
            m::tanh(-x) != -t || (std::fabs(x) >= bound<T>::tanh_one && std::fabs(t) != T(1)) || std::isnan(s) ||
            !(s >= 0 && s <= 1) || std::isnan(sp) || !(sp >= 0) || (x >= T(-1)) == std::isnan(l1) ||
            (x >= T(0)) == std::isnan(l)) {
            fail(x);
        }
    }
    BOOST_TEST(bad == 0u, bad << " inputs violate a range property, first x = " << static_cast<double>(first_bad));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(tanh_saturates_exactly, T, types)
{
    T const one = bound<T>::tanh_one;
    for (T x = one; x < big<T> / 2; x *= T(1.37)) {
        BOOST_TEST(m::tanh(x) == T(1));
        BOOST_TEST(m::tanh(-x) == T(-1));
    }
    // Just below the saturation point the computed value is 1 already (as is the
    // correctly rounded one): no jump at the threshold.
    BOOST_TEST(m::tanh(std::nextafter(one, T(0))) == T(1));
}

// ------------------------------------------------- compile time and run time agree

namespace {

template <class T>
constexpr std::array<T, 24> probe_inputs = {T(-800), T(-100), T(-20), T(-3.5), T(-1), T(-0.75), T(-0.3), T(-1e-3),
                                           T(-1e-20), -T(0), T(0), T(1e-30), T(1e-5), T(0.2), T(0.5), T(0.9),
                                           T(1), T(1.5), T(2.5), T(7), T(15), T(60), T(88), T(700)};

template <class T, class F>
constexpr std::array<T, 24> tabulate(F f)
{
    std::array<T, 24> out{};
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = f(probe_inputs<T>[i]);
    }
    return out;
}

template <class T>
struct compile_time_tables {
    static constexpr auto exp = tabulate<T>([](T x) { return m::exp(x); });
    static constexpr auto expm1 = tabulate<T>([](T x) { return m::expm1(x); });
    static constexpr auto log = tabulate<T>([](T x) { return m::log(x); });
    static constexpr auto log1p = tabulate<T>([](T x) { return m::log1p(x); });
    static constexpr auto tanh = tabulate<T>([](T x) { return m::tanh(x); });
    static constexpr auto sigmoid = tabulate<T>([](T x) { return m::sigmoid(x); });
    static constexpr auto softplus = tabulate<T>([](T x) { return m::softplus(x); });
    static constexpr auto sqrt = tabulate<T>([](T x) { return m::sqrt(x); });
};

// A compiler that contracts a*b + c into one fused multiply-add at run time (GCC with
// -march supporting FMA and -ffp-contract=fast, the GNU-mode default) rounds differently
// from constant evaluation, which never fuses; then allow the last bit to differ.
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA) || defined(__FP_FAST_FMA) || defined(__FP_FAST_FMAF)
constexpr bool may_fuse = true;
#else
constexpr bool may_fuse = false;
#endif

template <class T, std::size_t N, class F>
void compare_with_run_time(char const* what, std::array<T, N> const& table, F f)
{
    for (std::size_t i = 0; i < N; ++i) {
        T volatile input = probe_inputs<T>[i]; // keep the optimiser from folding the call
        T const x = input;
        T const y = f(x);
        bool const ok = same_bits(y, table[i]) || (may_fuse && ulp_error<T>(y, static_cast<ld>(table[i])) <= 2);
        BOOST_TEST(ok, what << "(" << static_cast<double>(x) << "): run time " << static_cast<double>(y)
                            << " != compile time " << static_cast<double>(table[i]));
    }
}

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(compile_time_equals_run_time, T, types)
{
    using ct = compile_time_tables<T>;
    compare_with_run_time("exp", ct::exp, fn<T>::exp);
    compare_with_run_time("expm1", ct::expm1, fn<T>::expm1);
    compare_with_run_time("log", ct::log, fn<T>::log);
    compare_with_run_time("log1p", ct::log1p, fn<T>::log1p);
    compare_with_run_time("tanh", ct::tanh, fn<T>::tanh);
    compare_with_run_time("sigmoid", ct::sigmoid, fn<T>::sigmoid);
    compare_with_run_time("softplus", ct::softplus, fn<T>::softplus);
    compare_with_run_time("sqrt", ct::sqrt, fn<T>::sqrt);
}
