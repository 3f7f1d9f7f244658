#ifndef CTNN_TRAIN_STEP_HPP
#define CTNN_TRAIN_STEP_HPP

/// \file
/// `ctnn::train_step`: one plain SGD step on one sample, with the update fused
/// into backpropagation. The same result as `gradient` followed by
/// θ ← θ − η ∂L/∂θ, without materialising the gradient: no gradient array to
/// clear, accumulate into and read back, which is most of the memory traffic
/// of a step of a network whose weights do not fit in L1.

#include <ctnn/gradient.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/network.hpp>
#include <ctnn/random.hpp>

#include <boost/hana/at.hpp>

#include <array>
#include <cstddef>
#include <span>

namespace ctnn {

namespace detail {

// sgd_backward<I>(net, tr, delta, rate): layer I is dense and delta its
// dL/dz. Propagates delta below with layer I's weights as they were, then
// updates layer I; recurses down to the first dense layer.
template <std::size_t I, network_type Net>
constexpr void sgd_backward(Net& net, typename Net::trace const& tr,
                            std::array<typename Net::value_type, Net::widths[I + 1]> const& delta,
                            typename Net::value_type rate) noexcept
{
    using T = typename Net::value_type;
    constexpr std::size_t in = Net::widths[I];
    constexpr std::size_t out = Net::widths[I + 1];
    auto const w = net.template layer<I>();
    if constexpr (I > 0) {
        std::array<T, in> dl_da{};
        dense_input_gradient(std::span<T const, out * in>(w.weights), delta, dl_da);
        dense_sgd_update(w.weights, w.biases, boost::hana::at_c<I>(tr.a), delta, rate);
        Net::template propagate_to<I - 1>(tr, dl_da, [&]<std::size_t J>(std::array<T, Net::widths[J + 1]> const& below) {
            sgd_backward<J>(net, tr, below, rate);
        });
    } else {
        dense_sgd_update(w.weights, w.biases, boost::hana::at_c<I>(tr.a), delta, rate);
    }
}

template <class Net, class Loss, class Source>
constexpr typename Net::value_type train_step(Net& net, typename Net::input_type const& x,
                                              target_t<Net, Loss> const& target, typename Net::value_type rate,
                                              Source& source) noexcept
{
    typename Net::trace tr{};
    detail::forward(net, x, tr, source);
    typename Net::output_type delta{};
    auto const value = output_delta<Net, Loss>(tr, target, delta);
    sgd_backward<Net::depth - 1>(net, tr, delta, rate);
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
/// through (pass a generator for training mode).
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

} // namespace ctnn

#endif
