#ifndef CTNN_DETAIL_VECTOR_ACTIVATION_HPP
#define CTNN_DETAIL_VECTOR_ACTIVATION_HPP

/// \file
/// Activations over generic vectors, for the dense layer's passes
/// (layer/dense.hpp): each lane's value is the scalar evaluation's.

#include <ctnn/detail/config.hpp>
#include <ctnn/detail/lane_evaluate.hpp>
#include <ctnn/detail/vector/vector_type.hpp>
#include <ctnn/math.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <utility>

#if CTNN_DETAIL_GENERIC_VECTORS && CTNN_DETAIL_SIMD_TARGET
namespace ctnn::detail {

// Lanes per vector of the activation of N values: N rounded up to a power of
// two, from 16 bytes up to the target's native width (never wider: a vector
// wider than the target's registers changes the calling convention, -Wpsabi).
// One vector per narrow layer where the target has 32-byte vectors: a layer
// of 8 floats is one evaluation of the activation, not two 16-byte ones one
// after the other on the layer's critical path.
template <class T, std::size_t N>
inline constexpr std::size_t activation_lanes =
    std::clamp<std::size_t>(std::bit_ceil(N), 16 / sizeof(T), CTNN_DETAIL_NATIVE_VECTOR_BYTES / sizeof(T));

// activation_lanes_value<Act>(v): Act per lane of a generic vector, for the
// activations in has_lane_activation.
template <class Act, class V>
[[gnu::always_inline]] inline V activation_lanes_value(V v) noexcept
{
    // An activation is an expression of x alone (activation_check), so y's
    // binding is never read.
    return lane_evaluate(Act::expression, v, v);
}

// keep_all_lanes(v): an empty asm statement that reads and writes v in a
// vector register, so that the compiler takes every lane of v as used. A
// narrow layer's last vector holds padding: seeing only one lane stored, Clang
// evaluates the activation of a layer of one unit as scalar code, with its
// bit operations through general-purpose registers. No instruction is
// emitted.
template <class V>
[[gnu::always_inline]] inline void keep_all_lanes(V& v) noexcept
{
#if defined(__SSE2__)
    __asm__("" : "+x"(v));
#elif defined(__aarch64__)
    __asm__("" : "+w"(v));
#else
    (void)v;
#endif
}

// apply_activation_vector<Act>(z, a): apply_activation's values, a vector of
// activation_lanes values at a time, the last one padded with copies of the
// last value.
template <class Act, class T, std::size_t N>
[[gnu::always_inline]] inline void apply_activation_vector(std::array<T, N> const& z, std::array<T, N>& a) noexcept
{
    constexpr std::size_t lanes = activation_lanes<T, N>;
    using vec = vector_t<T, lanes>;
    constexpr std::size_t full = N / lanes * lanes;
    for (std::size_t o = 0; o < full; o += lanes) {
        vec v;
        __builtin_memcpy(&v, z.data() + o, sizeof v);
        v = activation_lanes_value<Act>(v);
        __builtin_memcpy(a.data() + o, &v, sizeof v);
    }
    if constexpr (full < N) {
        constexpr std::size_t rest = N - full;
        // One initializer rather than lane-by-lane stores: GCC builds the
        // vector with shuffles then, not through a general-purpose register.
        vec v = [&]<std::size_t... L>(std::index_sequence<L...>) {
            return vec{z[full + (L < rest ? L : rest - 1)]...};
        }(std::make_index_sequence<lanes>{});
        v = activation_lanes_value<Act>(v);
        keep_all_lanes(v);
        for (std::size_t l = 0; l < rest; ++l) {
            a[full + l] = v[l];
        }
    }
}

} // namespace ctnn::detail
#endif

#endif
