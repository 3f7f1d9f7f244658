#ifndef CTNN_ACTIVATION_HPP
#define CTNN_ACTIVATION_HPP

/// \file
/// Activation functions, each defined by a symbolic expression of `x`. The
/// library derives the derivative with `sym::d`; nothing here is differentiated
/// by hand.

#include <ctnn/sym.hpp>

#include <type_traits>

namespace ctnn {

namespace detail {

// activation_check<E>: the diagnostics for activation<E>, kept apart so each
// message names exactly one mistake. Returns whether E is usable, so that the
// members derived from E are not built (and add no further errors) when not.
template <class E>
consteval bool activation_check()
{
    static_assert(sym::expression<E>,
                  "ctnn::activation<E>: E must be a ctnn::sym expression, e.g. "
                  "`inline constexpr auto e = x / (1 + exp(-x));` with `using namespace ctnn::sym;`");
    if constexpr (sym::expression<E>) {
        constexpr bool of_x_alone = !sym::uses_v<E, sym::variable<1>> && !sym::uses_v<E, sym::variable<2>>;
        static_assert(of_x_alone,
                      "ctnn::activation<E>: E must be an expression of ctnn::sym::x alone (it uses y or t)");
        static_assert(!sym::is_condition_v<E>,
                      "ctnn::activation<E>: E is a comparison; wrap it in select(condition, a, b)");
        return of_x_alone && !sym::is_condition_v<E>;
    } else {
        return false;
    }
}

// derivative_of<F, Valid>: d(F), or 0 when F failed its checks.
template <auto const& F, bool Valid>
constexpr auto derivative_of() noexcept
{
    if constexpr (Valid) {
        return sym::d(F);
    } else {
        return sym::zero{};
    }
}

} // namespace detail

/// An element-wise activation defined by the expression `F` (a `constexpr`
/// variable of static storage duration):
///
///     inline constexpr auto my_swish = x / (1 + exp(-x));
///     using my_act = ctnn::activation<my_swish>;
///
/// `derivative` is `sym::d(F)`. `derivative_in_output` is the same derivative
/// with every occurrence of `F` itself replaced by the variable `y`, the
/// activation's output: for sigmoid it is `y * (1 - y)`, so the backward pass
/// reuses the forward output and evaluates no exponential.
template <auto const& F>
struct activation {
    using expression_type = std::remove_cvref_t<decltype(F)>;
    /// Instantiating this member runs the checks (see layer_check).
    static constexpr bool valid = detail::activation_check<expression_type>();

    static constexpr auto const& expression = F;
    static constexpr auto derivative = detail::derivative_of<F, valid>();
    static constexpr auto derivative_in_output = [] {
        if constexpr (valid) {
            return sym::substitute(derivative, F, sym::y);
        } else {
            return sym::zero{};
        }
    }();
    /// False when the slope follows from the output alone (sigmoid, tanh).
    static constexpr bool slope_needs_input = sym::uses_v<std::remove_cvref_t<decltype(derivative_in_output)>,
                                                          sym::variable<0>>;

    /// f(z)
    template <class T>
    [[nodiscard]] static constexpr T value(T z) noexcept
    {
        return sym::evaluate(F, sym::bindings<T>{.x = z});
    }

    /// f'(z), given also a = f(z).
    template <class T>
    [[nodiscard]] static constexpr T slope(T z, T a) noexcept
    {
        return sym::evaluate(derivative_in_output, sym::bindings<T>{.x = z, .y = a});
    }
};

// is_activation_v<A>: is A an element-wise activation?
template <class A>
inline constexpr bool is_activation_v = false;
template <auto const& F>
inline constexpr bool is_activation_v<activation<F>> = true;

/// The softmax function over a whole layer, exp(z_i) / Σ_j exp(z_j). Not
/// element-wise, so it is allowed only as the activation of the last layer,
/// where `loss::cross_entropy` fuses with it.
struct softmax {};

/// The expressions that define the built-in activations.
namespace expressions {
using namespace sym;
inline constexpr auto identity = x;
inline constexpr auto sigmoid = sym::sigmoid(x);
inline constexpr auto tanh = sym::tanh(x);
/// 0·x rather than 0 on the negative side so that NaN propagates (as in
/// PyTorch) instead of being mapped to 0, which would hide bad data.
inline constexpr auto relu = select(x > 0, x, 0 * x);
/// PyTorch's default negative slope.
inline constexpr auto leaky_relu = select(x > 0, x, 0.01 * x);
inline constexpr auto softplus = sym::softplus(x);
/// SiLU: x σ(x).
inline constexpr auto swish = x * sym::sigmoid(x);
/// The tanh approximation: ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))).
inline constexpr auto gelu = 0.5 * x * (1 + sym::tanh(0.7978845608028654 * (x + 0.044715 * pow<3>(x))));
/// α = 1: x for x > 0, e^x − 1 otherwise.
inline constexpr auto elu = select(x > 0, x, sym::expm1(x));
} // namespace expressions

using identity = activation<expressions::identity>;
using sigmoid = activation<expressions::sigmoid>;
using tanh = activation<expressions::tanh>;
using relu = activation<expressions::relu>;
using leaky_relu = activation<expressions::leaky_relu>;
using softplus = activation<expressions::softplus>;
using swish = activation<expressions::swish>;
using gelu = activation<expressions::gelu>;
using elu = activation<expressions::elu>;

} // namespace ctnn

#endif
