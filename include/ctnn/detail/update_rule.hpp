#ifndef CTNN_DETAIL_UPDATE_RULE_HPP
#define CTNN_DETAIL_UPDATE_RULE_HPP

/// \file
/// Applying an optimizer's update rule to parameters.
///
/// Each optimizer defines its rule once, for one parameter: `rule(θ, g, s...)`
/// updates θ and the optimizer's state of that parameter (s...: a velocity, two
/// moments) from its gradient g. The rule is written over a "lane" type V, a
/// scalar or, at run time, a generic vector of them (detail/math_float.hpp),
/// so the loops here apply it a native vector of parameters at a time, and one
/// at a time in constant evaluation and for what is left over: the same
/// arithmetic in every lane, hence the same values either way.
///
/// The state of parameter k is element k of each of the optimizer's state
/// arrays, which have the layout of the parameters.

#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/detail/dense_kernels.hpp>
#include <ctnn/detail/math_float.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <utility>

namespace ctnn::detail {

// lanes_of<V>: the lanes of V (1 for a scalar).
template <class V>
inline constexpr std::size_t lanes_of = sizeof(V) / sizeof(lane_scalar<V>);

// load_lanes<V, Count>(p): p[0, Count) in V's first lanes, zeros in the
// others; store_lanes<Count>(p, v): V's first Count lanes back to p.
template <class V, std::size_t Count = lanes_of<V>, class T>
[[gnu::always_inline]] constexpr V load_lanes(T const* p) noexcept
{
    if constexpr (math_float<V>) {
        return *p;
    } else if constexpr (Count == lanes_of<V>) {
        V v;
        __builtin_memcpy(&v, p, sizeof v);
        return v;
    } else {
        T padded[lanes_of<V>] = {};
        __builtin_memcpy(padded, p, Count * sizeof(T));
        V v;
        __builtin_memcpy(&v, padded, sizeof v);
        return v;
    }
}

template <std::size_t Count, class V, class T>
[[gnu::always_inline]] constexpr void store_lanes(T* p, V const& v) noexcept
{
    if constexpr (math_float<V>) {
        *p = v;
    } else if constexpr (Count == lanes_of<V>) {
        __builtin_memcpy(p, &v, sizeof v);
    } else {
        T lanes[lanes_of<V>];
        __builtin_memcpy(lanes, &v, sizeof v);
        __builtin_memcpy(p, lanes, Count * sizeof(T));
    }
}

// Where a rule's gradient comes from, read `at<V, Count>(i)` for parameters
// i, i + 1, ... (Count of them, in V's first lanes):
// stored_gradient: a gradient object's values.
template <class T>
struct stored_gradient {
    T const* g;
    template <class V, std::size_t Count>
    [[nodiscard, gnu::always_inline]] constexpr V at(std::size_t i) const noexcept
    {
        return load_lanes<V, Count>(g + i);
    }
};

// mean_gradient: a sum of per-sample gradients times 1/n, the mean of a batch.
template <class T>
struct mean_gradient {
    T const* sum;
    T scale;
    template <class V, std::size_t Count>
    [[nodiscard, gnu::always_inline]] constexpr V at(std::size_t i) const noexcept
    {
        return load_lanes<V, Count>(sum + i) * scale;
    }
};

// outer_gradient: one row of a dense layer's weight gradient for one sample,
// δ_o aᵀ (δ_o the unit's dL/dz, a the layer's input): the value the gradient
// object would hold, computed where it is used.
template <class T>
struct outer_gradient {
    T delta;
    T const* input;
    template <class V, std::size_t Count>
    [[nodiscard, gnu::always_inline]] constexpr V at(std::size_t i) const noexcept
    {
        return delta * load_lanes<V, Count>(input + i);
    }
};

// rule_at<V, Count>(rule, p, g, s, i): the rule on parameters i, i + 1, ...,
// Count of them in V's first lanes (the other lanes are zeros, and whatever
// the rule makes of them is not stored).
template <class V, std::size_t Count, class T, std::size_t K, class Rule, class Gradient, std::size_t... J>
[[gnu::always_inline]] constexpr void rule_at(Rule const& rule, T* p, Gradient const& g, std::array<T*, K> const& s,
                                              std::size_t i, std::index_sequence<J...>) noexcept
{
    V value = load_lanes<V, Count>(p + i);
    std::array<V, K> state{load_lanes<V, Count>(s[J] + i)...};
    rule(value, g.template at<V, Count>(i), state[J]...);
    store_lanes<Count>(p + i, value);
    (store_lanes<Count>(s[J] + i, state[J]), ...);
}

// rule_lanes<T, N>: the vectors apply_rule takes N parameters in: the
// target's widest, or fewer lanes for fewer parameters, but never under 16
// bytes (a run shorter than that is one padded vector: the compilers' scalar
// square root keeps a call to the C library for errno).
template <class T, std::size_t N>
inline constexpr std::size_t rule_lanes = [] {
    std::size_t lanes = 16 / sizeof(T);
    while (lanes < N && lanes * 2 * sizeof(T) <= CTNN_DETAIL_NATIVE_VECTOR_BYTES) {
        lanes *= 2;
    }
    return lanes;
}();

// apply_rule_loop<N>(rule, p, g, s): apply_rule's loop, for the rule given.
template <class T, std::size_t N, class Rule, class Gradient, std::size_t K>
constexpr void apply_rule_loop(Rule const& rule, T* p, Gradient const& g, std::array<T*, K> const& s) noexcept
{
    constexpr auto states = std::make_index_sequence<K>{};
#if CTNN_DETAIL_VECTOR_KERNELS && CTNN_DETAIL_SIMD_TARGET
    if (!is_constant_evaluated()) {
        constexpr std::size_t lanes = rule_lanes<T, N>;
        using vec = vector_t<T, lanes>;
        constexpr std::size_t full = N / lanes * lanes;
        // Local copies: the loop stores through T pointers, which may alias
        // the T members of the rule and of the gradient source (the rule's
        // constants, a mean's scale, a row's δ), so through references the
        // compiler would reload and re-broadcast them every iteration.
        Rule const local_rule = rule;
        Gradient const local_g = g;
        std::array<T*, K> const local_s = s;
        for (std::size_t i = 0; i < full; i += lanes) {
            rule_at<vec, lanes>(local_rule, p, local_g, local_s, i, states);
        }
        if constexpr (full < N) {
            rule_at<vec, N - full>(local_rule, p, local_g, local_s, full, states);
        }
        return;
    }
#endif
    for (std::size_t i = 0; i < N; ++i) {
        rule_at<T, 1>(rule, p, g, s, i, states);
    }
}

// apply_rule<N>(rule, p, g, s): the rule on parameters p[0, N), their
// gradients from g, their state at s[k][0, N). A rule whose present settings
// reduce it to a shorter rule of the same values (rule.is_plain()) runs as
// that one (rule.plain()), at run time and in constant evaluation alike.
template <class T, std::size_t N, class Rule, class Gradient, std::size_t K>
constexpr void apply_rule(Rule const& rule, T* p, Gradient const& g, std::array<T*, K> const& s) noexcept
{
    if constexpr (requires { rule.plain(); }) {
        if (rule.is_plain()) {
            apply_rule_loop<T, N>(rule.plain(), p, g, s);
            return;
        }
    }
    apply_rule_loop<T, N>(rule, p, g, s);
}

// advanced(s, n): each state pointer n parameters on.
template <class T, std::size_t K>
[[nodiscard]] constexpr std::array<T*, K> advanced(std::array<T*, K> s, std::size_t n) noexcept
{
    for (T*& p : s) {
        p += n;
    }
    return s;
}

// apply_rule_outer<In, Out>(rule, w, b, delta, input, s): a dense layer's
// update from one sample, without its gradient stored anywhere: row o of W
// takes the gradient δ_o aᵀ, the biases δ. s points at the layer's state
// (its weights', then its biases').
template <class T, std::size_t In, std::size_t Out, class Rule, std::size_t K>
constexpr void apply_rule_outer(Rule const& rule, T* w, T* b, T const* delta, T const* input,
                                std::array<T*, K> const& s) noexcept
{
    if constexpr (requires { rule.plain(); }) { // once per layer rather than per row
        if (rule.is_plain()) {
            apply_rule_outer<T, In, Out>(rule.plain(), w, b, delta, input, s);
            return;
        }
    }
    CTNN_DETAIL_ROWS_LOOP
    for (std::size_t o = 0; o < Out; ++o) {
        apply_rule<T, In>(rule, w + o * In, outer_gradient<T>{delta[o], input}, advanced(s, o * In));
    }
    apply_rule<T, Out>(rule, b, stored_gradient<T>{delta}, advanced(s, Out * In));
}

} // namespace ctnn::detail

#endif
