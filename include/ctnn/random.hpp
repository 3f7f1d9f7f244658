#ifndef CTNN_RANDOM_HPP
#define CTNN_RANDOM_HPP

/// \file
/// The library's random numbers: `ctnn::pcg32`, a small seeded generator that
/// gives the same stream on every compiler, at compile time and at run time
/// (initialisers, shuffling of data sets, dropout masks), and the concept
/// `random_bits32` for the generators that dropout accepts.

#include <ctnn/math.hpp>

#include <concepts>
#include <cstdint>
#include <type_traits>

namespace ctnn {

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
    /// and sqrt, so it is constexpr; consumes an even number of draws). In
    /// float for T = float, so that no double arithmetic is done (which a
    /// microcontroller without a double-precision FPU does in software), in
    /// double otherwise; each precision keeps its own spare value.
    template <class T>
    constexpr T normal() noexcept
    {
        if constexpr (std::is_same_v<T, float>) {
            return polar(spare_float_, has_spare_float_);
        } else {
            return static_cast<T>(polar(spare_, has_spare_));
        }
    }

private:
    // The polar method in U: a pair of normal values, one returned, the
    // other kept in `spare` for the next call.
    template <class U>
    constexpr U polar(U& spare, bool& has_spare) noexcept
    {
        if (has_spare) {
            has_spare = false;
            return spare;
        }
        U u = 0;
        U v = 0;
        U s = 0;
        do {
            u = U(2) * uniform01<U>() - U(1);
            v = U(2) * uniform01<U>() - U(1);
            s = u * u + v * v;
        } while (s >= U(1) || s == U(0));
        U const factor = math::sqrt(U(-2) * math::log(s) / s);
        spare = v * factor;
        has_spare = true;
        return u * factor;
    }

    std::uint64_t state_ = 0;
    std::uint64_t increment_;
    double spare_ = 0;
    float spare_float_ = 0;
    bool has_spare_ = false;
    bool has_spare_float_ = false;
};

/// A generator of uniformly distributed 32-bit words: any standard uniform
/// random bit generator whose range is exactly [0, 2^32 − 1] (`ctnn::pcg32`,
/// `std::mt19937`, ...).
/// (The requirements of std::uniform_random_bit_generator, spelt out so that the
/// firmware subset need not include <random>.)
template <class G>
concept random_bits32 = std::invocable<G&> && std::unsigned_integral<std::invoke_result_t<G&>> && requires {
    requires G::min() == 0;
    requires G::max() == 0xffffffffU;
};

} // namespace ctnn

#endif
