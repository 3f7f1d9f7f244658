#ifndef CTNN_LAYER_DROPOUT_HPP
#define CTNN_LAYER_DROPOUT_HPP

/// \file
/// The dropout layer (inverted dropout): in training, each unit of the layer
/// before it is zeroed with probability p and the survivors are scaled by
/// 1 / (1 − p), so the expected activation is unchanged; in inference it
/// passes its input through untouched.

#include <ctnn/random.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <type_traits>

namespace ctnn {

namespace detail {

template <class R>
inline constexpr bool is_ratio_v = false;
template <std::intmax_t N, std::intmax_t D>
inline constexpr bool is_ratio_v<std::ratio<N, D>> = true;

// valid_drop_rate<Rate>(): Rate is a std::ratio in [0, 1).
template <class Rate>
constexpr bool valid_drop_rate() noexcept
{
    if constexpr (is_ratio_v<Rate>) {
        return Rate::num >= 0 && Rate::num < Rate::den;
    } else {
        return false;
    }
}

} // namespace detail

/// Dropout with drop probability `Rate`, a `std::ratio` in [0, 1):
/// `ctnn::dropout<std::ratio<1, 5>>` drops 20% of the units. A ratio rather
/// than a floating-point template argument because not every supported
/// compiler accepts those (Clang before 18), and because it makes the drop
/// threshold exact. Its width is the width of the layer before it; it has no
/// parameters and may not be the last layer.
template <class Rate>
struct dropout {
    using rate = Rate;
    /// Whether Rate is a valid drop probability (a network with an invalid
    /// one fails to compile with a message saying why).
    static constexpr bool valid_rate = detail::valid_drop_rate<Rate>();

    /// A unit is dropped when a uniform 32-bit draw u is below this:
    /// ⌊p · 2³²⌋, so P(drop) = p to within 2⁻³² (exactly when p · 2³² is an
    /// integer, as for 1/2, 1/4, 1/8, ...).
    static constexpr std::uint32_t drop_threshold = [] {
        if constexpr (valid_rate) {
            // Long division of num · 2³² by den, one bit at a time: no
            // 128-bit intermediate for any ratio (r < den < 2⁶³).
            auto const den = static_cast<std::uint64_t>(Rate::den);
            auto r = static_cast<std::uint64_t>(Rate::num);
            std::uint64_t q = 0;
            for (int bit = 0; bit < 32; ++bit) {
                r <<= 1U;
                q <<= 1U;
                if (r >= den) {
                    r -= den;
                    q |= 1U;
                }
            }
            return static_cast<std::uint32_t>(q);
        } else {
            return std::uint32_t{0};
        }
    }();

    /// The factor of the units kept, 1 / (1 − p), rounded once in T.
    template <class T>
    static constexpr T keep_scale = [] {
        if constexpr (valid_rate) {
            return static_cast<T>(Rate::den) / static_cast<T>(Rate::den - Rate::num);
        } else {
            return T(1);
        }
    }();
};

// is_dropout_v<L>
template <class L>
inline constexpr bool is_dropout_v = false;
template <class Rate>
inline constexpr bool is_dropout_v<dropout<Rate>> = true;

namespace detail {

// drop_rate_t<dropout<Rate>>: Rate, matched without instantiating the layer.
template <class L>
struct drop_rate_of {
    using type = void;
};
template <class Rate>
struct drop_rate_of<dropout<Rate>> {
    using type = Rate;
};
template <class L>
using drop_rate_t = typename drop_rate_of<L>::type;

} // namespace detail

namespace detail {

/// Passed to a forward pass instead of a generator: inference mode, in which
/// dropout layers pass their input through.
struct inference_mode {};

// dropout_forward<Layer>(x, source, mask, y): draws the mask (0 or
// 1 / (1 − p) per unit, one 32-bit draw per unit in order) from `source`, or
// sets it to 1 in inference mode; y = x ⊙ mask.
template <class Layer, class T, std::size_t N, class Source>
constexpr void dropout_forward(std::array<T, N> const& x, Source& source, std::array<T, N>& mask,
                               std::array<T, N>& y) noexcept
{
    if constexpr (std::is_same_v<Source, inference_mode>) {
        mask.fill(T(1));
        y = x;
    } else {
        static_assert(random_bits32<Source>, "ctnn: a training forward pass takes a ctnn::random_bits32 generator");
        constexpr T keep = Layer::template keep_scale<T>;
        for (std::size_t i = 0; i < N; ++i) {
            auto const u = static_cast<std::uint32_t>(source());
            mask[i] = u < Layer::drop_threshold ? T(0) : keep;
        }
        for (std::size_t i = 0; i < N; ++i) {
            y[i] = x[i] * mask[i];
        }
    }
}

// dropout_backward(g, mask, out): dL/dx = dL/dy ⊙ mask.
template <class T, std::size_t N>
constexpr void dropout_backward(std::array<T, N> const& g, std::array<T, N> const& mask, std::array<T, N>& out) noexcept
{
    for (std::size_t i = 0; i < N; ++i) {
        out[i] = g[i] * mask[i];
    }
}

} // namespace detail

} // namespace ctnn

#endif
