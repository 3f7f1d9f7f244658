#ifndef CTNN_IO_DATASET_HPP
#define CTNN_IO_DATASET_HPP

/// \file
/// Host-side helpers for preparing data: per-feature standardisation and
/// min-max scaling (fitted on one set, applied to others), and a seeded
/// train/validation split.

#include <ctnn/init.hpp>
#include <ctnn/math.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
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

/// Zero mean, unit variance per feature, measured on `samples`. A constant
/// feature is centred and left unscaled.
template <class T, std::size_t N>
[[nodiscard]] feature_scaling<T, N> fit_standardization(std::span<std::array<T, N> const> samples) noexcept
{
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
template <class T, std::size_t N>
[[nodiscard]] feature_scaling<T, N> fit_min_max(std::span<std::array<T, N> const> samples) noexcept
{
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

/// Splits (samples, targets) into a training and a validation part, the
/// validation part holding round(fraction · n) samples chosen by a seeded
/// shuffle. Both parts keep samples paired with their targets.
template <class X, class Y>
struct split_data {
    std::vector<X> train_samples;
    std::vector<Y> train_targets;
    std::vector<X> validation_samples;
    std::vector<Y> validation_targets;
};

template <class X, class Y>
[[nodiscard]] split_data<X, Y> train_validation_split(std::span<X const> samples, std::span<Y const> targets,
                                                      double fraction, std::uint64_t seed)
{
    std::size_t const n = samples.size() < targets.size() ? samples.size() : targets.size();
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) {
        order[i] = i;
    }
    init::pcg32 rng(seed);
    for (std::size_t i = n; i > 1; --i) { // Fisher-Yates
        std::size_t const j = static_cast<std::size_t>(rng.uniform01<double>() * static_cast<double>(i));
        std::swap(order[i - 1], order[j < i ? j : i - 1]);
    }
    double const wanted = fraction * static_cast<double>(n) + 0.5;
    std::size_t const validation = wanted <= 0 ? 0 : (static_cast<std::size_t>(wanted) > n ? n : static_cast<std::size_t>(wanted));
    split_data<X, Y> out;
    for (std::size_t k = 0; k < n; ++k) {
        bool const to_validation = k < validation;
        (to_validation ? out.validation_samples : out.train_samples).push_back(samples[order[k]]);
        (to_validation ? out.validation_targets : out.train_targets).push_back(targets[order[k]]);
    }
    return out;
}

} // namespace ctnn::io

#endif
