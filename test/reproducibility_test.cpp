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
#include <cstddef>
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

// The vector kernels (blocks of 4, 8 and 16 rows, pairs of leftover rows,
// partial sums over the rows of the input gradient, leftover rows and inputs,
// long rows one at a time)
// against their definitions, through inference and train_step: shapes chosen
// to leave remainders everywhere.
namespace {

using odd_t = ctnn::network<float, ctnn::input<37>, ctnn::dense<21, ctnn::tanh>, ctnn::dense<18, ctnn::relu>,
                            ctnn::dense<5, ctnn::identity>>;
// Blocks of 16 and 8 rows where a row's lanes are 8 values (12 inputs: 8
// lanes and a tail of 4) and where they are 16 (29 inputs), then 4 rows, a
// pair and single ones: 29 rows = 16 + 8 + 4 + 1 with AVX-512, 8 + 8 + 8 + 4
// + 1 with AVX; 27 = 16 + 8 + 2 + 1; 12 = 8 + 4. Doubles: 13 = 8 + 4 + 1 rows
// of 8 lanes with AVX-512. (odd_t's 18 rows are 16 + 2.)
using blocks_t = ctnn::network<float, ctnn::input<12>, ctnn::dense<29, ctnn::tanh>, ctnn::dense<27, ctnn::relu>,
                               ctnn::dense<12, ctnn::identity>>;
using blocks_double_t =
    ctnn::network<double, ctnn::input<11>, ctnn::dense<13, ctnn::relu>, ctnn::dense<9, ctnn::identity>>;
// Rows of 1 KB or more take 256 bytes of lanes: 300 floats are 4 chunks of
// 64 and a tail of 44 (whole vectors and single values), 150 doubles 4
// chunks of 32 and a tail of 22.
using long_t = ctnn::network<float, ctnn::input<300>, ctnn::dense<7, ctnn::tanh>, ctnn::dense<3, ctnn::identity>>;
using long_double_t =
    ctnn::network<double, ctnn::input<150>, ctnn::dense<7, ctnn::relu>, ctnn::dense<3, ctnn::identity>>;
static_assert(ctnn::detail::dot_lanes<float, 300> == 64 && ctnn::detail::dot_lanes<float, 255> == 16);
static_assert(ctnn::detail::dot_lanes<double, 150> == 32 && ctnn::detail::dot_lanes<double, 127> == 8);

template <class Net>
constexpr typename Net::input_type odd_input(typename Net::value_type shift)
{
    using T = typename Net::value_type;
    typename Net::input_type x{};
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = T(i % 7) * T(0.25) - T(0.7) + shift;
    }
    return x;
}

template <class Net>
struct odd_result {
    Net net;
    typename Net::output_type before;
    typename Net::output_type after;
};

template <class Net>
constexpr odd_result<Net> odd_steps(std::uint64_t seed)
{
    using T = typename Net::value_type;
    odd_result<Net> r{};
    ctnn::init::xavier_uniform(r.net, seed);
    r.before = r.net(odd_input<Net>(0));
    typename Net::output_type t{};
    for (std::size_t o = 0; o < t.size(); ++o) {
        t[o] = T(0.5) - T(0.375) * T(o);
    }
    for (int step = 0; step < 3; ++step) {
        static_cast<void>(ctnn::train_step(r.net, odd_input<Net>(T(0.1) * T(step)), t, ctnn::loss::mse{}, T(0.05)));
    }
    r.after = r.net(odd_input<Net>(0));
    return r;
}

template <class T>
auto bits(T v)
{
    if constexpr (sizeof(T) == 4) {
        return std::bit_cast<std::uint32_t>(v);
    } else {
        return std::bit_cast<std::uint64_t>(v);
    }
}

template <class Net>
void check_agreement(odd_result<Net> const& at_compile_time)
{
    volatile std::uint64_t seed = 7;
    odd_result<Net> const at_run_time = odd_steps<Net>(seed);
    for (std::size_t o = 0; o < Net::outputs; ++o) {
        BOOST_TEST(bits(at_compile_time.before[o]) == bits(at_run_time.before[o]));
        BOOST_TEST(bits(at_compile_time.after[o]) == bits(at_run_time.after[o]));
    }
    for (std::size_t p = 0; p < Net::parameter_count; ++p) {
        BOOST_TEST(bits(at_compile_time.net.parameters()[p]) == bits(at_run_time.net.parameters()[p]),
                   "parameter " << p);
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(vector_kernels_agree_with_their_definitions_bit_for_bit)
{
    constexpr odd_result<odd_t> at_compile_time = odd_steps<odd_t>(7);
    check_agreement(at_compile_time);
    constexpr odd_result<blocks_t> blocks = odd_steps<blocks_t>(7);
    check_agreement(blocks);
    constexpr odd_result<blocks_double_t> blocks_double = odd_steps<blocks_double_t>(7);
    check_agreement(blocks_double);
}

BOOST_AUTO_TEST_CASE(long_rows_agree_with_their_definition_bit_for_bit)
{
    constexpr odd_result<long_t> floats = odd_steps<long_t>(7);
    check_agreement(floats);
    constexpr odd_result<long_double_t> doubles = odd_steps<long_double_t>(7);
    check_agreement(doubles);
}
