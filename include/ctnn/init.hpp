#ifndef CTNN_INIT_HPP
#define CTNN_INIT_HPP

/// \file
/// Seeded, deterministic, `constexpr` parameter initialisation: the same seed
/// gives the same parameters on every compiler, at compile time and at run
/// time.

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

#include <cstdint>

namespace ctnn::init {

/// PCG32 (O'Neill's PCG-XSH-RR 64/32): small state, good statistics, and
/// published reference outputs to test against.
class pcg32 {
public:
    using result_type = std::uint32_t;

    constexpr explicit pcg32(std::uint64_t seed, std::uint64_t stream = 0xda3e39cb94b95bdbULL) noexcept
        : increment_((stream << 1U) | 1U)
    {
        next();
        state_ += seed;
        next();
    }

    /// The next 32 random bits.
    constexpr std::uint32_t next() noexcept
    {
        std::uint64_t const old = state_;
        state_ = old * 6364136223846793005ULL + increment_;
        auto const xorshifted = static_cast<std::uint32_t>(((old >> 18U) ^ old) >> 27U);
        auto const rotation = static_cast<std::uint32_t>(old >> 59U);
        return (xorshifted >> rotation) | (xorshifted << ((32U - rotation) & 31U));
    }

    constexpr std::uint32_t operator()() noexcept { return next(); }
    static constexpr std::uint32_t min() noexcept { return 0; }
    static constexpr std::uint32_t max() noexcept { return 0xffffffffU; }

    /// A uniform value in [0, 1), with 24 random bits for float and 53 for
    /// double, so it is exactly representable and identical everywhere.
    template <class T>
    constexpr T uniform01() noexcept
    {
        if constexpr (sizeof(T) <= 4) {
            return static_cast<T>(next() >> 8U) * T(0x1p-24);
        } else {
            std::uint64_t const high = next() >> 5U;
            std::uint64_t const low = next() >> 6U;
            return static_cast<T>((high << 26U) | low) * T(0x1p-53);
        }
    }

    /// A standard normal value, by Marsaglia's polar method (needs only log
    /// and sqrt, so it is constexpr; consumes an even number of draws).
    template <class T>
    constexpr T normal() noexcept
    {
        if (has_spare_) {
            has_spare_ = false;
            return static_cast<T>(spare_);
        }
        double u = 0;
        double v = 0;
        double s = 0;
        do {
            u = 2.0 * uniform01<double>() - 1.0;
            v = 2.0 * uniform01<double>() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double const factor = math::sqrt(-2.0 * math::log(s) / s);
        spare_ = v * factor;
        has_spare_ = true;
        return static_cast<T>(u * factor);
    }

private:
    std::uint64_t state_ = 0;
    std::uint64_t increment_;
    double spare_ = 0;
    bool has_spare_ = false;
};

/// How a layer's weights are drawn, from its fan-in and fan-out.
enum class distribution { uniform, normal };

namespace detail {

// initialise_weights(net, seed, dist, scale): every layer's weights drawn with
// variance `scale(fan_in, fan_out)` (uniform on ±√3·σ or normal),
// biases set to `bias`. Layers are filled in order from one stream, so the
// result depends only on the seed and the topology.
template <class T, class Input, class... Layers, class Scale>
constexpr void initialise_weights(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, distribution dist,
                                  Scale scale, T bias) noexcept
{
    using set = parameter_set<T, Input, Layers...>;
    pcg32 rng(seed);
    auto p = net.parameters();
    for (std::size_t layer = 0; layer < set::depth; ++layer) {
        std::size_t const in = set::widths[layer];
        std::size_t const out = set::widths[layer + 1];
        double const variance = scale(static_cast<double>(in), static_cast<double>(out));
        double const sigma = math::sqrt(variance);
        double const bound = math::sqrt(3.0 * variance); // U(−b, b) has variance b² / 3
        std::size_t const start = set::offsets[layer];
        for (std::size_t i = 0; i < in * out; ++i) {
            double const draw = dist == distribution::uniform ? (2.0 * rng.uniform01<double>() - 1.0) * bound
                                                              : sigma * rng.normal<double>();
            p[start + i] = static_cast<T>(draw);
        }
        for (std::size_t i = in * out; i < in * out + out; ++i) {
            p[start + i] = bias;
        }
    }
}

} // namespace detail

/// Glorot/Xavier: σ = √(2 / (fan_in + fan_out)), for tanh and sigmoid layers;
/// uniform on ±√(6 / (fan_in + fan_out)) or normal. Biases are set to `bias`.
template <class T, class Input, class... Layers>
constexpr void xavier_uniform(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, T bias = T(0)) noexcept
{
    detail::initialise_weights(net, seed, distribution::uniform,
                               [](double in, double out) { return 2.0 / (in + out); }, bias);
}
template <class T, class Input, class... Layers>
constexpr void xavier_normal(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, T bias = T(0)) noexcept
{
    detail::initialise_weights(net, seed, distribution::normal,
                               [](double in, double out) { return 2.0 / (in + out); }, bias);
}

/// He/Kaiming (fan-in mode): σ = √(2 / fan_in), for ReLU-like layers;
/// uniform on ±√(6 / fan_in) or normal. Biases are set to `bias`.
template <class T, class Input, class... Layers>
constexpr void he_uniform(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, T bias = T(0)) noexcept
{
    detail::initialise_weights(net, seed, distribution::uniform,
                               [](double in, double) { return 2.0 / in; }, bias);
}
template <class T, class Input, class... Layers>
constexpr void he_normal(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, T bias = T(0)) noexcept
{
    detail::initialise_weights(net, seed, distribution::normal,
                               [](double in, double) { return 2.0 / in; }, bias);
}

} // namespace ctnn::init

#endif
