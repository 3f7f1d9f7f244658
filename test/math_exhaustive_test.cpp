// The float kernels that are float's own, over every float (or nearly), against double
// precision: the documented bounds (docs/math.md) hold everywhere, not just on the samples
// of math_test.
//   tanh     a polynomial below 0.7 and a short exp above (detail::tanh_float_lanes):
//            every float.
//   exp      a minimax polynomial by Estrin's scheme with 1 + r split exactly
//            (detail::exp_in_range): every float of exp's range with |x| >= 2^-10, every
//            64th below (where e^x is 1 + x to within the polynomial's smallest terms).
//   sigmoid  its exp (detail::exp_nonpositive_scaled: e^x 2^64 from a table of 2^(j/16)
//            and a cubic) on every float of [-sigmoid_clamp, 0], and sigmoid itself on
//            every float of [-sigmoid_clamp, sigmoid_clamp].
//
// Built with -O2 (about 6 billion evaluations); CMake skips it under the sanitizers and
// also runs it at x86-64-v4 when the machine has AVX-512, where the compiler may fuse
// multiply-adds: the bounds are claimed with and without contraction.
#define BOOST_TEST_MODULE math_exhaustive
#include <boost/test/unit_test.hpp>

#include <ctnn/math.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

namespace {

// docs/math.md's "bound" column (and math_test's bound<float>).
constexpr double tanh_bound_ulp = 1.5;
constexpr double exp_bound_ulp = 1;
constexpr double sigmoid_bound_ulp = 2.5;
constexpr double sigmoid_exp_bound_ulp = 0.6; // the row "sigmoid's exp, e^x 2^64" (no math_test bound)

// |t - r| in units of the last place of the float nearest r (r a double in float's
// range; an ulp of a subnormal is denorm_min). The exponent is read from r's bits, and
// the error scaled by the power of two 1/ulp built from them: std::ilogb and
// std::ldexp, called once per value, took most of the sweeps' time.
double ulp_error(float t, double r)
{
    std::uint64_t const magnitude = std::bit_cast<std::uint64_t>(r) & 0x7fff'ffff'ffff'ffffu;
    int const exponent = std::max(static_cast<int>(magnitude >> 52) - 1023, -126); // r = 0: -1023
    double const inverse_ulp = std::bit_cast<double>(static_cast<std::uint64_t>(1023 + 23 - exponent) << 52);
    return std::fabs(static_cast<double>(t) - r) * inverse_ulp;
}

// The largest error seen and where.
struct max_error {
    double ulp = 0;
    float at = 0;

    void record(float x, double error)
    {
        if (error > ulp) {
            ulp = error;
            at = x;
        }
    }
};

struct sweep_result {
    max_error error;
    std::uint64_t above_one = 0;
    std::uint64_t not_odd = 0;
};

// Every non-negative float below `end` (bit patterns [0, end)), in blocks so that the
// calls vectorise as they do in a layer.
sweep_result sweep_tanh(std::uint32_t end)
{
    constexpr std::uint32_t block = 1u << 16;
    std::vector<float> x(block), t(block), minus_t(block);
    sweep_result out;
    for (std::uint32_t start = 0; start < end; start += block) {
        std::uint32_t const n = std::min(block, end - start);
        for (std::uint32_t i = 0; i < n; ++i) {
            x[i] = std::bit_cast<float>(start + i);
        }
        for (std::uint32_t i = 0; i < n; ++i) {
            t[i] = ctnn::math::tanh(x[i]);
            minus_t[i] = ctnn::math::tanh(-x[i]);
        }
        for (std::uint32_t i = 0; i < n; ++i) {
            out.error.record(x[i], ulp_error(t[i], std::tanh(static_cast<double>(x[i]))));
            out.above_one += t[i] > 1.0f;
            out.not_odd += std::bit_cast<std::uint32_t>(minus_t[i]) != (std::bit_cast<std::uint32_t>(t[i]) ^ 0x80000000u);
        }
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(tanh_float_within_its_bound_everywhere)
{
    // Up to 10, where the argument is clamped; tanh_saturates_exactly (math_test) covers
    // what lies beyond, and the last case here the values at and past the clamp.
    sweep_result const r = sweep_tanh(std::bit_cast<std::uint32_t>(10.0f));
    BOOST_TEST_MESSAGE("tanh<float>: max error " << r.error.ulp << " ulp at " << r.error.at);
    BOOST_TEST(r.error.ulp <= tanh_bound_ulp, "max error " << r.error.ulp << " ulp at " << std::hexfloat << r.error.at);
    BOOST_TEST(r.above_one == 0u);
    BOOST_TEST(r.not_odd == 0u);
}

BOOST_AUTO_TEST_CASE(exp_float_within_its_bound_everywhere)
{
    using fmt = ctnn::detail::float_format<float>;
    std::uint32_t const dense_from = std::bit_cast<std::uint32_t>(0x1p-10f);
    max_error worst;
    std::uint64_t checked = 0;
    constexpr std::uint32_t block = 1u << 16;
    std::vector<float> x(block), e(block);
    for (float const end : {fmt::exp_hi, fmt::exp_lo}) {
        std::uint32_t const sign = std::bit_cast<std::uint32_t>(end) & 0x80000000u;
        std::uint32_t const last = std::bit_cast<std::uint32_t>(end) & 0x7fffffffu;
        std::uint32_t b = 0;
        while (b <= last) {
            std::uint32_t n = 0;
            for (; n < block && b <= last; ++n) {
                x[n] = std::bit_cast<float>(b | sign);
                b += b < dense_from ? 64 : 1;
            }
            for (std::uint32_t i = 0; i < n; ++i) {
                e[i] = ctnn::math::exp(x[i]);
            }
            for (std::uint32_t i = 0; i < n; ++i) {
                worst.record(x[i], ulp_error(e[i], std::exp(static_cast<double>(x[i]))));
            }
            checked += n;
        }
    }
    BOOST_TEST_MESSAGE("exp<float>: max error " << worst.ulp << " ulp at " << worst.at << " (" << checked << " values)");
    BOOST_TEST(worst.ulp <= exp_bound_ulp, "max error " << worst.ulp << " ulp at " << std::hexfloat << worst.at);
}

BOOST_AUTO_TEST_CASE(sigmoid_and_its_exp_within_their_bounds_everywhere)
{
    // Every float x of [-sigmoid_clamp, 0] (from -0): sigmoid's exp, e^x 2^64, a normal
    // number throughout (so its ulp is that of a normal float), and sigmoid at x and -x.
    // Past the clamp, sigmoid is exactly 0 or 1 (math_test's special values).
    using fmt = ctnn::detail::float_format<float>;
    std::uint32_t const last = std::bit_cast<std::uint32_t>(-fmt::sigmoid_clamp);
    max_error exp_worst;
    max_error sigmoid_worst;
    constexpr std::uint32_t block = 1u << 16;
    std::vector<float> x(block), e(block), below(block), above(block);
    for (std::uint64_t start = 0x80000000u; start <= last; start += block) {
        auto const n = static_cast<std::uint32_t>(std::min<std::uint64_t>(block, last - start + 1));
        for (std::uint32_t i = 0; i < n; ++i) {
            x[i] = std::bit_cast<float>(static_cast<std::uint32_t>(start + i));
        }
        for (std::uint32_t i = 0; i < n; ++i) {
            e[i] = ctnn::detail::exp_nonpositive_scaled(x[i]);
            below[i] = ctnn::math::sigmoid(x[i]);
            above[i] = ctnn::math::sigmoid(-x[i]);
        }
        for (std::uint32_t i = 0; i < n; ++i) {
            double const exact = std::exp(static_cast<double>(x[i]));
            exp_worst.record(x[i], ulp_error(e[i], exact * 0x1p64));
            sigmoid_worst.record(x[i], ulp_error(below[i], exact / (1 + exact)));
            sigmoid_worst.record(-x[i], ulp_error(above[i], 1 / (1 + exact)));
        }
    }
    BOOST_TEST_MESSAGE("sigmoid's exp<float>: max error " << exp_worst.ulp << " ulp at " << exp_worst.at);
    BOOST_TEST_MESSAGE("sigmoid<float>: max error " << sigmoid_worst.ulp << " ulp at " << sigmoid_worst.at);
    BOOST_TEST(exp_worst.ulp <= sigmoid_exp_bound_ulp,
               "max error " << exp_worst.ulp << " ulp at " << std::hexfloat << exp_worst.at);
    BOOST_TEST(sigmoid_worst.ulp <= sigmoid_bound_ulp,
               "max error " << sigmoid_worst.ulp << " ulp at " << std::hexfloat << sigmoid_worst.at);
}

BOOST_AUTO_TEST_CASE(tanh_float_is_one_where_tanh_rounds_to_one)
{
    // From the first float whose correctly rounded tanh is 1 (by the double-precision
    // reference) upwards, exactly 1, past the clamp at 10.
    float x = 9.0f;
    while (static_cast<float>(std::tanh(static_cast<double>(x))) != 1.0f) {
        x = std::nextafter(x, 10.0f);
    }
    BOOST_TEST_MESSAGE("tanh rounds to 1 from " << x);
    std::uint32_t not_one = 0;
    float first = 0;
    for (float y = x; y <= 10.5f; y = std::nextafter(y, 11.0f)) {
        if (ctnn::math::tanh(y) != 1.0f || ctnn::math::tanh(-y) != -1.0f) {
            first = not_one++ == 0 ? y : first;
        }
    }
    BOOST_TEST(not_one == 0u, not_one << " values not +-1, first at " << std::hexfloat << first);
}
