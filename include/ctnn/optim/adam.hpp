#ifndef CTNN_OPTIM_ADAM_HPP
#define CTNN_OPTIM_ADAM_HPP

/// \file
/// Adam and AdamW, with PyTorch's defaults and update rules
/// (`torch.optim.Adam`, `torch.optim.AdamW`, amsgrad off).

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optim/optimizer.hpp>

#include <array>
#include <cstddef>
#include <type_traits>

namespace ctnn::optim {

namespace detail {

// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − (η √c₂ / c₁) m / (√v + ε √c₂):
// adam_rule's step without weight decay (see there).
template <class T>
struct plain_adam_rule {
    T step_size;
    T scaled_epsilon;
    T beta1;
    T one_minus_beta1;
    T beta2;
    T one_minus_beta2;

    template <class V>
    constexpr void operator()(V& p, V const& g, V& m, V& v) const noexcept
    {
        m = flush_subnormal(beta1 * m + one_minus_beta1 * g);
        v = beta2 * v + one_minus_beta2 * g * g;
        p -= step_size * (m / (math::sqrt(v) + scaled_epsilon));
    }
};

// One Adam step: g ← g + λθ (Adam's coupled weight decay; AdamW instead
// shrinks θ by the factor 1 − ηλ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
// θ ← θ − (η/c₁) m / (√v / √c₂ + ε), with the bias corrections
// c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ, computed as (η √c₂ / c₁) m / (√v + ε √c₂): the
// same quotient with one division per parameter instead of two (the square
// root and the division are what a step's arithmetic waits for). Which decay
// is a template parameter, so that neither rule computes the other's.
template <class T, bool Decoupled>
struct adam_rule {
    T step_size;      // η √c₂ / c₁
    T scaled_epsilon; // ε √c₂
    T beta1;
    T one_minus_beta1;
    T beta2;
    T one_minus_beta2;
    T decay; // AdamW: 1 − ηλ, the factor θ shrinks by; Adam: λ

    // Without weight decay (Adam's λ = 0, AdamW's factor 1), detail::apply_rule
    // runs plain_adam_rule: the same values, with neither λθ added to g (as
    // by every rule here: see sgd_rule) nor θ multiplied by 1.
    [[nodiscard]] constexpr bool is_plain() const noexcept
    {
        return decay == (Decoupled ? T(1) : T(0));
    }
    [[nodiscard]] constexpr plain_adam_rule<T> plain() const noexcept
    {
        return {step_size, scaled_epsilon, beta1, one_minus_beta1, beta2, one_minus_beta2};
    }

    template <class V>
    constexpr void operator()(V& p, V const& g, V& m, V& v) const noexcept
    {
        V const gi = Decoupled ? g : g + decay * p;
        m = flush_subnormal(beta1 * m + one_minus_beta1 * gi);
        v = beta2 * v + one_minus_beta2 * gi * gi;
        V const shrunk = Decoupled ? decay * p : p;
        p = shrunk - step_size * (m / (math::sqrt(v) + scaled_epsilon));
    }
};

// The rule of Adam's next step, advancing β₁ᵗ and β₂ᵗ.
template <bool Decoupled, class Optimizer>
constexpr auto adam_step_rule(Optimizer& opt) noexcept
{
    using T = typename Optimizer::value_type;
    opt.beta1_power *= opt.beta1;
    opt.beta2_power *= opt.beta2;
    T const root_correction2 = math::sqrt(T(1) - opt.beta2_power);
    return adam_rule<T, Decoupled>{opt.learning_rate * root_correction2 / (T(1) - opt.beta1_power),
                                   opt.epsilon * root_correction2,
                                   opt.beta1,
                                   T(1) - opt.beta1,
                                   opt.beta2,
                                   T(1) - opt.beta2,
                                   Decoupled ? T(1) - opt.learning_rate * opt.weight_decay : opt.weight_decay};
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

    /// One update of `net` (a network or any parameter set of its shape).
    constexpr void step(typename Net::gradient_type& net, typename Net::gradient_type const& grad) noexcept
    {
        detail::step_over<value_type>(*this, net, grad);
    }

    /// The rule of the next step and the two moments (see optim/optimizer.hpp).
    template <class T, class Apply>
    constexpr void next_step(Apply&& apply) noexcept
    {
        static_assert(std::is_same_v<T, value_type>, "ctnn::optim::adam<Net>: Net's scalar type only");
        apply(detail::adam_step_rule<false>(*this), first_moment, second_moment);
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

    /// One update of `net` (a network or any parameter set of its shape).
    constexpr void step(typename Net::gradient_type& net, typename Net::gradient_type const& grad) noexcept
    {
        detail::step_over<value_type>(*this, net, grad);
    }

    /// The rule of the next step and the two moments (see optim/optimizer.hpp).
    template <class T, class Apply>
    constexpr void next_step(Apply&& apply) noexcept
    {
        static_assert(std::is_same_v<T, value_type>, "ctnn::optim::adamw<Net>: Net's scalar type only");
        apply(detail::adam_step_rule<true>(*this), first_moment, second_moment);
    }
};

} // namespace ctnn::optim

#endif
