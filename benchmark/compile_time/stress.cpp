// Compile-time stress test (docs/benchmarks.md): a 10-layer network of width
// 64, one forward pass, one backward pass and an Adam update written out by
// hand, all instantiated. Measures what the templates cost the compiler; it
// is also run, so that it is known to work.

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <cstdio>

using stress_net = ctnn::network<float, ctnn::input<64>, ctnn::dense<64, ctnn::relu>, ctnn::dense<64, ctnn::tanh>,
                                 ctnn::dense<64, ctnn::sigmoid>, ctnn::dense<64, ctnn::swish>,
                                 ctnn::dense<64, ctnn::gelu>, ctnn::dense<64, ctnn::elu>,
                                 ctnn::dense<64, ctnn::softplus>, ctnn::dense<64, ctnn::leaky_relu>,
                                 ctnn::dense<64, ctnn::relu>, ctnn::dense<64, ctnn::identity>>;

// Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8), by hand.
struct adam_state {
    std::array<float, stress_net::parameter_count> m{}, v{};
    int t = 0;
};

void adam_step(stress_net& net, stress_net::gradient_type const& g, adam_state& s, float rate)
{
    ++s.t;
    float const c1 = 1.0f - std::pow(0.9f, float(s.t));
    float const c2 = 1.0f - std::pow(0.999f, float(s.t));
    auto const p = net.parameters();
    auto const d = g.parameters();
    for (std::size_t i = 0; i < stress_net::parameter_count; ++i) {
        s.m[i] = 0.9f * s.m[i] + 0.1f * d[i];
        s.v[i] = 0.999f * s.v[i] + 0.001f * d[i] * d[i];
        p[i] -= rate * (s.m[i] / c1) / (std::sqrt(s.v[i] / c2) + 1e-8f);
    }
}

int main()
{
    static stress_net net{};
    ctnn::init::xavier_uniform(net, 7u);
    static adam_state state{};
    std::array<float, 64> x{};
    std::array<float, 64> t{};
    for (std::size_t i = 0; i < 64; ++i) {
        x[i] = float(i) / 64.0f - 0.5f;
        t[i] = 0.25f;
    }
    float first = 0.0f, last = 0.0f;
    for (int step = 0; step < 50; ++step) {
        auto const [loss, grad] = ctnn::gradient(net, x, t, ctnn::loss::mse{});
        adam_step(net, grad, state, 1e-3f);
        (step == 0 ? first : last) = loss;
    }
    std::printf("stress: loss %g -> %g\n", double(first), double(last));
    return last < first ? 0 : 1;
}
