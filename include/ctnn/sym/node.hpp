#ifndef CTNN_SYM_NODE_HPP
#define CTNN_SYM_NODE_HPP

/// \file
/// The vocabulary of symbolic scalar expressions: variables, constants and
/// operation nodes. Expressions are small immutable values whose *type* is the
/// expression tree; only numeric constants carry data. Everything that reasons
/// about expressions (simplification, `d()`, evaluation) works on these types.

#include <concepts>
#include <cstddef>
#include <tuple>
#include <type_traits>

namespace ctnn::sym {

namespace op {
struct select;
} // namespace op

/// Values for the free variables, for `evaluate`. Designated initialisers name
/// them: `bindings<double>{.y = 0.3, .t = 1.0}`.
template <class T>
struct bindings {
    T x{};
    T y{};
    T t{};
};

template <class T, class E>
[[nodiscard]] constexpr T evaluate(E const& e, bindings<T> const& at) noexcept;

/// Gives every expression kind the call syntax `e(0.5)` for expressions of `x`.
template <class Derived>
struct callable {
    template <class T>
    [[nodiscard]] constexpr T operator()(T x) const noexcept;
};

/// The I-th free variable. Activations are expressions of `x` alone; losses are
/// expressions of a network output `y` and its target `t`.
template <std::size_t I>
struct variable : callable<variable<I>> {};

/// The constant 0, known from the type alone so that `0 * e` folds to `0`.
struct zero : callable<zero> {};

/// The constant 1, known from the type alone so that `1 * e` folds to `e`.
struct one : callable<one> {};

/// A numeric constant whose value is data, as written in the source
/// (`1 + exp(-x)` stores the 1 here). Kept in `double`: every `float` and
/// `double` literal round-trips, and evaluation converts once to the scalar type.
struct constant : callable<constant> {
    double value;

    constexpr explicit constant(double v) noexcept : value(v) {}
};

/// An operation `Op` applied to operand expressions `Args...`.
/// `Op` is an empty tag type (see `ops.hpp`) that knows how to evaluate
/// itself; `construct.hpp` builds nodes, `derivative.hpp` differentiates them.
template <class Op, class... Args>
struct node : callable<node<Op, Args...>> {
    using op_type = Op;

    std::tuple<Args...> args;

    constexpr explicit node(Args... a) : args(a...) {}
};

// is_expression<T>: is T one of the node kinds above?
template <class T>
struct is_expression : std::false_type {};
template <std::size_t I>
struct is_expression<variable<I>> : std::true_type {};
template <>
struct is_expression<zero> : std::true_type {};
template <>
struct is_expression<one> : std::true_type {};
template <>
struct is_expression<constant> : std::true_type {};
template <class Op, class... Args>
struct is_expression<node<Op, Args...>> : std::true_type {};

/// A symbolic expression (any cv-ref qualification).
template <class T>
concept expression = is_expression<std::remove_cvref_t<T>>::value;

/// A value usable where an expression is expected: an expression, or a number
/// that becomes a `constant`.
template <class T>
concept operand = expression<T> || std::is_arithmetic_v<std::remove_cvref_t<T>>;

// is_constant_like<T>: zero, one or constant.
template <class T>
inline constexpr bool is_constant_like_v =
    std::is_same_v<T, zero> || std::is_same_v<T, one> || std::is_same_v<T, constant>;

// is_node_of<Op, T>: is T a node whose operation is Op?
template <class Op, class T>
inline constexpr bool is_node_of_v = false;
template <class Op, class... Args>
inline constexpr bool is_node_of_v<Op, node<Op, Args...>> = true;

// type_only_v<E>: E holds no constant, so its type alone determines its value
// (two such expressions of the same type are equal).
template <class E>
inline constexpr bool type_only_v = !std::is_same_v<E, constant>;
template <class Op, class... Args>
inline constexpr bool type_only_v<node<Op, Args...>> = (type_only_v<Args> && ...);

// same_type_only_v<A, B>: A and B are provably the same expression from their types.
template <class A, class B>
inline constexpr bool same_type_only_v = std::is_same_v<A, B> && type_only_v<A>;

/// The value of a constant-like expression.
[[nodiscard]] constexpr double value_of(zero) noexcept { return 0.0; }
[[nodiscard]] constexpr double value_of(one) noexcept { return 1.0; }
[[nodiscard]] constexpr double value_of(constant c) noexcept { return c.value; }

/// Turns a number into a `constant` and leaves expressions as they are.
template <operand T>
[[nodiscard]] constexpr auto lift(T const& v) noexcept
{
    if constexpr (expression<T>) {
        return v;
    } else {
        return constant{static_cast<double>(v)};
    }
}

inline constexpr variable<0> x{}; ///< an activation's input
inline constexpr variable<1> y{}; ///< a network output (or an activation's own output)
inline constexpr variable<2> t{}; ///< a target

// uses_v<E, V>: does expression type E mention variable V?
template <class E, class V>
inline constexpr bool uses_v = std::is_same_v<E, V>;
template <class Op, class... Args, class V>
inline constexpr bool uses_v<node<Op, Args...>, V> = (uses_v<Args, V> || ...);

// has_op_v<E, Op>: does expression type E contain a node of operation Op?
template <class E, class Op>
inline constexpr bool has_op_v = false;
template <class Op, class... Args, class Target>
inline constexpr bool has_op_v<node<Op, Args...>, Target> = std::is_same_v<Op, Target> || (has_op_v<Args, Target> || ...);

/// Whether expression `e` mentions variable `v`.
template <expression E, std::size_t I>
[[nodiscard]] constexpr bool uses(E const&, variable<I>) noexcept
{
    return uses_v<E, variable<I>>;
}

/// The truth of a comparison node under `at`.
template <class T, class Op, class A, class B>
[[nodiscard]] constexpr bool evaluate_condition(node<Op, A, B> const& c, bindings<T> const& at) noexcept
{
    return Op::apply(evaluate(std::get<0>(c.args), at), evaluate(std::get<1>(c.args), at));
}

/// The value of `e` with its variables bound as in `at`.
template <class T, class E>
[[nodiscard]] constexpr T evaluate(E const& e, bindings<T> const& at) noexcept
{
    if constexpr (std::is_same_v<E, variable<0>>) {
        return at.x;
    } else if constexpr (std::is_same_v<E, variable<1>>) {
        return at.y;
    } else if constexpr (std::is_same_v<E, variable<2>>) {
        return at.t;
    } else if constexpr (is_constant_like_v<E>) {
        return static_cast<T>(value_of(e));
    } else if constexpr (std::is_same_v<typename E::op_type, op::select>) {
        // Lazy: only the branch taken is evaluated.
        auto const& [condition, a, b] = e.args;
        return evaluate_condition(condition, at) ? evaluate(a, at) : evaluate(b, at);
    } else {
        return std::apply([&](auto const&... args) { return E::op_type::apply(evaluate(args, at)...); },
                          e.args);
    }
}

template <class Derived>
template <class T>
constexpr T callable<Derived>::operator()(T x) const noexcept
{
    static_assert(std::is_floating_point_v<T>, "ctnn::sym: evaluate expressions at a float or a double");
    static_assert(!uses_v<Derived, variable<1>> && !uses_v<Derived, variable<2>>,
                  "ctnn::sym: e(x) binds x only; evaluate expressions of y or t with evaluate(e, bindings<T>{...})");
    return evaluate(static_cast<Derived const&>(*this), bindings<T>{.x = x});
}

} // namespace ctnn::sym

#endif
