#ifndef CTNN_SYM_EQUAL_HPP
#define CTNN_SYM_EQUAL_HPP

/// \file
/// Structural equality of expressions, so that a test can state what a
/// derivative simplifies to: `static_assert(d(tanh(x)) == 1 - pow<2>(tanh(x)))`.
///
/// Two expressions are equal when their trees match node for node. Constants
/// compare by value whatever their kind (the `1` a user writes is a `constant`,
/// the `1` that `d(x)` yields is `one`), `-e` equals `(-1) * e` and `e` equals
/// `1 * e` (a product by a numeric 1 that was folded from values, such as the
/// `2 (y − t) / 2` of a derivative).

#include <ctnn/sym/construct.hpp>
#include <ctnn/sym/node.hpp>
#include <ctnn/sym/ops.hpp>

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace ctnn::sym {

template <expression A, expression B>
[[nodiscard]] constexpr bool equal(A const& a, B const& b) noexcept;

namespace detail {

template <class Op, class... A, class... B, std::size_t... I>
constexpr bool operands_equal(node<Op, A...> const& a, node<Op, B...> const& b, std::index_sequence<I...>) noexcept
{
    return (equal(std::get<I>(a.args), std::get<I>(b.args)) && ...);
}

// is_multiple(n, e, c): is n the product c * e?
template <class Op, class... Args>
constexpr bool is_multiple(node<Op, Args...> const& n, auto const& operand, double factor) noexcept
{
    if constexpr (is_scaled_v<node<Op, Args...>>) {
        return std::get<0>(n.args).value == factor && equal(std::get<1>(n.args), operand);
    } else {
        return false;
    }
}

} // namespace detail

/// Whether `a` and `b` are the same expression (see the file comment).
template <expression A, expression B>
[[nodiscard]] constexpr bool equal(A const& a, B const& b) noexcept
{
    if constexpr (is_constant_like_v<A> && is_constant_like_v<B>) {
        return value_of(a) == value_of(b);
    } else if constexpr (is_constant_like_v<A> || is_constant_like_v<B>) {
        return false;
    } else if constexpr (is_node_of_v<op::negate, A> && is_scaled_v<B>) {
        return detail::is_multiple(b, std::get<0>(a.args), -1.0);
    } else if constexpr (is_scaled_v<A> && is_node_of_v<op::negate, B>) {
        return detail::is_multiple(a, std::get<0>(b.args), -1.0);
    } else if constexpr (is_scaled_v<A> && !is_scaled_v<B>) {
        return detail::is_multiple(a, b, 1.0);
    } else if constexpr (!is_scaled_v<A> && is_scaled_v<B>) {
        return detail::is_multiple(b, a, 1.0);
    } else if constexpr (std::is_same_v<A, B> && type_only_v<A>) {
        return true;
    } else if constexpr (requires { typename A::op_type; typename B::op_type; }) {
        if constexpr (std::is_same_v<typename A::op_type, typename B::op_type>
                      && std::tuple_size_v<decltype(a.args)> == std::tuple_size_v<decltype(b.args)>) {
            return detail::operands_equal(a, b, std::make_index_sequence<std::tuple_size_v<decltype(a.args)>>{});
        } else {
            return false;
        }
    } else {
        return std::is_same_v<A, B>; // two variables
    }
}

/// Structural equality; numbers on either side are constants.
template <operand A, operand B>
    requires(expression<A> || expression<B>)
[[nodiscard]] constexpr bool operator==(A const& a, B const& b) noexcept
{
    return equal(lift(a), lift(b));
}

} // namespace ctnn::sym

#endif
