// Learns XOR with a 2-3-1 sigmoid network: mean squared error, plain SGD with
// learning rate 0.1, full batch, from a fixed seed. Prints the loss as it
// goes and the final predictions; exits non-zero unless every input ends on
// the right side of 0.5.

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstdio>

using xor_net = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;

constexpr std::array<std::array<float, 2>, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<std::array<float, 1>, 4> targets{{{0}, {1}, {1}, {0}}};

constexpr xor_net initial_net()
{
    xor_net net{};
    ctnn::init::xavier_uniform(net, 7u);
    return net;
}

// A wrong derivative anywhere in the network or the loss fails this line at
// compile time: backpropagation is compared with finite differences during
// constant evaluation.
constexpr auto compile_time_check = ctnn::check_gradients(initial_net(), inputs[1], targets[1], ctnn::loss::mse{}, 2e-3f);
static_assert(compile_time_check, "backpropagation disagrees with finite differences");

int main()
{
    std::printf("gradient check at compile time: passed, worst relative error %.2e (float, tolerance 2e-3)\n",
                static_cast<double>(compile_time_check.worst_relative_error));

    xor_net net = initial_net();
    ctnn::optim::sgd opt{.learning_rate = 0.1};
    auto const result = ctnn::fit(net, inputs, targets, ctnn::loss::mse{}, opt,
                                  {.epochs = 50000, .batch_size = 4, .target_loss = 0.01, .shuffle = false},
                                  [](ctnn::epoch_report<float> const& r) {
                                      if (r.epoch % 5000 == 0 || r.epoch == 1) {
                                          std::printf("epoch %5zu  loss %.5f  accuracy %.2f\n", r.epoch,
                                                      static_cast<double>(r.loss), static_cast<double>(r.accuracy));
                                      }
                                  });
    std::printf("stopped after %zu epochs (%s), loss %.5f\n", result.epochs,
                result.reason == ctnn::stop_reason::target_loss_reached ? "target loss reached" : "epoch limit",
                static_cast<double>(result.loss));

    int wrong = 0;
    for (std::size_t s = 0; s < inputs.size(); ++s) {
        float const y = net(inputs[s])[0];
        bool const right = (y > 0.5f) == (targets[s][0] > 0.5f);
        wrong += right ? 0 : 1;
        std::printf("%g xor %g -> %.4f (target %g)%s\n", static_cast<double>(inputs[s][0]),
                    static_cast<double>(inputs[s][1]), static_cast<double>(y), static_cast<double>(targets[s][0]),
                    right ? "" : "  WRONG");
    }
    return wrong == 0 && ctnn::all_finite(net) ? 0 : 1;
}
