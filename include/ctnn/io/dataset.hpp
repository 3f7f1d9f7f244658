#ifndef CTNN_IO_DATASET_HPP
#define CTNN_IO_DATASET_HPP

/// \file
/// Host-side helpers for preparing data: per-feature standardisation and
/// min-max scaling (fitted on one set, applied to others), and a seeded
/// train/validation split. Each takes a data set as `fit` does: a
/// `std::vector`, a `std::array` or a `std::span` (const or not) of samples.

#include <ctnn/detail/data_set.hpp>
#include <ctnn/init.hpp>
#include <ctnn/io/data_result.hpp>
#include <ctnn/math.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ctnn::io {

/// x ↦ (x − offset) · scale, per feature.
template <class T, std::size_t N>
struct feature_scaling {
    std::array<T, N> offset{};
    std::array<T, N> scale{};

    void apply(std::span<std::array<T, N>> samples) const noexcept
    {
        for (auto& s : samples) {
            for (std::size_t i = 0; i < N; ++i) {
                s[i] = (s[i] - offset[i]) * scale[i];
            }
        }
    }
};

namespace detail {

// scaling_for<R>: the feature_scaling of a data set's samples.
template <class R>
using scaling_for = feature_scaling<typename ctnn::detail::element_t<R>::value_type,
                                    std::tuple_size_v<ctnn::detail::element_t<R>>>;

} // namespace detail

/// Zero mean, unit variance per feature, measured on `samples`. A constant
/// feature is centred and left unscaled.
template <ctnn::detail::sample_set Samples>
[[nodiscard]] detail::scaling_for<Samples> fit_standardization(Samples const& data) noexcept
{
    using T = typename ctnn::detail::element_t<Samples>::value_type;
    constexpr std::size_t N = std::tuple_size_v<ctnn::detail::element_t<Samples>>;
    auto const samples = ctnn::detail::as_span(data);
    feature_scaling<T, N> f{};
    if (samples.empty()) {
        f.scale.fill(T(1));
        return f;
    }
    std::array<double, N> mean{};
    std::array<double, N> squares{};
    for (auto const& s : samples) {
        for (std::size_t i = 0; i < N; ++i) {
            mean[i] += static_cast<double>(s[i]);
        }
    }
    auto const n = static_cast<double>(samples.size());
    for (std::size_t i = 0; i < N; ++i) {
        mean[i] /= n;
    }
    for (auto const& s : samples) {
        for (std::size_t i = 0; i < N; ++i) {
            double const d = static_cast<double>(s[i]) - mean[i];
            squares[i] += d * d;
        }
    }
    for (std::size_t i = 0; i < N; ++i) {
        double const deviation = math::sqrt(squares[i] / n);
        f.offset[i] = static_cast<T>(mean[i]);
        f.scale[i] = deviation > 0 ? static_cast<T>(1.0 / deviation) : T(1);
    }
    return f;
}

/// Each feature mapped onto [0, 1] by its range on `samples`. A constant
/// feature is shifted to 0 and left unscaled.
template <ctnn::detail::sample_set Samples>
[[nodiscard]] detail::scaling_for<Samples> fit_min_max(Samples const& data) noexcept
{
    using T = typename ctnn::detail::element_t<Samples>::value_type;
    constexpr std::size_t N = std::tuple_size_v<ctnn::detail::element_t<Samples>>;
    auto const samples = ctnn::detail::as_span(data);
    feature_scaling<T, N> f{};
    f.scale.fill(T(1));
    if (samples.empty()) {
        return f;
    }
    std::array<T, N> low = samples[0];
    std::array<T, N> high = samples[0];
    for (auto const& s : samples) {
        for (std::size_t i = 0; i < N; ++i) {
            low[i] = s[i] < low[i] ? s[i] : low[i];
            high[i] = s[i] > high[i] ? s[i] : high[i];
        }
    }
    for (std::size_t i = 0; i < N; ++i) {
        f.offset[i] = low[i];
        f.scale[i] = high[i] > low[i] ? T(1) / (high[i] - low[i]) : T(1);
    }
    return f;
}

/// The two parts of a data set that `train_validation_split` returns.
template <class X, class Y>
struct split_data {
    std::vector<X> train_samples;
    std::vector<Y> train_targets;
    std::vector<X> validation_samples;
    std::vector<Y> validation_targets;
};

/// Splits (samples, targets) into a training and a validation part.
/// `validation_fraction` (in [0, 1]) is the validation part's share: it holds
/// round(validation_fraction · n) samples, chosen by a shuffle seeded with
/// `seed`; the training part holds the rest. Both parts keep samples paired
/// with their targets. An error (and no data) when the fraction is not in
/// [0, 1] (NaN included) or when there are not as many targets as samples.
template <ctnn::detail::data_set Samples, ctnn::detail::data_set Targets>
[[nodiscard]] data_result<split_data<ctnn::detail::element_t<Samples>, ctnn::detail::element_t<Targets>>>
train_validation_split(Samples const& all_samples, Targets const& all_targets, double validation_fraction,
                       std::uint64_t seed)
{
    using result = split_data<ctnn::detail::element_t<Samples>, ctnn::detail::element_t<Targets>>;
    auto const samples = ctnn::detail::as_span(all_samples);
    auto const targets = ctnn::detail::as_span(all_targets);
    std::size_t const n = samples.size();
    if (targets.size() != n) {
        return detail::failure<result>("train_validation_split", "",
                                       "expected as many targets as samples, found " + std::to_string(n) +
                                           " samples and " + std::to_string(targets.size()) + " targets");
    }
    // Written so that NaN fails it too.
    if (!(validation_fraction >= 0.0 && validation_fraction <= 1.0)) {
        return detail::failure<result>("train_validation_split", "",
                                       "expected a validation fraction in [0, 1], found " +
                                           std::to_string(validation_fraction));
    }
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) {
        order[i] = i;
    }
    init::pcg32 rng(seed);
    for (std::size_t i = n; i > 1; --i) { // Fisher-Yates
        std::size_t const j = static_cast<std::size_t>(rng.uniform01<double>() * static_cast<double>(i));
        std::swap(order[i - 1], order[j < i ? j : i - 1]);
    }
    // In [0, n] since the fraction is in [0, 1].
    auto const validation = static_cast<std::size_t>(std::round(validation_fraction * static_cast<double>(n)));
    data_result<result> out;
    for (std::size_t k = 0; k < n; ++k) {
        bool const to_validation = k < validation;
        (to_validation ? out.data.validation_samples : out.data.train_samples).push_back(samples[order[k]]);
        (to_validation ? out.data.validation_targets : out.data.train_targets).push_back(targets[order[k]]);
    }
    return out;
}

} // namespace ctnn::io

#endif
