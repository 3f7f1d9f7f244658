// The C++ blocks of docs/guide.md (each between two `//! [name]` lines), built and run by the
// tests; tools/check_snippets.py checks that the page shows them as they are here.

//! [network]
#include <ctnn/ctnn.hpp>

using net_t = ctnn::network<float,                          // float or double
                            ctnn::input<2>,
                            ctnn::dense<3, ctnn::sigmoid>,
                            ctnn::dense<1, ctnn::sigmoid>>;
static_assert(net_t::inputs == 2 && net_t::outputs == 1);
static_assert(net_t::parameter_count == 2 * 3 + 3 + 3 * 1 + 1);
//! [network]

#include "expect.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace custom_activation {

//! [custom-activation]
using namespace ctnn::sym;
inline constexpr auto my_swish = x / (1 + exp(-x));
using my_act = ctnn::activation<my_swish>;   // its derivative is derived, not written
static_assert(d(my_swish) == ((1 + exp(-x)) + x * exp(-x)) / pow<2>(1 + exp(-x)));

using my_net = ctnn::network<double, ctnn::input<2>, ctnn::dense<4, my_act>, ctnn::dense<1, ctnn::identity>>;
//! [custom-activation]

// Backpropagation through the derived derivative agrees with finite differences.
constexpr my_net seeded()
{
    my_net net{};
    ctnn::init::xavier_uniform(net, 5u, 0.1);
    return net;
}
static_assert(ctnn::check_gradients(seeded(), {0.5, -1.0}, {0.25}, ctnn::loss::mse{}, 1e-6));

} // namespace custom_activation

namespace {

void network_is_a_type()
{
    //! [network-value]
    net_t net{};                                  // every parameter 0; no heap
    ctnn::init::xavier_uniform(net, 42u);         // seeded, deterministic, constexpr
    std::array<float, 1> y = net({0.f, 1.f});     // inference
    //! [network-value]
    expect(y[0] > 0.f && y[0] < 1.f, "a sigmoid output lies in (0, 1)");
    expect(net.layer<0>().weights.size() == 6 && net.layer<1>().biases.size() == 1, "the layers' views");
}

void gradients()
{
    net_t net{};
    ctnn::init::xavier_uniform(net, 42u);
    net_t::input_type const x{0.f, 1.f};
    net_t::output_type const target{1.f};
    std::vector<net_t::input_type> const xs{x, x};
    std::vector<net_t::output_type> const ts{target, target};

    //! [gradients]
    auto [loss, grad] = ctnn::gradient(net, x, target, ctnn::loss::mse{});
    auto const w0 = grad.layer<0>().weights;   // the gradient has the parameters' layout
    auto [mean_loss, mean_grad] = ctnn::gradient(net, std::span(xs), std::span(ts), ctnn::loss::mse{});
    float const again = ctnn::accumulate_gradient(net, x, target, ctnn::loss::mse{}, grad);  // adds into grad
    //! [gradients]

    // xs holds x twice: the batch's mean is the sample's own gradient, and adding the sample's
    // gradient to itself doubles it, exactly.
    expect(mean_loss == loss && again == loss, "the losses of the same sample");
    expect(mean_grad == ctnn::gradient(net, x, target, ctnn::loss::mse{}).grad, "a batch of one sample twice");
    for (std::size_t i = 0; i < net_t::parameter_count; ++i) {
        expect(grad.parameters()[i] == 2 * mean_grad.parameters()[i], "accumulate_gradient adds");
    }
    expect(w0.data() == grad.parameters().data(), "layer 0's weights come first");
}

void training_step()
{
    net_t net{};
    ctnn::init::xavier_uniform(net, 42u);
    net_t::input_type const x{0.f, 1.f};
    net_t::output_type const target{1.f};
    std::vector<net_t::input_type> const xs{{0.f, 0.f}, {0.f, 1.f}, {1.f, 0.f}, {1.f, 1.f}};
    std::vector<net_t::output_type> const ts{{0.f}, {1.f}, {1.f}, {0.f}};
    net_t const before = net;

    //! [train-step]
    float const loss = ctnn::train_step(net, x, target, ctnn::loss::mse{}, 0.01f);  // θ ← θ − 0.01 ∂L/∂θ

    ctnn::optim::adam<net_t> adam{.learning_rate = 1e-3f};
    float const l1 = ctnn::train_step(net, x, target, ctnn::loss::mse{}, adam);                 // one sample
    float const l2 = ctnn::train_step(net, std::span(xs), std::span(ts), ctnn::loss::mse{}, adam); // a batch
    //! [train-step]

    // The same steps unfused: gradient, then the update. They agree up to the last bits (the
    // fused step with a learning rate rounds rate·δ once per unit).
    auto const close = [](float a, float b) { return std::fabs(a - b) <= 1e-5f * std::fmax(1.f, std::fabs(b)); };
    net_t unfused = before;
    auto const [l0, g0] = ctnn::gradient(unfused, x, target, ctnn::loss::mse{});
    for (std::size_t i = 0; i < net_t::parameter_count; ++i) {
        unfused.parameters()[i] -= 0.01f * g0.parameters()[i];
    }
    ctnn::optim::adam<net_t> unfused_adam{.learning_rate = 1e-3f};
    auto const [u1, g1] = ctnn::gradient(unfused, x, target, ctnn::loss::mse{});
    unfused_adam.step(unfused, g1);
    auto const [u2, g2] = ctnn::gradient(unfused, std::span(xs), std::span(ts), ctnn::loss::mse{});
    unfused_adam.step(unfused, g2);
    expect(l0 == loss && close(l1, u1) && close(l2, u2), "the losses before each step");
    for (std::size_t i = 0; i < net_t::parameter_count; ++i) {
        expect(close(net.parameters()[i], unfused.parameters()[i]), "the parameters after the three steps");
    }
    expect(!(net == before), "the steps train");
}

void batch_inference()
{
    net_t net{};
    ctnn::init::xavier_uniform(net, 42u);

    std::vector<net_t::input_type> xs(100);
    for (std::size_t k = 0; k < xs.size(); ++k) {
        xs[k] = {static_cast<float>(k) / 50.f - 1.f, static_cast<float>(k % 7) / 3.f};
    }

    //! [predict]
    std::vector<net_t::output_type> ys(xs.size());
    ctnn::predict(net, std::span(xs), std::span(ys));   // ys[k] = net(xs[k]), bit for bit
    //! [predict]

    for (std::size_t k = 0; k < xs.size(); ++k) {
        expect(ys[k] == net(xs[k]), "predict gives net(x) for every sample");
    }
}

} // namespace

int main()
{
    network_is_a_type();
    gradients();
    training_step();
    batch_inference();
}
