#ifndef CTNN_INIT_HPP
#define CTNN_INIT_HPP

/// \file
/// Seeded, deterministic, `constexpr` parameter initialisation: the same seed
/// gives the same parameters on every compiler, at compile time and at run
/// time.

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>
#include <ctnn/random.hpp>

#include <cstdint>

namespace ctnn::init {

/// The generator of the initialisers (defined in ctnn/random.hpp).
using ctnn::pcg32;

/// How a layer's weights are drawn, from its fan-in and fan-out.
enum class distribution { uniform, normal };

namespace detail {

// initialise_weights(net, seed, dist, scale): every layer's weights drawn with
// variance `scale(fan_in, fan_out)` (uniform on ±√3·σ or normal),
// biases set to `bias`. Dense layers are filled in order from one stream, so
// the result depends only on the seed and the dense layers' shapes (adding a
// dropout layer does not change it). Computed in T, the network's scalar
// type: a float network is initialised without double arithmetic, which a
// microcontroller without a double-precision FPU would do in software.
template <class T, class Input, class... Layers, class Scale>
constexpr void initialise_weights(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, distribution dist,
                                  Scale scale, T bias) noexcept
{
    using set = parameter_set<T, Input, Layers...>;
    pcg32 rng(seed);
    auto p = net.parameters();
    for (std::size_t layer = 0; layer < set::depth; ++layer) {
        if (!set::is_dense[layer]) {
            continue; // dropout: no parameters, no draws
        }
        std::size_t const in = set::widths[layer];
        std::size_t const out = set::widths[layer + 1];
        T const variance = scale(static_cast<T>(in), static_cast<T>(out));
        T const sigma = math::sqrt(variance);
        T const bound = math::sqrt(T(3) * variance); // U(−b, b) has variance b² / 3
        std::size_t const start = set::offsets[layer];
        for (std::size_t i = 0; i < in * out; ++i) {
            p[start + i] = dist == distribution::uniform ? (T(2) * rng.uniform01<T>() - T(1)) * bound
                                                         : sigma * rng.normal<T>();
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
                               [](auto in, auto out) { return 2 / (in + out); }, bias);
}
template <class T, class Input, class... Layers>
constexpr void xavier_normal(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, T bias = T(0)) noexcept
{
    detail::initialise_weights(net, seed, distribution::normal,
                               [](auto in, auto out) { return 2 / (in + out); }, bias);
}

/// He/Kaiming (fan-in mode): σ = √(2 / fan_in), for ReLU-like layers;
/// uniform on ±√(6 / fan_in) or normal. Biases are set to `bias`.
template <class T, class Input, class... Layers>
constexpr void he_uniform(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, T bias = T(0)) noexcept
{
    detail::initialise_weights(net, seed, distribution::uniform,
                               [](auto in, auto) { return 2 / in; }, bias);
}
template <class T, class Input, class... Layers>
constexpr void he_normal(parameter_set<T, Input, Layers...>& net, std::uint64_t seed, T bias = T(0)) noexcept
{
    detail::initialise_weights(net, seed, distribution::normal,
                               [](auto in, auto) { return 2 / in; }, bias);
}

} // namespace ctnn::init

#endif
