#ifndef CTNN_DETAIL_GRADIENT_SINKS_HPP
#define CTNN_DETAIL_GRADIENT_SINKS_HPP

/// \file
/// What the backward traversal (network.hpp) does with a dense layer's
/// gradient once it exists: `sink.take<I>(pass)` is called when the pass holds
/// layer I's dL/dz, after the gradient of the layer's input has been taken
/// from the weights as the forward pass used them, so a sink may update them.

#include <ctnn/detail/update_rule.hpp>

#include <array>
#include <cstddef>

namespace ctnn::detail {

// add_to_gradient{grad}: adds the layer's gradient into a gradient object.
template <class Gradient>
struct add_to_gradient {
    Gradient& grad;

    template <std::size_t I, class Pass>
    constexpr void take(Pass& pass) noexcept
    {
        auto g = grad.template layer<I>();
        pass.template add_gradient<I>(g.weights.data(), g.biases.data());
    }
};

// descend_at_once{net, rate}: θ −= rate ∂L/∂θ, the layer's update of plain
// gradient descent, without the gradient stored anywhere.
template <class Net>
struct descend_at_once {
    Net& net;
    typename Net::value_type rate;

    template <std::size_t I, class Pass>
    constexpr void take(Pass& pass) noexcept
    {
        auto w = net.template layer<I>();
        pass.template descend<I>(w.weights.data(), w.biases.data(), rate);
    }
};

// update_at_once{net, rule, state}: an optimizer's update rule on the
// layer's parameters with the layer's gradient, without the gradient stored
// anywhere; state points at the optimizer's state arrays.
template <class Net, class Rule, std::size_t K>
struct update_at_once {
    Net& net;
    Rule const& rule;
    std::array<typename Net::value_type*, K> state;

    template <std::size_t I, class Pass>
    constexpr void take(Pass& pass) noexcept
    {
        auto w = net.template layer<I>();
        pass.template apply_rule<I>(rule, w.weights.data(), w.biases.data(), advanced(state, Net::offsets[I]));
    }
};

// update_with_mean{net, sum, scale, rule, state}: the last block of a batch:
// adds the layer's gradient into the batch's sum, then applies the rule with
// the mean, sum · scale (scale = 1/n), as soon as the layer's sum is complete.
template <class Net, class Rule, std::size_t K>
struct update_with_mean {
    Net& net;
    typename Net::gradient_type& sum;
    typename Net::value_type scale;
    Rule const& rule;
    std::array<typename Net::value_type*, K> state;

    template <std::size_t I, class Pass>
    constexpr void take(Pass& pass) noexcept
    {
        using T = typename Net::value_type;
        constexpr std::size_t first = Net::offsets[I];
        constexpr std::size_t count = Net::offsets[I + 1] - first;
        auto g = sum.template layer<I>();
        pass.template add_gradient<I>(g.weights.data(), g.biases.data());
        apply_rule<T, count>(rule, net.parameters().data() + first,
                             mean_gradient<T>{sum.parameters().data() + first, scale}, advanced(state, first));
    }
};

} // namespace ctnn::detail

#endif
