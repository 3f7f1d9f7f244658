#ifndef CTNN_OPTIM_CLIP_HPP
#define CTNN_OPTIM_CLIP_HPP

/// \file
/// Gradient clipping: on a stored gradient before the optimizer's step, or,
/// clipping by value, as part of the optimizer's rule, so that
/// `ctnn::train_step` and `ctnn::fit` apply it inside backpropagation.

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optim/optimizer.hpp>

#include <array>
#include <cstddef>

namespace ctnn::optim {

/// Clamps every component of `grad` into [−limit, limit]
/// (`torch.nn.utils.clip_grad_value_`).
template <class T, class Input, class... Layers>
constexpr void clip_by_value(parameter_set<T, Input, Layers...>& grad, T limit) noexcept
{
    for (T& g : grad.parameters()) {
        g = g > limit ? limit : (g < -limit ? -limit : g);
    }
}

/// Scales `grad` so that its Euclidean norm is at most `max_norm` and returns
/// the norm it had (`torch.nn.utils.clip_grad_norm_`, including its 1e-6 in
/// the scale max_norm / (norm + 1e-6)). It needs the whole gradient before the
/// step, so it is not fused into backpropagation: compute the gradient
/// (`ctnn::gradient`), clip it, then `opt.step(net, grad)`.
template <class T, class Input, class... Layers>
constexpr T clip_by_global_norm(parameter_set<T, Input, Layers...>& grad, T max_norm) noexcept
{
    T sum_of_squares = T(0);
    for (T const g : grad.parameters()) {
        sum_of_squares += g * g;
    }
    T const norm = math::sqrt(sum_of_squares);
    T const scale = max_norm / (norm + T(1e-6));
    if (scale < T(1)) {
        for (T& g : grad.parameters()) {
            g *= scale;
        }
    }
    return norm;
}

namespace detail {

// value_clipped_rule: g clamped into [−limit, limit] (NaN kept), then the
// optimizer's rule.
template <class Rule, class T>
struct value_clipped_rule {
    Rule rule;
    T limit;

    // The clipped plain form of a rule that has one (see detail::apply_rule).
    [[nodiscard]] constexpr bool is_plain() const noexcept
        requires requires(Rule const& r) { r.plain(); }
    {
        return rule.is_plain();
    }
    [[nodiscard]] constexpr auto plain() const noexcept
        requires requires(Rule const& r) { r.plain(); }
    {
        return value_clipped_rule<decltype(rule.plain()), T>{rule.plain(), limit};
    }

    template <class V, class... State>
    constexpr void operator()(V& p, V const& g, State&... state) const noexcept
    {
        using ctnn::detail::select;
        using ctnn::detail::splat;
        V const clipped = select(g > limit, splat<V>(limit), select(g < -limit, splat<V>(-limit), g));
        rule(p, clipped, state...);
    }
};

} // namespace detail

/// An optimizer whose gradients are clipped by value first: the same steps as
/// `clip_by_value(grad, limit)` followed by `optimizer.step(net, grad)`, and
/// fused into backpropagation by `ctnn::train_step` and `ctnn::fit`. Holds a
/// reference to `optimizer`, whose state it updates.
///
///     auto clipped = ctnn::optim::with_value_clipping(adam, 1.0f);
///     ctnn::train_step(net, x, target, ctnn::loss::mse{}, clipped);
template <class Optimizer, class T>
struct value_clipping {
    Optimizer& optimizer;
    T limit;

    /// One update of `net` from `grad` clipped by value (`grad` is unchanged).
    template <class Input, class... Layers>
    constexpr void step(parameter_set<T, Input, Layers...>& net,
                        parameter_set<T, Input, Layers...> const& grad) noexcept
    {
        detail::step_over<T>(*this, net, grad);
    }

    /// The optimizer's next rule, clipping its gradient first.
    template <class U, class Apply>
    constexpr void next_step(Apply&& apply) noexcept
    {
        optimizer.template next_step<U>([&](auto const& rule, auto&... state) {
            apply(detail::value_clipped_rule<std::remove_cvref_t<decltype(rule)>, U>{rule, static_cast<U>(limit)},
                  state...);
        });
    }
};

/// `optimizer` with its gradients clipped into [−limit, limit] (see value_clipping).
template <class Optimizer, class T>
[[nodiscard]] constexpr value_clipping<Optimizer, T> with_value_clipping(Optimizer& optimizer, T limit) noexcept
{
    return {optimizer, limit};
}

} // namespace ctnn::optim

#endif
