// A network trained entirely during constant evaluation: XOR, 2-3-1 sigmoid,
// full-batch gradient descent, then static_asserted to classify all four
// inputs. The compiler runs the same forward, backward and update code as the
// run-time examples. (This target gets raised constant-evaluation limits;
// docs/guide.md gives the cost.)

#include <ctnn/ctnn.hpp>

#include <array>
#include <span>

namespace {

using xor_net = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;

constexpr std::array<std::array<float, 2>, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<std::array<float, 1>, 4> targets{{{0}, {1}, {1}, {0}}};

struct trained {
    xor_net net;
    float initial_loss;
    float final_loss;
};

consteval trained train_xor()
{
    xor_net net{};
    ctnn::init::xavier_uniform(net, 1u);
    float initial = 0;
    float last = 0;
    for (int epoch = 0; epoch < 400; ++epoch) {
        auto const [loss, grad] = ctnn::gradient(net, std::span(inputs), std::span(targets), ctnn::loss::mse{});
        if (epoch == 0) {
            initial = loss;
        }
        last = loss;
        for (std::size_t i = 0; i < xor_net::parameter_count; ++i) {
            net.parameters()[i] -= 4.0f * grad.parameters()[i];
        }
    }
    return {net, initial, last};
}

constexpr trained result = train_xor();

static_assert(result.final_loss < result.initial_loss / 10, "training at compile time did not reduce the loss");
static_assert(result.net(inputs[0])[0] < 0.5f, "0 xor 0 should be 0");
static_assert(result.net(inputs[1])[0] > 0.5f, "0 xor 1 should be 1");
static_assert(result.net(inputs[2])[0] > 0.5f, "1 xor 0 should be 1");
static_assert(result.net(inputs[3])[0] < 0.5f, "1 xor 1 should be 0");

} // namespace
