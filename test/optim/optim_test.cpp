// Hand-computed single steps of every optimizer, clipping and schedule values,
// and the check that the constant-evaluated optimizers (test/optim/optim_static.cpp)
// give the run-time numbers. The multi-step comparison with PyTorch is
// test/oracle/optim_oracle.cpp.

#define BOOST_TEST_MODULE optim
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/optim.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>

namespace {

/// θ = (w, b).
using tiny_t = ctnn::network<double, ctnn::input<1>, ctnn::dense<1, ctnn::identity>>;
using tiny_grad_t = tiny_t::gradient_type;

constexpr double theta_w = 0.75;
constexpr double theta_b = -1.25;
constexpr double grad_w = 0.3;
constexpr double grad_b = -2.0;

tiny_t tiny()
{
    tiny_t net{};
    net.parameters()[0] = theta_w;
    net.parameters()[1] = theta_b;
    return net;
}

tiny_grad_t tiny_grad(double gw = grad_w, double gb = grad_b)
{
    tiny_grad_t g{};
    g.parameters()[0] = gw;
    g.parameters()[1] = gb;
    return g;
}

double sign(double x) { return x < 0 ? -1.0 : 1.0; }

} // namespace

BOOST_AUTO_TEST_SUITE(hand_computed)

BOOST_AUTO_TEST_CASE(sgd_step)
{
    auto net = tiny();
    ctnn::optim::sgd{.learning_rate = 0.1}.step(net, tiny_grad());
    BOOST_TEST(net.parameters()[0] == theta_w - 0.1 * grad_w, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(net.parameters()[1] == theta_b - 0.1 * grad_b, boost::test_tools::tolerance(1e-15));

    auto decayed = tiny();
    ctnn::optim::sgd{.learning_rate = 0.1, .weight_decay = 0.01}.step(decayed, tiny_grad());
    BOOST_TEST(decayed.parameters()[0] == theta_w - 0.1 * (grad_w + 0.01 * theta_w),
               boost::test_tools::tolerance(1e-15));
    BOOST_TEST(decayed.parameters()[1] == theta_b - 0.1 * (grad_b + 0.01 * theta_b),
               boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(sgd_momentum_two_steps)
{
    // Constant g: b₁ = g, b₂ = μg + (1 − τ)g; θ₂ = θ₀ − η (b₁ + b₂).
    auto net = tiny();
    ctnn::optim::sgd_momentum<tiny_t> opt{.learning_rate = 0.1, .momentum = 0.9, .dampening = 0.25};
    opt.step(net, tiny_grad());
    BOOST_TEST(net.parameters()[0] == theta_w - 0.1 * grad_w, boost::test_tools::tolerance(1e-15));
    opt.step(net, tiny_grad());
    BOOST_TEST(net.parameters()[0] == theta_w - 0.1 * (1.0 + 0.9 + 0.75) * grad_w,
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(net.parameters()[1] == theta_b - 0.1 * (1.0 + 0.9 + 0.75) * grad_b,
               boost::test_tools::tolerance(1e-14));

    // Nesterov: θ₁ = θ₀ − η (g + μg), θ₂ = θ₁ − η (g + μ (μ + 1) g).
    auto nesterov = tiny();
    ctnn::optim::sgd_momentum<tiny_t> nag{.learning_rate = 0.1, .momentum = 0.9, .nesterov = true};
    nag.step(nesterov, tiny_grad());
    nag.step(nesterov, tiny_grad());
    BOOST_TEST(nesterov.parameters()[0] == theta_w - 0.1 * (1.9 + 2.71) * grad_w,
               boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(rmsprop_first_step)
{
    // v₁ = (1 − α) g², so θ₁ = θ₀ − η g / (√(1 − α) |g| + ε).
    auto net = tiny();
    ctnn::optim::rmsprop<tiny_t>{}.step(net, tiny_grad());
    BOOST_TEST(net.parameters()[0] == theta_w - 0.01 * grad_w / (std::sqrt(0.01) * std::abs(grad_w) + 1e-8),
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(net.parameters()[1] == theta_b - 0.01 * grad_b / (std::sqrt(0.01) * std::abs(grad_b) + 1e-8),
               boost::test_tools::tolerance(1e-14));
    // ≈ θ₀ − 0.1 sign(g)
    BOOST_TEST(net.parameters()[0] == theta_w - 0.1 * sign(grad_w), boost::test_tools::tolerance(1e-6));

    // centered: v₁ − ḡ₁² = (1 − α) g² − (1 − α)² g² = α (1 − α) g².
    auto centered = tiny();
    ctnn::optim::rmsprop<tiny_t>{.centered = true}.step(centered, tiny_grad());
    BOOST_TEST(centered.parameters()[0] ==
                   theta_w - 0.01 * grad_w / (std::sqrt(0.99 * 0.01) * std::abs(grad_w) + 1e-8),
               boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(adam_first_step)
{
    // m̂₁ = g and v̂₁ = g²: θ₁ = θ₀ − η g / (|g| + ε).
    auto net = tiny();
    ctnn::optim::adam<tiny_t> opt{.learning_rate = 1e-2};
    opt.step(net, tiny_grad());
    BOOST_TEST(net.parameters()[0] == theta_w - 1e-2 * grad_w / (std::abs(grad_w) + 1e-8),
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(net.parameters()[1] == theta_b - 1e-2 * grad_b / (std::abs(grad_b) + 1e-8),
               boost::test_tools::tolerance(1e-14));
    // With the same g again, m̂₂ = g and v̂₂ = g² still: the same step once more.
    opt.step(net, tiny_grad());
    BOOST_TEST(net.parameters()[0] == theta_w - 2e-2 * grad_w / (std::abs(grad_w) + 1e-8),
               boost::test_tools::tolerance(1e-14));

    // Coupled weight decay: g' = g + λθ₀ goes through the moments.
    auto decayed = tiny();
    ctnn::optim::adam<tiny_t>{.learning_rate = 1e-2, .weight_decay = 0.5}.step(decayed, tiny_grad());
    double const g_w = grad_w + 0.5 * theta_w;
    BOOST_TEST(decayed.parameters()[0] == theta_w - 1e-2 * g_w / (std::abs(g_w) + 1e-8),
               boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(adam_second_step)
{
    // g₁ = (0.3, −2), g₂ = (−0.1, 1): m₂ = β₁(1 − β₁)g₁ + (1 − β₁)g₂, v₂ likewise with β₂
    // and g².
    auto net = tiny();
    ctnn::optim::adam<tiny_t> opt{};
    opt.step(net, tiny_grad());
    opt.step(net, tiny_grad(-0.1, 1.0));
    for (std::size_t i = 0; i < 2; ++i) {
        double const g1 = tiny_grad().parameters()[i];
        double const g2 = tiny_grad(-0.1, 1.0).parameters()[i];
        double const theta0 = tiny().parameters()[i];
        double const theta1 = theta0 - 1e-3 * g1 / (std::abs(g1) + 1e-8);
        double const m2 = 0.9 * 0.1 * g1 + 0.1 * g2;
        double const v2 = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
        double const m_hat = m2 / (1 - 0.9 * 0.9);
        double const v_hat = v2 / (1 - 0.999 * 0.999);
        BOOST_TEST(net.parameters()[i] == theta1 - 1e-3 * m_hat / (std::sqrt(v_hat) + 1e-8),
                   boost::test_tools::tolerance(1e-13));
    }
}

BOOST_AUTO_TEST_CASE(adamw_first_step)
{
    // θ₁ = θ₀ (1 − ηλ) − η g / (|g| + ε), with PyTorch's default λ = 0.01.
    auto net = tiny();
    ctnn::optim::adamw<tiny_t>{.learning_rate = 1e-2}.step(net, tiny_grad());
    BOOST_TEST(net.parameters()[0] == theta_w * (1 - 1e-4) - 1e-2 * grad_w / (std::abs(grad_w) + 1e-8),
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(net.parameters()[1] == theta_b * (1 - 1e-4) - 1e-2 * grad_b / (std::abs(grad_b) + 1e-8),
               boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(clipping)
{
    auto by_value = tiny_grad(0.3, -2.0);
    ctnn::optim::clip_by_value(by_value, 0.5);
    BOOST_TEST(by_value.parameters()[0] == 0.3);
    BOOST_TEST(by_value.parameters()[1] == -0.5);

    auto small = tiny_grad(3.0, 4.0);
    BOOST_TEST(ctnn::optim::clip_by_global_norm(small, 5.5) == 5.0);
    BOOST_TEST(small.parameters()[0] == 3.0);
    BOOST_TEST(small.parameters()[1] == 4.0);

    auto large = tiny_grad(3.0, 4.0);
    BOOST_TEST(ctnn::optim::clip_by_global_norm(large, 1.0) == 5.0);
    BOOST_TEST(large.parameters()[0] == 0.6 * (5.0 / (5.0 + 1e-6)), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(large.parameters()[1] == 0.8 * (5.0 / (5.0 + 1e-6)), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(schedules)
{
    constexpr ctnn::optim::step_decay step{.initial = 0.1, .step_size = 10, .gamma = 0.1};
    BOOST_TEST(step(9) == 0.1);
    BOOST_TEST(step(10) == 0.01, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(step(25) == 0.001, boost::test_tools::tolerance(1e-15));

    constexpr ctnn::optim::exponential_decay exponential{.initial = 0.1, .gamma = 0.95};
    BOOST_TEST(exponential(7) == 0.1 * std::pow(0.95, 7), boost::test_tools::tolerance(1e-15));

    constexpr ctnn::optim::cosine_annealing cosine{.initial = 0.1, .minimum = 0.001, .period = 100};
    BOOST_TEST(cosine(0) == 0.1, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(cosine(25) == 0.001 + 0.099 * (1 + std::cos(std::numbers::pi / 4)) / 2,
               boost::test_tools::tolerance(1e-15));
    BOOST_TEST(cosine(50) == 0.0505, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(cosine(73) == 0.001 + 0.099 * (1 + std::cos(std::numbers::pi * 0.73)) / 2,
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(cosine(100) == 0.001);
    BOOST_TEST(cosine(250) == 0.001); // held after the period (PyTorch's CosineAnnealingLR rises again)
}

BOOST_AUTO_TEST_SUITE_END()

// --- first moments and velocities below the normal range are stored as zero -----------------

namespace {

/// 21 float parameters: on vector targets, whole vectors (of 4, 8 or 16 lanes) and a
/// remainder, so that both the vector loop and its tail are covered.
using wide_t = ctnn::network<float, ctnn::input<20>, ctnn::dense<1, ctnn::identity>>;

wide_t wide()
{
    wide_t net{};
    for (std::size_t i = 0; i < wide_t::parameter_count; ++i) {
        net.parameters()[i] = 0.5f - 0.03125f * static_cast<float>(i);
    }
    return net;
}

wide_t::gradient_type all_equal(float g)
{
    wide_t::gradient_type grad{};
    for (float& p : grad.parameters()) {
        p = g;
    }
    return grad;
}

constexpr float float_min_normal = std::numeric_limits<float>::min();

/// Steps `opt` with a zero gradient after one step with g = 1e-30: the state s decays by
/// `factor` per step from s₁. `unflushed` follows it in float arithmetic without the flush
/// (s ← factor·s, what the rule computes with g = 0). While that is comfortably normal, the
/// state holds it; one step after it becomes subnormal (for the float rounding of the
/// factor's powers), every element is exactly zero, where IEEE arithmetic keeps the
/// nonzero subnormal `unflushed` for some hundred steps more.
template <class Optimizer, class State>
void decays_to_zero(Optimizer opt, State Optimizer::*state, float s1, float factor)
{
    auto net = wide();
    opt.step(net, all_equal(1e-30f));
    float unflushed = s1;
    BOOST_TEST_REQUIRE(unflushed >= float_min_normal);
    int steps = 1;
    auto const zero = all_equal(0.0f);
    while (unflushed >= float_min_normal) {
        if (unflushed >= 2 * float_min_normal) {
            for (float const s : opt.*state) {
                BOOST_TEST(s == unflushed, boost::test_tools::tolerance(1e-5f));
            }
        }
        opt.step(net, zero);
        unflushed *= factor;
        ++steps;
    }
    opt.step(net, zero);
    unflushed *= factor;
    BOOST_TEST(unflushed != 0.0f); // subnormal: IEEE arithmetic still holds a value
    for (float const s : opt.*state) {
        BOOST_TEST(s == 0.0f);
    }
    BOOST_TEST(steps > 100); // the decay was followed through the normal range
    for (float const p : net.parameters()) {
        BOOST_TEST(std::isfinite(p));
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(subnormal_state)

BOOST_AUTO_TEST_CASE(decaying_first_moments_and_velocities_become_zero)
{
    // After a step with g = 1e-30: velocity g, first moments (1 − β₁) g and (1 − α) g.
    decays_to_zero(ctnn::optim::sgd_momentum<wide_t>{.momentum = 0.9f}, &ctnn::optim::sgd_momentum<wide_t>::velocity,
                   1e-30f, 0.9f);
    decays_to_zero(ctnn::optim::adam<wide_t>{}, &ctnn::optim::adam<wide_t>::first_moment, 0.1f * 1e-30f, 0.9f);
    decays_to_zero(ctnn::optim::adamw<wide_t>{.weight_decay = 0.0f}, &ctnn::optim::adamw<wide_t>::first_moment,
                   0.1f * 1e-30f, 0.9f);
    decays_to_zero(ctnn::optim::rmsprop<wide_t>{.alpha = 0.9f, .centered = true},
                   &ctnn::optim::rmsprop<wide_t>::gradient_average, 0.1f * 1e-30f, 0.9f);
}

BOOST_AUTO_TEST_CASE(rmsprop_velocity_becomes_zero)
{
    // One step with g = 1e-30 (g² underflows: v = 0): b₁ = g / ε = 1e-22, then b ← μb.
    decays_to_zero(ctnn::optim::rmsprop<wide_t>{.momentum = 0.9f}, &ctnn::optim::rmsprop<wide_t>::velocity,
                   1e-30f / 1e-8f, 0.9f);
}

BOOST_AUTO_TEST_CASE(second_moments_keep_subnormals)
{
    // g = 1e-18: (1 − β₂) g² = 1e-39 and (1 − α) g² = 1e-38 are subnormal, and stay: a
    // flushed second moment would leave Adam's normal first moment 1e-19 over ε alone.
    auto const g = all_equal(1e-18f);
    auto adam_net = wide();
    ctnn::optim::adam<wide_t> adam{};
    adam.step(adam_net, g);
    for (std::size_t i = 0; i < wide_t::parameter_count; ++i) {
        BOOST_TEST(adam.second_moment[i] == 1e-39, boost::test_tools::tolerance(1e-4));
        BOOST_TEST(adam.second_moment[i] != 0.0f);
        BOOST_TEST(adam.first_moment[i] == 1e-19f, boost::test_tools::tolerance(1e-6f));
    }
    ctnn::optim::rmsprop<wide_t> rmsprop{};
    auto rmsprop_net = wide();
    rmsprop.step(rmsprop_net, g);
    for (float const v : rmsprop.square_average) {
        BOOST_TEST(v == 1e-38, boost::test_tools::tolerance(1e-4));
        BOOST_TEST(v != 0.0f);
    }
}

BOOST_AUTO_TEST_CASE(centered_rmsprop_stays_finite_with_tiny_gradients)
{
    // Centered RMSProp's denominator is √(v − ḡ²). With ḡ flushed and v kept, it stays a
    // square root of a non-negative number (v ≥ ḡ² for these running averages); had v been
    // flushed to 0 while ḡ² was a nonzero subnormal, it would be NaN. A gradient of 1e-19
    // (v₁ = 1e-40 and ḡ₁² = 1e-42, both subnormal), and one of 1e-17 followed by 500 zeros
    // (v and ḡ decay through the subnormals at their own rates).
    for (float const g : {1e-19f, 1e-17f}) {
        auto net = wide();
        ctnn::optim::rmsprop<wide_t> opt{.centered = true};
        opt.step(net, all_equal(g));
        for (int k = 0; k < 500; ++k) {
            opt.step(net, all_equal(0.0f));
        }
        for (float const p : net.parameters()) {
            BOOST_TEST(std::isfinite(p));
        }
    }
}

BOOST_AUTO_TEST_CASE(flush_subnormal_keeps_normal_and_non_finite_values)
{
    using ctnn::optim::detail::flush_subnormal;
    constexpr float min = std::numeric_limits<float>::min();
    constexpr float inf = std::numeric_limits<float>::infinity();
    static_assert(flush_subnormal(min) == min && flush_subnormal(-min) == -min, "the smallest normal numbers are kept");
    static_assert(flush_subnormal(min / 2) == 0.0f && flush_subnormal(-min / 2) == 0.0f, "subnormals become zero");
    static_assert(flush_subnormal(std::numeric_limits<float>::denorm_min()) == 0.0f, "subnormals become zero");
    static_assert(flush_subnormal(inf) == inf && flush_subnormal(-inf) == -inf, "infinities are kept");
    static_assert(flush_subnormal(std::numeric_limits<double>::min() / 2) == 0.0, "double: subnormals become zero");
    static_assert(flush_subnormal(1e-300) == 1e-300, "double: normal values are kept");
    BOOST_TEST(std::isnan(flush_subnormal(std::numeric_limits<float>::quiet_NaN())));
    BOOST_TEST(std::isnan(flush_subnormal(std::numeric_limits<double>::quiet_NaN())));
}

BOOST_AUTO_TEST_SUITE_END()

// --- without weight decay, θ is left out of the gradient ---------------------------------------

namespace {

/// Three steps of `opt` with g = 0.25 from wide() with θ₃ = +inf: as in PyTorch, λθ is not
/// added to g where λ = 0, so θ₃ stays infinite and every other parameter finite (g + 0·θ₃
/// would be NaN, and so θ₃ and, through shared state, nothing else).
template <class Optimizer>
void infinite_parameter_stays_apart(Optimizer opt)
{
    auto net = wide();
    constexpr float inf = std::numeric_limits<float>::infinity();
    net.parameters()[3] = inf;
    for (int k = 0; k < 3; ++k) {
        opt.step(net, all_equal(0.25f));
    }
    for (std::size_t i = 0; i < wide_t::parameter_count; ++i) {
        BOOST_TEST((i == 3 ? net.parameters()[i] == inf : std::isfinite(net.parameters()[i])));
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(without_weight_decay_theta_is_left_out_of_the_gradient)
{
    infinite_parameter_stays_apart(ctnn::optim::sgd{.learning_rate = 0.125});
    infinite_parameter_stays_apart(ctnn::optim::sgd_momentum<wide_t>{.momentum = 0.5f});
    infinite_parameter_stays_apart(ctnn::optim::sgd_momentum<wide_t>{.momentum = 0.5f, .nesterov = true});
    infinite_parameter_stays_apart(ctnn::optim::rmsprop<wide_t>{.momentum = 0.5f, .centered = true});
    infinite_parameter_stays_apart(ctnn::optim::adam<wide_t>{});
    infinite_parameter_stays_apart(ctnn::optim::adamw<wide_t>{.weight_decay = 0.0f});

    // Momentum's velocity, by hand: g = 0.25, μ = 0.5 give b = 0.25, 0.375, 0.4375 for
    // every parameter, on the first step (momentum_rule) and after it (plain_momentum_rule).
    auto net = wide();
    net.parameters()[3] = std::numeric_limits<float>::infinity();
    ctnn::optim::sgd_momentum<wide_t> opt{.learning_rate = 0.125f, .momentum = 0.5f};
    for (float const expected : {0.25f, 0.375f, 0.4375f}) {
        opt.step(net, all_equal(0.25f));
        for (float const v : opt.velocity) {
            BOOST_TEST(v == expected);
        }
    }
}

// --- constant evaluation gives the run-time numbers -------------------------------------------

namespace {

using net_t = ctnn::network<double, ctnn::input<3>, ctnn::dense<4, ctnn::tanh>, ctnn::dense<2, ctnn::identity>>;

constexpr net_t start()
{
    net_t net{};
    for (std::size_t i = 0; i < net_t::parameter_count; ++i) {
        // Deterministic, irregular values in (−1, 1).
        net.parameters()[i] = static_cast<double>((i * 37 + 11) % 23) / 12.0 - 0.95;
    }
    return net;
}

constexpr std::array<double, 3> sample_x{0.5, -1.25, 2.0};
constexpr std::array<double, 2> sample_t{0.25, -0.75};

/// Five MSE-gradient steps of `opt` from start(), with the gradient clipped by norm.
template <class Optimizer>
constexpr net_t train(Optimizer opt)
{
    net_t net = start();
    for (int k = 0; k < 5; ++k) {
        auto [loss, grad] = ctnn::gradient(net, sample_x, sample_t, ctnn::loss::mse{});
        static_cast<void>(loss);
        static_cast<void>(ctnn::optim::clip_by_global_norm(grad, 1.0));
        opt.step(net, grad);
    }
    return net;
}

template <class Optimizer>
void same_at_compile_and_run_time(net_t const& compile_time, Optimizer const& opt)
{
    net_t const run_time = train(opt); // not a constant expression: opt is a function parameter
    BOOST_TEST(!(run_time == start()));
    for (std::size_t i = 0; i < net_t::parameter_count; ++i) {
        // Identical code: equal to the last bit unless the compiler contracts a*b+c into an FMA
        // in one of the two evaluations.
        BOOST_TEST(run_time.parameters()[i] == compile_time.parameters()[i], boost::test_tools::tolerance(1e-13));
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(constexpr_matches_run_time)
{
    constexpr ctnn::optim::sgd sgd{.learning_rate = 0.1, .weight_decay = 0.01};
    constexpr ctnn::optim::sgd_momentum<net_t> momentum{.learning_rate = 0.05, .nesterov = true};
    constexpr ctnn::optim::sgd_momentum<net_t> plain_momentum{.learning_rate = 0.05};
    constexpr ctnn::optim::rmsprop<net_t> rmsprop{.momentum = 0.5, .centered = true};
    constexpr ctnn::optim::adam<net_t> adam{.learning_rate = 1e-2, .weight_decay = 1e-2};
    constexpr ctnn::optim::adam<net_t> plain_adam{.learning_rate = 1e-2};
    constexpr ctnn::optim::adamw<net_t> adamw{.learning_rate = 1e-2};

    constexpr net_t sgd_net = train(sgd);
    constexpr net_t momentum_net = train(momentum);
    constexpr net_t plain_momentum_net = train(plain_momentum);
    constexpr net_t rmsprop_net = train(rmsprop);
    constexpr net_t adam_net = train(adam);
    constexpr net_t plain_adam_net = train(plain_adam);
    constexpr net_t adamw_net = train(adamw);

    same_at_compile_and_run_time(sgd_net, sgd);
    same_at_compile_and_run_time(momentum_net, momentum);
    same_at_compile_and_run_time(plain_momentum_net, plain_momentum);
    same_at_compile_and_run_time(rmsprop_net, rmsprop);
    same_at_compile_and_run_time(adam_net, adam);
    same_at_compile_and_run_time(plain_adam_net, plain_adam);
    same_at_compile_and_run_time(adamw_net, adamw);
}
