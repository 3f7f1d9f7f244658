// Learns XOR with a 2-3-1 sigmoid network and plain stochastic gradient
// descent written out over ctnn::gradient (ctnn::optim and ctnn::fit package
// this loop). Exits non-zero unless every input ends on the right side of 0.5.

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstdio>
#include <span>

using xor_net = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;

constexpr std::array<std::array<float, 2>, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<std::array<float, 1>, 4> targets{{{0}, {1}, {1}, {0}}};

// A wrong derivative anywhere in the network or the loss fails this line at
// compile time: backpropagation is compared with finite differences during
// constant evaluation.
constexpr xor_net initial_net()
{
    xor_net net{};
    ctnn::init::xavier_uniform(net, 7u);
    return net;
}
constexpr auto compile_time_check = ctnn::check_gradients(initial_net(), inputs[1], targets[1], ctnn::loss::mse{}, 2e-3f);
static_assert(compile_time_check, "backpropagation disagrees with finite differences");

int main()
{
    std::printf("gradient check at compile time: passed, worst relative error %.2e (float, tolerance 2e-3)\n",
                static_cast<double>(compile_time_check.worst_relative_error));

    xor_net net = initial_net();
    constexpr float learning_rate = 2.0f;
    constexpr int epochs = 4000;

    for (int epoch = 0; epoch <= epochs; ++epoch) {
        // One full-batch step: the mean gradient over the four samples.
        auto const [loss, grad] = ctnn::gradient(net, std::span(inputs), std::span(targets), ctnn::loss::mse{});
        if (epoch % 500 == 0) {
            std::printf("epoch %5d  loss %.6f\n", epoch, static_cast<double>(loss));
        }
        auto params = net.parameters();
        for (std::size_t i = 0; i < params.size(); ++i) {
            params[i] -= learning_rate * grad.parameters()[i];
        }
    }

    int wrong = 0;
    for (std::size_t s = 0; s < inputs.size(); ++s) {
        float const y = net(inputs[s])[0];
        bool const right = (y > 0.5f) == (targets[s][0] > 0.5f);
        wrong += right ? 0 : 1;
        std::printf("%g xor %g -> %.4f (target %g)%s\n", static_cast<double>(inputs[s][0]),
                    static_cast<double>(inputs[s][1]), static_cast<double>(y), static_cast<double>(targets[s][0]),
                    right ? "" : "  WRONG");
    }
    std::printf("%s\n", ctnn::all_finite(net) ? "all parameters finite" : "non-finite parameters!");
    return wrong == 0 && ctnn::all_finite(net) ? 0 : 1;
}
