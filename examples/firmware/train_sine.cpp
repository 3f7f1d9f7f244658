// Host side of the firmware example: trains the 1-16-16-1 sine model on
// sin(x), x in [0, 2π], with a plain Adam loop over ctnn::gradient, then
//   argv[1]  writes the model as a C++ header (ctnn::io::write_header)
//   argv[2]  writes the host's predictions at the firmware's test inputs
//   argv[3]  writes the model in ctnn's binary format
//   argv[4]  writes, at the same inputs, the model evaluated in double and a
//            bound on the distance of any float evaluation from it
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

// The network at x evaluated in double from its float parameters (per layer
// the weights row-major [out][in], then the biases; relu, relu, identity),
// independently of ctnn's kernels, and a bound E with |y − ŷ| <= E for the
// output ŷ of any float evaluation of the same parameters, whatever order each
// unit sums its terms in (ctnn's, the firmware's hand-written loop's).
//
// Why E bounds it: a unit of n inputs sums n + 1 terms (the bias and n
// products), so in float each term is rounded at most n + 1 times and the sum
// is within γ(|b| + Σ|w||â|) of b + Σ w â, where γ = (n+1)u / (1 − (n+1)u),
// u = 2^-24, and â are the float inputs (Higham, Accuracy and Stability of
// Numerical Algorithms, 2nd ed., §3.1; any order of summation). A product that
// underflows adds at most 2^-150 more. The double evaluation here errs the
// same way with u = 2^-53. Inputs already off by e (per input) add at most
// Σ|w| e, and relu moves no value further from another. So, layer by layer,
//   e' = (γ_float + γ_double)(|b| + Σ|w|(|a| + e)) + Σ|w| e + n·2^-149,
// a the double activations, starting from e = 0 at the input (x is exact in
// both). E is e at the output, computed in double, times 1 + 2^-30 for the
// rounding of this computation itself (a few hundred operations, each off by
// at most 2^-53 relative).
struct reference {
    double y;
    double bound;
};

reference evaluate_in_double(sine_net const& net, float x)
{
    constexpr std::array<std::size_t, 4> widths{1, 16, 16, 1};
    static_assert(16 + 16 + 16 * 16 + 16 + 16 + 1 == sine_net::parameter_count);
    auto const p = net.parameters();
    std::array<double, 16> a{static_cast<double>(x)};
    std::array<double, 16> e{};
    std::size_t offset = 0;
    for (std::size_t layer = 0; layer + 1 < widths.size(); ++layer) {
        std::size_t const in = widths[layer];
        std::size_t const out = widths[layer + 1];
        double const terms = static_cast<double>(in + 1);
        double const gamma = terms * 0x1p-24 / (1 - terms * 0x1p-24) + terms * 0x1p-53 / (1 - terms * 0x1p-53);
        std::array<double, 16> next{};
        std::array<double, 16> next_e{};
        for (std::size_t o = 0; o < out; ++o) {
            double const b = p[offset + out * in + o];
            double z = b;
            double magnitude = std::fabs(b);
            double carried = 0;
            for (std::size_t i = 0; i < in; ++i) {
                double const w = p[offset + o * in + i];
                z += w * a[i];
                magnitude += std::fabs(w) * (std::fabs(a[i]) + e[i]);
                carried += std::fabs(w) * e[i];
            }
            bool const relu = layer + 2 < widths.size();
            next[o] = relu && !(z > 0) ? 0.0 : z;
            next_e[o] = gamma * magnitude + carried + static_cast<double>(in) * 0x1p-149;
        }
        a = next;
        e = next_e;
        offset += out * in + out;
    }
    return {a[0], e[0] * (1 + 0x1p-30)};
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s <header.hpp> <expected.txt> <model.ctnn> <reference.txt>\n", argv[0]);
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
    // Biases 0.1: every input is at least 0, so a first-layer unit whose
    // weight is drawn negative would start, and with a zero bias stay, idle
    // (relu's slope is 0 there); with a small positive bias most units start
    // active and the fit does not depend on a lucky seed.
    ctnn::init::xavier_uniform(net, 1u, 0.1f);
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
    std::ofstream references(argv[4], std::ios::trunc);
    for (std::uint32_t i = 0; i < fw::sine_test_points; ++i) {
        float const x = fw::sine_input(i);
        float const y = net({x})[0];
        std::array<char, 64> line{};
        std::snprintf(line.data(), line.size(), "y %u 0x%08x 0x%08x\n", static_cast<unsigned>(i),
                      static_cast<unsigned>(std::bit_cast<std::uint32_t>(x)),
                      static_cast<unsigned>(std::bit_cast<std::uint32_t>(y)));
        expected << line.data();
        auto const [y_double, bound] = evaluate_in_double(net, x);
        std::array<char, 96> reference_line{};
        std::snprintf(reference_line.data(), reference_line.size(), "reference %u %a %a\n",
                      static_cast<unsigned>(i), y_double, bound);
        references << reference_line.data();
    }
    if (!expected.flush() || !references.flush()) {
        std::fprintf(stderr, "cannot write %s or %s\n", argv[2], argv[4]);
        return 1;
    }
    auto const saved = ctnn::io::save(net, argv[3]);
    if (!saved) {
        std::fprintf(stderr, "%s\n", saved.message.c_str());
        return 1;
    }
    // A model this far off is not worth putting on a device.
    return loss < 1e-3f ? 0 : 1;
}
