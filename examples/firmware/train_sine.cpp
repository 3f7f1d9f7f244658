// Host side of the firmware example: trains the 1-16-16-1 sine model on
// sin(x), x in [0, 2π], with a plain Adam loop over ctnn::gradient, then
//   argv[1]  writes the model as a C++ header (ctnn::io::write_header)
//   argv[2]  writes the host's predictions at the firmware's test inputs
//   argv[3]  (optional) writes the model in ctnn's binary format
// Deterministic: fixed seed, fixed data, fixed number of steps.

#include "sine_inputs.hpp"

#include <ctnn/ctnn.hpp>
#include <ctnn/io/header_export.hpp>
#include <ctnn/io/model_file.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <span>

using sine_net = ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>, ctnn::dense<16, ctnn::relu>,
                               ctnn::dense<1, ctnn::identity>>;

namespace {

constexpr std::size_t samples = 64;
constexpr int steps = 4000;

// Adam (Kingma & Ba), written out: the library's optimizers are not needed
// for an example this small.
struct adam {
    float learning_rate = 0.01f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float epsilon = 1e-8f;
    std::array<float, sine_net::parameter_count> m{};
    std::array<float, sine_net::parameter_count> v{};
    int t = 0;

    void step(sine_net& net, sine_net::gradient_type const& grad)
    {
        ++t;
        float const c1 = 1.0f - std::pow(beta1, static_cast<float>(t));
        float const c2 = 1.0f - std::pow(beta2, static_cast<float>(t));
        auto p = net.parameters();
        auto g = grad.parameters();
        for (std::size_t i = 0; i < sine_net::parameter_count; ++i) {
            m[i] = beta1 * m[i] + (1.0f - beta1) * g[i];
            v[i] = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
            p[i] -= learning_rate * (m[i] / c1) / (std::sqrt(v[i] / c2) + epsilon);
        }
    }
};

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s <header.hpp> <expected.txt> [model.ctnn]\n", argv[0]);
        return 2;
    }
    std::array<sine_net::input_type, samples> xs{};
    std::array<sine_net::output_type, samples> ts{};
    for (std::size_t i = 0; i < samples; ++i) {
        float const x = fw::two_pi * static_cast<float>(i) / static_cast<float>(samples - 1);
        xs[i] = {x};
        ts[i] = {std::sin(x)};
    }

    sine_net net{};
    ctnn::init::xavier_uniform(net, 1u);
    adam opt{};
    float loss = 0.0f;
    for (int step = 0; step < steps; ++step) {
        if (step == steps / 2) {
            opt.learning_rate = 0.002f;
        }
        auto const [l, grad] = ctnn::gradient(net, std::span<sine_net::input_type const>(xs),
                                              std::span<sine_net::output_type const>(ts),
                                              ctnn::loss::mean_squared_error{});
        loss = l;
        opt.step(net, grad);
    }
    std::printf("sine model: mean squared error %.6f after %d Adam steps on %zu points\n", static_cast<double>(loss),
                steps, samples);

    auto const header = ctnn::io::write_header(net, argv[1], "sine_model");
    if (!header) {
        std::fprintf(stderr, "%s\n", header.message.c_str());
        return 1;
    }
    std::ofstream expected(argv[2], std::ios::trunc);
    for (std::uint32_t i = 0; i < fw::sine_test_points; ++i) {
        float const x = fw::sine_input(i);
        float const y = net({x})[0];
        std::array<char, 64> line{};
        std::snprintf(line.data(), line.size(), "y %u 0x%08x 0x%08x\n", static_cast<unsigned>(i),
                      static_cast<unsigned>(std::bit_cast<std::uint32_t>(x)),
                      static_cast<unsigned>(std::bit_cast<std::uint32_t>(y)));
        expected << line.data();
    }
    if (!expected.flush()) {
        std::fprintf(stderr, "cannot write %s\n", argv[2]);
        return 1;
    }
    if (argc > 3) {
        auto const saved = ctnn::io::save(net, argv[3]);
        if (!saved) {
            std::fprintf(stderr, "%s\n", saved.message.c_str());
            return 1;
        }
    }
    // A model this far off is not worth putting on a device.
    return loss < 1e-3f ? 0 : 1;
}
