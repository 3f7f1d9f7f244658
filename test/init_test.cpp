// The PRNG against its published reference outputs, and initialisation's
// determinism at compile time and at run time.

#define BOOST_TEST_MODULE init
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>

BOOST_AUTO_TEST_CASE(pcg32_reference_vector)
{
    // The first outputs of pcg32 seeded with (42, 54), from the PCG reference
    // implementation's demo program.
    ctnn::init::pcg32 rng(42u, 54u);
    constexpr std::array<std::uint32_t, 6> expected{0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                                    0x83d2f293, 0xbfa4784b, 0xcbed606e};
    for (auto e : expected) {
        BOOST_TEST(rng() == e);
    }
}

using scalar_types = std::tuple<double, float>;

// Initialisation computes in the network's scalar type (a float network
// without double arithmetic, see init.hpp), deterministically in either.
namespace {
template <class T>
using small_net = ctnn::network<T, ctnn::input<4>, ctnn::dense<8, ctnn::tanh>, ctnn::dense<2>>;

template <class T>
constexpr small_net<T> seeded(std::uint64_t seed)
{
    small_net<T> net{};
    ctnn::init::xavier_uniform(net, seed);
    return net;
}
} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(xavier_uniform_is_deterministic_and_bounded, T, scalar_types)
{
    constexpr small_net<T> at_compile_time = seeded<T>(42u);
    small_net<T> const at_run_time = seeded<T>(42u);
    BOOST_TEST((at_compile_time == at_run_time));
    BOOST_TEST(!(seeded<T>(43u) == at_run_time));

    // The bound is computed as √(3·variance) in T: within a few ulp of √(6 / (in + out)).
    double const tolerance = 1 + 4 * static_cast<double>(std::numeric_limits<T>::epsilon());
    double const bound0 = std::sqrt(6.0 / (4 + 8));
    for (T w : at_run_time.template layer<0>().weights) {
        BOOST_TEST(std::abs(static_cast<double>(w)) <= bound0 * tolerance);
    }
    double const bound1 = std::sqrt(6.0 / (8 + 2));
    for (T w : at_run_time.template layer<1>().weights) {
        BOOST_TEST(std::abs(static_cast<double>(w)) <= bound1 * tolerance);
    }
    for (T b : at_run_time.template layer<0>().biases) {
        BOOST_TEST(b == T(0));
    }
}

namespace {
template <class T>
using relu_net = ctnn::network<T, ctnn::input<64>, ctnn::dense<256, ctnn::relu>, ctnn::dense<256, ctnn::relu>>;

template <class T, class Fill>
std::array<double, 2> layer_moments(Fill fill)
{
    static relu_net<T> net{};
    fill(net);
    double sum = 0;
    double squares = 0;
    for (T w : net.template layer<1>().weights) {
        sum += static_cast<double>(w);
        squares += static_cast<double>(w) * static_cast<double>(w);
    }
    auto const n = static_cast<double>(net.template layer<1>().weights.size());
    return {sum / n, squares / n};
}
} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(initialisers_have_the_documented_variance, T, scalar_types)
{
    // Layer 1 has fan-in 256 and fan-out 256: 65,536 weights, so the sample
    // variance is within a few percent of the population's (its relative
    // standard error is about √(2/65536) = 0.6% for a normal, less for a uniform).
    struct expectation {
        char const* name;
        std::array<double, 2> moments;
        double variance;
    };
    expectation const cases[] = {
        {"xavier_uniform", layer_moments<T>([](auto& n) { ctnn::init::xavier_uniform(n, 1u); }), 2.0 / 512},
        {"xavier_normal", layer_moments<T>([](auto& n) { ctnn::init::xavier_normal(n, 2u); }), 2.0 / 512},
        {"he_uniform", layer_moments<T>([](auto& n) { ctnn::init::he_uniform(n, 3u); }), 2.0 / 256},
        {"he_normal", layer_moments<T>([](auto& n) { ctnn::init::he_normal(n, 4u); }), 2.0 / 256},
    };
    for (auto const& c : cases) {
        BOOST_TEST(std::abs(c.moments[0]) < 0.05 * std::sqrt(c.variance), c.name << " mean " << c.moments[0]);
        BOOST_TEST(std::abs(c.moments[1] / c.variance - 1.0) < 0.03, c.name << " variance ratio "
                                                                              << c.moments[1] / c.variance);
    }
}

BOOST_AUTO_TEST_CASE(biases_take_the_given_value)
{
    small_net<double> net{};
    ctnn::init::he_normal(net, 5u, 0.1);
    for (double b : net.layer<0>().biases) {
        BOOST_TEST(b == 0.1);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(normal_draws_are_standard, T, scalar_types)
{
    ctnn::init::pcg32 rng(11u);
    double sum = 0;
    double squares = 0;
    constexpr int n = 200000;
    for (int i = 0; i < n; ++i) {
        auto const z = static_cast<double>(rng.normal<T>());
        sum += z;
        squares += z * z;
    }
    // Standard errors: 1/√n = 0.0022 for the mean, √(2/n) = 0.0032 for the variance.
    BOOST_TEST(std::abs(sum / n) < 0.01);
    BOOST_TEST(std::abs(squares / n - 1.0) < 0.015);
}
