#ifndef CTNN_LOSS_HPP
#define CTNN_LOSS_HPP

/// \file
/// Loss functions. Element-wise losses are symbolic expressions of an output
/// `y` and its target `t`, differentiated with `sym::d(e, y)`. The two
/// cross-entropies fuse with a softmax output layer, where dL/dz has the
/// closed form softmax(z) − t and the loss is computed stably from the logits.

#include <ctnn/math.hpp>
#include <ctnn/sym.hpp>

#include <array>
#include <cstddef>
#include <limits>

namespace ctnn::loss {

/// How an element-wise loss combines the terms of one sample's outputs.
enum class reduction { sum, mean };

/// A loss Σ e(y_i, t_i) (or its mean over the outputs) for an expression `e`
/// of `sym::y` and `sym::t`.
template <auto const& E, reduction R>
struct elementwise {
    static_assert(!sym::uses_v<std::remove_cvref_t<decltype(E)>, sym::variable<0>>,
                  "ctnn::loss::elementwise<E>: a loss is an expression of ctnn::sym::y (output) and t (target)");

    static constexpr auto const& expression = E;
    static constexpr auto derivative = sym::d(E, sym::y);
    static constexpr bool fuses_softmax = false;

    template <class T, std::size_t N>
    using target_type = std::array<T, N>;

    /// The loss of one sample (`z`, the output layer's logits, is unused).
    template <class T, std::size_t N>
    [[nodiscard]] static constexpr T value(std::array<T, N> const& y, std::array<T, N> const& t,
                                           std::array<T, N> const& /*z*/) noexcept
    {
        T total = T(0);
        for (std::size_t i = 0; i < N; ++i) {
            total += sym::evaluate(E, sym::bindings<T>{.y = y[i], .t = t[i]});
        }
        return R == reduction::mean ? total / T(N) : total;
    }

    /// dL/dy.
    template <class T, std::size_t N>
    static constexpr void output_gradient(std::array<T, N> const& y, std::array<T, N> const& t,
                                          std::array<T, N>& dl_dy) noexcept
    {
        for (std::size_t i = 0; i < N; ++i) {
            T const g = sym::evaluate(derivative, sym::bindings<T>{.y = y[i], .t = t[i]});
            dl_dy[i] = R == reduction::mean ? g / T(N) : g;
        }
    }
};

/// The expressions behind the element-wise losses.
namespace expressions {
using namespace sym;
inline constexpr auto half_squared_error = pow<2>(y - t) / 2;
inline constexpr auto squared_error = pow<2>(y - t);
/// Logarithms are clamped below at −100, as PyTorch does, so y = 0 or 1 gives
/// a finite loss and (through max's derivative) a zero slope there.
inline constexpr auto binary_cross_entropy = -(t * max(log(y), -100) + (1 - t) * max(log(1 - y), -100));
} // namespace expressions

/// ½ Σ (y − t)²
struct mse : elementwise<expressions::half_squared_error, reduction::sum> {};
/// (1/N) Σ (y − t)², PyTorch's `MSELoss()`.
struct mean_squared_error : elementwise<expressions::squared_error, reduction::mean> {};
/// −(1/N) Σ t log y + (1 − t) log(1 − y) for outputs in [0, 1] (use a sigmoid
/// output layer), PyTorch's `BCELoss()`.
struct binary_cross_entropy : elementwise<expressions::binary_cross_entropy, reduction::mean> {};

namespace detail {

// log_sum_exp(z) = log Σ e^{z_i}, shifted by the maximum so nothing overflows.
template <class T, std::size_t N>
constexpr T log_sum_exp(std::array<T, N> const& z) noexcept
{
    T top = z[0];
    for (std::size_t i = 1; i < N; ++i) {
        top = z[i] > top ? z[i] : top;
    }
    T total = T(0);
    for (std::size_t i = 0; i < N; ++i) {
        total += math::exp(z[i] - top);
    }
    return top + math::log(total);
}

} // namespace detail

/// −Σ t_i log softmax(z)_i, fused with a softmax output layer (required).
/// The target is a probability vector, usually one-hot. dL/dz = softmax(z) Σt − t,
/// which is y − t when the target sums to 1.
struct cross_entropy {
    static constexpr bool fuses_softmax = true;

    template <class T, std::size_t N>
    using target_type = std::array<T, N>;

    template <class T, std::size_t N>
    [[nodiscard]] static constexpr T value(std::array<T, N> const& /*y*/, std::array<T, N> const& t,
                                           std::array<T, N> const& z) noexcept
    {
        T const lse = detail::log_sum_exp(z);
        T total = T(0);
        for (std::size_t i = 0; i < N; ++i) {
            total += t[i] * (lse - z[i]);
        }
        return total;
    }

    /// dL/dz for the softmax layer's pre-activations.
    template <class T, std::size_t N>
    static constexpr void logit_gradient(std::array<T, N> const& y, std::array<T, N> const& t,
                                         std::array<T, N>& dl_dz) noexcept
    {
        T mass = T(0);
        for (std::size_t i = 0; i < N; ++i) {
            mass += t[i];
        }
        for (std::size_t i = 0; i < N; ++i) {
            dl_dz[i] = y[i] * mass - t[i];
        }
    }
};

/// Cross-entropy with the target given as a class index, fused with a softmax
/// output layer (required). An index past the last class is bad data: the
/// loss is NaN and the gradient zero, so it cannot silently train the network.
struct sparse_cross_entropy {
    static constexpr bool fuses_softmax = true;

    template <class T, std::size_t N>
    using target_type = std::size_t;

    template <class T, std::size_t N>
    [[nodiscard]] static constexpr T value(std::array<T, N> const& /*y*/, std::size_t label,
                                           std::array<T, N> const& z) noexcept
    {
        if (label >= N) {
            return std::numeric_limits<T>::quiet_NaN();
        }
        return detail::log_sum_exp(z) - z[label];
    }

    template <class T, std::size_t N>
    static constexpr void logit_gradient(std::array<T, N> const& y, std::size_t label,
                                         std::array<T, N>& dl_dz) noexcept
    {
        for (std::size_t i = 0; i < N; ++i) {
            dl_dz[i] = label < N ? y[i] - (i == label ? T(1) : T(0)) : T(0);
        }
    }
};

} // namespace ctnn::loss

#endif
