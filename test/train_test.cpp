// ctnn::fit: shuffling, batching, stopping rules, determinism and callbacks.

#define BOOST_TEST_MODULE train
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace {

using xor_net = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;
constexpr std::array<std::array<float, 2>, 4> xor_inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<std::array<float, 1>, 4> xor_targets{{{0}, {1}, {1}, {0}}};

// A linear probe: y = w · x with one-hot inputs e_s, target 0 and w = 1, so
// with mse the gradient of sample s is e_s. An optimizer that records the
// gradients it is given therefore sees exactly which samples each batch held.
constexpr std::size_t probe_size = 10;
using probe_net = ctnn::network<double, ctnn::input<probe_size>, ctnn::dense<1>>;

struct recording_optimizer {
    std::vector<std::vector<std::size_t>> batches; // sample indices per step

    void step(probe_net&, probe_net::gradient_type const& grad)
    {
        std::vector<std::size_t> members;
        auto const w = grad.layer<0>().weights;
        for (std::size_t s = 0; s < probe_size; ++s) {
            if (w[s] != 0.0) {
                members.push_back(s);
            }
        }
        batches.push_back(members);
    }
};

struct probe_data {
    std::array<std::array<double, probe_size>, probe_size> xs{};
    std::array<std::array<double, 1>, probe_size> ts{};
    probe_data()
    {
        for (std::size_t s = 0; s < probe_size; ++s) {
            xs[s][s] = 1.0;
        }
    }
};

probe_net unit_probe()
{
    probe_net net{};
    for (auto& w : net.layer<0>().weights) {
        w = 1.0;
    }
    return net;
}

} // namespace

BOOST_AUTO_TEST_CASE(shuffled_index_is_a_permutation)
{
    for (std::size_t n : {1U, 2U, 3U, 7U, 10U, 64U, 100U, 1000U, 4097U}) {
        for (std::uint64_t key : {0ULL, 1ULL, 0xdeadbeefULL}) {
            ctnn::detail::shuffled_index const order(n, key);
            std::vector<bool> seen(n, false);
            for (std::size_t i = 0; i < n; ++i) {
                std::size_t const j = order(i);
                BOOST_REQUIRE(j < n);
                BOOST_TEST(!seen[j], "n " << n << " key " << key << ": " << j << " twice");
                seen[j] = true;
            }
        }
    }
    // Different keys give different orders; the same key the same order.
    ctnn::detail::shuffled_index const a(100, 1), b(100, 2), c(100, 1);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < 100; ++i) {
        differ += a(i) != b(i) ? 1U : 0U;
        BOOST_TEST(a(i) == c(i));
    }
    BOOST_TEST(differ > 50U);
}

BOOST_AUTO_TEST_CASE(batches_cover_each_sample_once_per_epoch)
{
    probe_data const data;
    probe_net net = unit_probe();
    recording_optimizer opt;
    auto const result = ctnn::fit(net, data.xs, data.ts, ctnn::loss::mse{}, opt,
                                  {.epochs = 3, .batch_size = 3, .seed = 5});
    BOOST_TEST(result.epochs == 3U);
    BOOST_REQUIRE(opt.batches.size() == 3U * 4U); // 10 samples in batches of 3, 3, 3, 1
    for (std::size_t epoch = 0; epoch < 3; ++epoch) {
        std::vector<std::size_t> all;
        for (std::size_t b = 0; b < 4; ++b) {
            auto const& batch = opt.batches[epoch * 4 + b];
            BOOST_TEST(batch.size() == (b < 3 ? 3U : 1U));
            all.insert(all.end(), batch.begin(), batch.end());
        }
        std::sort(all.begin(), all.end());
        for (std::size_t s = 0; s < probe_size; ++s) {
            BOOST_TEST(all[s] == s);
        }
    }
    // Shuffled: the first epoch's first batch is not simply 0, 1, 2, and the
    // epochs differ in order.
    BOOST_TEST((opt.batches[0] != std::vector<std::size_t>{0, 1, 2} || opt.batches[4] != opt.batches[0]));
}

BOOST_AUTO_TEST_CASE(without_shuffling_batches_are_in_order)
{
    probe_data const data;
    probe_net net = unit_probe();
    recording_optimizer opt;
    static_cast<void>(ctnn::fit(net, data.xs, data.ts, ctnn::loss::mse{}, opt,
                                {.epochs = 1, .batch_size = 4, .shuffle = false}));
    BOOST_REQUIRE(opt.batches.size() == 3U);
    BOOST_TEST((opt.batches[0] == std::vector<std::size_t>{0, 1, 2, 3}));
    BOOST_TEST((opt.batches[2] == std::vector<std::size_t>{8, 9}));
}

BOOST_AUTO_TEST_CASE(stops_at_the_target_loss)
{
    xor_net net{};
    ctnn::init::xavier_uniform(net, 7u);
    ctnn::optim::sgd opt{.learning_rate = 0.5};
    std::vector<float> losses;
    auto const result = ctnn::fit(net, xor_inputs, xor_targets, ctnn::loss::mse{}, opt,
                                  {.epochs = 100000, .batch_size = 4, .target_loss = 0.05},
                                  [&](ctnn::epoch_report<float> const& r) { losses.push_back(r.loss); });
    BOOST_TEST((result.reason == ctnn::stop_reason::target_loss_reached));
    BOOST_TEST(result.loss <= 0.05f);
    BOOST_TEST(losses.size() == result.epochs);
    BOOST_TEST(losses.back() <= 0.05f);
    BOOST_TEST(losses[losses.size() - 2] > 0.05f); // and not one epoch later
}

BOOST_AUTO_TEST_CASE(stops_when_validation_stops_improving)
{
    // Training pulls the outputs towards the XOR targets; the validation set
    // asks for the opposite, so its loss gets worse from the first epoch on.
    xor_net net{};
    ctnn::init::xavier_uniform(net, 7u);
    std::array<std::array<float, 1>, 4> const opposite{{{1}, {0}, {0}, {1}}};
    ctnn::optim::sgd opt{.learning_rate = 1.0};
    xor_net after_first_epoch{};
    std::vector<float> validation;
    auto const result = ctnn::fit(
        net, xor_inputs, xor_targets, ctnn::validation_set{std::span(xor_inputs), std::span(opposite)},
        ctnn::loss::mse{}, opt, {.epochs = 20000, .batch_size = 4, .patience = 5},
        [&](ctnn::epoch_report<float> const& r) {
            validation.push_back(r.validation_loss);
            if (r.epoch == 1) {
                after_first_epoch = net;
            }
        });
    BOOST_TEST((result.reason == ctnn::stop_reason::patience_exhausted));
    BOOST_REQUIRE(validation.size() >= 6U);
    std::size_t const best = static_cast<std::size_t>(std::min_element(validation.begin(), validation.end()) -
                                                      validation.begin());
    BOOST_TEST(result.epochs == best + 1 + 5); // five epochs without improvement after the best
    BOOST_TEST(result.validation_loss == validation[best]);
    if (best == 0) {
        BOOST_TEST((net == after_first_epoch)); // restore_best put back the best epoch's parameters
    }
}

BOOST_AUTO_TEST_CASE(callback_can_stop_training)
{
    xor_net net{};
    ctnn::optim::sgd opt{.learning_rate = 0.1};
    auto const result = ctnn::fit(net, xor_inputs, xor_targets, ctnn::loss::mse{}, opt, {.epochs = 100},
                                  [](ctnn::epoch_report<float> const& r) { return r.epoch < 3; });
    BOOST_TEST((result.reason == ctnn::stop_reason::callback));
    BOOST_TEST(result.epochs == 3U);
}

BOOST_AUTO_TEST_CASE(batch_callback_sees_every_batch)
{
    probe_data const data;
    probe_net net = unit_probe();
    ctnn::optim::sgd opt{.learning_rate = 0.0};
    struct counter {
        std::size_t batches = 0;
        std::size_t epochs = 0;
        void operator()(ctnn::batch_report const& b)
        {
            ++batches;
            BOOST_TEST(b.batches == 5U);
        }
        void operator()(ctnn::epoch_report<double> const&) { ++epochs; }
    } count;
    static_cast<void>(ctnn::fit(net, data.xs, data.ts, ctnn::loss::mse{}, opt, {.epochs = 2, .batch_size = 2},
                                count));
    BOOST_TEST(count.batches == 10U);
    BOOST_TEST(count.epochs == 2U);
}

BOOST_AUTO_TEST_CASE(training_is_bit_identical_run_to_run)
{
    auto train = [](std::uint64_t seed) {
        xor_net net{};
        ctnn::init::xavier_uniform(net, 3u);
        ctnn::optim::adam<xor_net> opt{.learning_rate = 0.05f};
        static_cast<void>(ctnn::fit(net, xor_inputs, xor_targets, ctnn::loss::mse{}, opt,
                                    {.epochs = 200, .batch_size = 2, .seed = seed}));
        return net;
    };
    BOOST_TEST((train(9) == train(9)));
    BOOST_TEST(!(train(9) == train(10))); // the seed drives the batch order
}

BOOST_AUTO_TEST_CASE(report_metrics_match_an_independent_evaluation)
{
    // With learning rate 0 the parameters never change, so the training
    // metrics of an epoch equal metrics::evaluate on the same data.
    xor_net net{};
    ctnn::init::xavier_uniform(net, 4u);
    ctnn::optim::sgd opt{.learning_rate = 0.0};
    ctnn::epoch_report<float> last{};
    static_cast<void>(ctnn::fit(net, xor_inputs, xor_targets, ctnn::loss::mse{}, opt, {.epochs = 1, .batch_size = 3},
                                [&](ctnn::epoch_report<float> const& r) { last = r; }));
    auto const direct = ctnn::metrics::evaluate(net, std::span(xor_inputs), std::span(xor_targets), ctnn::loss::mse{});
    BOOST_TEST(std::abs(last.loss - direct.mean_loss()) <= 1e-6f);
    BOOST_TEST(last.accuracy == direct.accuracy());
    BOOST_TEST(std::abs(last.mean_absolute_error - direct.mean_absolute_error()) <= 1e-6f);
    BOOST_TEST(std::isnan(last.validation_loss));
}

// ---------------------------------------------------------------- bad input

namespace {

// Adam with a state that the tests compare, on a network with non-zero
// parameters.
struct untouched_check {
    xor_net net{};
    ctnn::optim::adam<xor_net> opt{.learning_rate = 0.1f};
    xor_net const net_before;
    ctnn::optim::adam<xor_net> const opt_before;
    std::size_t callbacks = 0;

    untouched_check() : net_before(initial()), opt_before(primed(initial())) { net = net_before, opt = opt_before; }

    static xor_net initial()
    {
        xor_net n{};
        ctnn::init::xavier_uniform(n, 11u);
        return n;
    }
    // An optimizer that has taken one step already, so its state is not zero.
    static ctnn::optim::adam<xor_net> primed(xor_net n)
    {
        ctnn::optim::adam<xor_net> o{.learning_rate = 0.1f};
        auto const [loss, grad] = ctnn::gradient(n, {0.f, 1.f}, {1.f}, ctnn::loss::mse{});
        static_cast<void>(loss);
        o.step(n, grad);
        return o;
    }
    auto callback()
    {
        return [this](ctnn::epoch_report<float> const&) { ++callbacks; };
    }
    bool untouched() const
    {
        return net == net_before && opt.first_moment == opt_before.first_moment &&
               opt.second_moment == opt_before.second_moment && opt.beta1_power == opt_before.beta1_power && callbacks == 0;
    }
};

void check_refused(ctnn::fit_result<float> const& r)
{
    BOOST_TEST((r.reason == ctnn::stop_reason::invalid_input));
    BOOST_TEST(r.epochs == 0U);
    BOOST_TEST(std::isnan(r.loss));
    BOOST_TEST(std::isnan(r.validation_loss));
}

} // namespace

BOOST_AUTO_TEST_CASE(samples_and_targets_of_different_lengths_are_refused)
{
    // 320 samples with 10 targets, and the other way round.
    std::vector<std::array<float, 2>> const xs(320, std::array{0.5f, 0.5f});
    std::vector<std::array<float, 1>> const ts(10, std::array{1.0f});
    untouched_check c;
    check_refused(ctnn::fit(c.net, xs, ts, ctnn::loss::mse{}, c.opt, {.epochs = 3}, c.callback()));
    check_refused(ctnn::fit(c.net, std::span(xs).first(10), std::vector<std::array<float, 1>>(320, {1.0f}),
                            ctnn::loss::mse{}, c.opt, {.epochs = 3}, c.callback()));
    BOOST_TEST(c.untouched());
}

BOOST_AUTO_TEST_CASE(an_empty_training_set_is_refused)
{
    std::vector<std::array<float, 2>> const xs;
    std::vector<std::array<float, 1>> const ts;
    untouched_check c;
    check_refused(ctnn::fit(c.net, xs, ts, ctnn::loss::mse{}, c.opt, {.epochs = 3}, c.callback()));
    BOOST_TEST(c.untouched());
}

BOOST_AUTO_TEST_CASE(unusable_validation_sets_are_refused)
{
    untouched_check c;
    std::span<std::array<float, 2> const> const vx(xor_inputs);
    std::span<std::array<float, 1> const> const vt(xor_targets);
    // Samples and targets of different lengths, with or without patience.
    for (std::size_t patience : {0U, 2U}) {
        check_refused(ctnn::fit(c.net, xor_inputs, xor_targets, ctnn::validation_set{vx, vt.first(3)},
                                ctnn::loss::mse{}, c.opt, {.epochs = 3, .patience = patience}, c.callback()));
    }
    // Empty while early stopping needs it.
    check_refused(ctnn::fit(c.net, xor_inputs, xor_targets, ctnn::validation_set{vx.first(0), vt.first(0)},
                            ctnn::loss::mse{}, c.opt, {.epochs = 3, .patience = 2}, c.callback()));
    // Early stopping without a validation set.
    check_refused(ctnn::fit(c.net, xor_inputs, xor_targets, ctnn::loss::mse{}, c.opt, {.epochs = 3, .patience = 2},
                            c.callback()));
    BOOST_TEST(c.untouched());
}

BOOST_AUTO_TEST_CASE(an_empty_validation_set_without_patience_reports_nan)
{
    xor_net net{};
    ctnn::init::xavier_uniform(net, 7u);
    ctnn::optim::sgd opt{.learning_rate = 0.1};
    std::span<std::array<float, 2> const> const vx(xor_inputs);
    std::span<std::array<float, 1> const> const vt(xor_targets);
    std::vector<float> reported;
    auto const r = ctnn::fit(net, xor_inputs, xor_targets, ctnn::validation_set{vx.first(0), vt.first(0)},
                             ctnn::loss::mse{}, opt, {.epochs = 2},
                             [&](ctnn::epoch_report<float> const& e) { reported.push_back(e.validation_loss); });
    BOOST_TEST((r.reason == ctnn::stop_reason::epochs_done));
    BOOST_TEST(r.epochs == 2U);
    BOOST_REQUIRE(reported.size() == 2U);
    BOOST_TEST(std::isnan(reported[0])); // not 0, a perfect score
    BOOST_TEST(std::isnan(r.validation_loss));
}

BOOST_AUTO_TEST_CASE(zero_epochs_return_at_once_with_a_nan_loss)
{
    untouched_check c;
    auto const r = ctnn::fit(c.net, xor_inputs, xor_targets, ctnn::loss::mse{}, c.opt, {.epochs = 0}, c.callback());
    BOOST_TEST((r.reason == ctnn::stop_reason::epochs_done));
    BOOST_TEST(r.epochs == 0U);
    BOOST_TEST(std::isnan(r.loss)); // not 0, a perfect fit
    BOOST_TEST(c.untouched());
}

BOOST_AUTO_TEST_CASE(a_nan_in_the_data_stops_before_its_batch_updates_anything)
{
    // Batches of 2 in order; sample 5 (the third batch) holds a NaN. The
    // network and Adam's state must be those after the second batch.
    std::vector<std::array<float, 2>> xs(8, std::array{0.25f, 0.75f});
    std::vector<std::array<float, 1>> const ts(8, std::array{1.0f});
    xs[5][1] = std::numeric_limits<float>::quiet_NaN();
    xor_net net{};
    ctnn::init::xavier_uniform(net, 3u);
    ctnn::optim::adam<xor_net> opt{.learning_rate = 0.05f};
    std::vector<xor_net> nets;
    std::vector<ctnn::optim::adam<xor_net>> opts;
    struct recorder {
        xor_net const& net;
        ctnn::optim::adam<xor_net> const& opt;
        std::vector<xor_net>& nets;
        std::vector<ctnn::optim::adam<xor_net>>& opts;
        void operator()(ctnn::batch_report const&)
        {
            nets.push_back(net);
            opts.push_back(opt);
        }
        void operator()(ctnn::epoch_report<float> const&) { BOOST_FAIL("the cut-short epoch has no report"); }
    } record{net, opt, nets, opts};
    auto const r = ctnn::fit(net, xs, ts, ctnn::loss::mse{}, opt, {.epochs = 5, .batch_size = 2, .shuffle = false},
                             record);
    BOOST_TEST((r.reason == ctnn::stop_reason::diverged));
    BOOST_TEST(r.epochs == 1U);
    BOOST_TEST(std::isnan(r.loss));
    BOOST_REQUIRE(nets.size() == 2U); // two batches stepped, the third refused
    BOOST_TEST(ctnn::all_finite(net));
    BOOST_TEST((net == nets[1]));
    BOOST_TEST(opt.beta1_power == opts[1].beta1_power); // β₁², two steps
    BOOST_TEST(opt.first_moment == opts[1].first_moment);
    BOOST_TEST(opt.second_moment == opts[1].second_moment);
}

BOOST_AUTO_TEST_CASE(a_step_that_overflows_a_parameter_is_undone)
{
    // y = w x + b from w = b = 0 on (x = 1, t = 10): the loss (½ · 10² = 50)
    // and the gradient (−10, −10) are finite, but a learning rate of 1e38
    // takes both parameters to 1e39, past float's largest value. The step is
    // undone, and so is the momentum buffer it set to the gradient.
    using line = ctnn::network<float, ctnn::input<1>, ctnn::dense<1>>;
    std::array<std::array<float, 1>, 1> const xs{{{1.0f}}};
    std::array<std::array<float, 1>, 1> const ts{{{10.0f}}};
    line net{};
    ctnn::optim::sgd_momentum<line> opt{.learning_rate = 1e38f};
    auto const r = ctnn::fit(net, xs, ts, ctnn::loss::mse{}, opt, {.epochs = 3});
    BOOST_TEST((r.reason == ctnn::stop_reason::diverged));
    BOOST_TEST(r.epochs == 1U);
    BOOST_TEST(r.loss == 50.0f); // the batch was finite: its update was not
    BOOST_TEST((net == line{}));
    BOOST_TEST(opt.velocity == (std::array<float, 2>{}));
}

BOOST_AUTO_TEST_CASE(a_diverging_learning_rate_stops_with_a_finite_network)
{
    // Adam at 1e10 on a regression: the loss explodes within a few epochs.
    using regression_net = ctnn::network<float, ctnn::input<1>, ctnn::dense<8, ctnn::relu>, ctnn::dense<1>>;
    std::vector<std::array<float, 1>> xs;
    std::vector<std::array<float, 1>> ts;
    for (int i = 0; i < 32; ++i) {
        xs.push_back({static_cast<float>(i) / 8.0f});
        ts.push_back({3.0f * static_cast<float>(i) / 8.0f - 1.0f});
    }
    regression_net net{};
    ctnn::init::he_uniform(net, 2u);
    ctnn::optim::adam<regression_net> opt{.learning_rate = 1e10f};
    std::size_t epochs_reported = 0;
    auto const r = ctnn::fit(net, xs, ts, ctnn::loss::mse{}, opt, {.epochs = 10000, .batch_size = 8},
                             [&](ctnn::epoch_report<float> const&) { ++epochs_reported; });
    BOOST_TEST((r.reason == ctnn::stop_reason::diverged));
    BOOST_TEST(r.epochs < 10000U);
    BOOST_TEST(epochs_reported == r.epochs - 1);
    BOOST_TEST(ctnn::all_finite(net));
    BOOST_TEST(ctnn::all_finite(opt.first_moment));
    BOOST_TEST(ctnn::all_finite(opt.second_moment));
}

BOOST_AUTO_TEST_CASE(early_stopping_never_restores_a_best_that_was_never_saved)
{
    // One NaN in the validation targets: the validation loss is never
    // finite, so no epoch is ever the best. Training stops after `patience`
    // epochs and keeps the trained network (it used to become all zeros).
    xor_net net{};
    ctnn::init::xavier_uniform(net, 7u);
    std::array<std::array<float, 1>, 4> bad_targets = xor_targets;
    bad_targets[2][0] = std::numeric_limits<float>::quiet_NaN();
    ctnn::optim::sgd opt{.learning_rate = 0.5};
    xor_net last{};
    auto const r = ctnn::fit(net, xor_inputs, xor_targets,
                             ctnn::validation_set{std::span(xor_inputs), std::span(std::as_const(bad_targets))},
                             ctnn::loss::mse{}, opt, {.epochs = 100, .batch_size = 4, .patience = 3},
                             [&](ctnn::epoch_report<float> const& e) {
                                 BOOST_TEST(std::isnan(e.validation_loss));
                                 last = net;
                             });
    BOOST_TEST((r.reason == ctnn::stop_reason::patience_exhausted));
    BOOST_TEST(r.epochs == 3U);
    BOOST_TEST(std::isnan(r.validation_loss));
    BOOST_TEST((net == last));
    BOOST_TEST(!(net == xor_net{}));
}
