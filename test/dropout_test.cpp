// Dropout at run time: the statistics of the masks, the scaling of the kept
// units, inverted dropout's unbiasedness, the training-mode entry points
// (gradient, train_step, fit) and the generators they accept.

#define BOOST_TEST_MODULE dropout
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <random>
#include <ratio>

namespace {

constexpr std::size_t width = 64;
using quarter = ctnn::dropout<std::ratio<1, 4>>;
// Input dropout in front of a linear layer with unit weights: its output is
// the sum of the kept (scaled) inputs.
using sum_net = ctnn::network<double, ctnn::input<width>, quarter, ctnn::dense<1>>;

sum_net ones()
{
    sum_net net{};
    for (auto& w : net.layer<1>().weights) {
        w = 1.0;
    }
    return net;
}

template <class Net>
Net initialised(unsigned seed)
{
    Net net{};
    ctnn::init::xavier_uniform(net, seed);
    return net;
}

} // namespace

BOOST_AUTO_TEST_CASE(masks_drop_the_stated_fraction_and_scale_the_rest)
{
    // 64 units × 4000 passes with p = 1/4: the dropped fraction is binomial,
    // σ = √(p(1 − p)/n) ≈ 0.00085; it must land within 5σ of p.
    sum_net const net = ones();
    ctnn::pcg32 rng(2024u);
    std::array<double, width> x{};
    for (std::size_t i = 0; i < width; ++i) {
        x[i] = 0.1 + 0.01 * static_cast<double>(i);
    }
    std::size_t dropped = 0;
    std::size_t total = 0;
    sum_net::trace tr{};
    for (int pass = 0; pass < 4000; ++pass) {
        net.forward(x, tr, rng);
        auto const& mask = boost::hana::at_c<0>(tr.z);
        auto const& out = boost::hana::at_c<1>(tr.a);
        for (std::size_t i = 0; i < width; ++i) {
            if (mask[i] == 0.0) {
                ++dropped;
                BOOST_TEST_REQUIRE(out[i] == 0.0);
            } else {
                BOOST_TEST_REQUIRE(mask[i] == 4.0 / 3.0);
                BOOST_TEST_REQUIRE(out[i] == x[i] * (4.0 / 3.0));
            }
            ++total;
        }
    }
    double const fraction = static_cast<double>(dropped) / static_cast<double>(total);
    double const sigma = std::sqrt(0.25 * 0.75 / static_cast<double>(total));
    BOOST_TEST(std::abs(fraction - 0.25) < 5 * sigma, "dropped fraction " << fraction);
}

BOOST_AUTO_TEST_CASE(inverted_dropout_keeps_the_expected_output)
{
    // E[Σ m_i x_i] = Σ x_i with m_i ∈ {0, 4/3}, P(m_i = 0) = 1/4; the mean of
    // 20000 training passes must be within 5 standard errors of the
    // inference-mode output. Var(m_i x_i) = x_i² (16/9 · 3/4 − 1) = x_i²/3.
    sum_net const net = ones();
    std::array<double, width> x{};
    double variance = 0;
    for (std::size_t i = 0; i < width; ++i) {
        x[i] = std::sin(static_cast<double>(i));
        variance += x[i] * x[i] / 3;
    }
    double const expected = net(x)[0];
    double sum_of_x = 0;
    for (double const v : x) {
        sum_of_x += v;
    }
    BOOST_TEST(std::abs(expected - sum_of_x) < 1e-12);
    ctnn::pcg32 rng(7u);
    constexpr int passes = 20000;
    double mean = 0;
    sum_net::trace tr{};
    for (int pass = 0; pass < passes; ++pass) {
        net.forward(x, tr, rng);
        mean += tr.output()[0] / passes;
    }
    double const standard_error = std::sqrt(variance / passes);
    BOOST_TEST(std::abs(mean - expected) < 5 * standard_error, "mean " << mean << " vs " << expected);
}

BOOST_AUTO_TEST_CASE(each_training_pass_draws_a_new_mask_from_the_generator)
{
    sum_net const net = ones();
    std::array<double, width> x{};
    x.fill(1.0);
    ctnn::pcg32 rng(1u);
    ctnn::pcg32 replay(1u);
    sum_net::trace first{};
    sum_net::trace second{};
    net.forward(x, first, rng);
    net.forward(x, second, rng);
    BOOST_TEST((boost::hana::at_c<0>(first.z) != boost::hana::at_c<0>(second.z)));
    // One 32-bit draw per unit, in order: the first pass's mask from the
    // first 64 words of the same stream.
    auto const& mask = boost::hana::at_c<0>(first.z);
    for (std::size_t i = 0; i < width; ++i) {
        bool const drop = replay() < quarter::drop_threshold;
        BOOST_TEST(mask[i] == (drop ? 0.0 : 4.0 / 3.0));
    }
}

BOOST_AUTO_TEST_CASE(standard_generators_are_accepted)
{
    // std::mt19937's range is [0, 2³² − 1]; std::mt19937_64's is not.
    static_assert(ctnn::random_bits32<std::mt19937>);
    static_assert(ctnn::random_bits32<ctnn::pcg32>);
    static_assert(!ctnn::random_bits32<std::mt19937_64>);
    sum_net const net = ones();
    std::array<double, width> x{};
    x.fill(1.0);
    std::mt19937 rng(5u);
    sum_net::trace tr{};
    net.forward(x, tr, rng);
    double kept = 0;
    for (double const m : boost::hana::at_c<0>(tr.z)) {
        kept += m == 0.0 ? 0.0 : 1.0;
    }
    // (The output sums the kept units in the matvec's lane order: equal up to rounding.)
    BOOST_TEST(std::abs(tr.output()[0] - kept * (4.0 / 3.0)) < 1e-12);
    BOOST_TEST(kept > 0);
    BOOST_TEST(kept < width);
}

using hidden_dropout = ctnn::network<double, ctnn::input<5>, ctnn::dense<16, ctnn::relu>,
                                     ctnn::dropout<std::ratio<1, 2>>, ctnn::dense<3, ctnn::tanh>>;

BOOST_AUTO_TEST_CASE(train_step_with_a_generator_is_gradient_with_it_then_sgd)
{
    std::array const x{0.3, -0.7, 0.1, 0.9, -0.2};
    std::array const t{0.1, -0.8, 0.4};
    hidden_dropout fused = initialised<hidden_dropout>(3u);
    hidden_dropout plain = fused;
    ctnn::pcg32 a(9u);
    ctnn::pcg32 b(9u);
    for (int step = 0; step < 5; ++step) {
        auto const [loss, grad] = ctnn::gradient(plain, x, t, ctnn::loss::mse{}, a);
        for (std::size_t i = 0; i < hidden_dropout::parameter_count; ++i) {
            plain.parameters()[i] -= 0.05 * grad.parameters()[i];
        }
        double const fused_loss = ctnn::train_step(fused, x, t, ctnn::loss::mse{}, 0.05, b);
        // Equal at the first step; later the parameters differ in the last
        // bits (the fused update rounds rate·δ once per row).
        BOOST_TEST(std::abs(fused_loss - loss) <= (step == 0 ? 0.0 : 1e-13 * loss));
    }
    for (std::size_t i = 0; i < hidden_dropout::parameter_count; ++i) {
        BOOST_TEST(std::abs(fused.parameters()[i] - plain.parameters()[i]) <=
                   1e-14 * std::fmax(1.0, std::abs(plain.parameters()[i])));
    }
    // Both consumed the same draws: the generators are in the same state.
    BOOST_TEST(a() == b());
}

BOOST_AUTO_TEST_CASE(training_mode_differs_from_inference_mode_only_through_the_masks)
{
    std::array const x{0.3, -0.7, 0.1, 0.9, -0.2};
    std::array const t{0.1, -0.8, 0.4};
    auto const net = initialised<hidden_dropout>(4u);
    ctnn::pcg32 rng(3u);
    auto const trained = ctnn::gradient(net, x, t, ctnn::loss::mse{}, rng);
    auto const inferred = ctnn::gradient(net, x, t, ctnn::loss::mse{});
    BOOST_TEST(trained.loss != inferred.loss);
    // A generator whose words are all at the threshold keeps every unit: the
    // training pass is then the inference pass scaled by 1/(1 − p) = 2 in the
    // hidden layer, so undoing that by halving the next layer's weights gives
    // back the inference-mode loss exactly.
    struct keep_all {
        using result_type = std::uint32_t;
        static constexpr result_type min() { return 0; }
        static constexpr result_type max() { return 0xffffffffU; }
        result_type operator()() { return 0x80000000U; }
    } keep;
    hidden_dropout halved = net;
    for (auto& w : halved.layer<2>().weights) {
        w *= 0.5;
    }
    BOOST_TEST(ctnn::loss_value(halved, x, t, ctnn::loss::mse{}, keep) == inferred.loss);
}

namespace {

// y = 2 x₀ − x₁ + 0.5 on [−1, 1]², learned through a hidden layer with dropout.
using regression_net = ctnn::network<double, ctnn::input<2>, ctnn::dense<32, ctnn::relu>,
                                     ctnn::dropout<std::ratio<1, 5>>, ctnn::dense<1>>;
struct regression_data {
    std::array<std::array<double, 2>, 64> xs{};
    std::array<std::array<double, 1>, 64> ts{};
    regression_data()
    {
        ctnn::pcg32 rng(99u);
        for (std::size_t s = 0; s < xs.size(); ++s) {
            xs[s] = {2 * rng.uniform01<double>() - 1, 2 * rng.uniform01<double>() - 1};
            ts[s] = {2 * xs[s][0] - xs[s][1] + 0.5};
        }
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(fit_trains_with_masks_from_its_seed)
{
    regression_data const data;
    auto const start = initialised<regression_net>(5u);
    ctnn::fit_options const options{.epochs = 3, .batch_size = 8, .seed = 17, .shuffle = false};

    regression_net fitted = start;
    ctnn::optim::sgd opt{.learning_rate = 0.05};
    ctnn::fit(fitted, std::span(data.xs), std::span(data.ts), ctnn::loss::mse{}, opt, options);

    // The same training written out: masks from pcg32(seed, dropout_stream),
    // sample after sample, in order (no shuffling).
    regression_net manual = start;
    ctnn::pcg32 masks(options.seed, ctnn::detail::dropout_stream);
    for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) {
        for (std::size_t first = 0; first < data.xs.size(); first += options.batch_size) {
            regression_net::gradient_type grad{};
            regression_net::trace tr{};
            for (std::size_t s = first; s < first + options.batch_size; ++s) {
                ctnn::accumulate_gradient(manual, data.xs[s], data.ts[s], ctnn::loss::mse{}, grad, tr, masks);
            }
            for (std::size_t i = 0; i < regression_net::parameter_count; ++i) {
                manual.parameters()[i] -= 0.05 * (grad.parameters()[i] * (1.0 / 8.0));
            }
        }
    }
    BOOST_TEST((fitted == manual));
}

BOOST_AUTO_TEST_CASE(fit_with_dropout_learns_and_is_reproducible)
{
    regression_data const data;
    auto const start = initialised<regression_net>(6u);
    auto const mean_loss = [&](regression_net const& net) {
        double total = 0;
        for (std::size_t s = 0; s < data.xs.size(); ++s) {
            total += ctnn::loss_value(net, data.xs[s], data.ts[s], ctnn::loss::mse{});
        }
        return total / static_cast<double>(data.xs.size());
    };
    auto const train = [&](std::uint64_t seed) {
        regression_net net = start;
        ctnn::optim::adam<regression_net> opt{.learning_rate = 0.01};
        ctnn::fit(net, std::span(data.xs), std::span(data.ts), ctnn::loss::mse{}, opt,
                  {.epochs = 300, .batch_size = 16, .seed = seed});
        return net;
    };
    regression_net const a = train(1);
    // The inference-mode loss (½(y − t)²) falls by two orders of magnitude
    // (measured: from 1.21 to 0.0055).
    BOOST_TEST(mean_loss(start) > 0.5);
    BOOST_TEST(mean_loss(a) < 0.01, "loss after training " << mean_loss(a));
    BOOST_TEST((train(1) == a));
    BOOST_TEST((train(2) != a));
}
