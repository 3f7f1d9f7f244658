// ctnn::train_step (SGD fused into backpropagation) against the unfused path
// (ctnn::gradient, then θ −= η g), and the dense kernels' run-time (vector)
// path against their constant-evaluated (scalar) definition.

#define BOOST_TEST_MODULE train_step
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <cstddef>

namespace {

template <class Net, class Loss>
void check_against_unfused(Net net, typename Net::input_type const& x, ctnn::target_t<Net, Loss> const& t,
                           Loss const& loss, typename Net::value_type rate, double tolerance)
{
    Net fused = net;
    auto const [value, grad] = ctnn::gradient(net, x, t, loss);
    for (std::size_t i = 0; i < Net::parameter_count; ++i) {
        net.parameters()[i] -= rate * grad.parameters()[i];
    }
    auto const fused_value = ctnn::train_step(fused, x, t, loss, rate);
    BOOST_TEST(fused_value == value);
    for (std::size_t i = 0; i < Net::parameter_count; ++i) {
        double const a = double(fused.parameters()[i]);
        double const b = double(net.parameters()[i]);
        BOOST_TEST(std::abs(a - b) <= tolerance * std::fmax(1.0, std::abs(b)), "parameter " << i << ": " << a
                                                                                           << " vs " << b);
    }
}

template <class Net>
constexpr Net initialised(unsigned seed)
{
    Net net{};
    ctnn::init::xavier_uniform(net, seed);
    return net;
}

using deep_t = ctnn::network<double, ctnn::input<5>, ctnn::dense<7, ctnn::tanh>, ctnn::dense<6, ctnn::relu>,
                             ctnn::dense<3, ctnn::sigmoid>>;
using wide_t = ctnn::network<float, ctnn::input<70>, ctnn::dense<33, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>;

} // namespace

BOOST_AUTO_TEST_CASE(train_step_matches_gradient_then_sgd_double)
{
    std::array<double, 5> const x{0.3, -0.7, 0.1, 0.9, -0.2};
    std::array<double, 3> const t{0.1, 0.8, 0.4};
    // Fused: rate·δ is rounded once per row, so the last bits may differ.
    check_against_unfused(initialised<deep_t>(3u), x, t, ctnn::loss::mse{}, 0.05, 1e-14);
    check_against_unfused(initialised<deep_t>(4u), x, t, ctnn::loss::binary_cross_entropy{}, 0.5, 1e-14);
}

BOOST_AUTO_TEST_CASE(train_step_matches_gradient_then_sgd_float_softmax)
{
    std::array<float, 70> x{};
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = std::sin(float(i));
    }
    check_against_unfused(initialised<wide_t>(5u), x, std::size_t{3}, ctnn::loss::sparse_cross_entropy{}, 0.1f,
                          1e-6);
}

BOOST_AUTO_TEST_CASE(train_step_is_constexpr)
{
    using xor_t = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;
    constexpr auto trained = [] {
        xor_t net = initialised<xor_t>(42u);
        ctnn::train_step(net, {0.0, 1.0}, {1.0}, ctnn::loss::mse{}, 0.5);
        return net;
    }();
    auto net = initialised<xor_t>(42u);
    ctnn::train_step(net, {0.0, 1.0}, {1.0}, ctnn::loss::mse{}, 0.5);
    for (std::size_t i = 0; i < xor_t::parameter_count; ++i) {
        BOOST_TEST(std::abs(trained.parameters()[i] - net.parameters()[i]) <= 1e-15);
    }
}

// The forward pass's sums are defined by detail::dot_row_scalar (what constant
// evaluation runs); the vectorised run-time kernel must compute the same sums
// in the same order (up to fused multiply-adds: a few ulp, never a different
// summation).
BOOST_AUTO_TEST_CASE(vector_kernel_matches_constant_evaluation)
{
    using net_t = ctnn::network<float, ctnn::input<37>, ctnn::dense<13, ctnn::identity>, ctnn::dense<64, ctnn::relu>,
                                ctnn::dense<5, ctnn::identity>>;
    constexpr auto make = [] {
        net_t net{};
        ctnn::init::xavier_uniform(net, 11u);
        return net;
    };
    constexpr auto input = [] {
        std::array<float, 37> x{};
        for (std::size_t i = 0; i < x.size(); ++i) {
            x[i] = float(i % 7) * 0.25f - 0.7f;
        }
        return x;
    };
    constexpr auto at_compile_time = make()(input());
    auto const net = make();
    auto const at_run_time = net(input());
    for (std::size_t o = 0; o < at_run_time.size(); ++o) {
        BOOST_TEST(std::abs(at_run_time[o] - at_compile_time[o]) <= 1e-5f * std::fmax(1.0f, std::abs(at_compile_time[o])));
    }
}

// A ReLU unit idle on the sample (z < 0) has a zero delta: train_step leaves
// its weights and bias exactly as they were (long layers skip such rows
// altogether), while the active units' rows move.
BOOST_AUTO_TEST_CASE(train_step_leaves_idle_relu_units_alone)
{
    std::array<float, 70> x{};
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = std::cos(float(i) * 0.9f);
    }
    wide_t const before = initialised<wide_t>(6u);
    wide_t after = before;
    ctnn::train_step(after, x, std::size_t{2}, ctnn::loss::sparse_cross_entropy{}, 0.1f);

    auto const w0 = before.layer<0>();
    auto const w1 = after.layer<0>();
    std::size_t idle = 0;
    std::size_t active = 0;
    for (std::size_t o = 0; o < 33; ++o) {
        double z = double(w0.biases[o]);
        for (std::size_t i = 0; i < 70; ++i) {
            z += double(w0.weight(o, i)) * double(x[i]);
        }
        if (std::abs(z) < 1e-3) {
            continue; // too close to the kink to classify by a double sum
        }
        bool moved = w1.biases[o] != w0.biases[o];
        for (std::size_t i = 0; i < 70; ++i) {
            moved = moved || w1.weight(o, i) != w0.weight(o, i);
        }
        if (z < 0) {
            ++idle;
            BOOST_TEST(!moved, "idle unit " << o);
        } else {
            ++active;
        }
    }
    BOOST_TEST(idle >= 5u); // the sample must exercise both kinds of unit
    BOOST_TEST(active >= 5u);
}

// --- train_step with an optimizer -------------------------------------------------------------
// The fused step applies the optimizer's rule to each layer as backpropagation reaches it; the
// unfused one stores the gradient (ctnn::gradient) and then steps over it. The gradient each
// parameter's rule receives is the same product δ_o a_i, and every rule is applied to the same
// values in the same order, so the two agree exactly (this test is built with
// -ffp-contract=off, so that neither side's arithmetic is fused differently), at every vector
// width the run-time kernels are built for (the width variants of this test).

namespace {

template <class Net>
std::array<typename Net::input_type, 4> samples_for(double phase)
{
    std::array<typename Net::input_type, 4> xs{};
    for (std::size_t s = 0; s < xs.size(); ++s) {
        for (std::size_t i = 0; i < Net::inputs; ++i) {
            xs[s][i] = static_cast<typename Net::value_type>(std::sin(phase + 0.7 * double(s) + 1.3 * double(i)));
        }
    }
    return xs;
}

template <class Net>
void require_same_parameters(Net const& a, Net const& b, char const* what, std::size_t step)
{
    std::size_t differing = 0;
    for (std::size_t i = 0; i < Net::parameter_count; ++i) {
        differing += a.parameters()[i] == b.parameters()[i] ? 0U : 1U;
    }
    BOOST_TEST(differing == 0U, what << ", step " << step << ": " << differing << " parameters differ");
}

// Three steps of `make()`'s optimizer on three samples, fused and unfused.
template <class Net, class Loss, class Targets, class Make>
void check_optimizer(char const* what, Net const& start, Targets const& ts, Loss const& loss, Make const& make)
{
    auto const xs = samples_for<Net>(0.4);
    Net fused = start;
    Net unfused = start;
    auto fused_opt = make();
    auto unfused_opt = make();
    for (std::size_t k = 0; k < 3; ++k) {
        auto const fused_loss = ctnn::train_step(fused, xs[k], ts[k], loss, fused_opt);
        auto const [unfused_loss, grad] = ctnn::gradient(unfused, xs[k], ts[k], loss);
        unfused_opt.step(unfused, grad);
        BOOST_TEST(fused_loss == unfused_loss, what << ", step " << k);
        require_same_parameters(fused, unfused, what, k);
    }
    BOOST_TEST((fused != start), what << ": the steps changed nothing");
}

template <class Net, class Loss, class Targets>
void check_every_optimizer(Net const& start, Targets const& ts, Loss const& loss)
{
    using T = typename Net::value_type;
    namespace optim = ctnn::optim;
    check_optimizer("sgd with weight decay", start, ts, loss,
                    [] { return optim::sgd{.learning_rate = 0.05, .weight_decay = 0.1}; });
    check_optimizer("sgd_momentum", start, ts, loss,
                    [] { return optim::sgd_momentum<Net>{.learning_rate = T(0.05), .momentum = T(0.9)}; });
    check_optimizer("sgd_momentum, Nesterov, dampening, weight decay", start, ts, loss, [] {
        return optim::sgd_momentum<Net>{.learning_rate = T(0.05),
                                        .momentum = T(0.8),
                                        .dampening = T(0.1),
                                        .weight_decay = T(0.01),
                                        .nesterov = true};
    });
    check_optimizer("rmsprop", start, ts, loss, [] { return optim::rmsprop<Net>{}; });
    check_optimizer("rmsprop, centered", start, ts, loss, [] { return optim::rmsprop<Net>{.centered = true}; });
    check_optimizer("rmsprop, momentum", start, ts, loss, [] { return optim::rmsprop<Net>{.momentum = T(0.5)}; });
    check_optimizer("rmsprop, centered, momentum, weight decay", start, ts, loss, [] {
        return optim::rmsprop<Net>{.weight_decay = T(0.02), .momentum = T(0.5), .centered = true};
    });
    check_optimizer("adam", start, ts, loss, [] { return optim::adam<Net>{.learning_rate = T(1e-2)}; });
    check_optimizer("adam with weight decay", start, ts, loss,
                    [] { return optim::adam<Net>{.learning_rate = T(1e-2), .weight_decay = T(0.05)}; });
    check_optimizer("adamw", start, ts, loss,
                    [] { return optim::adamw<Net>{.learning_rate = T(1e-2), .beta1 = T(0.8), .weight_decay = T(0.1)}; });
}

} // namespace

BOOST_AUTO_TEST_CASE(every_optimizer_fused_equals_gradient_then_step)
{
    std::array<std::array<double, 3>, 4> const deep_targets{{{0.1, 0.8, 0.4}, {0.9, 0.2, 0.5}, {0.3, 0.3, 0.7},
                                                            {0.6, 0.1, 0.2}}};
    check_every_optimizer(initialised<deep_t>(7u), deep_targets, ctnn::loss::mse{});
    std::array<std::size_t, 4> const classes{3, 7, 0, 9};
    check_every_optimizer(initialised<wide_t>(8u), classes, ctnn::loss::sparse_cross_entropy{});
    // Rows of one input and of sixteen (vectors with a padded tail, and whole ones).
    using sine_t = ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>, ctnn::dense<16, ctnn::tanh>,
                                 ctnn::dense<1>>;
    std::array<std::array<float, 1>, 4> const sine_targets{{{0.5f}, {-0.25f}, {0.75f}, {0.0f}}};
    check_every_optimizer(initialised<sine_t>(9u), sine_targets, ctnn::loss::mse{});
}

// optim::sgd without weight decay is plain gradient descent: the path of train_step with a
// learning rate, exactly (which the tests above hold to gradient-then-step up to rounding).
BOOST_AUTO_TEST_CASE(sgd_without_weight_decay_is_the_learning_rate_step)
{
    std::array<std::size_t, 4> const classes{3, 7, 0, 9};
    auto const xs = samples_for<wide_t>(0.9);
    wide_t with_optimizer = initialised<wide_t>(14u);
    wide_t with_rate = with_optimizer;
    ctnn::optim::sgd const sgd{.learning_rate = 0.05};
    for (std::size_t k = 0; k < 3; ++k) {
        auto const a = ctnn::train_step(with_optimizer, xs[k], classes[k], ctnn::loss::sparse_cross_entropy{}, sgd);
        auto const b = ctnn::train_step(with_rate, xs[k], classes[k], ctnn::loss::sparse_cross_entropy{}, 0.05f);
        BOOST_TEST(a == b);
        require_same_parameters(with_optimizer, with_rate, "sgd against the learning rate", k);
    }
    BOOST_TEST((with_optimizer != initialised<wide_t>(14u)));
}

BOOST_AUTO_TEST_CASE(value_clipping_fused_equals_clip_then_step)
{
    std::array<std::size_t, 4> const classes{1, 4, 4, 8};
    auto const xs = samples_for<wide_t>(1.1);
    wide_t fused = initialised<wide_t>(10u);
    wide_t unfused = fused;
    ctnn::optim::adam<wide_t> fused_adam{.learning_rate = 1e-2f};
    ctnn::optim::adam<wide_t> unfused_adam{.learning_rate = 1e-2f};
    constexpr float limit = 0.01f; // small enough that many components are clipped
    std::size_t clipped = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        ctnn::train_step(fused, xs[k], classes[k], ctnn::loss::sparse_cross_entropy{},
                         ctnn::optim::with_value_clipping(fused_adam, limit));
        auto [loss, grad] = ctnn::gradient(unfused, xs[k], classes[k], ctnn::loss::sparse_cross_entropy{});
        for (float const g : grad.parameters()) {
            clipped += std::abs(g) > limit ? 1U : 0U;
        }
        ctnn::optim::clip_by_value(grad, limit);
        unfused_adam.step(unfused, grad);
        require_same_parameters(fused, unfused, "adam clipped by value", k);
    }
    BOOST_TEST(clipped > 100U);
    // The wrapper's own step over a stored gradient is the same clipping.
    wide_t stepped = initialised<wide_t>(10u);
    ctnn::optim::adam<wide_t> stepped_adam{.learning_rate = 1e-2f};
    auto clipping = ctnn::optim::with_value_clipping(stepped_adam, limit);
    for (std::size_t k = 0; k < 3; ++k) {
        auto const [loss, grad] = ctnn::gradient(stepped, xs[k], classes[k], ctnn::loss::sparse_cross_entropy{});
        clipping.step(stepped, grad);
    }
    require_same_parameters(stepped, unfused, "with_value_clipping(...).step", 3);
}

BOOST_AUTO_TEST_CASE(training_mode_fused_equals_gradient_then_step)
{
    using drop_t = ctnn::network<float, ctnn::input<6>, ctnn::dense<20, ctnn::relu>,
                                 ctnn::dropout<std::ratio<1, 4>>, ctnn::dense<3>>;
    auto const xs = samples_for<drop_t>(0.2);
    std::array<float, 3> const t{0.5f, -0.5f, 0.25f};
    drop_t fused = initialised<drop_t>(12u);
    drop_t unfused = fused;
    ctnn::optim::adam<drop_t> fused_adam{.learning_rate = 1e-2f};
    ctnn::optim::adam<drop_t> unfused_adam{.learning_rate = 1e-2f};
    ctnn::pcg32 fused_rng(5u);
    ctnn::pcg32 unfused_rng(5u);
    for (std::size_t k = 0; k < 4; ++k) {
        auto const fused_loss = ctnn::train_step(fused, xs[k], t, ctnn::loss::mse{}, fused_adam, fused_rng);
        auto const [loss, grad] = ctnn::gradient(unfused, xs[k], t, ctnn::loss::mse{}, unfused_rng);
        unfused_adam.step(unfused, grad);
        BOOST_TEST(fused_loss == loss);
        require_same_parameters(fused, unfused, "adam with dropout", k);
    }
    // The masks were drawn: the same steps in inference mode end elsewhere.
    drop_t inference = initialised<drop_t>(12u);
    ctnn::optim::adam<drop_t> inference_adam{.learning_rate = 1e-2f};
    for (std::size_t k = 0; k < 4; ++k) {
        ctnn::train_step(inference, xs[k], t, ctnn::loss::mse{}, inference_adam);
    }
    BOOST_TEST((inference != fused));
}

BOOST_AUTO_TEST_CASE(batch_step_equals_batch_gradient_then_step)
{
    // Batches shorter than a block, of whole blocks and with a partial last block (a block
    // is up to 16 samples), for a stateful optimizer and the stateless one.
    std::array<std::array<float, 70>, 40> xs{};
    std::array<std::size_t, 40> classes{};
    for (std::size_t s = 0; s < xs.size(); ++s) {
        for (std::size_t i = 0; i < 70; ++i) {
            xs[s][i] = std::cos(0.37f * float(s) + 0.11f * float(i));
        }
        classes[s] = (s * 7) % 10;
    }
    for (std::size_t n : {std::size_t{1}, std::size_t{5}, std::size_t{16}, std::size_t{17}, std::size_t{40}}) {
        std::span<std::array<float, 70> const> const batch(xs.data(), n);
        std::span<std::size_t const> const targets(classes.data(), n);
        wide_t fused = initialised<wide_t>(13u);
        wide_t unfused = fused;
        ctnn::optim::adam<wide_t> fused_adam{.learning_rate = 1e-2f};
        ctnn::optim::adam<wide_t> unfused_adam{.learning_rate = 1e-2f};
        ctnn::optim::sgd sgd{.learning_rate = 0.1};
        for (std::size_t k = 0; k < 2; ++k) {
            auto const fused_loss =
                ctnn::train_step(fused, batch, targets, ctnn::loss::sparse_cross_entropy{}, fused_adam);
            auto const result = ctnn::gradient(unfused, batch, targets, ctnn::loss::sparse_cross_entropy{});
            unfused_adam.step(unfused, result.grad);
            BOOST_TEST(fused_loss == result.loss, "batch of " << n);
            require_same_parameters(fused, unfused, "adam on a batch", k);
        }
        wide_t const before = fused;
        ctnn::train_step(fused, batch, targets, ctnn::loss::sparse_cross_entropy{}, sgd);
        auto const result = ctnn::gradient(unfused, batch, targets, ctnn::loss::sparse_cross_entropy{});
        sgd.step(unfused, result.grad);
        require_same_parameters(fused, unfused, "sgd on a batch", n);
        BOOST_TEST((fused != before));
    }
    // An empty batch changes nothing.
    wide_t net = initialised<wide_t>(13u);
    ctnn::optim::adam<wide_t> adam{};
    auto const loss = ctnn::train_step(net, std::span<std::array<float, 70> const>{}, std::span<std::size_t const>{},
                                       ctnn::loss::sparse_cross_entropy{}, adam);
    BOOST_TEST(loss == 0.0f);
    BOOST_TEST((net == initialised<wide_t>(13u)));
    BOOST_TEST(adam.beta1_power == 1.0f);
}

// Constant evaluation runs the scalar definitions (one parameter at a time, the scalar square
// root); run time the vector kernels: the same values.
namespace {

using small_t = ctnn::network<float, ctnn::input<5>, ctnn::dense<9, ctnn::tanh>, ctnn::dense<3, ctnn::sigmoid>>;

template <class Make>
constexpr small_t three_steps(Make const& make)
{
    small_t net = initialised<small_t>(21u);
    auto opt = make();
    std::array<std::array<float, 5>, 3> const xs{{{0.1f, -0.2f, 0.3f, 0.9f, -1.0f},
                                                  {0.5f, 0.5f, -0.5f, 0.0f, 0.25f},
                                                  {-0.75f, 0.1f, 0.2f, -0.3f, 0.4f}}};
    std::array<std::array<float, 3>, 3> const ts{{{0.0f, 1.0f, 0.5f}, {1.0f, 0.0f, 0.25f}, {0.5f, 0.5f, 0.5f}}};
    for (std::size_t k = 0; k < 2; ++k) {
        ctnn::train_step(net, xs[k], ts[k], ctnn::loss::mse{}, opt);
    }
    ctnn::train_step(net, std::span(xs), std::span(ts), ctnn::loss::mse{}, opt); // a batch of three
    return net;
}

constexpr auto make_adam = [] { return ctnn::optim::adam<small_t>{.learning_rate = 0.05f}; };
constexpr auto make_rmsprop = [] { return ctnn::optim::rmsprop<small_t>{.momentum = 0.5f, .centered = true}; };
constexpr auto make_momentum = [] { return ctnn::optim::sgd_momentum<small_t>{.learning_rate = 0.1f}; };

} // namespace

BOOST_AUTO_TEST_CASE(optimizer_steps_are_constexpr)
{
    constexpr small_t adam_ct = three_steps(make_adam);
    constexpr small_t rmsprop_ct = three_steps(make_rmsprop);
    constexpr small_t momentum_ct = three_steps(make_momentum);
    require_same_parameters(three_steps(make_adam), adam_ct, "adam, run time vs compile time", 3);
    require_same_parameters(three_steps(make_rmsprop), rmsprop_ct, "rmsprop, run time vs compile time", 3);
    require_same_parameters(three_steps(make_momentum), momentum_ct, "sgd_momentum, run time vs compile time", 3);
    BOOST_TEST((adam_ct != initialised<small_t>(21u)));
}
