#ifndef CTNN_DETAIL_LANE_EVALUATE_HPP
#define CTNN_DETAIL_LANE_EVALUATE_HPP

/// \file
/// Evaluation of a symbolic expression over vector lanes: `sym::evaluate`'s
/// arithmetic, node for node, on a generic vector of values, with sigmoid and
/// float tanh in their lane forms (math.hpp). Each lane's result is the scalar
/// evaluation's, bit for bit (up to FMA contraction, as everywhere).
///
/// Activations that contain a sigmoid need it: float's sigmoid reads a table
/// (detail::exp_nonpositive_scaled), and a compiler that vectorises a loop of
/// scalar evaluations reads it with gathers (clang 14) or one load per value
/// (g++ 12); the lane form reads it with register permutes
/// (detail/lane_lookup.hpp).

#include <ctnn/math.hpp>
#include <ctnn/sym/node.hpp>
#include <ctnn/sym/ops.hpp>

#include <cstddef>
#include <tuple>
#include <type_traits>

namespace ctnn::detail {

// lane_evaluable_v<E, T>: whether expression type E, evaluated at values of
// type T, has a lane form: variables, constants, + - * /, negation, integer
// powers, sigmoid, and tanh for float. (No select: the scalar evaluation is
// lazy, which lanes cannot be.)
template <class E, class T>
inline constexpr bool lane_evaluable_v = false;
template <std::size_t I, class T>
inline constexpr bool lane_evaluable_v<sym::variable<I>, T> = I < 2;
template <class T>
inline constexpr bool lane_evaluable_v<sym::zero, T> = true;
template <class T>
inline constexpr bool lane_evaluable_v<sym::one, T> = true;
template <class T>
inline constexpr bool lane_evaluable_v<sym::constant, T> = true;

template <class Op, class T>
inline constexpr bool lane_op_v = std::is_same_v<Op, sym::op::plus> || std::is_same_v<Op, sym::op::minus> ||
                                  std::is_same_v<Op, sym::op::negate> || std::is_same_v<Op, sym::op::times> ||
                                  std::is_same_v<Op, sym::op::divides> || std::is_same_v<Op, sym::op::sigmoid> ||
                                  (std::is_same_v<Op, sym::op::tanh> && std::is_same_v<T, float>);
template <int N, class T>
inline constexpr bool lane_op_v<sym::op::power<N>, T> = true;

template <class Op, class... Args, class T>
inline constexpr bool lane_evaluable_v<sym::node<Op, Args...>, T> =
    math_float<T> && lane_op_v<Op, T> && (lane_evaluable_v<Args, T> && ...);

#if defined(__GNUC__)
// lane_evaluate(e, x, y): e with its variables x and y bound per lane of V,
// for an E with lane_evaluable_v<E, lane_scalar<V>>. The arithmetic nodes
// apply their own operation (op::plus::apply and the rest take vectors as
// they take scalars), sigmoid and tanh their lane forms.
template <class E, math_vector V>
[[gnu::always_inline]] inline V lane_evaluate(E const& e, V x, V y) noexcept
{
    static_assert(lane_evaluable_v<E, lane_scalar<V>>, "ctnn internal: an expression without a lane form");
    if constexpr (std::is_same_v<E, sym::variable<0>>) {
        return x;
    } else if constexpr (std::is_same_v<E, sym::variable<1>>) {
        return y;
    } else if constexpr (sym::is_constant_like_v<E>) {
        return splat<V>(static_cast<lane_scalar<V>>(sym::value_of(e)));
    } else {
        using Op = typename E::op_type;
        return std::apply(
            [&](auto const&... args) {
                if constexpr (std::is_same_v<Op, sym::op::sigmoid>) {
                    return sigmoid_lanes(lane_evaluate(args, x, y)...);
                } else if constexpr (std::is_same_v<Op, sym::op::tanh>) {
                    return tanh_float_lanes(lane_evaluate(args, x, y)...);
                } else {
                    return Op::apply(lane_evaluate(args, x, y)...);
                }
            },
            e.args);
    }
}
#endif

} // namespace ctnn::detail

#endif
