#ifndef CTNN_TRAIN_STEP_HPP
#define CTNN_TRAIN_STEP_HPP

/// \file
/// `ctnn::train_step`: one training step, with the update fused into
/// backpropagation. Each layer's parameters are updated as soon as
/// backpropagation has their gradient (after the gradient flowing to the
/// layer below has been taken from the weights as they were), so a step on
/// one sample stores no gradient at all: no gradient array to clear,
/// accumulate into and read back, which is most of the memory traffic of a
/// step of a network whose weights do not fit in L1. On a batch, the mean
/// gradient is summed block after block and each layer is updated as soon as
/// its sum is complete.

#include <ctnn/detail/batch.hpp>
#include <ctnn/detail/braced_arguments.hpp>
#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/detail/gradient_sinks.hpp>
#include <ctnn/detail/output_delta.hpp>
#include <ctnn/detail/sample_pass.hpp>
#include <ctnn/gradient.hpp>
#include <ctnn/layer/dropout.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optim/optimizer.hpp>
#include <ctnn/random.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <utility>

namespace ctnn {

namespace detail {

template <class Net, class Loss, class Source>
constexpr typename Net::value_type descent_step(Net& net, typename Net::input_type const& x,
                                                target_t<Net, Loss> const& target, typename Net::value_type rate,
                                                Source& source) noexcept
{
    typename step_store<Net>::buffers layers; // written by the forward pass
    step_store<Net> store(x, layers);
    descend_at_once<Net> sink{net, rate};
    return backpropagate<Loss>(std::as_const(net), store, source, target, sink);
}

template <class Net, class Loss, class Optimizer, class Source>
constexpr typename Net::value_type optimizer_step(Net& net, typename Net::input_type const& x,
                                                  target_t<Net, Loss> const& target, Optimizer& opt,
                                                  Source& source) noexcept
{
    using T = typename Net::value_type;
    T loss{};
    opt.template next_step<T>([&](auto const& rule, auto&... state) {
        typename step_store<Net>::buffers layers; // written by the forward pass
        step_store<Net> store(x, layers);
        update_at_once<Net, std::remove_cvref_t<decltype(rule)>, sizeof...(state)> sink{
            net, rule, {state.data()...}};
        loss = backpropagate<Loss>(std::as_const(net), store, source, target, sink);
    });
    return loss;
}

template <class Net, class Loss, class Optimizer>
constexpr typename Net::value_type batch_step(Net& net, std::span<typename Net::input_type const> xs,
                                              std::span<target_t<Net, Loss> const> ts, Optimizer& opt) noexcept
{
    using T = typename Net::value_type;
    std::size_t const n = xs.size() < ts.size() ? xs.size() : ts.size();
    if (n == 0) {
        return T(0);
    }
    T total = T(0);
    T const scale = T(1) / static_cast<T>(n);
    // The batch's gradient sum (each layer's complete once its last block is
    // through); the step takes its mean.
    typename Net::gradient_type sum{};
    inference_mode mode;
    if (is_constant_evaluated()) {
        // Sample by sample: the same sums (see backpropagate_batch) without
        // computing a whole block at compile time.
        for (std::size_t s = 0; s < n; ++s) {
            total += accumulate_gradient<Net, Loss>(std::as_const(net), xs[s], ts[s], sum, mode);
        }
        opt.template next_step<T>([&](auto const& rule, auto&... state) {
            apply_rule<T, Net::parameter_count>(rule, net.parameters().data(),
                                                mean_gradient<T>{sum.parameters().data(), scale},
                                                std::array<T*, sizeof...(state)>{state.data()...});
        });
    } else {
        opt.template next_step<T>([&](auto const& rule, auto&... state) {
            add_to_gradient<typename Net::gradient_type> add{sum};
            update_with_mean<Net, std::remove_cvref_t<decltype(rule)>, sizeof...(state)> last{
                net, sum, scale, rule, {state.data()...}};
            total = backpropagate_batch<block_samples<T>, Loss>(
                std::as_const(net), xs, ts, n, [](std::size_t k) { return k; }, mode,
                [](std::size_t, T, typename Net::output_type const&) {}, add, last);
        });
    }
    return total * scale;
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
    return detail::descent_step<Net, Loss>(net, x, target, learning_rate, mode);
}

/// The same in training mode: dropout layers draw their masks from `rng`, as
/// `ctnn::gradient(net, x, target, loss_fn, rng)` does.
template <network_type Net, class Loss, random_bits32 Rng>
constexpr typename Net::value_type train_step(Net& net, typename Net::input_type const& x,
                                              target_t<Net, Loss> const& target, Loss const&,
                                              typename Net::value_type learning_rate, Rng& rng) noexcept
{
    return detail::descent_step<Net, Loss>(net, x, target, learning_rate, rng);
}

/// One step of `optimizer` (any of `ctnn::optim`: sgd, sgd_momentum, rmsprop,
/// adam, adamw, with_value_clipping of them) on sample (x, target), its rule
/// applied to each layer's parameters as soon as backpropagation has their
/// gradient; no gradient is stored. Returns the sample's loss before the step.
/// The same (up to rounding) as
///
///     auto [loss, grad] = ctnn::gradient(net, x, target, loss_fn);
///     optimizer.step(net, grad);
///
/// and `constexpr` like it; `optim::sgd` without weight decay takes the path
/// of `train_step(net, x, target, loss_fn, learning_rate)`. Inference mode:
/// dropout layers pass their input through (pass a generator for training
/// mode).
///
///     ctnn::optim::adam<net_t> adam{.learning_rate = 1e-3f};
///     float loss = ctnn::train_step(net, x, target, ctnn::loss::mse{}, adam);
template <network_type Net, class Loss, class Optimizer>
    requires optim::rule_optimizer<std::remove_reference_t<Optimizer>, typename Net::value_type>
constexpr typename Net::value_type train_step(Net& net, typename Net::input_type const& x,
                                              target_t<Net, Loss> const& target, Loss const&,
                                              Optimizer&& optimizer) noexcept
{
    detail::inference_mode mode;
    return detail::optimizer_step<Net, Loss>(net, x, target, optimizer, mode);
}

/// The same in training mode: dropout layers draw their masks from `rng`.
template <network_type Net, class Loss, class Optimizer, random_bits32 Rng>
    requires optim::rule_optimizer<std::remove_reference_t<Optimizer>, typename Net::value_type>
constexpr typename Net::value_type train_step(Net& net, typename Net::input_type const& x,
                                              target_t<Net, Loss> const& target, Loss const&,
                                              Optimizer&& optimizer, Rng& rng) noexcept
{
    return detail::optimizer_step<Net, Loss>(net, x, target, optimizer, rng);
}

/// One step of `optimizer` on a batch: the mean loss and the mean gradient
/// of the samples (PyTorch's default `reduction="mean"`), one update, which
/// is what `ctnn::fit` does for each batch. Returns the batch's mean loss
/// before the step. The same (up to rounding) as
///
///     auto [loss, grad] = ctnn::gradient(net, samples, targets, loss_fn);
///     optimizer.step(net, grad);
///
/// The spans should have equal lengths (the shorter one counts); an empty
/// batch changes nothing and returns 0. Inference mode (dropout layers pass
/// their input through); `constexpr`.
template <network_type Net, class Loss, class Optimizer>
    requires optim::rule_optimizer<std::remove_reference_t<Optimizer>, typename Net::value_type>
constexpr typename Net::value_type train_step(Net& net, std::span<typename Net::input_type const> samples,
                                              std::span<target_t<Net, Loss> const> targets, Loss const&,
                                              Optimizer&& optimizer) noexcept
{
    return detail::batch_step<Net, Loss>(net, samples, targets, optimizer);
}

// Braced inputs and targets of the wrong length: compile errors.
CTNN_DETAIL_REFUSE_WRONG_BRACED_WIDTHS(train_step)

} // namespace ctnn

#endif
