#ifndef CTNN_OPTIM_SGD_HPP
#define CTNN_OPTIM_SGD_HPP

/// \file
/// Stochastic gradient descent: plain (`sgd`, stateless) and with momentum or
/// Nesterov momentum (`sgd_momentum<Net>`, which keeps a velocity per parameter).
/// Update rules and defaults follow `torch.optim.SGD`.

#include <ctnn/network.hpp>
#include <ctnn/optim/hyperparameter.hpp>
#include <ctnn/optim/optimizer.hpp>

#include <array>
#include <cstddef>
#include <type_traits>

namespace ctnn::optim {

namespace detail {

// θ ← θ − η g: sgd_rule's step without weight decay (see there).
template <class T>
struct descent_rule {
    T learning_rate;

    template <class V>
    constexpr void operator()(V& p, V const& g) const noexcept
    {
        p -= learning_rate * g;
    }
};

// θ ← θ − η (g + λθ), λθ left out where λ = 0, as by every rule here and in
// PyTorch (an infinite θ then stays infinite, rather than NaN from 0·θ).
// Without weight decay, plain gradient descent, which a single-sample
// train_step runs as such (detail::sample_pass::apply_rule).
template <class T>
struct sgd_rule {
    static constexpr bool is_gradient_descent = true;
    T learning_rate;
    T weight_decay;

    // Without weight decay, detail::apply_rule runs descent_rule: the same
    // values, without the test of λ in its loop.
    [[nodiscard]] constexpr bool is_plain() const noexcept
    {
        return weight_decay == T(0);
    }
    [[nodiscard]] constexpr descent_rule<T> plain() const noexcept
    {
        return {learning_rate};
    }

    template <class V>
    constexpr void operator()(V& p, V const& g) const noexcept
    {
        p -= learning_rate * (weight_decay == T(0) ? g : g + weight_decay * p);
    }
};

// b ← μ b + g;  θ ← θ − η b: momentum_rule's step where its settings reduce
// it to this (see there).
template <class T>
struct plain_momentum_rule {
    T learning_rate;
    T momentum;

    template <class V>
    constexpr void operator()(V& p, V const& g, V& velocity) const noexcept
    {
        velocity = flush_subnormal(momentum * velocity + g);
        p -= learning_rate * velocity;
    }
};

// g ← g + λθ (where λ ≠ 0);  b ← μ b + (1 − τ) g  (b = g on the first step);
// θ ← θ − η (nesterov ? g + μ b : b)
//
// With PyTorch's defaults (λ = 0, τ = 0, not Nesterov), every step after the
// first is plain_momentum_rule's, which detail::apply_rule runs instead: its
// loop has no tests of the settings (GCC at -O2 keeps them inside the loop)
// and no products by 0 or 1. The values are the same: the general rule, too,
// leaves λθ out where λ = 0 (see sgd_rule).
template <class T>
struct momentum_rule {
    T learning_rate;
    T momentum;
    T one_minus_dampening;
    T weight_decay;
    bool nesterov;
    bool first;

    [[nodiscard]] constexpr bool is_plain() const noexcept
    {
        return weight_decay == T(0) && one_minus_dampening == T(1) && !nesterov && !first;
    }
    [[nodiscard]] constexpr plain_momentum_rule<T> plain() const noexcept
    {
        return {learning_rate, momentum};
    }

    template <class V>
    constexpr void operator()(V& p, V const& g, V& velocity) const noexcept
    {
        V const gi = weight_decay == T(0) ? g : g + weight_decay * p;
        velocity = flush_subnormal(first ? gi : momentum * velocity + one_minus_dampening * gi);
        p -= learning_rate * (nesterov ? gi + momentum * velocity : velocity);
    }
};

} // namespace detail

/// θ ← θ − η (g + λθ). Stateless, so one object serves any network:
/// `ctnn::optim::sgd opt{.learning_rate = 0.1f}; opt.step(net, grad);`
/// (a `float` network's step reads its settings as floats: see
/// `hyperparameter`).
struct sgd {
    hyperparameter learning_rate = 1e-3;
    /// L2 penalty λ, added to the gradient (PyTorch's `weight_decay`).
    hyperparameter weight_decay = 0.0;

    /// One update of `net` (a network or any parameter set of its shape).
    template <class T, class Input, class... Layers>
    constexpr void step(parameter_set<T, Input, Layers...>& net,
                        parameter_set<T, Input, Layers...> const& grad) const noexcept
    {
        detail::step_over<T>(*this, net, grad);
    }

    /// The rule of a step for parameters of type T (see optim/optimizer.hpp).
    template <class T, class Apply>
    constexpr void next_step(Apply&& apply) const noexcept
    {
        apply(detail::sgd_rule<T>{learning_rate.as<T>(), weight_decay.as<T>()});
    }
};

/// SGD with momentum μ, as `torch.optim.SGD(momentum=μ, dampening=τ, nesterov=...)`:
///
///     g ← g + λθ;  b ← μ b + (1 − τ) g  (b = g on the first step);
///     θ ← θ − η (nesterov ? g + μ b : b)
template <class Net>
struct sgd_momentum {
    using value_type = typename Net::value_type;

    value_type learning_rate = value_type(1e-3);
    value_type momentum = value_type(0.9);
    value_type dampening = value_type(0);
    value_type weight_decay = value_type(0);
    bool nesterov = false;

    std::array<value_type, Net::parameter_count> velocity{};
    bool started = false;

    /// One update of `net` (a network or any parameter set of its shape).
    constexpr void step(typename Net::gradient_type& net, typename Net::gradient_type const& grad) noexcept
    {
        detail::step_over<value_type>(*this, net, grad);
    }

    /// The rule of the next step and the velocity (see optim/optimizer.hpp).
    template <class T, class Apply>
    constexpr void next_step(Apply&& apply) noexcept
    {
        static_assert(std::is_same_v<T, value_type>, "ctnn::optim::sgd_momentum<Net>: Net's scalar type only");
        bool const first = !started;
        started = true;
        apply(detail::momentum_rule<value_type>{learning_rate, momentum, value_type(1) - dampening, weight_decay,
                                                nesterov, first},
              velocity);
    }
};

} // namespace ctnn::optim

#endif
