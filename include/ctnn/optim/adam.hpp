#ifndef CTNN_OPTIM_ADAM_HPP
#define CTNN_OPTIM_ADAM_HPP

/// \file
/// Adam and AdamW, with PyTorch's defaults and update rules
/// (`torch.optim.Adam`, `torch.optim.AdamW`, amsgrad off).

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

#include <array>
#include <cstddef>

namespace ctnn::optim {

namespace detail {

// adam_update: one fused pass of Adam over the parameters. `decoupled` selects
// AdamW (decay applied to θ directly) over Adam (decay added to g).
template <class T, std::size_t N>
constexpr void adam_update(std::span<T, N> p, std::span<T const, N> g, std::array<T, N>& m, std::array<T, N>& v,
                           T learning_rate, T beta1, T beta2, T epsilon, T weight_decay, bool decoupled,
                           T bias_correction1, T bias_correction2) noexcept
{
    T const step_size = learning_rate / bias_correction1;
    T const root_correction2 = math::sqrt(bias_correction2);
    T const shrink = decoupled ? T(1) - learning_rate * weight_decay : T(1);
    T const coupled_decay = decoupled ? T(0) : weight_decay;
    for (std::size_t i = 0; i < N; ++i) {
        T const gi = g[i] + coupled_decay * p[i];
        m[i] = beta1 * m[i] + (T(1) - beta1) * gi;
        v[i] = beta2 * v[i] + (T(1) - beta2) * gi * gi;
        T const denominator = math::sqrt(v[i]) / root_correction2 + epsilon;
        p[i] = shrink * p[i] - step_size * m[i] / denominator;
    }
}

} // namespace detail

/// Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − η m̂ / (√v̂ + ε), with the
/// bias corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ); `weight_decay` adds λθ to g.
///
///     ctnn::optim::adam<net_t> opt{.learning_rate = 1e-3f};
///     opt.step(net, grad);
template <class Net>
struct adam {
    using value_type = typename Net::value_type;

    value_type learning_rate = value_type(1e-3);
    value_type beta1 = value_type(0.9);
    value_type beta2 = value_type(0.999);
    value_type epsilon = value_type(1e-8);
    value_type weight_decay = value_type(0);

    std::array<value_type, Net::parameter_count> first_moment{};
    std::array<value_type, Net::parameter_count> second_moment{};
    value_type beta1_power = value_type(1); ///< β₁ᵗ
    value_type beta2_power = value_type(1); ///< β₂ᵗ

    constexpr void step(typename Net::gradient_type& net, typename Net::gradient_type const& grad) noexcept
    {
        beta1_power *= beta1;
        beta2_power *= beta2;
        detail::adam_update(net.parameters(), grad.parameters(), first_moment, second_moment, learning_rate, beta1,
                            beta2, epsilon, weight_decay, false, value_type(1) - beta1_power,
                            value_type(1) - beta2_power);
    }
};

/// AdamW: Adam with decoupled weight decay, θ ← θ(1 − ηλ) before the Adam
/// step; PyTorch's default λ = 0.01.
template <class Net>
struct adamw {
    using value_type = typename Net::value_type;

    value_type learning_rate = value_type(1e-3);
    value_type beta1 = value_type(0.9);
    value_type beta2 = value_type(0.999);
    value_type epsilon = value_type(1e-8);
    value_type weight_decay = value_type(1e-2);

    std::array<value_type, Net::parameter_count> first_moment{};
    std::array<value_type, Net::parameter_count> second_moment{};
    value_type beta1_power = value_type(1);
    value_type beta2_power = value_type(1);

    constexpr void step(typename Net::gradient_type& net, typename Net::gradient_type const& grad) noexcept
    {
        beta1_power *= beta1;
        beta2_power *= beta2;
        detail::adam_update(net.parameters(), grad.parameters(), first_moment, second_moment, learning_rate, beta1,
                            beta2, epsilon, weight_decay, true, value_type(1) - beta1_power,
                            value_type(1) - beta2_power);
    }
};

} // namespace ctnn::optim

#endif
