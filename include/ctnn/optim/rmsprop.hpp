#ifndef CTNN_OPTIM_RMSPROP_HPP
#define CTNN_OPTIM_RMSPROP_HPP

/// \file
/// RMSProp with PyTorch's defaults and update rule (`torch.optim.RMSprop`).

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optim/optimizer.hpp>

#include <array>
#include <cstddef>
#include <type_traits>

namespace ctnn::optim {

namespace detail {

// nth<N>(s...): the N-th of the references s...
template <std::size_t N, class First, class... Rest>
[[nodiscard]] constexpr auto& nth(First& first, Rest&... rest) noexcept
{
    if constexpr (N == 0) {
        return first;
    } else {
        return nth<N - 1>(rest...);
    }
}

// The rule with the state it needs: v, then ḡ when Centered, then b with
// Momentum (a run-time choice of the optimizer, made once per step, so that a
// step reads and writes no state it does not use).
template <class T, bool Centered, bool Momentum>
struct rmsprop_rule {
    T learning_rate;
    T alpha;
    T one_minus_alpha;
    T epsilon;
    T weight_decay;
    T momentum;

    template <class V, class... State>
    constexpr void operator()(V& p, V const& g, V& square_average, State&... state) const noexcept
    {
        static_assert(sizeof...(State) == std::size_t{Centered} + std::size_t{Momentum});
        V const gi = weight_decay == T(0) ? g : g + weight_decay * p; // see sgd_rule
        square_average = alpha * square_average + one_minus_alpha * gi * gi;
        V variance = square_average;
        if constexpr (Centered) {
            V& gradient_average = nth<0>(state...);
            gradient_average = flush_subnormal(alpha * gradient_average + one_minus_alpha * gi);
            variance -= gradient_average * gradient_average;
        }
        V const scaled = gi / (math::sqrt(variance) + epsilon);
        if constexpr (Momentum) {
            V& velocity = nth<Centered ? 1 : 0>(state...);
            velocity = flush_subnormal(momentum * velocity + scaled);
            p -= learning_rate * velocity;
        } else {
            p -= learning_rate * scaled;
        }
    }
};

} // namespace detail

/// v ← αv + (1−α)g²; with `centered`, ḡ ← αḡ + (1−α)g and the denominator uses
/// v − ḡ²; then θ ← θ − η g / (√v + ε), or with momentum μ,
/// b ← μb + g / (√v + ε), θ ← θ − η b. `weight_decay` adds λθ to g.
template <class Net>
struct rmsprop {
    using value_type = typename Net::value_type;

    value_type learning_rate = value_type(1e-2);
    value_type alpha = value_type(0.99);
    value_type epsilon = value_type(1e-8);
    value_type weight_decay = value_type(0);
    value_type momentum = value_type(0);
    bool centered = false;

    std::array<value_type, Net::parameter_count> square_average{};
    std::array<value_type, Net::parameter_count> gradient_average{};
    std::array<value_type, Net::parameter_count> velocity{};

    /// One update of `net` (a network or any parameter set of its shape).
    constexpr void step(typename Net::gradient_type& net, typename Net::gradient_type const& grad) noexcept
    {
        detail::step_over<value_type>(*this, net, grad);
    }

    /// The rule of the next step and the state it uses (see optim/optimizer.hpp).
    template <class T, class Apply>
    constexpr void next_step(Apply&& apply) noexcept
    {
        static_assert(std::is_same_v<T, value_type>, "ctnn::optim::rmsprop<Net>: Net's scalar type only");
        auto const rule = [&]<bool Centered, bool Momentum>() {
            return detail::rmsprop_rule<value_type, Centered, Momentum>{
                learning_rate, alpha, value_type(1) - alpha, epsilon, weight_decay, momentum};
        };
        bool const with_momentum = momentum > value_type(0);
        if (centered && with_momentum) {
            apply(rule.template operator()<true, true>(), square_average, gradient_average, velocity);
        } else if (centered) {
            apply(rule.template operator()<true, false>(), square_average, gradient_average);
        } else if (with_momentum) {
            apply(rule.template operator()<false, true>(), square_average, velocity);
        } else {
            apply(rule.template operator()<false, false>(), square_average);
        }
    }
};

} // namespace ctnn::optim

#endif
