#ifndef CTNN_GRADIENT_HPP
#define CTNN_GRADIENT_HPP

/// \file
/// Gradients of a loss with respect to a network's parameters, by
/// backpropagation, and `check_gradients`, which compares them with central
/// finite differences (in constant evaluation too).

#include <ctnn/detail/batch.hpp>
#include <ctnn/detail/braced_arguments.hpp>
#include <ctnn/detail/gradient_sinks.hpp>
#include <ctnn/detail/sample_pass.hpp>
#include <ctnn/detail/output_delta.hpp>
#include <ctnn/loss.hpp>
#include <ctnn/math.hpp>
#include <ctnn/network.hpp>
#include <ctnn/random.hpp>

#include <boost/hana/at.hpp>

#include <array>
#include <cstddef>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn {

/// A loss value with the gradient of the parameters; `auto [loss, grad] = ...`.
template <class Net>
struct gradient_result {
    typename Net::value_type loss;
    typename Net::gradient_type grad;
};

namespace detail {

// backpropagate<Loss>(net, store, source, target, sink): one sample's forward
// pass into `store` (dropout masks from `source`), its loss, and its
// backward pass, whose gradients go to `sink`. Returns the loss.
template <class Loss, class Net, class Store, class Source, class Sink>
constexpr typename Net::value_type backpropagate(Net const& net, Store& store, Source& source,
                                                 target_t<Net, Loss> const& target, Sink& sink) noexcept
{
    backward_buffers<Net> buffers; // written before read, see backward_buffers
    sample_pass<Net, Store, Source> pass(net, store, source, buffers);
    forward<0>(pass);
    auto const loss = pass.template output_delta<Loss>(target);
    backward<Net::depth - 1>(pass, sink);
    return loss;
}

template <class Net, class Loss, class Source>
constexpr typename Net::value_type accumulate_gradient(Net const& net, typename Net::input_type const& x,
                                                       target_t<Net, Loss> const& target,
                                                       typename Net::gradient_type& grad, typename Net::trace& tr,
                                                       Source& source) noexcept
{
    boost::hana::at_c<0>(tr.a) = x;
    trace_store<typename Net::trace> store(tr);
    add_to_gradient<typename Net::gradient_type> sink{grad};
    return backpropagate<Loss>(net, store, source, target, sink);
}

// accumulate_gradient without a trace: the forward pass in a step store.
template <class Net, class Loss, class Source>
constexpr typename Net::value_type accumulate_gradient(Net const& net, typename Net::input_type const& x,
                                                       target_t<Net, Loss> const& target,
                                                       typename Net::gradient_type& grad, Source& source) noexcept
{
    typename step_store<Net>::buffers layers; // written by the forward pass
    step_store<Net> store(x, layers);
    add_to_gradient<typename Net::gradient_type> sink{grad};
    return backpropagate<Loss>(net, store, source, target, sink);
}

} // namespace detail

/// Adds the gradient of `loss` at sample (x, target) into `grad` and returns
/// the loss; `tr` is left holding the forward pass (its `output()` is the
/// network's prediction, for metrics). Inference mode: dropout layers pass
/// their input through. Nothing is allocated.
template <network_type Net, class Loss>
constexpr typename Net::value_type accumulate_gradient(Net const& net, typename Net::input_type const& x,
                                                       target_t<Net, Loss> const& target, Loss const&,
                                                       typename Net::gradient_type& grad,
                                                       typename Net::trace& tr) noexcept
{
    detail::inference_mode mode;
    return detail::accumulate_gradient<Net, Loss>(net, x, target, grad, tr, mode);
}

/// The same in training mode: dropout layers draw their masks from `rng`
/// (see `network::forward`), and the gradient is that of the thinned network.
template <network_type Net, class Loss, random_bits32 Rng>
constexpr typename Net::value_type accumulate_gradient(Net const& net, typename Net::input_type const& x,
                                                       target_t<Net, Loss> const& target, Loss const&,
                                                       typename Net::gradient_type& grad, typename Net::trace& tr,
                                                       Rng& rng) noexcept
{
    return detail::accumulate_gradient<Net, Loss>(net, x, target, grad, tr, rng);
}

/// Adds the gradient of `loss` at sample (x, target) into `grad` and returns
/// the loss. The building block of every batch: nothing is allocated, the
/// trace lives on the stack.
template <network_type Net, class Loss>
constexpr typename Net::value_type accumulate_gradient(Net const& net, typename Net::input_type const& x,
                                                       target_t<Net, Loss> const& target, Loss const&,
                                                       typename Net::gradient_type& grad) noexcept
{
    detail::inference_mode mode;
    return detail::accumulate_gradient<Net, Loss>(net, x, target, grad, mode);
}

/// The loss of one sample and the gradient of its parameters (inference
/// mode).
template <network_type Net, class Loss>
[[nodiscard]] constexpr gradient_result<Net> gradient(Net const& net, typename Net::input_type const& x,
                                                      target_t<Net, Loss> const& target, Loss const& loss) noexcept
{
    gradient_result<Net> result{};
    result.loss = accumulate_gradient(net, x, target, loss, result.grad);
    return result;
}

/// The loss of one sample and the gradient of its parameters in training
/// mode, dropout masks drawn from `rng`.
template <network_type Net, class Loss, random_bits32 Rng>
[[nodiscard]] constexpr gradient_result<Net> gradient(Net const& net, typename Net::input_type const& x,
                                                      target_t<Net, Loss> const& target, Loss const& loss,
                                                      Rng& rng) noexcept
{
    static_cast<void>(loss);
    gradient_result<Net> result{};
    result.loss = detail::accumulate_gradient<Net, Loss>(net, x, target, result.grad, rng);
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
    if (detail::is_constant_evaluated()) {
        // Sample by sample: the same sums (see backpropagate_batch) without
        // computing a whole block for a small batch at compile time.
        for (std::size_t s = 0; s < n; ++s) {
            total += accumulate_gradient(net, xs[s], targets[s], loss, result.grad);
        }
    } else {
        detail::inference_mode mode;
        detail::add_to_gradient<typename Net::gradient_type> sink{result.grad};
        total = detail::backpropagate_batch<detail::block_samples<T>, Loss>(
            net, xs, targets, n, [](std::size_t k) { return k; }, mode,
            [](std::size_t, T, typename Net::output_type const&) {}, sink, sink);
    }
    T const scale = T(1) / static_cast<T>(n);
    for (T& g : result.grad.parameters()) {
        g *= scale;
    }
    result.loss = total * scale;
    return result;
}

namespace detail {

template <class Net, class Loss, class Source>
constexpr typename Net::value_type loss_value(Net const& net, typename Net::input_type const& x,
                                              target_t<Net, Loss> const& target, Source& source) noexcept
{
    static_assert(loss_fits_network<Net, Loss>());
    typename step_store<Net>::buffers layers; // written by the forward pass
    step_store<Net> store(x, layers);
    sample_pass<Net, step_store<Net>, Source> pass(net, store, source);
    forward<0>(pass);
    return Loss::value(store.template output<Net::depth - 1>(), target, store.template z<Net::depth - 1>());
}

} // namespace detail

/// The loss of one sample, without gradients (inference mode).
template <network_type Net, class Loss>
[[nodiscard]] constexpr typename Net::value_type loss_value(Net const& net, typename Net::input_type const& x,
                                                            target_t<Net, Loss> const& target, Loss const&) noexcept
{
    detail::inference_mode mode;
    return detail::loss_value<Net, Loss>(net, x, target, mode);
}

/// The loss of one sample in training mode, dropout masks drawn from `rng`.
template <network_type Net, class Loss, random_bits32 Rng>
[[nodiscard]] constexpr typename Net::value_type loss_value(Net const& net, typename Net::input_type const& x,
                                                            target_t<Net, Loss> const& target, Loss const&,
                                                            Rng& rng) noexcept
{
    return detail::loss_value<Net, Loss>(net, x, target, rng);
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

namespace detail {

// check_gradients with every loss evaluation in the mode of `source`: a copy
// of it each time, so that with a generator every evaluation sees the same
// dropout masks.
template <class Net, class Loss, class Source>
constexpr gradient_check_result<typename Net::value_type>
check_gradients(Net const& net, typename Net::input_type const& x, target_t<Net, Loss> const& target,
                typename Net::value_type tolerance, Source const& source) noexcept
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
    auto const loss_at = [&](Net const& at) {
        Source copy = source;
        return detail::loss_value<Net, Loss>(at, x, target, copy);
    };

    typename Net::gradient_type backprop{};
    {
        Source copy = source;
        static_cast<void>(detail::accumulate_gradient<Net, Loss>(net, x, target, backprop, copy));
    }
    gradient_check_result<T> result{true, T(0), 0, T(0), T(0)};
    Net probe = net;
    auto const params = net.parameters();
    for (std::size_t p = 0; p < Net::parameter_count; ++p) {
        T const theta = params[p];
        T const h = step_scale * (math::abs(theta) > T(1) ? math::abs(theta) : T(1));
        probe.parameters()[p] = theta + h;
        T const up = loss_at(probe);
        probe.parameters()[p] = theta - h;
        T const down = loss_at(probe);
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

} // namespace detail

/// Compares backpropagation with central finite differences, parameter by
/// parameter, at sample (x, target), in inference mode. The step for
/// parameter θ is h = ε^(1/3) max(1, |θ|) (ε the scalar type's epsilon),
/// which balances truncation against rounding error. `constexpr`, so it can
/// be a `static_assert`: each parameter costs two forward passes.
template <network_type Net, class Loss>
[[nodiscard]] constexpr gradient_check_result<typename Net::value_type>
check_gradients(Net const& net, typename Net::input_type const& x, target_t<Net, Loss> const& target,
                Loss const&, typename Net::value_type tolerance) noexcept
{
    return detail::check_gradients<Net, Loss>(net, x, target, tolerance, detail::inference_mode{});
}

/// The same in training mode: the backpropagated gradient and every finite
/// difference use the dropout masks that `rng` draws next (each evaluation
/// starts from a copy of `rng`, which is left unchanged), so the check covers
/// the gradient through the dropout layers.
template <network_type Net, class Loss, random_bits32 Rng>
[[nodiscard]] constexpr gradient_check_result<typename Net::value_type>
check_gradients(Net const& net, typename Net::input_type const& x, target_t<Net, Loss> const& target,
                Loss const&, typename Net::value_type tolerance, Rng const& rng) noexcept
{
    return detail::check_gradients<Net, Loss>(net, x, target, tolerance, rng);
}

// Braced inputs and targets of the wrong length: compile errors.
CTNN_DETAIL_REFUSE_WRONG_BRACED_WIDTHS(accumulate_gradient)
CTNN_DETAIL_REFUSE_WRONG_BRACED_WIDTHS(gradient)
CTNN_DETAIL_REFUSE_WRONG_BRACED_WIDTHS(loss_value)
CTNN_DETAIL_REFUSE_WRONG_BRACED_WIDTHS(check_gradients)

} // namespace ctnn

#endif
