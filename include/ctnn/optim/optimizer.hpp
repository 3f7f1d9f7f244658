#ifndef CTNN_OPTIM_OPTIMIZER_HPP
#define CTNN_OPTIM_OPTIMIZER_HPP

/// \file
/// What an optimizer is in ctnn: an update rule, defined once for one
/// parameter, and the state it keeps per parameter.
///
/// `opt.next_step<T>(apply)` starts one step (advances the step count, the
/// bias corrections, ...) and calls `apply(rule, state...)` once, where
/// `rule(θ, g, s...)` updates one parameter θ and its state s... (elements of
/// the state arrays, which have the parameters' layout) from its gradient g,
/// for θ, g and s of a scalar type or of a generic vector of them. Whoever
/// calls `next_step` applies the rule to every parameter: `opt.step(net, grad)`
/// over a gradient object, `ctnn::train_step` to each layer's rows as soon as
/// backpropagation has their gradient, so that no gradient is stored.
///
/// A first moment or velocity (the state that is a running sum of gradients)
/// whose magnitude falls below the smallest normal number is stored as zero
/// (`detail::flush_subnormal`). Such values arise wherever a parameter's
/// gradient stays zero for a while (an input that is always 0, a unit that
/// never activates): the state decays geometrically, by β₁ or μ per step,
/// into the subnormal range and stays there for some hundred steps, where
/// arithmetic runs many times slower on common CPUs. A flushed value would
/// have moved θ by about η·1.2e-38/ε at most (float; Adam's first moment) or
/// η·1.2e-38 (a velocity), less than θ's rounding unless |θ| is below about
/// 1e-25, θ = 0 included; centered RMSProp's gradient average only enters
/// its denominator. Second moments (running sums of g²) are kept as
/// they are: they decay by β₂ or α, some hundred times more slowly, and a
/// flushed one would leave a normal first moment over a denominator of ε
/// alone (over zero with ε = 0), where IEEE arithmetic keeps √v.

#include <ctnn/detail/update_rule.hpp>
#include <ctnn/math.hpp>

#include <array>
#include <cstddef>
#include <limits>

namespace ctnn::optim {

namespace detail {

// What a rule optimizer's next_step must accept: any rule and any states.
struct rule_probe {
    template <class Rule, class... State>
    constexpr void operator()(Rule const&, State&...) const noexcept
    {
    }
};

} // namespace detail

/// An optimizer with an update rule for parameters of type T (every optimizer
/// in `ctnn::optim`): `ctnn::train_step` and `ctnn::fit` apply its rule inside
/// backpropagation.
template <class Optimizer, class T>
concept rule_optimizer = requires(Optimizer& opt) { opt.template next_step<T>(detail::rule_probe{}); };

namespace detail {

// flush_subnormal(x): x, or +0 where |x| is below the smallest normal number
// (NaN and infinities kept). A compare and a blend per lane, no branch.
template <class V>
[[nodiscard, gnu::always_inline]] constexpr V flush_subnormal(V x) noexcept
{
    using T = ctnn::detail::lane_scalar<V>;
    return ctnn::detail::select(ctnn::detail::abs_bits(x) < std::numeric_limits<T>::min(), V{}, x);
}

// step_over<T>(opt, params, grad): one step of `opt` over a stored gradient:
// its rule on every parameter.
template <class T, class Optimizer, class Parameters>
constexpr void step_over(Optimizer& opt, Parameters& params, Parameters const& grad) noexcept
{
    opt.template next_step<T>([&](auto const& rule, auto&... state) {
        ctnn::detail::apply_rule<T, Parameters::parameter_count>(
            rule, params.parameters().data(), ctnn::detail::stored_gradient<T>{grad.parameters().data()},
            std::array<T*, sizeof...(state)>{state.data()...});
    });
}

} // namespace detail

} // namespace ctnn::optim

#endif
