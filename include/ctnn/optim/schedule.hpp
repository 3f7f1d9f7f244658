#ifndef CTNN_OPTIM_SCHEDULE_HPP
#define CTNN_OPTIM_SCHEDULE_HPP

/// \file
/// Learning-rate schedules: callables from an epoch number (from 0) to a
/// learning rate, with the closed forms of PyTorch's `StepLR`, `ExponentialLR`
/// and `CosineAnnealingLR`.
///
///     ctnn::optim::cosine_annealing schedule{.initial = 0.1, .minimum = 0.001, .period = 50};
///     opt.learning_rate = static_cast<float>(schedule(epoch));

#include <cstddef>

namespace ctnn::optim {

namespace detail {

// b^n by squaring.
constexpr double power(double base, std::size_t n) noexcept
{
    double result = 1.0;
    while (n != 0) {
        if ((n & 1U) != 0) {
            result *= base;
        }
        base *= base;
        n >>= 1U;
    }
    return result;
}

// cos(π u) for u in [0, 1], as −sin(π (u − ½)) with sin's Taylor series to
// degree 21: the argument is within ±π/2, where the truncation error is below
// 1e-16. Only schedules need a cosine, so it lives here rather than in math.
constexpr double cos_pi(double u) noexcept
{
    constexpr double pi = 3.14159265358979323846;
    double const t = pi * (u - 0.5);
    double const t2 = t * t;
    double term = t;
    double sum = t;
    for (int k = 1; k <= 10; ++k) {
        term *= -t2 / static_cast<double>((2 * k) * (2 * k + 1));
        sum += term;
    }
    return -sum;
}

} // namespace detail

/// η = initial · γ^⌊epoch / step_size⌋
struct step_decay {
    double initial = 0.1;
    std::size_t step_size = 10;
    double gamma = 0.1;

    [[nodiscard]] constexpr double operator()(std::size_t epoch) const noexcept
    {
        return initial * detail::power(gamma, step_size == 0 ? 0 : epoch / step_size);
    }
};

/// η = initial · γ^epoch
struct exponential_decay {
    double initial = 0.1;
    double gamma = 0.95;

    [[nodiscard]] constexpr double operator()(std::size_t epoch) const noexcept
    {
        return initial * detail::power(gamma, epoch);
    }
};

/// η = minimum + (initial − minimum)(1 + cos(π epoch / period)) / 2 for
/// epoch ≤ period, then `minimum`.
struct cosine_annealing {
    double initial = 0.1;
    double minimum = 0.0;
    std::size_t period = 100;

    [[nodiscard]] constexpr double operator()(std::size_t epoch) const noexcept
    {
        if (period == 0 || epoch >= period) {
            return minimum;
        }
        double const u = static_cast<double>(epoch) / static_cast<double>(period);
        return minimum + (initial - minimum) * (1.0 + detail::cos_pi(u)) / 2.0;
    }
};

} // namespace ctnn::optim

#endif
