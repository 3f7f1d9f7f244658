// The batch gradient (ctnn::gradient over spans, computed a block of samples
// at a time) against the definition: the samples accumulated one by one with
// accumulate_gradient, then averaged. Equal bit for bit, for every loss, with
// tails, softmax, dropout (inference mode) and both scalar types. Built with
// -ffp-contract=off and -O2, as predict_test.

#define BOOST_TEST_MODULE batch_gradient
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <ratio>
#include <span>
#include <vector>

namespace {

template <class Net, class Loss>
void check(std::size_t n, unsigned seed, Loss const& loss)
{
    using T = typename Net::value_type;
    using target = ctnn::target_t<Net, Loss>;
    auto net = std::make_unique<Net>();
    ctnn::init::xavier_uniform(*net, seed, T(0.1));
    ctnn::pcg32 rng(seed + 50);
    std::vector<typename Net::input_type> xs(n);
    std::vector<target> ts(n);
    for (std::size_t s = 0; s < n; ++s) {
        for (auto& v : xs[s]) {
            v = 2 * rng.uniform01<T>() - 1;
        }
        if constexpr (std::is_same_v<target, std::size_t>) {
            ts[s] = rng() % Net::outputs;
        } else {
            for (auto& v : ts[s]) {
                v = rng.uniform01<T>();
            }
            if constexpr (Loss::fuses_softmax) { // a probability vector
                T sum = 0;
                for (auto const v : ts[s]) {
                    sum += v;
                }
                for (auto& v : ts[s]) {
                    v /= sum;
                }
            }
        }
    }
    auto const batch = ctnn::gradient(*net, std::span<typename Net::input_type const>(xs),
                                      std::span<target const>(ts), loss);

    auto expected = std::make_unique<typename Net::gradient_type>();
    T total = 0;
    for (std::size_t s = 0; s < n; ++s) {
        total += ctnn::accumulate_gradient(*net, xs[s], ts[s], loss, *expected);
    }
    if (n > 0) {
        T const scale = T(1) / static_cast<T>(n);
        for (T& g : expected->parameters()) {
            g *= scale;
        }
        total *= scale;
    }
    BOOST_TEST_CONTEXT("batch of " << n)
    {
        BOOST_TEST(batch.loss == total);
        for (std::size_t p = 0; p < Net::parameter_count; ++p) {
            BOOST_TEST_REQUIRE(batch.grad.parameters()[p] == expected->parameters()[p], "parameter " << p);
        }
    }
}

template <class Net, class Loss>
void check_sizes(unsigned seed, Loss const& loss)
{
    for (std::size_t const n : {0UL, 1UL, 15UL, 16UL, 17UL, 33UL}) {
        check<Net>(n, seed, loss);
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(benchmark_networks_mse)
{
    check_sizes<ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>>(
        1, ctnn::loss::mse{});
    check_sizes<ctnn::network<float, ctnn::input<8>, ctnn::dense<32, ctnn::tanh>, ctnn::dense<32, ctnn::tanh>,
                              ctnn::dense<4>>>(2, ctnn::loss::mse{});
    check_sizes<ctnn::network<float, ctnn::input<64>, ctnn::dense<32, ctnn::relu>, ctnn::dense<10>>>(
        3, ctnn::loss::mse{});
    check<ctnn::network<float, ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<10>>>(
        40, 4, ctnn::loss::mse{});
    check_sizes<ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>, ctnn::dense<16, ctnn::relu>,
                              ctnn::dense<1>>>(5, ctnn::loss::mse{});
}

BOOST_AUTO_TEST_CASE(every_loss_tails_dropout_and_double)
{
    using soft = ctnn::network<double, ctnn::input<13>, ctnn::dense<7, ctnn::gelu>,
                               ctnn::dropout<std::ratio<1, 2>>, ctnn::dense<5, ctnn::softmax>>;
    check_sizes<soft>(6, ctnn::loss::cross_entropy{});
    check_sizes<soft>(7, ctnn::loss::sparse_cross_entropy{});
    using probs = ctnn::network<float, ctnn::input<70>, ctnn::dense<33, ctnn::elu>, ctnn::dense<9, ctnn::swish>,
                                ctnn::dense<3, ctnn::sigmoid>>;
    check_sizes<probs>(8, ctnn::loss::binary_cross_entropy{});
    check_sizes<probs>(9, ctnn::loss::mean_squared_error{});
    using first_dropout = ctnn::network<float, ctnn::input<6>, ctnn::dropout<std::ratio<1, 4>>,
                                        ctnn::dense<4, ctnn::softplus>, ctnn::dense<2, ctnn::leaky_relu>>;
    check_sizes<first_dropout>(10, ctnn::loss::mse{});
}

BOOST_AUTO_TEST_CASE(row_tiles_with_tails)
{
    // The forward pass's row tiles (see predict_test): leftover rows, a tail
    // of inputs that fills the last pass or leaves it half used, double.
    check_sizes<ctnn::network<float, ctnn::input<135>, ctnn::dense<13, ctnn::relu>, ctnn::dense<3>>>(
        14, ctnn::loss::mse{});
    check_sizes<ctnn::network<float, ctnn::input<130>, ctnn::dense<17, ctnn::tanh>, ctnn::dense<2>>>(
        15, ctnn::loss::mse{});
    check_sizes<ctnn::network<double, ctnn::input<203>, ctnn::dense<11, ctnn::sigmoid>, ctnn::dense<1>>>(
        16, ctnn::loss::mean_squared_error{});
}

BOOST_AUTO_TEST_CASE(sums_across_rows)
{
    // The bias sums (and, for a layer of one input, the weight sums) run a
    // block's worth of rows to a vector after transposing δ: whole tiles of
    // rows and rows left over (37 = 2 · 16 + 5, 19 = 2 · 8 + 3 for double),
    // short blocks (check_sizes), a layer of one input after the first.
    check_sizes<ctnn::network<float, ctnn::input<1>, ctnn::dense<37, ctnn::tanh>, ctnn::dense<1, ctnn::relu>,
                              ctnn::dense<20>>>(17, ctnn::loss::mse{});
    check_sizes<ctnn::network<double, ctnn::input<1>, ctnn::dense<19, ctnn::relu>, ctnn::dense<1>>>(
        18, ctnn::loss::mean_squared_error{});
}
