#ifndef CTNN_TRAIN_STEP_HPP
#define CTNN_TRAIN_STEP_HPP

/// \file
/// `ctnn::train_step`: one plain SGD step on one sample, with the update fused
/// into backpropagation. The same result as `gradient` followed by
/// θ ← θ − η ∂L/∂θ, without materialising the gradient: no gradient array to
/// clear, accumulate into and read back, which is most of the memory traffic
/// of a step of a network whose weights do not fit in L1.

#include <ctnn/detail/braced_arguments.hpp>
#include <ctnn/detail/output_delta.hpp>
#include <ctnn/gradient.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/layer/dropout.hpp>
#include <ctnn/network.hpp>
#include <ctnn/random.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <utility>

namespace ctnn {

namespace detail {

// step_buffers<T, N...>: for each layer (widths N...) of one training step,
// its output a and its z (a dense layer's pre-activation, a dropout layer's
// mask). Unlike Net::trace it holds no copy of the input and is not
// zero-initialised: the forward pass writes every element before anything
// reads it.
template <class T, std::size_t... N>
struct step_buffers {};

template <class T, std::size_t N, std::size_t... Rest>
struct step_buffers<T, N, Rest...> {
    alignas(buffer_alignment<T, N>) std::array<T, N> z;
    alignas(buffer_alignment<T, N>) std::array<T, N> a;
    step_buffers<T, Rest...> rest;
};

template <class Net, class = std::make_index_sequence<Net::depth>>
struct step_buffers_of;
template <class Net, std::size_t... I>
struct step_buffers_of<Net, std::index_sequence<I...>> {
    using type = step_buffers<typename Net::value_type, Net::widths[I + 1]...>;
};

// Layer I's buffers.
template <std::size_t I, class Buffers>
constexpr auto& step_layer(Buffers& b) noexcept
{
    if constexpr (I == 0) {
        return b;
    } else {
        return step_layer<I - 1>(b.rest);
    }
}

// Layer I's input: x for the first layer, the previous layer's output otherwise.
template <std::size_t I, class X, class Buffers>
constexpr auto const& step_input(X const& x, Buffers const& b) noexcept
{
    if constexpr (I == 0) {
        return x;
    } else {
        return step_layer<I - 1>(b).a;
    }
}

template <std::size_t I, network_type Net, class Buffers, class Source>
constexpr void step_forward(Net const& net, typename Net::input_type const& x, Buffers& b, Source& source) noexcept
{
    using T = typename Net::value_type;
    auto& out = step_layer<I>(b);
    if constexpr (Net::is_dense[I]) {
        auto const w = net.template layer<I>();
        dense_forward<typename Net::template layer_t<I>::activation_type>(
            std::span<T const, Net::widths[I + 1] * Net::widths[I]>(w.weights),
            std::span<T const, Net::widths[I + 1]>(w.biases), step_input<I>(x, b), out.z, out.a);
    } else {
        dropout_forward<typename Net::template layer_t<I>>(step_input<I>(x, b), source, out.z, out.a);
    }
    if constexpr (I + 1 < Net::depth) {
        step_forward<I + 1>(net, x, b, source);
    }
}

template <std::size_t I, network_type Net, class Buffers>
constexpr void sgd_propagate(Net& net, typename Net::input_type const& x, Buffers const& b,
                             std::array<typename Net::value_type, Net::widths[I + 1]> const& g,
                             typename Net::value_type rate) noexcept;

// sgd_backward<I>(net, x, b, delta, rate): layer I is dense and delta its
// dL/dz. Propagates delta below with layer I's weights as they were, then
// updates layer I; recurses down to the first dense layer.
template <std::size_t I, network_type Net, class Buffers>
constexpr void sgd_backward(Net& net, typename Net::input_type const& x, Buffers const& b,
                            std::array<typename Net::value_type, Net::widths[I + 1]> const& delta,
                            typename Net::value_type rate) noexcept
{
    using T = typename Net::value_type;
    constexpr std::size_t in = Net::widths[I];
    constexpr std::size_t out = Net::widths[I + 1];
    using act = typename Net::template layer_t<I>::activation_type;
    auto const w = net.template layer<I>();
    if constexpr (I > 0) {
        std::array<T, in> dl_da; // written in full by dense_input_gradient
        dense_input_gradient(std::span<T const, out * in>(w.weights), delta, dl_da);
        dense_sgd_update<act>(w.weights, w.biases, step_input<I>(x, b), delta, rate);
        sgd_propagate<I - 1>(net, x, b, dl_da, rate);
    } else {
        dense_sgd_update<act>(w.weights, w.biases, step_input<I>(x, b), delta, rate);
    }
}

// sgd_propagate<I>(net, x, b, g, rate): g is dL/da of layer I's output;
// through dropout layers (× mask) down to the next dense layer's delta. Below
// the first layer nothing needs the gradient.
template <std::size_t I, network_type Net, class Buffers>
constexpr void sgd_propagate(Net& net, typename Net::input_type const& x, Buffers const& b,
                             std::array<typename Net::value_type, Net::widths[I + 1]> const& g,
                             typename Net::value_type rate) noexcept
{
    using T = typename Net::value_type;
    if constexpr (Net::is_dense[I]) {
        std::array<T, Net::widths[I + 1]> delta; // written in full by activation_delta
        activation_delta<typename Net::template layer_t<I>::activation_type>(step_layer<I>(b).z,
                                                                             step_layer<I>(b).a, g, delta);
        sgd_backward<I>(net, x, b, delta, rate);
    } else if constexpr (I > 0) {
        std::array<T, Net::widths[I]> below; // written in full by dropout_backward
        dropout_backward(g, step_layer<I>(b).z, below);
        sgd_propagate<I - 1>(net, x, b, below, rate);
    }
}

template <class Net, class Loss, class Source>
constexpr typename Net::value_type train_step(Net& net, typename Net::input_type const& x,
                                              target_t<Net, Loss> const& target, typename Net::value_type rate,
                                              Source& source) noexcept
{
    typename step_buffers_of<Net>::type buffers; // written in full by step_forward
    step_forward<0>(std::as_const(net), x, buffers, source);
    auto const& last = step_layer<Net::depth - 1>(buffers);
    typename Net::output_type delta{};
    auto const value = output_delta<Net, Loss>(last.a, last.z, target, delta);
    sgd_backward<Net::depth - 1>(net, x, buffers, delta, rate);
    return value;
}

} // namespace detail

/// One step of plain gradient descent on sample (x, target):
/// θ ← θ − learning_rate · ∂L/∂θ, the gradient by backpropagation, each
/// layer's update fused into its backward pass. Returns the sample's loss
/// before the step. Equivalent (up to rounding in the last bit) to
///
///     auto [loss, grad] = ctnn::gradient(net, x, target, loss_fn);
///     for (std::size_t i = 0; i < Net::parameter_count; ++i)
///         net.parameters()[i] -= learning_rate * grad.parameters()[i];
///
/// and `constexpr` like it. Inference mode: dropout layers pass their input
/// through (pass a generator for training mode). At run time, rows of weights
/// of ReLU-like units idle on the sample (zero error term) are not touched:
/// the same weights as subtracting 0·x, unless x holds an infinity or a NaN.
template <network_type Net, class Loss>
constexpr typename Net::value_type train_step(Net& net, typename Net::input_type const& x,
                                              target_t<Net, Loss> const& target, Loss const&,
                                              typename Net::value_type learning_rate) noexcept
{
    detail::inference_mode mode;
    return detail::train_step<Net, Loss>(net, x, target, learning_rate, mode);
}

/// The same in training mode: dropout layers draw their masks from `rng`, as
/// `ctnn::gradient(net, x, target, loss_fn, rng)` does.
template <network_type Net, class Loss, random_bits32 Rng>
constexpr typename Net::value_type train_step(Net& net, typename Net::input_type const& x,
                                              target_t<Net, Loss> const& target, Loss const&,
                                              typename Net::value_type learning_rate, Rng& rng) noexcept
{
    return detail::train_step<Net, Loss>(net, x, target, learning_rate, rng);
}

// Braced inputs and targets of the wrong length: compile errors.
CTNN_DETAIL_REFUSE_WRONG_BRACED_WIDTHS(train_step)

} // namespace ctnn

#endif
