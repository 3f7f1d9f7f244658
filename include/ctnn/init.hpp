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

private:
    std::uint64_t state_ = 0;
    std::uint64_t increment_;
};

/// Glorot/Xavier uniform: each layer's weights from U(−a, a) with
/// a = √(6 / (fan_in + fan_out)); biases zero. Suits sigmoid and tanh layers.
template <class T, class Input, class... Layers>
constexpr void xavier_uniform(parameter_set<T, Input, Layers...>& net, std::uint64_t seed) noexcept
{
    using set = parameter_set<T, Input, Layers...>;
    pcg32 rng(seed);
    auto p = net.parameters();
    for (std::size_t layer = 0; layer < set::depth; ++layer) {
        std::size_t const in = set::widths[layer];
        std::size_t const out = set::widths[layer + 1];
        T const bound = math::sqrt(T(6) / static_cast<T>(in + out));
        std::size_t const start = set::offsets[layer];
        for (std::size_t i = 0; i < in * out; ++i) {
            p[start + i] = (T(2) * rng.uniform01<T>() - T(1)) * bound;
        }
        for (std::size_t i = in * out; i < in * out + out; ++i) {
            p[start + i] = T(0);
        }
    }
}

} // namespace ctnn::init

#endif
