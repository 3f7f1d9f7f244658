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

// finite_step: the optimizer's step on `grad`, kept only if everything is
// finite. A batch whose loss or gradient is not finite is not stepped on at
// all; a step that makes a parameter non-finite is undone by putting back
// copies of the network and of the optimizer (whose state, such as Adam's
// moments, the step changed too). Returns false when training diverged.
template <class Net, class Optimizer>
constexpr bool finite_step(Net& net, Optimizer& optimizer, typename Net::gradient_type& grad,
                           typename Net::value_type batch_loss) noexcept
{
    if constexpr (!std::is_copy_constructible_v<Optimizer> || !std::is_copy_assignable_v<Optimizer>) {
        static_assert(std::is_copy_constructible_v<Optimizer> && std::is_copy_assignable_v<Optimizer>,
                      "ctnn::fit: the optimizer must be copyable, so that a step that diverges can be undone");
        return false;
    } else {
        if (!math::isfinite(batch_loss) || !all_finite(grad)) {
            return false;
        }
        Net const net_before = net;
        Optimizer const optimizer_before = optimizer;
        optimizer.step(net, grad);
        if (all_finite(net)) {
            return true;
        }
        net = net_before;
        optimizer = optimizer_before;
        return false;
    }
}

// fit: the loop behind both public overloads. Without a validation set
// (Validation = nothing) no copy of the network for early stopping is kept;
// each step takes a transient copy of the network and of the optimizer
// (finite_step), so training needs those, one gradient and one trace.
template <class Net, class Loss, class Optimizer, class Validation, class Callback>
constexpr fit_result<typename Net::value_type>
fit(Net& net, std::span<typename Net::input_type const> xs, std::span<target_t<Net, Loss> const> ts,
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
    [[maybe_unused]] pcg32 masks(options.seed, dropout_stream);

    for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
        shuffled_index const order(n, options.seed * 0x9e3779b97f4a7c15ULL + epoch);
        metrics::accumulator<T> train{};
        for (std::size_t b = 0; b < batches; ++b) {
            std::size_t const first = b * batch;
            std::size_t const last = first + batch < n ? first + batch : n;
            typename Net::gradient_type grad{};
            T batch_loss = T(0);
            auto const sample_at = [&](std::size_t k) { return options.shuffle ? order(k) : k; };
            if (is_constant_evaluated()) {
                // Sample by sample: what backpropagate_batch computes, without
                // whole blocks of samples at compile time.
                for (std::size_t k = first; k < last; ++k) {
                    std::size_t const s = sample_at(k);
                    typename Net::trace tr{};
                    T sample_loss{};
                    if constexpr (Net::has_dropout) {
                        sample_loss = accumulate_gradient(net, xs[s], ts[s], loss, grad, tr, masks);
                    } else {
                        sample_loss = accumulate_gradient(net, xs[s], ts[s], loss, grad, tr);
                    }
                    train.add(sample_loss, tr.output(), ts[s]);
                    batch_loss += sample_loss;
                }
            } else {
                auto const observe = [&](std::size_t s, T sample_loss, typename Net::output_type const& y) {
                    train.add(sample_loss, y, ts[s]);
                    batch_loss += sample_loss;
                };
                auto const index = [&](std::size_t k) { return sample_at(first + k); };
                add_to_gradient<typename Net::gradient_type> sink{grad};
                if constexpr (Net::has_dropout) {
                    backpropagate_batch<block_samples<T>, Loss>(std::as_const(net), xs, ts, last - first, index,
                                                                masks, observe, sink, sink);
                } else {
                    inference_mode mode;
                    backpropagate_batch<block_samples<T>, Loss>(std::as_const(net), xs, ts, last - first, index,
                                                                mode, observe, sink, sink);
                }
            }
            T const scale = T(1) / static_cast<T>(last - first);
            for (T& g : grad.parameters()) {
                g *= scale;
            }
            if (!finite_step(net, optimizer, grad, batch_loss)) {
                result.reason = stop_reason::diverged;
                result.epochs = epoch;
                result.loss = train.mean_loss();
                return result;
            }
            if constexpr (std::is_invocable_v<Callback&, batch_report const&>) {
                callback(batch_report{epoch, b + 1, batches, train.samples, static_cast<double>(train.mean_loss()),
                                      static_cast<double>(train.accuracy()),
                                      static_cast<double>(train.mean_absolute_error())});
            }
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
        result.epochs = epoch;
        result.loss = report.loss;

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
/// NaN). A batch whose loss or gradient is NaN or infinite (a NaN in the data,
/// a learning rate that diverges), or whose update makes a parameter so, ends
/// training with `stop_reason::diverged` and the network and the optimizer as
/// they were before that update. The optimizer must be copyable: each step
/// keeps a copy of it and of the network until the step is known to be finite.
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
