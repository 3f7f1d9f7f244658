#ifndef CTNN_SYM_CONSTRUCT_HPP
#define CTNN_SYM_CONSTRUCT_HPP

/// \file
/// Simplifying constructors and the operators that call them.
///
/// Every expression is built through one of these functions, so every
/// expression is simplified as it is built, including the ones `d()` builds.
/// Each constructor is one ordered `if constexpr` chain: the first rule that
/// matches wins, so rules never compete the way overlapping partial
/// specialisations would.

#include <ctnn/sym/node.hpp>
#include <ctnn/sym/ops.hpp>

#include <type_traits>

namespace ctnn::sym {

// is_scaled_v<E>: E is `c * e` for a numeric constant c.
template <class E>
inline constexpr bool is_scaled_v = false;
template <class E>
inline constexpr bool is_scaled_v<node<op::times, constant, E>> = true;

namespace detail {

template <class Op, expression... Args>
[[nodiscard]] constexpr node<Op, Args...> make(Args... args) noexcept
{
    return node<Op, Args...>(args...);
}

template <std::size_t I, class Op, class... Args>
[[nodiscard]] constexpr auto const& arg(node<Op, Args...> const& n) noexcept
{
    return std::get<I>(n.args);
}

} // namespace detail

[[nodiscard]] constexpr auto neg(expression auto a) noexcept;
[[nodiscard]] constexpr auto add(expression auto a, expression auto b) noexcept;
[[nodiscard]] constexpr auto sub(expression auto a, expression auto b) noexcept;
[[nodiscard]] constexpr auto mul(expression auto a, expression auto b) noexcept;
[[nodiscard]] constexpr auto div(expression auto a, expression auto b) noexcept;

/// -a. `-1` stays a node rather than becoming a numeric constant, so that
/// `d(-x)` keeps its sign in the type and `-1 * e` simplifies to `-e`.
[[nodiscard]] constexpr auto neg(expression auto a) noexcept
{
    using A = decltype(a);
    if constexpr (std::is_same_v<A, zero>) {
        return zero{};
    } else if constexpr (std::is_same_v<A, constant>) {
        return constant{-a.value};
    } else if constexpr (is_node_of_v<op::negate, A>) {
        return detail::arg<0>(a); // -(-e) = e
    } else if constexpr (is_scaled_v<A>) {
        return mul(neg(detail::arg<0>(a)), detail::arg<1>(a)); // -(c e) = (-c) e
    } else {
        return detail::make<op::negate>(a);
    }
}

/// a + b
[[nodiscard]] constexpr auto add(expression auto a, expression auto b) noexcept
{
    using A = decltype(a);
    using B = decltype(b);
    if constexpr (std::is_same_v<A, zero>) {
        return b;
    } else if constexpr (std::is_same_v<B, zero>) {
        return a;
    } else if constexpr (is_constant_like_v<A> && is_constant_like_v<B>) {
        return constant{value_of(a) + value_of(b)};
    } else if constexpr (is_node_of_v<op::negate, B>) {
        return sub(a, detail::arg<0>(b)); // a + (-e) = a - e
    } else if constexpr (is_node_of_v<op::negate, A>) {
        return sub(b, detail::arg<0>(a)); // (-e) + b = b - e
    } else if constexpr (same_type_only_v<A, B>) {
        return mul(constant{2.0}, a); // e + e = 2 e
    } else if constexpr (is_constant_like_v<B>) {
        return detail::make<op::plus>(b, a); // constants first: one canonical form
    } else {
        return detail::make<op::plus>(a, b);
    }
}

/// a - b
[[nodiscard]] constexpr auto sub(expression auto a, expression auto b) noexcept
{
    using A = decltype(a);
    using B = decltype(b);
    if constexpr (std::is_same_v<B, zero>) {
        return a;
    } else if constexpr (std::is_same_v<A, zero>) {
        return neg(b);
    } else if constexpr (is_constant_like_v<A> && is_constant_like_v<B>) {
        return constant{value_of(a) - value_of(b)};
    } else if constexpr (same_type_only_v<A, B>) {
        return zero{}; // e - e = 0
    } else if constexpr (is_node_of_v<op::negate, B>) {
        return add(a, detail::arg<0>(b)); // a - (-e) = a + e
    } else {
        return detail::make<op::minus>(a, b);
    }
}

template <int N>
[[nodiscard]] constexpr auto pow(expression auto a) noexcept;

/// a * b
[[nodiscard]] constexpr auto mul(expression auto a, expression auto b) noexcept
{
    using A = decltype(a);
    using B = decltype(b);
    if constexpr (std::is_same_v<A, zero> || std::is_same_v<B, zero>) {
        return zero{};
    } else if constexpr (std::is_same_v<A, one>) {
        return b;
    } else if constexpr (std::is_same_v<B, one>) {
        return a;
    } else if constexpr (is_constant_like_v<A> && is_constant_like_v<B>) {
        return constant{value_of(a) * value_of(b)};
    } else if constexpr (is_constant_like_v<B>) {
        return mul(b, a); // constants first
    } else if constexpr (is_node_of_v<op::negate, A>) {
        return neg(mul(detail::arg<0>(a), b));
    } else if constexpr (is_node_of_v<op::negate, B>) {
        return neg(mul(a, detail::arg<0>(b)));
    } else if constexpr (is_constant_like_v<A> && is_scaled_v<B>) {
        return mul(constant{value_of(a) * detail::arg<0>(b).value}, detail::arg<1>(b)); // c1 (c2 e)
    } else if constexpr (!is_constant_like_v<A> && is_scaled_v<B>) {
        return mul(detail::arg<0>(b), mul(a, detail::arg<1>(b))); // a (c e) = c (a e)
    } else if constexpr (same_type_only_v<A, B>) {
        return pow<2>(a); // e e = e^2
    } else {
        return detail::make<op::times>(a, b);
    }
}

/// a / b
[[nodiscard]] constexpr auto div(expression auto a, expression auto b) noexcept
{
    using A = decltype(a);
    using B = decltype(b);
    static_assert(!std::is_same_v<B, zero>, "ctnn::sym: division by a constant zero");
    if constexpr (std::is_same_v<A, zero>) {
        return zero{};
    } else if constexpr (std::is_same_v<B, one>) {
        return a;
    } else if constexpr (is_constant_like_v<A> && is_constant_like_v<B>) {
        return constant{value_of(a) / value_of(b)};
    } else if constexpr (same_type_only_v<A, B>) {
        return one{};
    } else if constexpr (is_scaled_v<A> && is_constant_like_v<B>) {
        return mul(constant{detail::arg<0>(a).value / value_of(b)}, detail::arg<1>(a)); // (c1 e) / c2
    } else if constexpr (is_node_of_v<op::negate, A>) {
        return neg(div(detail::arg<0>(a), b));
    } else if constexpr (is_node_of_v<op::negate, B>) {
        return neg(div(a, detail::arg<0>(b)));
    } else {
        return detail::make<op::divides>(a, b);
    }
}

/// a^N for an integer N >= 0.
template <int N>
[[nodiscard]] constexpr auto pow(expression auto a) noexcept
{
    static_assert(N >= 0, "ctnn::sym::pow<N>: write negative powers as 1 / pow<-N>(e)");
    using A = decltype(a);
    if constexpr (N == 0) {
        return one{};
    } else if constexpr (N == 1) {
        return a;
    } else if constexpr (std::is_same_v<A, zero> || std::is_same_v<A, one>) {
        return a;
    } else if constexpr (std::is_same_v<A, constant>) {
        return constant{op::power<N>::apply(a.value)};
    } else if constexpr (is_node_of_v<op::negate, A> && N % 2 == 0) {
        return pow<N>(detail::arg<0>(a)); // (-e)^2k = e^2k
    } else {
        return detail::make<op::power<N>>(a);
    }
}

// Elementary functions. Inverse pairs cancel and values at 0 fold.

/// e^a
[[nodiscard]] constexpr auto exp(expression auto a) noexcept
{
    using A = decltype(a);
    if constexpr (std::is_same_v<A, zero>) {
        return one{};
    } else if constexpr (is_node_of_v<op::log, A>) {
        return detail::arg<0>(a);
    } else {
        return detail::make<op::exp>(a);
    }
}

/// e^a - 1, accurate near 0.
[[nodiscard]] constexpr auto expm1(expression auto a) noexcept
{
    if constexpr (std::is_same_v<decltype(a), zero>) {
        return zero{};
    } else {
        return detail::make<op::expm1>(a);
    }
}

/// Natural logarithm.
[[nodiscard]] constexpr auto log(expression auto a) noexcept
{
    using A = decltype(a);
    if constexpr (std::is_same_v<A, one>) {
        return zero{};
    } else if constexpr (is_node_of_v<op::exp, A>) {
        return detail::arg<0>(a);
    } else {
        return detail::make<op::log>(a);
    }
}

/// log(1 + a), accurate near 0.
[[nodiscard]] constexpr auto log1p(expression auto a) noexcept
{
    if constexpr (std::is_same_v<decltype(a), zero>) {
        return zero{};
    } else {
        return detail::make<op::log1p>(a);
    }
}

/// Hyperbolic tangent.
[[nodiscard]] constexpr auto tanh(expression auto a) noexcept
{
    if constexpr (std::is_same_v<decltype(a), zero>) {
        return zero{};
    } else {
        return detail::make<op::tanh>(a);
    }
}

/// Square root.
[[nodiscard]] constexpr auto sqrt(expression auto a) noexcept
{
    using A = decltype(a);
    if constexpr (std::is_same_v<A, zero> || std::is_same_v<A, one>) {
        return a;
    } else if constexpr (std::is_same_v<A, constant>) {
        return constant{math::sqrt(a.value)};
    } else {
        return detail::make<op::sqrt>(a);
    }
}

/// The logistic function 1 / (1 + e^-a), evaluated without overflow.
[[nodiscard]] constexpr auto sigmoid(expression auto a) noexcept
{
    if constexpr (std::is_same_v<decltype(a), zero>) {
        return constant{0.5};
    } else {
        return detail::make<op::sigmoid>(a);
    }
}

/// log(1 + e^a), evaluated without overflow.
[[nodiscard]] constexpr auto softplus(expression auto a) noexcept
{
    return detail::make<op::softplus>(a);
}

/// The condition a > b.
[[nodiscard]] constexpr auto greater(expression auto a, expression auto b) noexcept
{
    return detail::make<op::greater>(a, b);
}

/// The condition a < b.
[[nodiscard]] constexpr auto less(expression auto a, expression auto b) noexcept
{
    return detail::make<op::less>(a, b);
}

// is_condition_v<E>
template <class E>
inline constexpr bool is_condition_v = false;
template <class Op, class... Args>
inline constexpr bool is_condition_v<node<Op, Args...>> = op::is_comparison_v<Op>;

/// Piecewise expression: `a` where `c` holds, `b` elsewhere. At a boundary
/// (`c` false) the value and the derivative are those of `b`, which is how a
/// kink such as ReLU's at 0 gets a defined derivative.
template <expression C>
[[nodiscard]] constexpr auto select(C c, operand auto a, operand auto b) noexcept
{
    static_assert(is_condition_v<C>, "ctnn::sym::select: the first argument must be a comparison such as x > 0");
    if constexpr (same_type_only_v<decltype(lift(a)), decltype(lift(b))>) {
        return lift(a);
    } else {
        return detail::make<op::select>(c, lift(a), lift(b));
    }
}

// Numbers are accepted wherever an expression is: they become constants.

/// `max(a, b)`: where a == b, takes b (so `max(x, 0)` has slope 0 at 0, as in PyTorch).
[[nodiscard]] constexpr auto max(operand auto a, operand auto b) noexcept
{
    return select(greater(lift(a), lift(b)), lift(a), lift(b));
}

/// `min(a, b)`: where a == b, takes b.
[[nodiscard]] constexpr auto min(operand auto a, operand auto b) noexcept
{
    return select(less(lift(a), lift(b)), lift(a), lift(b));
}

// Operators. At least one side must be an expression, so arithmetic on plain
// numbers is untouched. `==` is structural equality (see equal.hpp), so
// conditions are written with `>` and `<`.

template <operand A, operand B>
    requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator+(A const& a, B const& b) noexcept
{
    return add(lift(a), lift(b));
}

template <operand A, operand B>
    requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator-(A const& a, B const& b) noexcept
{
    return sub(lift(a), lift(b));
}

template <operand A, operand B>
    requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator*(A const& a, B const& b) noexcept
{
    return mul(lift(a), lift(b));
}

template <operand A, operand B>
    requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator/(A const& a, B const& b) noexcept
{
    return div(lift(a), lift(b));
}

template <expression A>
[[nodiscard]] constexpr auto operator-(A const& a) noexcept
{
    return neg(a);
}

template <expression A>
[[nodiscard]] constexpr auto operator+(A const& a) noexcept
{
    return a;
}

template <operand A, operand B>
    requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator>(A const& a, B const& b) noexcept
{
    return greater(lift(a), lift(b));
}

template <operand A, operand B>
    requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator<(A const& a, B const& b) noexcept
{
    return less(lift(a), lift(b));
}

// rebuild(op, args...): the node kind's simplifying constructor, for code that
// transforms trees generically (d(), substitution).
constexpr auto rebuild(op::plus, expression auto a, expression auto b) noexcept { return add(a, b); }
constexpr auto rebuild(op::minus, expression auto a, expression auto b) noexcept { return sub(a, b); }
constexpr auto rebuild(op::negate, expression auto a) noexcept { return neg(a); }
constexpr auto rebuild(op::times, expression auto a, expression auto b) noexcept { return mul(a, b); }
constexpr auto rebuild(op::divides, expression auto a, expression auto b) noexcept { return div(a, b); }
template <int N>
constexpr auto rebuild(op::power<N>, expression auto a) noexcept { return pow<N>(a); }
constexpr auto rebuild(op::exp, expression auto a) noexcept { return exp(a); }
constexpr auto rebuild(op::expm1, expression auto a) noexcept { return expm1(a); }
constexpr auto rebuild(op::log, expression auto a) noexcept { return log(a); }
constexpr auto rebuild(op::log1p, expression auto a) noexcept { return log1p(a); }
constexpr auto rebuild(op::tanh, expression auto a) noexcept { return tanh(a); }
constexpr auto rebuild(op::sqrt, expression auto a) noexcept { return sqrt(a); }
constexpr auto rebuild(op::sigmoid, expression auto a) noexcept { return sigmoid(a); }
constexpr auto rebuild(op::softplus, expression auto a) noexcept { return softplus(a); }
constexpr auto rebuild(op::greater, expression auto a, expression auto b) noexcept { return greater(a, b); }
constexpr auto rebuild(op::less, expression auto a, expression auto b) noexcept { return less(a, b); }
constexpr auto rebuild(op::select, expression auto c, expression auto a, expression auto b) noexcept
{
    return select(c, a, b);
}

} // namespace ctnn::sym

#endif
