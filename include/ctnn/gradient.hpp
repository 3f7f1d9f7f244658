#ifndef CTNN_GRADIENT_HPP
#define CTNN_GRADIENT_HPP

/// \file
/// Gradients of a loss with respect to a network's parameters, by
/// backpropagation, and `check_gradients`, which compares them with central
/// finite differences (in constant evaluation too).

#include <ctnn/loss.hpp>
#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

#include <boost/hana/at.hpp>

#include <array>
#include <cstddef>
#include <limits>
#include <span>
#include <type_traits>

namespace ctnn {

/// The target type a loss expects for network `Net`: an array of outputs, or
/// a class index for `loss::sparse_cross_entropy`.
template <class Net, class Loss>
using target_t = typename Loss::template target_type<typename Net::value_type, Net::outputs>;

/// A loss value with the gradient of the parameters; `auto [loss, grad] = ...`.
template <class Net>
struct gradient_result {
    typename Net::value_type loss;
    typename Net::gradient_type grad;
};

namespace detail {

template <class Net, class Loss>
consteval bool loss_fits_network()
{
    constexpr bool softmax_last = std::is_same_v<typename Net::output_activation, softmax>;
    static_assert(!Loss::fuses_softmax || softmax_last,
                  "ctnn: loss::cross_entropy and loss::sparse_cross_entropy include the softmax: the last layer "
                  "must be dense<N, ctnn::softmax> (for one sigmoid output use loss::binary_cross_entropy)");
    return true;
}

// output_delta<Net, Loss>(y, z, target, delta): dL/dz of the last layer for a
// sample whose last activation is y and pre-activation z (the fused closed
// form for the cross-entropies, dL/dy through the activation's derivative
// otherwise), and the sample's loss.
template <class Net, class Loss>
constexpr typename Net::value_type output_delta(typename Net::output_type const& y,
                                                typename Net::output_type const& z,
                                                target_t<Net, Loss> const& target,
                                                typename Net::output_type& delta) noexcept
{
    static_assert(loss_fits_network<Net, Loss>());
    if constexpr (Loss::fuses_softmax) {
        Loss::logit_gradient(y, target, delta);
    } else {
        typename Net::output_type dl_dy{};
        Loss::output_gradient(y, target, dl_dy);
        activation_delta<typename Net::output_activation>(z, y, dl_dy, delta);
    }
    return Loss::value(y, target, z);
}

// output_delta<Net, Loss>(tr, target, delta): the same for the sample whose
// forward pass is `tr`.
template <class Net, class Loss>
constexpr typename Net::value_type output_delta(typename Net::trace const& tr, target_t<Net, Loss> const& target,
                                                typename Net::output_type& delta) noexcept
{
    return output_delta<Net, Loss>(tr.output(), boost::hana::at_c<Net::depth - 1>(tr.z), target, delta);
}

} // namespace detail

/// Adds the gradient of `loss` at sample (x, target) into `grad` and returns
/// the loss; `tr` is left holding the forward pass (its `output()` is the
/// network's prediction, for metrics). Nothing is allocated.
template <network_type Net, class Loss>
constexpr typename Net::value_type accumulate_gradient(Net const& net, typename Net::input_type const& x,
                                                       target_t<Net, Loss> const& target, Loss const&,
                                                       typename Net::gradient_type& grad,
                                                       typename Net::trace& tr) noexcept
{
    net.forward(x, tr);
    typename Net::output_type delta{};
    auto const value = detail::output_delta<Net, Loss>(tr, target, delta);
    net.backward(tr, delta, grad);
    return value;
}

/// Adds the gradient of `loss` at sample (x, target) into `grad` and returns
/// the loss. The building block of every batch: nothing is allocated, the
/// trace lives on the stack.
template <network_type Net, class Loss>
constexpr typename Net::value_type accumulate_gradient(Net const& net, typename Net::input_type const& x,
                                                       target_t<Net, Loss> const& target, Loss const& loss,
                                                       typename Net::gradient_type& grad) noexcept
{
    typename Net::trace tr{};
    return accumulate_gradient(net, x, target, loss, grad, tr);
}

/// The loss of one sample and the gradient of its parameters.
template <network_type Net, class Loss>
[[nodiscard]] constexpr gradient_result<Net> gradient(Net const& net, typename Net::input_type const& x,
                                                      target_t<Net, Loss> const& target, Loss const& loss) noexcept
{
    gradient_result<Net> result{};
    result.loss = accumulate_gradient(net, x, target, loss, result.grad);
    return result;
}

/// The mean loss and mean gradient over a batch of samples (the convention
/// of PyTorch's default `reduction="mean"`). The spans must have equal
/// lengths; an empty batch gives zero loss and zero gradient.
template <network_type Net, class Loss>
[[nodiscard]] constexpr gradient_result<Net> gradient(Net const& net,
                                                      std::span<typename Net::input_type const> xs,
                                                      std::span<target_t<Net, Loss> const> targets,
                                                      Loss const& loss) noexcept
{
    using T = typename Net::value_type;
    gradient_result<Net> result{};
    std::size_t const n = xs.size() < targets.size() ? xs.size() : targets.size();
    if (n == 0) {
        return result;
    }
    T total = T(0);
    for (std::size_t s = 0; s < n; ++s) {
        total += accumulate_gradient(net, xs[s], targets[s], loss, result.grad);
    }
    T const scale = T(1) / static_cast<T>(n);
    for (T& g : result.grad.parameters()) {
        g *= scale;
    }
    result.loss = total * scale;
    return result;
}

/// The loss of one sample, without gradients.
template <network_type Net, class Loss>
[[nodiscard]] constexpr typename Net::value_type loss_value(Net const& net, typename Net::input_type const& x,
                                                            target_t<Net, Loss> const& target, Loss const&) noexcept
{
    static_assert(detail::loss_fits_network<Net, Loss>());
    typename Net::trace tr{};
    net.forward(x, tr);
    return Loss::value(tr.output(), target, boost::hana::at_c<Net::depth - 1>(tr.z));
}

/// What `check_gradients` found; converts to `true` when every component of
/// the backpropagated gradient agrees with the finite difference.
template <class T>
struct gradient_check_result {
    bool passed;
    /// max over parameters of |b − f| / max(|b|, |f|, 1), b backpropagated and
    /// f the central difference: relative for components above 1, absolute
    /// below, so that components near 0 do not divide by noise.
    T worst_relative_error;
    /// The parameter where that worst error occurred (layout order).
    std::size_t worst_index;
    T backprop_at_worst;
    T finite_difference_at_worst;

    [[nodiscard]] constexpr explicit operator bool() const noexcept { return passed; }
};

/// Compares backpropagation with central finite differences, parameter by
/// parameter, at sample (x, target). The step for parameter θ is
/// h = ε^(1/3) max(1, |θ|) (ε the scalar type's epsilon), which balances
/// truncation against rounding error. `constexpr`, so it can be a
/// `static_assert`: each parameter costs two forward passes.
template <network_type Net, class Loss>
[[nodiscard]] constexpr gradient_check_result<typename Net::value_type>
check_gradients(Net const& net, typename Net::input_type const& x, target_t<Net, Loss> const& target,
                Loss const& loss, typename Net::value_type tolerance) noexcept
{
    using T = typename Net::value_type;
    // ε^(1/3), computed rather than tabulated so any floating type works.
    T step_scale = T(1);
    {
        T const eps = std::numeric_limits<T>::epsilon();
        T guess = T(1e-2);
        for (int i = 0; i < 60; ++i) {
            guess = (T(2) * guess + eps / (guess * guess)) / T(3);
        }
        step_scale = guess;
    }

    auto const [value, backprop] = gradient(net, x, target, loss);
    static_cast<void>(value);
    gradient_check_result<T> result{true, T(0), 0, T(0), T(0)};
    Net probe = net;
    auto const params = net.parameters();
    for (std::size_t p = 0; p < Net::parameter_count; ++p) {
        T const theta = params[p];
        T const h = step_scale * (math::abs(theta) > T(1) ? math::abs(theta) : T(1));
        probe.parameters()[p] = theta + h;
        T const up = loss_value(probe, x, target, loss);
        probe.parameters()[p] = theta - h;
        T const down = loss_value(probe, x, target, loss);
        probe.parameters()[p] = theta;
        T const numeric = (up - down) / (T(2) * h);
        T const analytic = backprop.parameters()[p];
        T scale = T(1);
        scale = math::abs(analytic) > scale ? math::abs(analytic) : scale;
        scale = math::abs(numeric) > scale ? math::abs(numeric) : scale;
        T const error = math::abs(analytic - numeric) / scale;
        if (!(error <= result.worst_relative_error)) { // also catches NaN
            result.worst_relative_error = error;
            result.worst_index = p;
            result.backprop_at_worst = analytic;
            result.finite_difference_at_worst = numeric;
        }
        if (!(error <= tolerance)) {
            result.passed = false;
        }
    }
    return result;
}

} // namespace ctnn

#endif
