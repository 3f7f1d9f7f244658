#ifndef CTNN_SYM_DERIVATIVE_HPP
#define CTNN_SYM_DERIVATIVE_HPP

/// \file
/// `d(e)`: the derivative of an expression, derived from its type by the
/// rules of calculus (sum, product, quotient and chain rules) and simplified
/// as it is built. Never a finite difference.

#include <ctnn/sym/construct.hpp>
#include <ctnn/sym/node.hpp>

#include <cstddef>
#include <tuple>

namespace ctnn::sym {

/// The derivative of `e` with respect to variable `v` (by default `x`), as a
/// new expression.
template <expression E, std::size_t V = 0>
[[nodiscard]] constexpr auto d(E const& e, variable<V> v = {}) noexcept;

namespace detail {

// One rule per node kind. `a`, `b` are the operands, `v` the variable.
template <std::size_t V>
constexpr auto rule(op::plus, expression auto a, expression auto b, variable<V> v) noexcept
{
    return add(d(a, v), d(b, v));
}
template <std::size_t V>
constexpr auto rule(op::minus, expression auto a, expression auto b, variable<V> v) noexcept
{
    return sub(d(a, v), d(b, v));
}
template <std::size_t V>
constexpr auto rule(op::negate, expression auto a, variable<V> v) noexcept
{
    return neg(d(a, v));
}
template <std::size_t V>
constexpr auto rule(op::times, expression auto a, expression auto b, variable<V> v) noexcept
{
    return add(mul(d(a, v), b), mul(a, d(b, v))); // product rule
}
template <std::size_t V>
constexpr auto rule(op::divides, expression auto a, expression auto b, variable<V> v) noexcept
{
    if constexpr (!uses_v<decltype(b), variable<V>>) {
        return div(d(a, v), b); // a constant denominator needs no quotient rule
    } else {
        return div(sub(mul(d(a, v), b), mul(a, d(b, v))), pow<2>(b)); // quotient rule
    }
}
template <int N, std::size_t V>
constexpr auto rule(op::power<N>, expression auto a, variable<V> v) noexcept
{
    return mul(mul(constant{double(N)}, pow<N - 1>(a)), d(a, v));
}
// Chain rule for the elementary functions: f(a)' = f'(a) a'.
template <std::size_t V>
constexpr auto rule(op::exp, expression auto a, variable<V> v) noexcept
{
    return mul(exp(a), d(a, v));
}
template <std::size_t V>
constexpr auto rule(op::expm1, expression auto a, variable<V> v) noexcept
{
    return mul(exp(a), d(a, v));
}
template <std::size_t V>
constexpr auto rule(op::log, expression auto a, variable<V> v) noexcept
{
    return div(d(a, v), a);
}
template <std::size_t V>
constexpr auto rule(op::log1p, expression auto a, variable<V> v) noexcept
{
    return div(d(a, v), add(one{}, a));
}
template <std::size_t V>
constexpr auto rule(op::tanh, expression auto a, variable<V> v) noexcept
{
    return mul(sub(one{}, pow<2>(tanh(a))), d(a, v));
}
template <std::size_t V>
constexpr auto rule(op::sqrt, expression auto a, variable<V> v) noexcept
{
    return div(d(a, v), mul(constant{2.0}, sqrt(a)));
}
template <std::size_t V>
constexpr auto rule(op::sigmoid, expression auto a, variable<V> v) noexcept
{
    return mul(mul(sigmoid(a), sub(one{}, sigmoid(a))), d(a, v));
}
template <std::size_t V>
constexpr auto rule(op::softplus, expression auto a, variable<V> v) noexcept
{
    return mul(sigmoid(a), d(a, v));
}
template <std::size_t V>
constexpr auto rule(op::select, expression auto c, expression auto a, expression auto b, variable<V> v) noexcept
{
    // Piecewise: differentiate each piece; the condition is kept as it is.
    return select(c, d(a, v), d(b, v));
}

} // namespace detail

template <expression E, std::size_t V>
[[nodiscard]] constexpr auto d(E const& e, variable<V> v) noexcept
{
    if constexpr (is_constant_like_v<E>) {
        return zero{};
    } else if constexpr (std::is_same_v<E, variable<V>>) {
        return one{};
    } else if constexpr (!uses_v<E, variable<V>>) {
        return zero{}; // another variable, or an expression without v
    } else if constexpr (is_condition_v<E>) {
        static_assert(!is_condition_v<E>, "ctnn::sym::d: a comparison has no derivative; use it inside select()");
        return zero{};
    } else {
        return std::apply([v](auto const&... args) { return detail::rule(typename E::op_type{}, args..., v); },
                          e.args);
    }
}

} // namespace ctnn::sym

#endif
