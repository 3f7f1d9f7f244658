// ctnn::predict (inference of a batch, samples side by side) against
// net(x) sample by sample: the same results bit for bit, for every block size,
// short last blocks, softmax, dropout (inference mode) and both scalar types;
// at run time (the vector kernels) and in constant evaluation (the scalar
// definition). Built with -ffp-contract=off (as reproducibility_test): the
// equality is claimed under one contraction setting for both paths.

#define BOOST_TEST_MODULE predict
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/predict.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <ratio>
#include <span>
#include <vector>

namespace {

using net_a = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;
using net_b = ctnn::network<float, ctnn::input<8>, ctnn::dense<32, ctnn::tanh>, ctnn::dense<32, ctnn::tanh>,
                            ctnn::dense<4>>;
using net_c = ctnn::network<float, ctnn::input<64>, ctnn::dense<32, ctnn::relu>, ctnn::dense<10>>;
using net_d = ctnn::network<float, ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<10>>;
using net_e = ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>, ctnn::dense<16, ctnn::relu>,
                            ctnn::dense<1>>;
// Widths that are not multiples of the lane count (tails), softmax, dropout,
// double, and every other activation.
using net_f = ctnn::network<double, ctnn::input<13>, ctnn::dense<7, ctnn::gelu>, ctnn::dropout<std::ratio<1, 2>>,
                            ctnn::dense<5, ctnn::swish>, ctnn::dense<3, ctnn::softmax>>;
using net_g = ctnn::network<float, ctnn::input<70>, ctnn::dense<33, ctnn::elu>, ctnn::dense<9, ctnn::softplus>,
                            ctnn::dense<6, ctnn::leaky_relu>, ctnn::dense<2, ctnn::softmax>>;

template <class Net>
struct fixture {
    using T = typename Net::value_type;
    std::unique_ptr<Net> net = std::make_unique<Net>(); // D is 400 KB: not on the stack
    std::vector<typename Net::input_type> xs;

    fixture(std::size_t n, unsigned seed) : xs(n)
    {
        ctnn::init::xavier_uniform(*net, seed, T(0.1));
        ctnn::pcg32 rng(seed + 100);
        for (auto& x : xs) {
            for (auto& v : x) {
                v = 2 * rng.uniform01<T>() - 1;
            }
        }
    }
};

template <std::size_t Block, class Net>
void check(std::size_t n, unsigned seed)
{
    fixture<Net> f(n, seed);
    // One more output than inputs: predict writes min(xs, ys) results and
    // leaves the rest alone.
    std::vector<typename Net::output_type> ys(n + 1);
    typename Net::output_type sentinel{};
    sentinel.fill(typename Net::value_type(-7));
    ys.back() = sentinel;
    ctnn::predict<Block>(*f.net, std::span<typename Net::input_type const>(f.xs), std::span(ys));
    for (std::size_t s = 0; s < n; ++s) {
        BOOST_TEST_CONTEXT("block " << Block << ", sample " << s << " of " << n)
        {
            BOOST_TEST(((*f.net)(f.xs[s]) == ys[s]));
        }
    }
    BOOST_TEST((ys.back() == sentinel));
}

template <class Net>
void check_sizes(unsigned seed)
{
    for (std::size_t const n : {0UL, 1UL, 15UL, 16UL, 17UL, 61UL, 64UL}) {
        check<0, Net>(n, seed);
    }
    check<1, Net>(5, seed);
    check<3, Net>(10, seed);
    check<32, Net>(40, seed);
}

// The scalar definition, in constant evaluation, against net(x) there.
constexpr bool predict_matches_inference_at_compile_time()
{
    using net_t = ctnn::network<double, ctnn::input<5>, ctnn::dense<6, ctnn::tanh>, ctnn::dropout<std::ratio<1, 3>>,
                                ctnn::dense<3, ctnn::softmax>>;
    net_t net{};
    ctnn::init::xavier_uniform(net, 4u, 0.1);
    std::array<std::array<double, 5>, 11> xs{};
    ctnn::pcg32 rng(9u);
    for (auto& x : xs) {
        for (auto& v : x) {
            v = 2 * rng.uniform01<double>() - 1;
        }
    }
    std::array<std::array<double, 3>, 11> ys{};
    ctnn::predict<4>(net, std::span<std::array<double, 5> const>(xs), std::span(ys));
    for (std::size_t s = 0; s < xs.size(); ++s) {
        if (net(xs[s]) != ys[s]) {
            return false;
        }
    }
    return true;
}
static_assert(predict_matches_inference_at_compile_time());

} // namespace

BOOST_AUTO_TEST_CASE(benchmark_networks)
{
    check_sizes<net_a>(1);
    check_sizes<net_b>(2);
    check_sizes<net_c>(3);
    check_sizes<net_e>(5);
    check<0, net_d>(40, 4);
}

BOOST_AUTO_TEST_CASE(tails_softmax_dropout_and_double)
{
    check_sizes<net_f>(6);
    check_sizes<net_g>(7);
}

BOOST_AUTO_TEST_CASE(non_finite_inputs_stay_in_their_sample)
{
    // A NaN or an infinity in one sample reaches that sample's outputs only,
    // as in net(x): the samples share the block, not their arithmetic.
    fixture<net_c> f(20, 8);
    f.xs[3][5] = std::numeric_limits<float>::quiet_NaN();
    f.xs[17][0] = std::numeric_limits<float>::infinity();
    std::vector<net_c::output_type> ys(20);
    ctnn::predict(*f.net, std::span<net_c::input_type const>(f.xs), std::span(ys));
    for (std::size_t s = 0; s < 20; ++s) {
        auto const expected = (*f.net)(f.xs[s]);
        for (std::size_t o = 0; o < 10; ++o) {
            bool const same = expected[o] == ys[s][o] || (std::isnan(expected[o]) && std::isnan(ys[s][o]));
            BOOST_TEST(same, "sample " << s << " output " << o);
        }
        if (s != 3 && s != 17) {
            BOOST_TEST(ctnn::all_finite(ys[s]));
        }
    }
}

BOOST_AUTO_TEST_CASE(row_tiles_with_tails)
{
    // Blocks of inputs of 8 KB or more are computed several rows at a time,
    // two lanes of partial sums per pass: rows left over after the tiles
    // (13 = 8 + 5 with AVX-512, 3 · 4 + 1 with 16 vector registers), a tail
    // of inputs that fills the last pass (130 = 8 · 16 + 2) or leaves it
    // half used (135 = 8 · 16 + 7), and double (8 lanes).
    check_sizes<ctnn::network<float, ctnn::input<135>, ctnn::dense<13, ctnn::relu>, ctnn::dense<3>>>(11);
    check_sizes<ctnn::network<float, ctnn::input<130>, ctnn::dense<17, ctnn::tanh>, ctnn::dense<2>>>(12);
    check_sizes<ctnn::network<double, ctnn::input<203>, ctnn::dense<11, ctnn::sigmoid>, ctnn::dense<1>>>(13);
}
