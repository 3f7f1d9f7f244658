#include <ctnn/ctnn.hpp>

#include <cstdio>

// The topology is the type: 2 inputs, 3 sigmoid units, 1 sigmoid output.
using xor_net = ctnn::network<float, ctnn::input<2>,
                              ctnn::dense<3, ctnn::sigmoid>,
                              ctnn::dense<1, ctnn::sigmoid>>;

// Backpropagation checked against finite differences, by the compiler.
static_assert(ctnn::check_gradients(xor_net{}, {0.f, 1.f}, {1.f}, ctnn::loss::mse{}, 1e-3f));

// Activations are expressions; their derivatives are derived, not written.
using namespace ctnn::sym;
inline constexpr auto my_swish = x / (1 + exp(-x));
using my_act = ctnn::activation<my_swish>;
static_assert(d(tanh(x)) == 1 - pow<2>(tanh(x)));

int main()
{
    xor_net net{};                                   // all parameters 0, no heap
    ctnn::init::xavier_uniform(net, 42u);            // seeded, constexpr
    std::array<float, 1> y = net({0.f, 1.f});        // inference

    // Loss and gradient of one sample; the gradient has the parameters' layout.
    auto [loss, grad] = ctnn::gradient(net, {0.f, 1.f}, {1.f}, ctnn::loss::mse{});
    for (std::size_t i = 0; i < xor_net::parameter_count; ++i)
        net.parameters()[i] -= 0.5f * grad.parameters()[i];

    std::printf("y = %f, loss = %f, after one step: %f\n", double(y[0]), double(loss),
                double(net({0.f, 1.f})[0]));
}
