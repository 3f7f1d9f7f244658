#ifndef CTNN_TRAIN_HPP
#define CTNN_TRAIN_HPP

/// \file
/// `ctnn::fit`: epochs of mini-batch training with deterministic shuffling, a
/// target loss, early stopping on a validation set, and a callback per epoch
/// (and, if it accepts one, per batch). Works on spans of fixed-size samples
/// and allocates nothing.
///
/// Bad input never trains silently and never damages the network: data that
/// cannot be trained on (`stop_reason::invalid_input`) leaves it untouched,
/// and a step whose loss, gradient or result is not finite is not kept
/// (`stop_reason::diverged`), so the network `fit` returns is always the one
/// it was given or one reached by finite steps.

#include <ctnn/detail/batch.hpp>
#include <ctnn/detail/gradient_sinks.hpp>
#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/finite.hpp>
#include <ctnn/gradient.hpp>
#include <ctnn/math.hpp>
#include <ctnn/metrics.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optim/optimizer.hpp>
#include <ctnn/random.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn {

/// How `fit` trains. Designated initialisers name what differs from the
/// defaults: `{.epochs = 100, .batch_size = 16, .seed = 7}`.
struct fit_options {
    std::size_t epochs = 1;
    /// Samples per gradient step; gradients are averaged over the batch. The
    /// last batch of an epoch may be smaller. 0 means the whole data set.
    std::size_t batch_size = 32;
    /// Stop once an epoch's mean training loss is at or below this (0: never).
    double target_loss = 0.0;
    /// Seed of the shuffling and of the dropout masks; the same seed gives
    /// the same order and the same masks every run.
    std::uint64_t seed = 0;
    bool shuffle = true;
    /// Early stopping: stop after this many epochs without the validation
    /// loss improving by more than `min_delta` (0: off; needs a non-empty
    /// validation set, or `fit` returns `stop_reason::invalid_input`).
    std::size_t patience = 0;
    double min_delta = 0.0;
    /// When early stopping ends training, put back the parameters of the
    /// epoch with the best validation loss (if one was finite; otherwise the
    /// network stays as trained).
    bool restore_best = true;
};

/// Why `fit` returned.
enum class stop_reason {
    epochs_done,         ///< every epoch ran (also for `epochs = 0`: none ran, `loss` is NaN)
    target_loss_reached, ///< an epoch's mean loss was at or below `target_loss`
    patience_exhausted,  ///< `patience` epochs without a better validation loss
    callback,            ///< the epoch callback returned `false`
    /// Nothing was trained and the network is untouched: samples and targets
    /// of different lengths, no samples, a validation set whose samples and
    /// targets differ in length, or `patience > 0` with an empty validation
    /// set or none.
    invalid_input,
    /// A batch's loss or gradient, or a parameter after the batch's update,
    /// was NaN or infinite. `fit` stopped at once with the parameters (and
    /// the optimizer's state) of before that update: the network is finite.
    diverged,
};

/// What happened in one epoch, for the callback.
template <class T>
struct epoch_report {
    std::size_t epoch; ///< from 1
    std::size_t epochs;
    /// Mean training loss and metrics, each sample measured in the forward
    /// pass of its training step (before that batch's update).
    T loss;
    T accuracy;
    T mean_absolute_error;
    /// The same on the validation set after the epoch (NaN without one).
    T validation_loss;
    T validation_accuracy;
};

/// Progress inside an epoch, for a callback that accepts it.
struct batch_report {
    std::size_t epoch;
    std::size_t batch; ///< from 1
    std::size_t batches;
    std::size_t samples;        ///< samples trained on so far in this epoch
    double loss;                ///< their mean loss
    double accuracy;            ///< their accuracy (NaN unless the targets are class labels)
    double mean_absolute_error; ///< their mean absolute error (NaN for class-index targets)
};

template <class T>
struct fit_result {
    stop_reason reason;
    /// Epochs run; with `diverged`, the last of them was cut short.
    std::size_t epochs;
    /// Mean training loss of the last epoch (with `diverged`, of its batches
    /// up to the one that diverged: not finite). NaN when no epoch ran
    /// (`epochs = 0`, `invalid_input`), so it cannot pass for a perfect fit.
    T loss;
    /// Best validation loss (NaN without a validation set, or when none was
    /// finite).
    T validation_loss;
};

/// A validation set for early stopping and reporting.
template <class X, class Y>
struct validation_set {
    std::span<X const> samples;
    std::span<Y const> targets;
};
template <class X, std::size_t NX, class Y, std::size_t NY>
validation_set(std::span<X, NX>, std::span<Y, NY>) -> validation_set<std::remove_const_t<X>, std::remove_const_t<Y>>;

namespace detail {

// shuffled_index: a pseudo-random permutation of [0, n) that needs no
// storage: a four-round Feistel network over the smallest even number of bits
// covering n, with cycle walking to stay below n. Bijective by construction.
class shuffled_index {
public:
    constexpr shuffled_index(std::size_t n, std::uint64_t key) noexcept : n_(n), key_(key)
    {
        while ((std::uint64_t{1} << (2 * half_bits_)) < n_) {
            ++half_bits_;
        }
        mask_ = (std::uint64_t{1} << half_bits_) - 1;
    }

    [[nodiscard]] constexpr std::size_t operator()(std::size_t i) const noexcept
    {
        std::uint64_t v = i;
        do {
            v = permute(v);
        } while (v >= n_);
        return static_cast<std::size_t>(v);
    }

private:
    static constexpr std::uint64_t mix(std::uint64_t z) noexcept
    {
        // SplitMix64's finaliser: a good 64-bit mixing function.
        z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31U);
    }

    [[nodiscard]] constexpr std::uint64_t permute(std::uint64_t v) const noexcept
    {
        std::uint64_t left = v >> half_bits_;
        std::uint64_t right = v & mask_;
        for (std::uint64_t round = 0; round < 4; ++round) {
            std::uint64_t const next = left ^ (mix(right ^ key_ ^ (round << 56U)) & mask_);
            left = right;
            right = next;
        }
        return (left << half_bits_) | right;
    }

    std::uint64_t n_;
    std::uint64_t key_;
    unsigned half_bits_ = 0;
    std::uint64_t mask_ = 0;
};

struct no_callback {
    template <class T>
    constexpr void operator()(epoch_report<T> const&) const noexcept
    {
    }
};

struct nothing {};

// The pcg32 stream of fit's dropout masks.
inline constexpr std::uint64_t dropout_stream = 0x64726f706f7574ULL;

// fit_input_is_valid: false in the cases of stop_reason::invalid_input.
template <class Validation>
constexpr bool fit_input_is_valid(std::size_t samples, std::size_t targets, Validation const& validation,
                                  fit_options const& options) noexcept
{
    if (samples != targets || samples == 0) {
        return false;
    }
    if constexpr (std::is_same_v<Validation, nothing>) {
        return options.patience == 0;
    } else {
        std::size_t const n = validation.samples.size();
        return n == validation.targets.size() && (n != 0 || options.patience == 0);
    }
}

// fit_batch(net, xs, ts, count, index, optimizer, source, observe, grad):
// one batch of fit: the forward pass of samples index(0), ..., index(count
// − 1), their losses (observe(sample, loss, output), in order), and one step
// of the optimizer with the batch's mean gradient. An optimizer with an update
// rule applies it to each layer as soon as the layer's sum over the batch is
// complete; any other takes `step(net, grad)` after the batch. Returns the
// sum of the losses. `grad` is the buffer of the sum, cleared here.
template <class Loss, class Net, class Optimizer, class Source, class Index, class Observe>
constexpr typename Net::value_type fit_batch(Net& net, std::span<typename Net::input_type const> xs,
                                             std::span<target_t<Net, Loss> const> ts, std::size_t count,
                                             Index const& index, Optimizer& optimizer, Source& source,
                                             Observe&& observe, typename Net::gradient_type& grad) noexcept
{
    using T = typename Net::value_type;
    T const scale = T(1) / static_cast<T>(count);
    grad = {};
    T total = T(0);
    if (is_constant_evaluated()) {
        // Sample by sample: what backpropagate_batch computes, without whole
        // blocks of samples at compile time.
        for (std::size_t k = 0; k < count; ++k) {
            std::size_t const s = index(k);
            typename Net::trace tr{};
            T const sample_loss = accumulate_gradient<Net, Loss>(std::as_const(net), xs[s], ts[s], grad, tr, source);
            observe(s, sample_loss, tr.output());
            total += sample_loss;
        }
    } else if constexpr (optim::rule_optimizer<Optimizer, T>) {
        optimizer.template next_step<T>([&](auto const& rule, auto&... state) {
            add_to_gradient<typename Net::gradient_type> add{grad};
            update_with_mean<Net, std::remove_cvref_t<decltype(rule)>, sizeof...(state)> last{
                net, grad, scale, rule, {state.data()...}};
            total = backpropagate_batch<block_samples<T>, Loss>(std::as_const(net), xs, ts, count, index, source,
                                                                observe, add, last);
        });
        return total;
    } else {
        add_to_gradient<typename Net::gradient_type> add{grad};
        total = backpropagate_batch<block_samples<T>, Loss>(std::as_const(net), xs, ts, count, index, source,
                                                            observe, add, add);
    }
    for (T& g : grad.parameters()) {
        g *= scale;
    }
    optimizer.step(net, grad);
    return total;
}

// train_epochs: the loop behind both public overloads. Without a validation set
// (Validation = nothing) no copy of the network for early stopping is kept.
//
// Divergence: a batch whose loss is not finite ends training, and so does an
// epoch that ends with a parameter that is not finite (a parameter that is
// not finite makes the next batch's loss so: it reaches every output). The
// network and the optimizer are then put back as they were before the update
// that went wrong: from the copies taken at the start of the epoch, by
// training again on the epoch's batches before that update (the same
// batches in the same order with the same dropout masks: the same values,
// bit for bit). So a step costs no copy, and an epoch one copy of the network
// and of the optimizer.
template <class Net, class Loss, class Optimizer, class Validation, class Callback>
constexpr fit_result<typename Net::value_type>
train_epochs(Net& net, std::span<typename Net::input_type const> xs, std::span<target_t<Net, Loss> const> ts,
             Validation const& validation, Loss const& loss, Optimizer& optimizer, fit_options const& options,
             Callback&& callback) noexcept
{
    constexpr bool validating = !std::is_same_v<Validation, nothing>;
    using T = typename Net::value_type;
    constexpr T not_a_number = std::numeric_limits<T>::quiet_NaN();
    fit_result<T> result{stop_reason::epochs_done, 0, not_a_number, not_a_number};
    if (!fit_input_is_valid(xs.size(), ts.size(), validation, options)) {
        result.reason = stop_reason::invalid_input;
        return result;
    }
    std::size_t const n = xs.size();
    std::size_t const batch = options.batch_size == 0 || options.batch_size > n ? n : options.batch_size;
    std::size_t const batches = (n + batch - 1) / batch;

    T best_validation = std::numeric_limits<T>::infinity();
    std::size_t epochs_without_improvement = 0;
    [[maybe_unused]] std::conditional_t<validating, Net, nothing> best{};
    [[maybe_unused]] bool best_saved = false;
    // Dropout masks: one stream for the whole run, separate from the
    // shuffling's keys (the stream constant spells "dropout").
    pcg32 masks(options.seed, dropout_stream);
    typename Net::gradient_type grad{};

    // The epoch's batch b: its samples in the epoch's order, its step.
    auto const train_batch = [&](shuffled_index const& order, std::size_t b, auto&& observe) {
        std::size_t const first = b * batch;
        std::size_t const count = first + batch < n ? batch : n - first;
        auto const index = [&](std::size_t k) { return options.shuffle ? order(first + k) : first + k; };
        if constexpr (Net::has_dropout) {
            return fit_batch<Loss>(net, xs, ts, count, index, optimizer, masks, observe, grad);
        } else {
            inference_mode mode;
            return fit_batch<Loss>(net, xs, ts, count, index, optimizer, mode, observe, grad);
        }
    };
    auto const ignore = [](std::size_t, T, typename Net::output_type const&) {};

    for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
        shuffled_index const order(n, options.seed * 0x9e3779b97f4a7c15ULL + epoch);
        Net const net_at_start = net;
        Optimizer const optimizer_at_start = optimizer;
        pcg32 const masks_at_start = masks;
        // replay(steps): back to the start of the epoch, then its first
        // `steps` batches again; returns how many of them left every
        // parameter finite (it stops at the first that did not).
        auto const replay = [&](std::size_t steps) {
            net = net_at_start;
            optimizer = optimizer_at_start;
            masks = masks_at_start;
            for (std::size_t b = 0; b < steps; ++b) {
                train_batch(order, b, ignore);
                if (!all_finite(net)) {
                    return b;
                }
            }
            return steps;
        };
        // undo(steps): the state before the first of the epoch's first
        // `steps` updates that left a parameter not finite, or after them all.
        auto const undo = [&](std::size_t steps) {
            std::size_t const finite = replay(steps);
            if (finite < steps) {
                replay(finite);
            }
        };

        metrics::accumulator<T> train{};
        auto const observe = [&](std::size_t s, T sample_loss, typename Net::output_type const& y) {
            train.add(sample_loss, y, ts[s]);
        };
        bool diverged = false;
        for (std::size_t b = 0; b < batches && !diverged; ++b) {
            T const batch_loss = train_batch(order, b, observe);
            if (!math::isfinite(batch_loss)) {
                undo(b);
                diverged = true;
            } else if constexpr (std::is_invocable_v<Callback&, batch_report const&>) {
                callback(batch_report{epoch, b + 1, batches, train.samples, static_cast<double>(train.mean_loss()),
                                      static_cast<double>(train.accuracy()),
                                      static_cast<double>(train.mean_absolute_error())});
            }
        }
        if (!diverged && !all_finite(net)) { // the epoch's last step
            undo(batches);
            diverged = true;
        }
        result.epochs = epoch;
        result.loss = train.mean_loss();
        if (diverged) {
            result.reason = stop_reason::diverged;
            return result;
        }

        epoch_report<T> report{.epoch = epoch,
                               .epochs = options.epochs,
                               .loss = train.mean_loss(),
                               .accuracy = train.accuracy(),
                               .mean_absolute_error = train.mean_absolute_error(),
                               .validation_loss = not_a_number,
                               .validation_accuracy = not_a_number};
        if constexpr (validating) {
            auto const v = metrics::evaluate(net, validation.samples, validation.targets, loss);
            report.validation_loss = v.mean_loss();
            report.validation_accuracy = v.accuracy();
            // A NaN validation loss is never an improvement, so `best` only
            // ever holds a network whose validation loss was finite.
            if (report.validation_loss < best_validation - static_cast<T>(options.min_delta)) {
                best_validation = report.validation_loss;
                epochs_without_improvement = 0;
                best = net;
                best_saved = true;
                result.validation_loss = best_validation;
            } else {
                ++epochs_without_improvement;
            }
        }

        bool keep_going = true;
        if constexpr (std::is_invocable_r_v<bool, Callback&, epoch_report<T> const&>) {
            keep_going = callback(report);
        } else if constexpr (std::is_invocable_v<Callback&, epoch_report<T> const&>) {
            callback(report);
        }
        if (!keep_going) {
            result.reason = stop_reason::callback;
            break;
        }
        if (options.target_loss > 0 && report.loss <= static_cast<T>(options.target_loss)) {
            result.reason = stop_reason::target_loss_reached;
            break;
        }
        if constexpr (validating) {
            if (options.patience > 0 && epochs_without_improvement >= options.patience) {
                result.reason = stop_reason::patience_exhausted;
                if (options.restore_best && best_saved) {
                    net = best;
                }
                break;
            }
        }
    }
    return result;
}

// fit: train_epochs, for an optimizer that can be copied (one error
// otherwise).
template <class Net, class Loss, class Optimizer, class Validation, class Callback>
constexpr fit_result<typename Net::value_type>
fit(Net& net, std::span<typename Net::input_type const> xs, std::span<target_t<Net, Loss> const> ts,
    Validation const& validation, Loss const& loss, Optimizer& optimizer, fit_options const& options,
    Callback&& callback) noexcept
{
    if constexpr (!std::is_copy_constructible_v<Optimizer> || !std::is_copy_assignable_v<Optimizer>) {
        static_assert(std::is_copy_constructible_v<Optimizer> && std::is_copy_assignable_v<Optimizer>,
                      "ctnn::fit: the optimizer must be copyable, so that training that diverges can be undone");
        return {stop_reason::invalid_input, 0, typename Net::value_type{}, typename Net::value_type{}};
    } else {
        return train_epochs(net, xs, ts, validation, loss, optimizer, options, callback);
    }
}

} // namespace detail

/// Trains `net` on (samples, targets) with `loss` and `optimizer` (anything
/// with `step(net, grad)`), as `options` say, calling `on_epoch` after each
/// epoch with an `epoch_report` (return `false` from it to stop) and, if it
/// also accepts a `batch_report`, after each batch.
/// Dropout layers are in training mode while the gradients are computed
/// (masks from `pcg32(options.seed, detail::dropout_stream)`, drawn sample
/// after sample) and in inference mode for the validation set.
///
/// `samples` and `targets` must have the same, non-zero length, and
/// `options.patience` needs a non-empty validation set; otherwise `fit`
/// returns `stop_reason::invalid_input` at once, with the network untouched.
/// `options.epochs = 0` returns at once too (`epochs_done`, 0 epochs, loss
/// NaN). A batch whose loss is NaN or infinite (a NaN in the data, a learning
/// rate that diverges), or an update that makes a parameter so, ends training
/// with `stop_reason::diverged` and the network and the optimizer as they were
/// before that update. For that, each epoch starts with a copy of the network
/// and of the optimizer (which must be copyable), on the stack like the
/// gradient of a batch; the steps themselves copy nothing.
///
///     ctnn::fit(net, samples, targets, ctnn::loss::mse{}, opt,
///               {.epochs = 5000, .batch_size = 4, .target_loss = 1e-3}, on_epoch);
template <network_type Net, class Loss, class Optimizer, class Callback = detail::no_callback>
constexpr fit_result<typename Net::value_type>
fit(Net& net, std::span<typename Net::input_type const> samples, std::span<target_t<Net, Loss> const> targets,
    Loss const& loss, Optimizer& optimizer, fit_options const& options = {}, Callback&& on_epoch = {}) noexcept
{
    return detail::fit(net, samples, targets, detail::nothing{}, loss, optimizer, options, on_epoch);
}

/// The same, evaluating `validation` after every epoch for the report and for
/// early stopping (`options.patience`).
template <network_type Net, class Loss, class Optimizer, class Callback = detail::no_callback>
constexpr fit_result<typename Net::value_type>
fit(Net& net, std::span<typename Net::input_type const> samples, std::span<target_t<Net, Loss> const> targets,
    validation_set<typename Net::input_type, target_t<Net, Loss>> const& validation, Loss const& loss,
    Optimizer& optimizer, fit_options const& options = {}, Callback&& on_epoch = {}) noexcept
{
    return detail::fit(net, samples, targets, validation, loss, optimizer, options, on_epoch);
}

} // namespace ctnn

#endif
