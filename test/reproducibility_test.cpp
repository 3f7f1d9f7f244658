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

// The vector kernels (blocks of 4 and 16 rows, partial sums over the rows of
// the input gradient, leftover rows and inputs) against their definitions,
// through inference and train_step: shapes chosen to leave remainders
// everywhere.
namespace {

using odd_t = ctnn::network<float, ctnn::input<37>, ctnn::dense<21, ctnn::tanh>, ctnn::dense<18, ctnn::relu>,
                            ctnn::dense<5, ctnn::identity>>;

constexpr std::array<float, 37> odd_input(float shift)
{
    std::array<float, 37> x{};
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = float(i % 7) * 0.25f - 0.7f + shift;
    }
    return x;
}

struct odd_result {
    odd_t net;
    std::array<float, 5> before;
    std::array<float, 5> after;
};

constexpr odd_result odd_steps(std::uint64_t seed)
{
    odd_result r{};
    ctnn::init::xavier_uniform(r.net, seed);
    r.before = r.net(odd_input(0.0f));
    std::array<float, 5> const t{0.5f, -0.25f, 1.0f, 0.0f, -1.0f};
    for (int step = 0; step < 3; ++step) {
        static_cast<void>(ctnn::train_step(r.net, odd_input(0.1f * float(step)), t, ctnn::loss::mse{}, 0.05f));
    }
    r.after = r.net(odd_input(0.0f));
    return r;
}

} // namespace

BOOST_AUTO_TEST_CASE(vector_kernels_agree_with_their_definitions_bit_for_bit)
{
    constexpr odd_result at_compile_time = odd_steps(7);
    volatile std::uint64_t seed = 7;
    odd_result const at_run_time = odd_steps(seed);
    for (std::size_t o = 0; o < 5; ++o) {
        BOOST_TEST(std::bit_cast<std::uint32_t>(at_compile_time.before[o]) ==
                   std::bit_cast<std::uint32_t>(at_run_time.before[o]));
        BOOST_TEST(std::bit_cast<std::uint32_t>(at_compile_time.after[o]) ==
                   std::bit_cast<std::uint32_t>(at_run_time.after[o]));
    }
    for (std::size_t p = 0; p < odd_t::parameter_count; ++p) {
        BOOST_TEST(std::bit_cast<std::uint32_t>(at_compile_time.net.parameters()[p]) ==
                       std::bit_cast<std::uint32_t>(at_run_time.net.parameters()[p]),
                   "parameter " << p);
    }
}
