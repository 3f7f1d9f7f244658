#ifndef CTNN_OPTIM_SGD_HPP
#define CTNN_OPTIM_SGD_HPP

/// \file
/// Stochastic gradient descent: plain (`sgd`, stateless) and with momentum or
/// Nesterov momentum (`sgd_momentum<Net>`, which keeps a velocity per parameter).
/// Update rules and defaults follow `torch.optim.SGD`.

#include <ctnn/network.hpp>

#include <array>
#include <cstddef>

namespace ctnn::optim {

/// θ ← θ − η (g + λθ). Stateless, so one object serves any network:
/// `ctnn::optim::sgd opt{.learning_rate = 0.1f}; opt.step(net, grad);`
struct sgd {
    double learning_rate = 1e-3;
    /// L2 penalty λ, added to the gradient (PyTorch's `weight_decay`).
    double weight_decay = 0.0;

    template <class T, class Input, class... Layers>
    constexpr void step(parameter_set<T, Input, Layers...>& net,
                        parameter_set<T, Input, Layers...> const& grad) const noexcept
    {
        auto const lr = static_cast<T>(learning_rate);
        auto const decay = static_cast<T>(weight_decay);
        auto p = net.parameters();
        auto const g = grad.parameters();
        for (std::size_t i = 0; i < p.size(); ++i) {
            p[i] -= lr * (g[i] + decay * p[i]);
        }
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
        auto p = net.parameters();
        auto const g = grad.parameters();
        for (std::size_t i = 0; i < p.size(); ++i) {
            value_type const gi = g[i] + weight_decay * p[i];
            velocity[i] = started ? momentum * velocity[i] + (value_type(1) - dampening) * gi : gi;
            p[i] -= learning_rate * (nesterov ? gi + momentum * velocity[i] : velocity[i]);
        }
        started = true;
    }
};

} // namespace ctnn::optim

#endif
