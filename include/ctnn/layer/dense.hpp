#ifndef CTNN_LAYER_DENSE_HPP
#define CTNN_LAYER_DENSE_HPP

/// \file
/// The input layer and the fully connected layer: their type-level
/// description and the loops of their forward and backward passes.

#include <ctnn/activation.hpp>
#include <ctnn/detail/dense_kernels.hpp>
#include <ctnn/detail/lane_evaluate.hpp>
#include <ctnn/detail/vector/activation.hpp>
#include <ctnn/math.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn {

/// The input of a network: `N` values.
template <std::size_t N>
struct input {
    static constexpr std::size_t size = N;
};

/// A fully connected layer of `N` units, z = W a + b, followed by the
/// activation `Act` (an element-wise `ctnn::activation`, or `ctnn::softmax`
/// for the last layer).
template <std::size_t N, class Act = identity>
struct dense {
    static constexpr std::size_t size = N;
    using activation_type = Act;

    /// Weights `N × In` (row-major `[out][in]`) followed by `N` biases.
    template <std::size_t In>
    static constexpr std::size_t parameter_count = N * In + N;
};

// is_input_v<L>, is_dense_v<L>
template <class L>
inline constexpr bool is_input_v = false;
template <std::size_t N>
inline constexpr bool is_input_v<input<N>> = true;
template <class L>
inline constexpr bool is_dense_v = false;
template <std::size_t N, class Act>
inline constexpr bool is_dense_v<dense<N, Act>> = true;

/// A view of one dense layer's parameters (or of their gradients) inside the
/// network's contiguous parameter array.
template <class T, std::size_t In, std::size_t Out>
struct dense_view {
    std::span<T, Out * In> weights; ///< row-major [out][in]
    std::span<T, Out> biases;

    /// The weight from input `i` to unit `o`.
    [[nodiscard]] constexpr T& weight(std::size_t o, std::size_t i) const noexcept { return weights[o * In + i]; }
};

namespace detail {

// apply_activation<Act>(z, a): a[o] = Act::value(z[o]) for an element-wise
// activation (z and a may be the same array). For the vector kernels, a count
// that is not a multiple of activation_padding is padded to one with copies
// of the last value (valid wherever that value is), so that the compiler
// evaluates the activation in vector registers only: a lone scalar
// evaluation moves its bit operations (clamps, selects) through
// general-purpose registers, which adds latency to every layer of a small
// network. (The reference kernels evaluate
// each value once: a scalar target has no vectors to fill.)
//
// At run time, activations whose math has a definition over vector lanes
// (see lane_traits in detail/math_float.hpp) are evaluated over generic
// vectors explicitly, whatever the layer's width: the compiler's vectorisation
// of the padded loop depends on its cost model and on the caller (the same
// loop may stay scalar in a large function and vectorise in a small one),
// and where it does vectorise a wide layer, it turns the selects into masked
// operations and interleaves two vectors, spilling registers. So are the
// activations built on sigmoid or tanh (swish, gelu, expressions of one's
// own) whose expression has a lane form (detail/lane_evaluate.hpp): float's
// sigmoid reads a table, which the compiler's vectorisation reads with
// gathers or a load per value, and those built on tanh alone are treated as
// tanh is. tanh has a lane form for float only (double's is scalar, around
// expm1).
template <class Act, class T>
inline constexpr bool has_lane_activation = [] {
    if constexpr (is_activation_v<Act>) {
        using E = typename Act::expression_type;
        return lane_evaluable_v<E, T> && (sym::has_op_v<E, sym::op::sigmoid> || sym::has_op_v<E, sym::op::tanh>);
    } else {
        return false;
    }
}();

// has_lane_slope<Act, T>: the same for the slope (derivative_in_output),
// where it evaluates a sigmoid: swish's does (sigmoid's own, y (1 - y), and
// tanh's, 1 - y^2, are plain arithmetic, which any compiler vectorises).
template <class Act, class T>
inline constexpr bool has_lane_slope = [] {
    if constexpr (is_activation_v<Act>) {
        using E = std::remove_cvref_t<decltype(Act::derivative_in_output)>;
        return lane_evaluable_v<E, T> && sym::has_op_v<E, sym::op::sigmoid>;
    } else {
        return false;
    }
}();

template <class Act, class T, std::size_t N>
constexpr void apply_activation(std::array<T, N> const& z, std::array<T, N>& a) noexcept
{
#if CTNN_DETAIL_VECTOR_KERNELS && CTNN_DETAIL_SIMD_TARGET
    if constexpr (has_lane_activation<Act, T>) {
        if (!is_constant_evaluated()) {
            apply_activation_vector<Act>(z, a);
            return;
        }
    }
#endif
    constexpr std::size_t padded = (N + activation_padding - 1) / activation_padding * activation_padding;
    if constexpr (padded != N && CTNN_DETAIL_VECTOR_KERNELS != 0) {
        std::array<T, padded> v{};
        for (std::size_t o = 0; o < padded; ++o) {
            v[o] = z[o < N ? o : N - 1];
        }
        for (std::size_t o = 0; o < padded; ++o) {
            v[o] = Act::value(v[o]);
        }
        for (std::size_t o = 0; o < N; ++o) {
            a[o] = v[o];
        }
    } else {
        for (std::size_t o = 0; o < N; ++o) {
            a[o] = Act::value(z[o]);
        }
    }
}

// relu_reference<N>(z, a): a = relu(z) (z and a may be the same array) for
// the reference kernels at run time, with a plain ?: (a conditional move on
// scalar targets, where the bitwise select would move each value to the
// integer registers and back), and out of line: layers of the same width
// share its code.
template <class T, std::size_t N>
[[gnu::noinline]] void relu_reference(T const* z, T* a) noexcept
{
    for (std::size_t o = 0; o < N; ++o) {
        a[o] = z[o] > T(0) ? z[o] : T(0) * z[o];
    }
}

// activate<Act>(z, a): a = Act(z) for a layer's pre-activations z (z and a
// may be the same array).
template <class Act, class T, std::size_t Out>
constexpr void activate(std::array<T, Out> const& z, std::array<T, Out>& a) noexcept
{
    if constexpr (std::is_same_v<Act, softmax>) {
        // Shift by the maximum so that no exponential overflows.
        T top = z[0];
        for (std::size_t o = 1; o < Out; ++o) {
            top = z[o] > top ? z[o] : top;
        }
        T total = T(0);
        for (std::size_t o = 0; o < Out; ++o) {
            a[o] = math::exp(z[o] - top);
            total += a[o];
        }
        for (std::size_t o = 0; o < Out; ++o) {
            a[o] /= total;
        }
    } else if constexpr (std::is_same_v<Act, relu>) {
        // relu's expression, select(x > 0, x, 0·x), evaluated without a
        // branch: the lazy select of the expression evaluator is a branch
        // around a multiplication, which GCC does not if-convert (the
        // multiplication might trap), so the loop would not vectorise. The
        // same values, NaN included.
#if !CTNN_DETAIL_VECTOR_KERNELS
        if (!is_constant_evaluated()) {
            relu_reference<T, Out>(z.data(), a.data());
            return;
        }
#endif
        std::size_t first = 0;
#if CTNN_DETAIL_VECTOR_KERNELS && CTNN_DETAIL_SIMD_TARGET
        // At run time a native vector at a time, explicitly: Clang splits a
        // short loop over the units into vector pieces of decreasing width
        // and a scalar rest.
        if constexpr (math_float<T>) {
            if (!is_constant_evaluated()) {
                constexpr std::size_t lanes = CTNN_DETAIL_NATIVE_VECTOR_BYTES / sizeof(T);
                using vec = vector_t<T, lanes>;
                for (; first + lanes <= Out; first += lanes) {
                    vec v;
                    __builtin_memcpy(&v, z.data() + first, sizeof v);
                    v = detail::select(v > T(0), v, T(0) * v);
                    __builtin_memcpy(a.data() + first, &v, sizeof v);
                }
            }
        }
#endif
        for (std::size_t o = first; o < Out; ++o) {
            a[o] = detail::select(z[o] > T(0), z[o], T(0) * z[o]);
        }
    } else if constexpr (std::is_same_v<Act, identity>) {
        a = z;
    } else {
        apply_activation<Act>(z, a);
    }
}

// activation_slopes<Act, Count>(z, a, g, delta): delta[k] = g[k] Act'(z[k])
// for k < Count (Act element-wise). Through pointers that promise delta
// overlaps none of the others: without the promise Clang evaluates the loop
// a value at a time.
// A slope with a lane form (has_lane_slope) is evaluated a vector at a time
// at run time, the largest power of two of values up to the target's widest
// vector; what remains, one value at a time.
template <class Act, std::size_t Count, class T>
constexpr void activation_slopes(T const* CTNN_DETAIL_RESTRICT z, T const* CTNN_DETAIL_RESTRICT a,
                                 T const* CTNN_DETAIL_RESTRICT g, T* CTNN_DETAIL_RESTRICT delta) noexcept
{
#if CTNN_DETAIL_VECTOR_KERNELS && CTNN_DETAIL_SIMD_TARGET
    if constexpr (has_lane_slope<Act, T> && Count * sizeof(T) >= 16) {
        if (!is_constant_evaluated()) {
            constexpr std::size_t lanes =
                std::min<std::size_t>(std::bit_floor(Count), CTNN_DETAIL_NATIVE_VECTOR_BYTES / sizeof(T));
            constexpr std::size_t full = Count / lanes * lanes;
            using vec = vector_t<T, lanes>;
            for (std::size_t k = 0; k < full; k += lanes) {
                vec vz, va, vg;
                __builtin_memcpy(&vz, z + k, sizeof vz);
                __builtin_memcpy(&va, a + k, sizeof va);
                __builtin_memcpy(&vg, g + k, sizeof vg);
                vec const d = vg * lane_evaluate(Act::derivative_in_output, vz, va);
                __builtin_memcpy(delta + k, &d, sizeof d);
            }
            for (std::size_t k = full; k < Count; ++k) {
                delta[k] = g[k] * Act::slope(z[k], a[k]);
            }
            return;
        }
    }
#endif
    for (std::size_t k = 0; k < Count; ++k) {
        delta[k] = g[k] * Act::slope(z[k], a[k]);
    }
}

// activation_delta<Act>(z, a, g, delta): delta = dL/dz from g = dL/da.
template <class Act, class T, std::size_t N>
constexpr void activation_delta(std::array<T, N> const& z, std::array<T, N> const& a, std::array<T, N> const& g,
                                std::array<T, N>& delta) noexcept
{
    if constexpr (std::is_same_v<Act, softmax>) {
        // Jacobian-vector product of softmax: a ⊙ (g − ⟨g, a⟩).
        T dot = T(0);
        for (std::size_t o = 0; o < N; ++o) {
            dot += g[o] * a[o];
        }
        for (std::size_t o = 0; o < N; ++o) {
            delta[o] = a[o] * (g[o] - dot);
        }
    } else {
        activation_slopes<Act, N>(z.data(), a.data(), g.data(), delta.data());
    }
}

// often_idle<Act, T>: whether units of activation Act have an ordinary
// region of zero slope (ReLU below 0, clipped activations beyond their
// limits), found by probing the slope at ±1 and ±4. In such a layer many
// units of a sample have a zero delta, and the SGD update skips their rows.
// Only piecewise slopes (with a select) are probed: a smooth one has no such
// region, and an activation defined only on part of the line (sqrt(x)) must
// not be evaluated outside it (NaN arithmetic ends constant evaluation).
template <class Act, class T>
inline constexpr bool often_idle = [] {
    if constexpr (is_activation_v<Act>) {
        using slope_expression = std::remove_cvref_t<decltype(Act::derivative_in_output)>;
        if constexpr (sym::has_op_v<slope_expression, sym::op::select>) {
            for (T const z : {T(-4), T(-1), T(1), T(4)}) {
                if (Act::slope(z, Act::value(z)) == T(0)) {
                    return true;
                }
            }
        }
    }
    return false;
}();

} // namespace detail

} // namespace ctnn

#endif
