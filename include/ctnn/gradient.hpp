#ifndef CTNN_GRADIENT_HPP
#define CTNN_GRADIENT_HPP

/// \file
/// Gradients of a loss with respect to a network's parameters, by
/// backpropagation, and `check_gradients`, which compares them with central
/// finite differences (in constant evaluation too).

#include <ctnn/detail/block_kernels.hpp>
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

// output_delta_of<Net, Loss>(y, z, target, delta): output_delta for an
// output y with logits z given as arrays.
template <class Net, class Loss>
constexpr typename Net::value_type output_delta_of(typename Net::output_type const& y,
                                                   typename Net::output_type const& z,
                                                   target_t<Net, Loss> const& target,
                                                   typename Net::output_type& delta) noexcept
{
    if constexpr (Loss::fuses_softmax) {
        Loss::logit_gradient(y, target, delta);
    } else {
        typename Net::output_type dl_dy{};
        Loss::output_gradient(y, target, dl_dy);
        activation_delta<typename Net::output_activation>(z, y, dl_dy, delta);
    }
    return Loss::value(y, target, z);
}

// block_state<Net, S>: what backpropagation over a block of S samples keeps,
// unit-major ([unit][sample]): every layer's output a (a[0], the inputs) and
// every dense layer's z, at compile-time offsets in two flat arrays, and two
// buffers for the gradients flowing down.
template <class Net, std::size_t S>
struct block_state {
    using T = typename Net::value_type;
    static constexpr std::size_t depth = Net::depth;
    static constexpr std::array<std::size_t, depth + 2> a_offset = [] {
        std::array<std::size_t, depth + 2> o{};
        for (std::size_t l = 0; l <= depth; ++l) {
            o[l + 1] = o[l] + Net::widths[l] * S;
        }
        return o;
    }();
    static constexpr std::size_t widest = [] {
        std::size_t w = 0;
        for (std::size_t l = 0; l <= depth; ++l) {
            w = Net::widths[l] > w ? Net::widths[l] : w;
        }
        return w;
    }();
    // Not initialised: every element is written before it is read, and
    // clearing them would cost as much as a small network's whole step.
    std::array<T, a_offset[depth + 1]> a;
    std::array<T, a_offset[depth + 1]> z; // z of layer l at a_offset[l + 1]
    std::array<T, widest * S> g;
    std::array<T, widest * S> delta;
    std::array<T, widest * S> input_rows; // a layer's input, sample-major
};

template <std::size_t I, std::size_t S, class Net>
constexpr void block_propagate(Net const& net, block_state<Net, S>& st,
                               typename Net::value_type const* const (&inputs)[S], std::size_t count,
                               typename Net::gradient_type& grad) noexcept;

// block_backward<I>(net, st, inputs, count, grad): layer I is dense and
// st.delta holds its dL/dz; adds its parameter gradients for the first
// `count` samples and carries the gradient down to the dense layer below.
template <std::size_t I, std::size_t S, class Net>
constexpr void block_backward(Net const& net, block_state<Net, S>& st,
                              typename Net::value_type const* const (&inputs)[S], std::size_t count,
                              typename Net::gradient_type& grad) noexcept
{
    using T = typename Net::value_type;
    using state = block_state<Net, S>;
    constexpr std::size_t in = Net::widths[I];
    constexpr std::size_t out = Net::widths[I + 1];
    // The layer's input, sample-major: the samples themselves for layer 0.
    T const* rows[S] = {};
    if constexpr (I == 0) {
        for (std::size_t s = 0; s < S; ++s) {
            rows[s] = inputs[s];
        }
    } else {
        T const* const a = st.a.data() + state::a_offset[I];
        for (std::size_t s = 0; s < S; ++s) {
            for (std::size_t i = 0; i < in; ++i) {
                st.input_rows[s * in + i] = a[i * S + s];
            }
            rows[s] = st.input_rows.data() + s * in;
        }
    }
    auto g = grad.template layer<I>();
    auto const w = net.template layer<I>();
    outer_accumulate_block<T, in, out, S>(g.weights.data(), g.biases.data(), rows, st.delta.data(), count);
    if constexpr (I > 0) {
        input_gradient_block<T, in, out, S>(w.weights.data(), st.delta.data(), st.g.data());
        block_propagate<I - 1, S>(net, st, inputs, count, grad);
    }
}

// block_propagate<I>: st.g holds dL/da of layer I's output; through dropout
// layers (the identity in inference mode) down to a dense layer's delta.
template <std::size_t I, std::size_t S, class Net>
constexpr void block_propagate(Net const& net, block_state<Net, S>& st,
                               typename Net::value_type const* const (&inputs)[S], std::size_t count,
                               typename Net::gradient_type& grad) noexcept
{
    using state = block_state<Net, S>;
    if constexpr (Net::is_dense[I]) {
        activation_delta_block<typename Net::template layer_t<I>::activation_type, typename Net::value_type,
                               Net::widths[I + 1], S>(st.z.data() + state::a_offset[I + 1],
                                                      st.a.data() + state::a_offset[I + 1], st.g.data(),
                                                      st.delta.data());
        block_backward<I, S>(net, st, inputs, count, grad);
    } else if constexpr (I > 0) {
        block_propagate<I - 1, S>(net, st, inputs, count, grad);
    }
}

// accumulate_batch<S>(net, xs, ts, grad): Σ over the samples of the loss,
// and of the gradients into grad, S samples at a time (block_kernels.hpp);
// the same sums as accumulating the samples one by one, bit for bit.
template <std::size_t S, class Net, class Loss>
constexpr typename Net::value_type accumulate_batch(Net const& net, std::span<typename Net::input_type const> xs,
                                                    std::span<target_t<Net, Loss> const> ts,
                                                    typename Net::gradient_type& grad) noexcept
{
    using T = typename Net::value_type;
    using state = block_state<Net, S>;
    constexpr std::size_t depth = Net::depth;
    constexpr std::size_t outputs = Net::outputs;
    state st; // run time only (see gradient): left uninitialised, see block_state
    T total = T(0);
    std::size_t const n = xs.size() < ts.size() ? xs.size() : ts.size();
    for (std::size_t start = 0; start < n; start += S) {
        std::size_t const count = n - start < S ? n - start : S;
        T const* inputs[S] = {};
        for (std::size_t s = 0; s < S; ++s) {
            inputs[s] = xs[start + (s < count ? s : 0)].data();
            for (std::size_t i = 0; i < Net::inputs; ++i) {
                st.a[i * S + s] = s < count ? inputs[s][i] : T(0);
            }
        }
        // Forward, keeping z and a.
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((
                 [&] {
                     T* const below = st.a.data() + state::a_offset[I];
                     T* const above = st.a.data() + state::a_offset[I + 1];
                     if constexpr (Net::is_dense[I]) {
                         constexpr std::size_t in = Net::widths[I];
                         constexpr std::size_t out = Net::widths[I + 1];
                         T* const z = st.z.data() + state::a_offset[I + 1];
                         auto const layer = net.template layer<I>();
                         affine_block<T, in, out, S>(layer.weights.data(), layer.biases.data(), below, z);
                         for (std::size_t k = 0; k < out * S; ++k) {
                             above[k] = z[k];
                         }
                         activate_block<typename Net::template layer_t<I>::activation_type, T, out, S>(above);
                     } else {
                         for (std::size_t k = 0; k < Net::widths[I] * S; ++k) {
                             above[k] = below[k]; // dropout in inference mode
                         }
                     }
                 }()),
             ...);
        }(std::make_index_sequence<depth>{});
        // The loss and dL/dz of the output layer, sample by sample.
        T const* const y = st.a.data() + state::a_offset[depth];
        T const* const z = st.z.data() + state::a_offset[depth];
        for (std::size_t s = 0; s < S; ++s) {
            typename Net::output_type delta{};
            if (s < count) {
                typename Net::output_type ys{};
                typename Net::output_type zs{};
                for (std::size_t o = 0; o < outputs; ++o) {
                    ys[o] = y[o * S + s];
                    zs[o] = z[o * S + s];
                }
                total += output_delta_of<Net, Loss>(ys, zs, ts[start + s], delta);
            }
            for (std::size_t o = 0; o < outputs; ++o) {
                st.delta[o * S + s] = delta[o];
            }
        }
        block_backward<depth - 1, S>(net, st, inputs, count, grad);
    }
    return total;
}

// output_delta<Net, Loss>(tr, target, delta): dL/dz of the last layer for the
// sample whose forward pass is `tr` (the fused closed form for the
// cross-entropies, dL/dy through the activation's derivative otherwise), and
// the sample's loss.
template <class Net, class Loss>
constexpr typename Net::value_type output_delta(typename Net::trace const& tr, target_t<Net, Loss> const& target,
                                                typename Net::output_type& delta) noexcept
{
    static_assert(loss_fits_network<Net, Loss>());
    return output_delta_of<Net, Loss>(tr.output(), boost::hana::at_c<Net::depth - 1>(tr.z), target, delta);
}

// forward(net, x, tr, source): the forward pass in inference mode or, given a
// generator, in training mode.
template <class Net, class Source>
constexpr void forward(Net const& net, typename Net::input_type const& x, typename Net::trace& tr,
                       Source& source) noexcept
{
    if constexpr (std::is_same_v<Source, inference_mode>) {
        net.forward(x, tr);
    } else {
        net.forward(x, tr, source);
    }
}

template <class Net, class Loss, class Source>
constexpr typename Net::value_type accumulate_gradient(Net const& net, typename Net::input_type const& x,
                                                       target_t<Net, Loss> const& target,
                                                       typename Net::gradient_type& grad, typename Net::trace& tr,
                                                       Source& source) noexcept
{
    detail::forward(net, x, tr, source);
    typename Net::output_type delta{};
    auto const value = output_delta<Net, Loss>(tr, target, delta);
    net.backward(tr, delta, grad);
    return value;
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
                                                       target_t<Net, Loss> const& target, Loss const& loss,
                                                       typename Net::gradient_type& grad) noexcept
{
    typename Net::trace tr{};
    return accumulate_gradient(net, x, target, loss, grad, tr);
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
    gradient_result<Net> result{};
    typename Net::trace tr{};
    result.loss = accumulate_gradient(net, x, target, loss, result.grad, tr, rng);
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
        // Sample by sample: the same sums (see accumulate_batch) without
        // computing a whole block for a small batch at compile time.
        for (std::size_t s = 0; s < n; ++s) {
            total += accumulate_gradient(net, xs[s], targets[s], loss, result.grad);
        }
    } else {
        static_assert(detail::loss_fits_network<Net, Loss>());
        total = detail::accumulate_batch<detail::default_predict_block<T>, Net, Loss>(net, xs, targets, result.grad);
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
    typename Net::trace tr{};
    detail::forward(net, x, tr, source);
    return Loss::value(tr.output(), target, boost::hana::at_c<Net::depth - 1>(tr.z));
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
        typename Net::trace tr{};
        static_cast<void>(detail::accumulate_gradient<Net, Loss>(net, x, target, backprop, tr, copy));
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

} // namespace ctnn

#endif
