// The PRNG against its published reference outputs, and initialisation's
// determinism at compile time and at run time.

#define BOOST_TEST_MODULE init
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <cstdint>

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

namespace {
using net_t = ctnn::network<double, ctnn::input<4>, ctnn::dense<8, ctnn::tanh>, ctnn::dense<2>>;

constexpr net_t seeded(std::uint64_t seed)
{
    net_t net{};
    ctnn::init::xavier_uniform(net, seed);
    return net;
}
} // namespace

BOOST_AUTO_TEST_CASE(xavier_uniform_is_deterministic_and_bounded)
{
    constexpr net_t at_compile_time = seeded(42u);
    net_t const at_run_time = seeded(42u);
    BOOST_TEST((at_compile_time == at_run_time));
    BOOST_TEST(!(seeded(43u) == at_run_time));

    double const bound0 = std::sqrt(6.0 / (4 + 8));
    for (double w : at_run_time.layer<0>().weights) {
        BOOST_TEST(std::abs(w) <= bound0);
    }
    double const bound1 = std::sqrt(6.0 / (8 + 2));
    for (double w : at_run_time.layer<1>().weights) {
        BOOST_TEST(std::abs(w) <= bound1);
    }
    for (double b : at_run_time.layer<0>().biases) {
        BOOST_TEST(b == 0.0);
    }
}
