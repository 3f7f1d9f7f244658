// Training is reproducible: the same network trained during constant
// evaluation and at run time ends bit-identical, and two run-time trainings
// with the same seed agree bit for bit.
//
// This target is built with -ffp-contract=off. Without it a compiler may fuse
// a*b + c into one fused multiply-add at run time (GCC does by default when the
// target has FMA instructions, e.g. with -march=native), which rounds once
// instead of twice; constant evaluation never fuses, so the two would drift
// apart in the last bits and, over many steps, further.

#define BOOST_TEST_MODULE reproducibility
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <bit>
#include <cstdint>

namespace {

using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<4, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>>;
constexpr std::array<std::array<float, 2>, 4> xs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<std::array<float, 1>, 4> ts{{{0}, {1}, {1}, {0}}};

constexpr net_t train(std::uint64_t seed)
{
    net_t net{};
    ctnn::init::xavier_uniform(net, seed);
    ctnn::optim::adam<net_t> opt{.learning_rate = 0.05f};
    static_cast<void>(ctnn::fit(net, xs, ts, ctnn::loss::mse{}, opt, {.epochs = 20, .batch_size = 2, .seed = seed}));
    return net;
}

} // namespace

BOOST_AUTO_TEST_CASE(compile_time_and_run_time_training_agree_bit_for_bit)
{
    constexpr net_t at_compile_time = train(5);
    volatile std::uint64_t seed = 5; // keeps the compiler from folding the run-time call
    net_t const at_run_time = train(seed);
    for (std::size_t p = 0; p < net_t::parameter_count; ++p) {
        BOOST_TEST(std::bit_cast<std::uint32_t>(at_compile_time.parameters()[p]) ==
                       std::bit_cast<std::uint32_t>(at_run_time.parameters()[p]),
                   "parameter " << p << ": " << at_compile_time.parameters()[p] << " vs "
                                << at_run_time.parameters()[p]);
    }
}

BOOST_AUTO_TEST_CASE(initialisation_is_the_same_at_compile_time_and_run_time)
{
    constexpr net_t compile_time = [] {
        net_t n{};
        ctnn::init::he_normal(n, 99u);
        return n;
    }();
    volatile std::uint64_t seed = 99;
    net_t run_time{};
    ctnn::init::he_normal(run_time, seed);
    BOOST_TEST((compile_time == run_time));
}
