// Every optimizer, the clipping functions and the schedules run during
// constant evaluation. The hyperparameters are powers of two and epsilon is 0
// where that makes one or two steps exact in binary floating point, so most
// values below are compared with ==; the rest are within a few ulp of the
// hand-computed value. test/optim/optim_test.cpp checks that the same code at
// run time gives the same numbers; test/oracle/optim_oracle.cpp compares the
// optimizers with PyTorch.

#include <ctnn/ctnn.hpp>
#include <ctnn/optim.hpp>

#include <array>
#include <cstddef>

namespace {

/// θ = (w, b): one weight and one bias.
using net_t = ctnn::network<double, ctnn::input<1>, ctnn::dense<1, ctnn::identity>>;
using grad_t = net_t::gradient_type;
static_assert(net_t::parameter_count == 2);

constexpr bool near(double a, double b, double tolerance = 1e-15)
{
    double const d = a - b;
    double const scale = (b < 0 ? -b : b) > 1 ? (b < 0 ? -b : b) : 1.0;
    return (d < 0 ? -d : d) <= tolerance * scale;
}

constexpr net_t make_net(double w, double b)
{
    net_t net{};
    net.parameters()[0] = w;
    net.parameters()[1] = b;
    return net;
}

constexpr grad_t make_grad(double gw, double gb)
{
    grad_t g{};
    g.parameters()[0] = gw;
    g.parameters()[1] = gb;
    return g;
}

/// The parameters after `steps` steps of `opt` with the constant gradient (gw, gb) from (1, -2).
template <class Optimizer>
constexpr std::array<double, 2> run(Optimizer opt, std::size_t steps, double gw, double gb)
{
    net_t net = make_net(1.0, -2.0);
    grad_t const g = make_grad(gw, gb);
    for (std::size_t k = 0; k < steps; ++k) {
        opt.step(net, g);
    }
    return {net.parameters()[0], net.parameters()[1]};
}

// --- sgd: θ ← θ − η (g + λθ) -------------------------------------------------------------------
constexpr ctnn::optim::sgd sgd_half{.learning_rate = 0.5};
static_assert(run(sgd_half, 1, 0.5, -1.0) == std::array{0.75, -1.5});
static_assert(run(sgd_half, 2, 0.5, -1.0) == std::array{0.5, -1.0});
// λ = 0.5: w = 1 − 0.5 (0.5 + 0.5) = 0.5, b = −2 − 0.5 (−1 − 1) = −1.
static_assert(run(ctnn::optim::sgd{.learning_rate = 0.5, .weight_decay = 0.5}, 1, 0.5, -1.0) ==
              std::array{0.5, -1.0});

// sgd's settings are hyperparameters: kept as given, read in the network's scalar type. A float
// network reads the float given, or the float nearest to the double given; a double network the
// double given, or the float given (exactly, widened).
using ctnn::optim::hyperparameter;
static_assert(hyperparameter{0.1}.as<double>() == 0.1);
static_assert(hyperparameter{0.1}.as<float>() == 0.1f);
static_assert(hyperparameter{0.1f}.as<float>() == 0.1f);
static_assert(hyperparameter{0.1f}.as<double>() == static_cast<double>(0.1f));
static_assert(hyperparameter{0.1f}.as<double>() != hyperparameter{0.1}.as<double>()); // 0.1f is not 0.1
static_assert(hyperparameter{3}.as<float>() == 3.0f && hyperparameter{3}.as<double>() == 3.0);
static_assert(static_cast<double>(hyperparameter{0.1}) == 0.1);
static_assert([] {
    ctnn::optim::sgd opt{};
    opt.learning_rate = 0.25f; // set like a number, later
    return opt.learning_rate.as<double>() == 0.25 && opt.weight_decay.as<float>() == 0.0f;
}());

// One sgd object for a float network: η = 0.1 (a double) steps it by the float 0.1f times g.
using float_net_t = ctnn::network<float, ctnn::input<1>, ctnn::dense<1, ctnn::identity>>;
constexpr std::array<float, 2> step_float(ctnn::optim::sgd const& opt, float gw, float gb)
{
    float_net_t net{};
    net.parameters()[0] = 1.0f;
    net.parameters()[1] = -2.0f;
    float_net_t::gradient_type g{};
    g.parameters()[0] = gw;
    g.parameters()[1] = gb;
    opt.step(net, g);
    return {net.parameters()[0], net.parameters()[1]};
}
static_assert(step_float(ctnn::optim::sgd{.learning_rate = 0.1}, 0.5f, 3.0f) ==
              std::array{1.0f - 0.1f * 0.5f, -2.0f - 0.1f * 3.0f});
static_assert(step_float(ctnn::optim::sgd{.learning_rate = 0.1f}, 0.5f, 3.0f) ==
              std::array{1.0f - 0.1f * 0.5f, -2.0f - 0.1f * 3.0f});

// --- sgd_momentum: b ← μb + (1 − τ)g (b = g at first), θ ← θ − η (nesterov ? g + μb : b) -------
// μ = η = 0.5, g = 1: b₁ = 1, w₁ = 0.5; b₂ = 1.5, w₂ = −0.25; b₃ = 1.75, w₃ = −1.125.
static_assert(run(ctnn::optim::sgd_momentum<net_t>{.learning_rate = 0.5, .momentum = 0.5}, 1, 1.0, 0.0) ==
              std::array{0.5, -2.0});
static_assert(run(ctnn::optim::sgd_momentum<net_t>{.learning_rate = 0.5, .momentum = 0.5}, 2, 1.0, 0.0) ==
              std::array{-0.25, -2.0});
static_assert(run(ctnn::optim::sgd_momentum<net_t>{.learning_rate = 0.5, .momentum = 0.5}, 3, 1.0, 0.0) ==
              std::array{-1.125, -2.0});
// τ = 0.5: b₂ = 0.5 + 0.5 = 1, w₂ = 0.5 − 0.5 = 0.
static_assert(run(ctnn::optim::sgd_momentum<net_t>{.learning_rate = 0.5, .momentum = 0.5, .dampening = 0.5}, 2,
                  1.0, 0.0) == std::array{0.0, -2.0});
// Nesterov: w₁ = 1 − 0.5 (1 + 0.5) = 0.25; b₂ = 1.5, w₂ = 0.25 − 0.5 (1 + 0.75) = −0.625.
static_assert(run(ctnn::optim::sgd_momentum<net_t>{.learning_rate = 0.5, .momentum = 0.5, .nesterov = true}, 2,
                  1.0, 0.0) == std::array{-0.625, -2.0});
// λ = 0.5 on b: g_b = 0 + 0.5 · (−2) = −1, b₁ = −2 + 0.5 = −1.5.
static_assert(run(ctnn::optim::sgd_momentum<net_t>{.learning_rate = 0.5, .momentum = 0.5, .weight_decay = 0.5}, 1,
                  0.0, 0.0) == std::array{0.75, -1.5});

// --- rmsprop: v ← αv + (1 − α)g², θ ← θ − η g / (√v + ε) --------------------------------------
// α = 0.75, ε = 0 (so no component of g may be 0), g = (1, −1): v₁ = 0.25, √v₁ = 0.5,
// w₁ = 1 − 0.5 · 2 = 0, b₁ = −2 + 1 = −1.
constexpr ctnn::optim::rmsprop<net_t> rms{.learning_rate = 0.5, .alpha = 0.75, .epsilon = 0.0};
static_assert(run(rms, 1, 1.0, -1.0) == std::array{0.0, -1.0});
// v₂ = 0.4375: w₂ = −0.5 / √0.4375 = −0.75592894601845445.
static_assert(near(run(rms, 2, 1.0, -1.0)[0], -0.75592894601845445));
// centered: ḡ₁ = 0.25, v₁ − ḡ₁² = 0.1875, w₁ = 1 − 0.5 / √0.1875 = −0.15470053837925153.
static_assert(near(run(ctnn::optim::rmsprop<net_t>{.learning_rate = 0.5, .alpha = 0.75, .epsilon = 0.0,
                                                   .centered = true},
                       1, 1.0, -1.0)[0],
                   -0.15470053837925153));
// momentum μ = 0.5: buf₁ = 2, w₁ = 0; buf₂ = 1 + 1/√0.4375, w₂ = −0.5 buf₂ = −1.2559289460184544.
static_assert(near(run(ctnn::optim::rmsprop<net_t>{.learning_rate = 0.5, .alpha = 0.75, .epsilon = 0.0,
                                                   .momentum = 0.5},
                       2, 1.0, -1.0)[0],
                   -1.2559289460184544));

// --- adam: m̂ = g and v̂ = g² after one step, so θ₁ = θ₀ − η g / (|g| + ε) ----------------------
// β₁ = 0.5, β₂ = 0.75, ε = 0, η = 0.5: w₁ = 1 − 0.5 = 0.5, b₁ = −2 + 0.5 = −1.5.
constexpr ctnn::optim::adam<net_t> adam{.learning_rate = 0.5, .beta1 = 0.5, .beta2 = 0.75, .epsilon = 0.0};
static_assert(run(adam, 1, 4.0, -0.25) == std::array{0.5, -1.5});
// A constant gradient keeps m̂ = g and v̂ = g²: every step moves η against the sign of g.
static_assert(near(run(adam, 2, 4.0, -0.25)[0], 0.0) && near(run(adam, 2, 4.0, -0.25)[1], -1.0));
static_assert(near(run(adam, 3, 4.0, -0.25)[0], -0.5) && near(run(adam, 3, 4.0, -0.25)[1], -0.5));
// Coupled weight decay λ = 0.25 on b: g_b = 0 + 0.25 · (−2) = −0.5, b₁ = −2 + 0.5 = −1.5.
static_assert(run(ctnn::optim::adam<net_t>{.learning_rate = 0.5, .beta1 = 0.5, .beta2 = 0.75, .epsilon = 0.0,
                                           .weight_decay = 0.25},
                  1, 4.0, 0.0)[1] == -1.5);
// ... and ε enters as √v̂ + ε: g = 1, ε = 1 gives w₁ = 1 − 0.5 · 1 / (1 + 1) = 0.75.
static_assert(run(ctnn::optim::adam<net_t>{.learning_rate = 0.5, .beta1 = 0.5, .beta2 = 0.75, .epsilon = 1.0},
                  1, 1.0, 1.0)[0] == 0.75);
// adamw: θ₁ = θ₀ (1 − ηλ) − η sign(g); λ = 0.5: w₁ = 0.75 − 0.5 = 0.25, b₁ = −1.5 + 0.5 = −1.
static_assert(run(ctnn::optim::adamw<net_t>{.learning_rate = 0.5, .beta1 = 0.5, .beta2 = 0.75, .epsilon = 0.0,
                                            .weight_decay = 0.5},
                  1, 4.0, -0.25) == std::array{0.25, -1.0});

// --- PyTorch's defaults ----------------------------------------------------------------------
constexpr ctnn::optim::adam<net_t> adam_defaults{};
static_assert(adam_defaults.learning_rate == 1e-3 && adam_defaults.beta1 == 0.9 && adam_defaults.beta2 == 0.999 &&
              adam_defaults.epsilon == 1e-8 && adam_defaults.weight_decay == 0.0);
static_assert(ctnn::optim::adamw<net_t>{}.weight_decay == 1e-2);
constexpr ctnn::optim::rmsprop<net_t> rmsprop_defaults{};
static_assert(rmsprop_defaults.learning_rate == 1e-2 && rmsprop_defaults.alpha == 0.99 &&
              rmsprop_defaults.epsilon == 1e-8 && rmsprop_defaults.momentum == 0.0 && !rmsprop_defaults.centered);
constexpr ctnn::optim::sgd_momentum<net_t> momentum_defaults{};
static_assert(momentum_defaults.dampening == 0.0 && momentum_defaults.weight_decay == 0.0 &&
              !momentum_defaults.nesterov);

// --- clipping --------------------------------------------------------------------------------
constexpr std::array<double, 2> clipped_by_value(double gw, double gb, double limit)
{
    grad_t g = make_grad(gw, gb);
    ctnn::optim::clip_by_value(g, limit);
    return {g.parameters()[0], g.parameters()[1]};
}
static_assert(clipped_by_value(3.0, -0.25, 1.0) == std::array{1.0, -0.25});
static_assert(clipped_by_value(-3.0, 0.25, 0.125) == std::array{-0.125, 0.125});

struct norm_clip {
    double norm;
    std::array<double, 2> g;
};
constexpr norm_clip clipped_by_norm(double gw, double gb, double max_norm)
{
    grad_t g = make_grad(gw, gb);
    double const norm = ctnn::optim::clip_by_global_norm(g, max_norm);
    return {norm, {g.parameters()[0], g.parameters()[1]}};
}
// ‖(3, 4)‖ = 5: below max_norm 10 the gradient is untouched; with max_norm 1 it is scaled by
// 1 / (5 + 1e-6), as PyTorch does.
static_assert(clipped_by_norm(3.0, 4.0, 10.0).norm == 5.0);
static_assert(clipped_by_norm(3.0, 4.0, 10.0).g == std::array{3.0, 4.0});
static_assert(clipped_by_norm(3.0, 4.0, 1.0).norm == 5.0);
static_assert(near(clipped_by_norm(3.0, 4.0, 1.0).g[0], 3.0 / (5.0 + 1e-6)));
static_assert(near(clipped_by_norm(3.0, 4.0, 1.0).g[1], 4.0 / (5.0 + 1e-6)));

// --- schedules -------------------------------------------------------------------------------
constexpr ctnn::optim::step_decay steps{.initial = 0.5, .step_size = 2, .gamma = 0.5};
static_assert(steps(0) == 0.5 && steps(1) == 0.5 && steps(2) == 0.25 && steps(5) == 0.125);
constexpr ctnn::optim::exponential_decay exponential{.initial = 1.0, .gamma = 0.5};
static_assert(exponential(0) == 1.0 && exponential(3) == 0.125 && exponential(10) == 0x1p-10);
constexpr ctnn::optim::cosine_annealing cosine{.initial = 1.0, .minimum = 0.25, .period = 4};
static_assert(near(cosine(0), 1.0) && cosine(2) == 0.625 && cosine(4) == 0.25 && cosine(9) == 0.25);
// (1 + cos(π/4)) / 2 · 0.75 + 0.25 = 0.89016504294495535.
static_assert(near(cosine(1), 0.89016504294495535));

} // namespace
