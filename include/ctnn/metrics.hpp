#ifndef CTNN_METRICS_HPP
#define CTNN_METRICS_HPP

/// \file
/// Evaluation metrics: accuracy (argmax for several outputs, a 0.5 threshold
/// for one), mean squared error and mean absolute error, per prediction and
/// over a data set.

#include <ctnn/detail/data_set.hpp>
#include <ctnn/gradient.hpp>
#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

#include <boost/hana/at.hpp>

#include <array>
#include <cstddef>
#include <limits>
#include <span>

namespace ctnn::metrics {

/// The index of the largest value (the first, on ties).
template <class T, std::size_t N>
[[nodiscard]] constexpr std::size_t argmax(std::array<T, N> const& v) noexcept
{
    std::size_t best = 0;
    for (std::size_t i = 1; i < N; ++i) {
        best = v[i] > v[best] ? i : best;
    }
    return best;
}

/// Whether prediction `y` gets `target` right: the same argmax for several
/// outputs, the same side of 0.5 for one output, or argmax equal to a class
/// index.
template <class T, std::size_t N>
[[nodiscard]] constexpr bool is_correct(std::array<T, N> const& y, std::array<T, N> const& target) noexcept
{
    if constexpr (N == 1) {
        return (y[0] > T(0.5)) == (target[0] > T(0.5));
    } else {
        return argmax(y) == argmax(target);
    }
}
template <class T, std::size_t N>
[[nodiscard]] constexpr bool is_correct(std::array<T, N> const& y, std::size_t label) noexcept
{
    return argmax(y) == label;
}

/// Σ (y − t)² and Σ |y − t| over the outputs (NaN for class-index targets).
template <class T, std::size_t N>
[[nodiscard]] constexpr T squared_error(std::array<T, N> const& y, std::array<T, N> const& target) noexcept
{
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
        sum += (y[i] - target[i]) * (y[i] - target[i]);
    }
    return sum;
}
template <class T, std::size_t N>
[[nodiscard]] constexpr T absolute_error(std::array<T, N> const& y, std::array<T, N> const& target) noexcept
{
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
        sum += math::abs(y[i] - target[i]);
    }
    return sum;
}
template <class T, std::size_t N>
[[nodiscard]] constexpr T squared_error(std::array<T, N> const&, std::size_t) noexcept
{
    return std::numeric_limits<T>::quiet_NaN();
}
template <class T, std::size_t N>
[[nodiscard]] constexpr T absolute_error(std::array<T, N> const&, std::size_t) noexcept
{
    return std::numeric_limits<T>::quiet_NaN();
}

/// Whether a target is a class label: a class index, or an array of 0s and
/// 1s (one-hot, or the class of a single output). A regression's targets are
/// not, and for them `is_correct` means nothing.
template <class T, std::size_t N>
[[nodiscard]] constexpr bool is_label(std::array<T, N> const& target) noexcept
{
    bool label = true;
    for (T const t : target) {
        label = label && (t == T(0) || t == T(1));
    }
    return label;
}
[[nodiscard]] constexpr bool is_label(std::size_t) noexcept
{
    return true;
}

/// Running sums of the metrics over samples; `add` one prediction at a time.
/// Every mean of no samples is NaN, and so is the accuracy once a target was
/// not a class label (see `is_label`): neither can be mistaken for a real 0.
template <class T>
struct accumulator {
    T loss = T(0);
    T squared_error = T(0);
    T absolute_error = T(0);
    std::size_t correct = 0;
    std::size_t samples = 0;
    std::size_t outputs = 0;
    bool label_targets = true; ///< whether every target so far was a class label

    template <std::size_t N, class Target>
    constexpr void add(T sample_loss, std::array<T, N> const& y, Target const& target) noexcept
    {
        loss += sample_loss;
        squared_error += metrics::squared_error(y, target);
        absolute_error += metrics::absolute_error(y, target);
        correct += is_correct(y, target) ? 1U : 0U;
        label_targets = label_targets && is_label(target);
        samples += 1;
        outputs = N;
    }

    [[nodiscard]] constexpr T mean_loss() const noexcept { return samples == 0 ? not_a_number() : loss / T(samples); }
    [[nodiscard]] constexpr T accuracy() const noexcept
    {
        return samples == 0 || !label_targets ? not_a_number()
                                              : static_cast<T>(correct) / static_cast<T>(samples);
    }
    /// Mean over samples and outputs, as PyTorch's MSELoss and L1Loss.
    [[nodiscard]] constexpr T mean_squared_error() const noexcept
    {
        return samples == 0 ? not_a_number() : squared_error / static_cast<T>(samples * outputs);
    }
    [[nodiscard]] constexpr T mean_absolute_error() const noexcept
    {
        return samples == 0 ? not_a_number() : absolute_error / static_cast<T>(samples * outputs);
    }

private:
    static constexpr T not_a_number() noexcept { return std::numeric_limits<T>::quiet_NaN(); }
};

/// The metrics of `net` over a data set, with `loss` for the loss.
template <network_type Net, class Loss>
[[nodiscard]] constexpr accumulator<typename Net::value_type>
evaluate(Net const& net, std::span<typename Net::input_type const> xs, std::span<target_t<Net, Loss> const> targets,
         Loss const& loss) noexcept
{
    accumulator<typename Net::value_type> result{};
    std::size_t const n = xs.size() < targets.size() ? xs.size() : targets.size();
    for (std::size_t s = 0; s < n; ++s) {
        typename Net::trace tr{};
        net.forward(xs[s], tr);
        static_cast<void>(loss);
        result.add(Loss::value(tr.output(), targets[s], boost::hana::at_c<Net::depth - 1>(tr.z)), tr.output(),
                   targets[s]);
    }
    return result;
}

/// The fraction of samples `net` gets right (see `is_correct`; NaN for no
/// samples). `targets` is
/// a data set as `fit` takes it: a `std::vector`, `std::array` or
/// `std::span` of output arrays or of class indices.
template <network_type Net, detail::data_set Targets>
[[nodiscard]] constexpr typename Net::value_type accuracy(Net const& net, std::span<typename Net::input_type const> xs,
                                                          Targets const& all_targets) noexcept
{
    using T = typename Net::value_type;
    auto const targets = detail::as_span(all_targets);
    std::size_t const n = xs.size() < targets.size() ? xs.size() : targets.size();
    std::size_t correct = 0;
    for (std::size_t s = 0; s < n; ++s) {
        correct += is_correct(net(xs[s]), targets[s]) ? 1U : 0U;
    }
    return n == 0 ? std::numeric_limits<T>::quiet_NaN() : static_cast<T>(correct) / static_cast<T>(n);
}

} // namespace ctnn::metrics

#endif
