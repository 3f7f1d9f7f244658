// The built-in activations and their derived derivatives, evaluated at run
// time and compared with closed forms written by hand and computed with the C
// library (an oracle independent of ctnn's expressions and of ctnn::math).

#define BOOST_TEST_MODULE sym_evaluate
#include <boost/test/unit_test.hpp>

#include <ctnn/activation.hpp>

#include <cmath>
#include <functional>

namespace {

struct closed_form {
    char const* name;
    std::function<double(double)> value;
    std::function<double(double)> slope;
};

double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

constexpr double gelu_k = 0.7978845608028654; // √(2/π)
constexpr double gelu_c = 0.044715;

// Relative agreement above `floor`, absolute below it. The floor is 1e-300
// (only against 0/0) except where the function itself cancels order-one terms:
// the slopes of swish and gelu cross zero, and gelu's value in its negative
// tail is ½x(1 + tanh(u)) with tanh(u) → −1. There rounding is relative to the
// terms (both the library's and the C library's), so the floor is 1.
bool agrees(double actual, double expected, double tolerance, double floor = 1e-300)
{
    return std::abs(actual - expected) <= tolerance * std::max(std::abs(expected), floor);
}

template <class Act>
void compare(closed_form const& oracle, double tolerance, double slope_floor = 1e-300,
             double value_floor = 1e-300)
{
    int failures = 0;
    for (int k = -4000; k <= 4000; ++k) {
        double const z = k * 0.0025 + 0.00037; // [-10, 10], never exactly on a kink
        double const a = Act::value(z);
        double const slope = Act::slope(z, a);
        if (!agrees(a, oracle.value(z), tolerance, value_floor) || !agrees(slope, oracle.slope(z), tolerance, slope_floor)) {
            if (++failures <= 5) {
                BOOST_ERROR(oracle.name << " at " << z << ": value " << a << " vs " << oracle.value(z) << ", slope "
                                        << slope << " vs " << oracle.slope(z));
            }
        }
    }
    BOOST_TEST(failures == 0, oracle.name << ": " << failures << " points disagree");
}

} // namespace

// Tolerances: a few ulp of the math library in each of a handful of
// operations.
BOOST_AUTO_TEST_CASE(identity_relu_leaky_relu)
{
    compare<ctnn::identity>({"identity", [](double z) { return z; }, [](double) { return 1.0; }}, 0.0);
    compare<ctnn::relu>({"relu", [](double z) { return z > 0 ? z : 0.0; }, [](double z) { return z > 0 ? 1.0 : 0.0; }},
                        0.0);
    compare<ctnn::leaky_relu>({"leaky_relu", [](double z) { return z > 0 ? z : 0.01 * z; },
                               [](double z) { return z > 0 ? 1.0 : 0.01; }},
                              1e-15);
}

BOOST_AUTO_TEST_CASE(smooth_activations)
{
    compare<ctnn::softplus>({"softplus", [](double z) { return std::log1p(std::exp(z)); }, logistic}, 1e-14);
    compare<ctnn::swish>({"swish", [](double z) { return z * logistic(z); },
                          [](double z) { return logistic(z) * (1 + z * (1 - logistic(z))); }},
                         1e-13, 1.0);
    compare<ctnn::elu>({"elu", [](double z) { return z > 0 ? z : std::expm1(z); },
                        [](double z) { return z > 0 ? 1.0 : std::exp(z); }},
                       1e-14);
    compare<ctnn::gelu>({"gelu",
                         [](double z) { return 0.5 * z * (1 + std::tanh(gelu_k * (z + gelu_c * z * z * z))); },
                         [](double z) {
                             double const th = std::tanh(gelu_k * (z + gelu_c * z * z * z));
                             return 0.5 * (1 + th) + 0.5 * z * (1 - th * th) * gelu_k * (1 + 3 * gelu_c * z * z);
                         }},
                        1e-12, 1.0, 1.0);
}

BOOST_AUTO_TEST_CASE(slopes_from_the_output)
{
    // Compared in the output form the library uses, so the check is of the
    // value and of the symbolic rewriting, not of the cancellation in 1 − a.
    compare<ctnn::sigmoid>(
        {"sigmoid", logistic, [](double z) { return logistic(z) * (1 - logistic(z)); }}, 1e-14);
    for (int k = -4000; k <= 4000; ++k) {
        double const z = k * 0.0025 + 0.00037;
        double const a = ctnn::tanh::value(z);
        BOOST_TEST(agrees(a, std::tanh(z), 1e-15));
        BOOST_TEST(ctnn::tanh::slope(z, a) == 1 - a * a); // exactly the rewritten form
    }
}

BOOST_AUTO_TEST_CASE(kinks_take_the_second_branch)
{
    // max(x, 0) and select(x > 0, ...) use the right-hand piece at 0: slope 0
    // for relu, 0.01 for leaky_relu, 1 for elu (both pieces agree there).
    BOOST_TEST(ctnn::relu::slope(0.0, 0.0) == 0.0);
    BOOST_TEST(ctnn::leaky_relu::slope(0.0, 0.0) == 0.01);
    BOOST_TEST(ctnn::elu::slope(0.0, 0.0) == 1.0);
}

BOOST_AUTO_TEST_CASE(saturation_is_finite)
{
    // Far in the tails every value and slope is finite, in float too.
    for (float z : {-1000.0f, -100.0f, -30.0f, 30.0f, 100.0f, 1000.0f}) {
        BOOST_TEST(std::isfinite(ctnn::softplus::value(z)));
        BOOST_TEST(std::isfinite(ctnn::swish::slope(z, ctnn::swish::value(z))));
        BOOST_TEST(std::isfinite(ctnn::gelu::slope(z, ctnn::gelu::value(z))));
        BOOST_TEST(std::isfinite(ctnn::elu::slope(z, ctnn::elu::value(z))));
        BOOST_TEST(std::isfinite(ctnn::sigmoid::slope(z, ctnn::sigmoid::value(z))));
    }
}
