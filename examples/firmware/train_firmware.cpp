// Training on the device: a 1-8-1 tanh network learns sin(x) on [0, π] by
// plain stochastic gradient descent, all state in fixed-size arrays on the
// stack (no heap). Exits 0 when the loss has fallen at least tenfold.

#include "semihost_out.hpp"

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstdint>

using net_t = ctnn::network<float, ctnn::input<1>, ctnn::dense<8, ctnn::tanh>, ctnn::dense<1, ctnn::identity>>;

namespace {

constexpr std::size_t samples = 16;
constexpr int epochs = 300;
constexpr float learning_rate = 0.05f;

// sin on [0, π] by its Taylor series (no libm needed): the targets.
constexpr float taylor_sin(float x)
{
    float term = x;
    float sum = x;
    for (int k = 1; k < 8; ++k) {
        term *= -x * x / static_cast<float>((2 * k) * (2 * k + 1));
        sum += term;
    }
    return sum;
}

struct data_set {
    std::array<net_t::input_type, samples> xs{};
    std::array<net_t::output_type, samples> ts{};
};

constexpr data_set make_data()
{
    data_set d{};
    for (std::size_t i = 0; i < samples; ++i) {
        float const x = 3.14159265f * static_cast<float>(i) / static_cast<float>(samples - 1);
        d.xs[i] = {x};
        d.ts[i] = {taylor_sin(x)};
    }
    return d;
}

constexpr data_set data = make_data();

float mean_loss(net_t const& net)
{
    float total = 0.0f;
    for (std::size_t i = 0; i < samples; ++i) {
        total += ctnn::loss_value(net, data.xs[i], data.ts[i], ctnn::loss::mse{});
    }
    return total / static_cast<float>(samples);
}

} // namespace

int main()
{
    net_t net{};
    ctnn::init::xavier_uniform(net, 11u);
    float const before = mean_loss(net);
    fw::put("initial loss ");
    fw::put_fixed(before, 6);
    fw::put("\n");
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        for (std::size_t i = 0; i < samples; ++i) {
            auto const [loss, grad] = ctnn::gradient(net, data.xs[i], data.ts[i], ctnn::loss::mse{});
            static_cast<void>(loss);
            auto const p = net.parameters();
            auto const g = grad.parameters();
            for (std::size_t k = 0; k < net_t::parameter_count; ++k) {
                p[k] -= learning_rate * g[k];
            }
        }
        if (epoch % 100 == 0) {
            fw::put("epoch ");
            fw::put_dec(static_cast<std::uint32_t>(epoch));
            fw::put(" loss ");
            fw::put_fixed(mean_loss(net), 6);
            fw::put("\n");
        }
    }
    float const after = mean_loss(net);
    bool const fell = after < 0.1f * before;
    fw::put(fell ? "loss fell tenfold: ok\n" : "loss did not fall tenfold: FAILED\n");
    return fell ? 0 : 2;
}
