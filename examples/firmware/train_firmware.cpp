// Training on the device: a 1-8-1 tanh network learns sin(x) on [0, π],
// twice from the same initial weights: with plain stochastic gradient descent
// (optim::sgd) and with Adam (optim::adam), one sample per step
// (ctnn::train_step), all state in fixed-size arrays on the stack (no heap).
// A float network: nothing here does double arithmetic, which the
// Cortex-M4F's single-precision FPU would leave to software routines (the
// test firmware.train_without_double checks the object for them). Prints the
// loss every 100 epochs; exits 0 when both runs' loss has fallen at least
// tenfold.

#include "semihost_out.hpp"

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstdint>

using net_t = ctnn::network<float, ctnn::input<1>, ctnn::dense<8, ctnn::tanh>, ctnn::dense<1, ctnn::identity>>;

namespace {

constexpr std::size_t samples = 16;
constexpr int epochs = 300;

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

// Trains a copy of `initial` with `optimizer` and reports whether its loss
// fell at least tenfold. Out of line, once per optimizer, so that each run is
// one function in the firmware.
template <class Optimizer>
[[gnu::noinline]] bool train(char const* name, net_t const& initial, Optimizer optimizer)
{
    net_t net = initial;
    float const before = mean_loss(net);
    fw::put(name);
    fw::put(": initial loss ");
    fw::put_fixed(before, 6);
    fw::put("\n");
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        for (std::size_t i = 0; i < samples; ++i) {
            static_cast<void>(ctnn::train_step(net, data.xs[i], data.ts[i], ctnn::loss::mse{}, optimizer));
        }
        if (epoch % 100 == 0) {
            fw::put(name);
            fw::put(": epoch ");
            fw::put_dec(static_cast<std::uint32_t>(epoch));
            fw::put(" loss ");
            fw::put_fixed(mean_loss(net), 6);
            fw::put("\n");
        }
    }
    bool const fell = mean_loss(net) < 0.1f * before;
    fw::put(name);
    fw::put(fell ? ": loss fell tenfold: ok\n" : ": loss did not fall tenfold: FAILED\n");
    return fell;
}

} // namespace

int main()
{
    net_t initial{};
    ctnn::init::xavier_uniform(initial, 11u);
    bool const sgd = train("sgd", initial, ctnn::optim::sgd{.learning_rate = 0.05f});
    bool const adam = train("adam", initial, ctnn::optim::adam<net_t>{.learning_rate = 0.01f});
    return sgd && adam ? 0 : 2;
}
