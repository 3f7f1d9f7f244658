// Compile-only: ctnn::math in constant evaluation. Special values come out exactly, and a
// few values match references (mpmath, 40 digits) within the documented error bounds.

#include <ctnn/math.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace {

namespace m = ctnn::math;

template <class T>
constexpr T inf = std::numeric_limits<T>::infinity();
template <class T>
constexpr T qnan = std::numeric_limits<T>::quiet_NaN();
template <class T>
constexpr T big = std::numeric_limits<T>::max();
template <class T>
constexpr T tiny = std::numeric_limits<T>::denorm_min();

// |got - want| <= ulps * eps * |want|: the bounds documented in docs/math.md.
template <class T>
constexpr bool near(T got, T want, T ulps)
{
    return m::abs(got - want) <= ulps * std::numeric_limits<T>::epsilon() * m::abs(want);
}

template <class T>
constexpr bool same_bits(T a, T b)
{
    return std::bit_cast<ctnn::detail::float_bits<T>>(a) == std::bit_cast<ctnn::detail::float_bits<T>>(b);
}

template <class T>
constexpr bool special_values()
{
    static_assert(m::exp(T(0)) == T(1));
    static_assert(m::exp(inf<T>) == inf<T>);
    static_assert(m::exp(-inf<T>) == T(0));
    static_assert(m::exp(big<T>) == inf<T>);
    static_assert(m::exp(T(1000)) == inf<T>);
    static_assert(m::exp(T(-1000)) == T(0));
    static_assert(m::exp(-big<T>) == T(0));
    static_assert(m::isnan(m::exp(qnan<T>)));
    static_assert(m::exp(ctnn::detail::float_format<T>::exp_hi) < inf<T>);
    static_assert(m::exp(ctnn::detail::float_format<T>::exp_lo) == tiny<T>);

    static_assert(m::expm1(inf<T>) == inf<T>);
    static_assert(m::expm1(-inf<T>) == T(-1));
    static_assert(m::expm1(T(1000)) == inf<T>);
    static_assert(m::expm1(T(-1000)) == T(-1));
    static_assert(same_bits(m::expm1(-T(0)), -T(0)));
    static_assert(m::expm1(tiny<T>) == tiny<T>);
    static_assert(m::isnan(m::expm1(qnan<T>)));

    static_assert(m::log(T(0)) == -inf<T>);
    static_assert(m::log(-T(0)) == -inf<T>);
    static_assert(m::isnan(m::log(T(-1))));
    static_assert(m::isnan(m::log(-inf<T>)));
    static_assert(m::log(inf<T>) == inf<T>);
    static_assert(m::log(T(1)) == T(0));
    static_assert(m::isnan(m::log(qnan<T>)));
    static_assert(m::log(big<T>) < inf<T>);
    static_assert(m::log(tiny<T>) > -inf<T>);

    static_assert(m::log1p(T(-1)) == -inf<T>);
    static_assert(m::isnan(m::log1p(T(-2))));
    static_assert(m::log1p(inf<T>) == inf<T>);
    static_assert(same_bits(m::log1p(-T(0)), -T(0)));
    static_assert(m::log1p(tiny<T>) == tiny<T>);
    static_assert(m::isnan(m::log1p(qnan<T>)));

    static_assert(m::tanh(T(40)) == T(1));
    static_assert(m::tanh(T(-40)) == T(-1));
    static_assert(m::tanh(inf<T>) == T(1));
    static_assert(m::tanh(-inf<T>) == T(-1));
    static_assert(m::tanh(big<T>) == T(1));
    static_assert(same_bits(m::tanh(-T(0)), -T(0)));
    static_assert(m::tanh(-tiny<T>) == -tiny<T>);
    static_assert(m::isnan(m::tanh(qnan<T>)));

    static_assert(m::sigmoid(T(-1000)) == T(0));
    static_assert(m::sigmoid(T(1000)) == T(1));
    static_assert(m::sigmoid(-inf<T>) == T(0));
    static_assert(m::sigmoid(inf<T>) == T(1));
    static_assert(m::sigmoid(T(0)) == T(0.5));
    static_assert(m::isnan(m::sigmoid(qnan<T>)));

    static_assert(m::softplus(T(1000)) == T(1000));
    static_assert(m::softplus(big<T>) == big<T>);
    static_assert(m::softplus(T(-1000)) == T(0));
    static_assert(m::softplus(inf<T>) == inf<T>);
    static_assert(m::softplus(-inf<T>) == T(0));
    static_assert(m::isnan(m::softplus(qnan<T>)));

    static_assert(m::sqrt(T(4)) == T(2));
    static_assert(m::sqrt(T(0)) == T(0));
    static_assert(same_bits(m::sqrt(-T(0)), -T(0)));
    static_assert(m::sqrt(inf<T>) == inf<T>);
    static_assert(m::isnan(m::sqrt(T(-1))));
    static_assert(m::isnan(m::sqrt(qnan<T>)));
    static_assert(m::sqrt(tiny<T>) > T(0));

    static_assert(m::isnan(qnan<T>) && !m::isnan(inf<T>) && !m::isnan(T(1)));
    static_assert(m::isinf(inf<T>) && m::isinf(-inf<T>) && !m::isinf(big<T>) && !m::isinf(qnan<T>));
    static_assert(m::isfinite(big<T>) && m::isfinite(-tiny<T>) && !m::isfinite(inf<T>) && !m::isfinite(qnan<T>));
    static_assert(same_bits(m::abs(-T(0)), T(0)));
    static_assert(m::abs(-inf<T>) == inf<T>);
    static_assert(m::abs(T(-2.5)) == T(2.5));
    return true;
}

template <class T>
constexpr bool values()
{
    // References: mpmath at 40 digits, rounded to 17.
    static_assert(near(m::exp(T(1)), T(2.718281828459045), T(1)));
    static_assert(near(m::exp(T(-10)), T(4.5399929762484852e-05), T(1)));
    static_assert(near(m::exp(T(80)), T(5.5406223843935101e+34), T(1)));
    static_assert(near(m::expm1(T(1e-6)), T(1.0000005000001667e-06), T(1.5)));
    static_assert(near(m::expm1(T(-0.5)), T(-0.39346934028736658), T(1.5)));
    static_assert(near(m::log(T(2)), T(0.6931471805599453), T(1.5)));
    static_assert(near(m::log(T(10)), T(2.3025850929940457), T(1.5)));
    static_assert(near(m::log(T(1e-30)), T(-69.077552789821371), T(1.5)));
    static_assert(near(m::log1p(T(1e-7)), T(9.9999995000000333e-08), T(1.5)));
    static_assert(near(m::log1p(T(3)), T(1.3862943611198906), T(1.5)));
    static_assert(near(m::tanh(T(0.5)), T(0.46211715726000976), T(2)));
    static_assert(near(m::tanh(T(-2)), T(-0.96402758007581688), T(2)));
    static_assert(near(m::tanh(T(1e-4)), T(9.9999999666666668e-05), T(2)));
    static_assert(near(m::sigmoid(T(2)), T(0.88079707797788244), T(2.5)));
    static_assert(near(m::sigmoid(T(-30)), T(9.3576229688392990e-14), T(2.5)));
    static_assert(near(m::softplus(T(0)), T(0.69314718055994531), T(2)));
    static_assert(near(m::softplus(T(-20)), T(2.0611536203143807e-09), T(2)));
    static_assert(near(m::softplus(T(20)), T(20.000000002061154), T(2)));
    static_assert(m::sqrt(T(2)) == static_cast<T>(1.4142135623730950488L));
    static_assert(m::sqrt(T(0.25)) == T(0.5));
    return true;
}

static_assert(special_values<float>());
static_assert(special_values<double>());
static_assert(values<float>());
static_assert(values<double>());

// Exact: 1.41421356237309504880 rounds to these in each format.
static_assert(m::sqrt(2.0f) == 0x1.6a09e6p+0f);
static_assert(m::sqrt(2.0) == 0x1.6a09e667f3bcdp+0);
static_assert(m::sqrt(1e-40f) > 0.0f); // subnormal input

// sigmoid's exp tables (detail/math_float.hpp): 2^(j/16) = h[j] (1 + rho[j]). Checked in
// double against relations an edited entry would break: h increasing in [1, 2), each
// h (1 + rho) squared equal to the entry of index 2j (j < 8) or 2 times that of 2j - 16, to
// well below float's precision (2^-46), and |rho| below half an ulp of float.
namespace sixteenths {
using ctnn::detail::exp2_sixteenths;
using ctnn::detail::exp2_sixteenths_rest;

constexpr double entry(std::size_t j)
{
    return static_cast<double>(exp2_sixteenths[j]) * (1.0 + static_cast<double>(exp2_sixteenths_rest[j]));
}

constexpr bool tables_consistent()
{
    if (exp2_sixteenths[0] != 1.0f || exp2_sixteenths_rest[0] != 0.0f) {
        return false;
    }
    for (std::size_t j = 0; j < 16; ++j) {
        if (exp2_sixteenths[j] < 1.0f || exp2_sixteenths[j] >= 2.0f ||
            (j > 0 && exp2_sixteenths[j] <= exp2_sixteenths[j - 1]) ||
            m::abs(exp2_sixteenths_rest[j]) > 0x1p-24f) {
            return false;
        }
        double const square = entry(j) * entry(j);
        double const want = j < 8 ? entry(2 * j) : 2.0 * entry(2 * j - 16);
        if (m::abs(square - want) > 0x1p-46 * want) {
            return false;
        }
    }
    return true;
}
static_assert(tables_consistent(), "exp2_sixteenths / exp2_sixteenths_rest: an entry is not 2^(j/16)");
// ln2/16 split: the head has 12 significant bits, and head + tail is ln2/16 to within half
// an ulp of the tail (2^-43).
static_assert((std::bit_cast<std::uint32_t>(ctnn::detail::sixteenth_ln2_hi) & 0xfffu) == 0);
static_assert(m::abs(static_cast<double>(ctnn::detail::sixteenth_ln2_hi) +
                     static_cast<double>(ctnn::detail::sixteenth_ln2_lo) - 0x1.62e42fefa39efp-5) < 0x1p-43);
} // namespace sixteenths

} // namespace
