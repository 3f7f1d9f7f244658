#ifndef CTNN_DETAIL_REFERENCE_DENSE_HPP
#define CTNN_DETAIL_REFERENCE_DENSE_HPP

/// \file
/// The dense layer's sums for one sample, as plain loops: the definitions of
/// their order, used in constant evaluation, as the kernels' reference, and
/// for what the vector kernels leave over.
///
/// A dot product summed in one accumulator is a chain of dependent additions
/// that no compiler may reorder (that would change the result). So the order
/// of the sum is chosen here, once, for constant evaluation and run time
/// alike: input i goes to lane i mod L of L partial sums (L independent
/// chains, which vectorise as one element-wise vector operation), several rows
/// at a time (independent chains hide the latency of the additions, and each
/// chunk of x is loaded once for all of them), and the L lanes are then
/// added pairwise, halving each time (which vectorises as shuffles). The
/// result is as accurate as the sequential sum (better, on long rows: the
/// error grows with log L + In/L rather than In) but not bit-identical to it.

#include <ctnn/detail/config.hpp>

#include <cstddef>

namespace ctnn::detail {

/// Rows of at least 1 KB of values are long: they take four times as many
/// lanes (256 bytes), so that one row holds four independent chains of
/// additions and the kernels need not interleave many rows to hide the
/// latency of the additions: the forward pass reads two rows at a time, two
/// sequential streams of weights (long_rows_bias). (Four rows side by side in
/// the 64-byte order, one chain per row, took 1.45x as long on D's 784-wide
/// rows at batch 1 as one row in this order, measured on an AVX-512 Zen 5
/// with the weights in L2.)
template <class T, std::size_t In>
inline constexpr bool long_row = In * sizeof(T) >= long_row_bytes;

/// Lanes of partial sums for rows of `In` values of `T`: the largest power of
/// two not above In, up to CTNN_DOT_LANE_BYTES (four times that for a long
/// row).
template <class T, std::size_t In>
inline constexpr std::size_t dot_lanes =
    lanes_within<T, In, long_row<T, In> ? 4 * CTNN_DOT_LANE_BYTES : CTNN_DOT_LANE_BYTES>;

// dot_row_scalar(w, x, b): b + Σ_i w[i] x[i] for one row, in the order
// described above: the definition of that order, used in constant
// evaluation, for short rows and without GCC or Clang; matvec_bias_vector
// computes the same sums in the same order.
template <class T, std::size_t In>
[[nodiscard]] constexpr T dot_row_scalar(T const* w, T const* x, T b) noexcept
{
    constexpr std::size_t lanes = dot_lanes<T, In>;
    constexpr std::size_t full = In / lanes * lanes;
    T acc[lanes] = {};
    for (std::size_t i = 0; i < full; i += lanes) {
        for (std::size_t l = 0; l < lanes; ++l) {
            acc[l] += w[i + l] * x[i + l];
        }
    }
    for (std::size_t i = full; i < In; ++i) { // fewer than `lanes` left: lane i − full
        acc[i - full] += w[i] * x[i];
    }
    for (std::size_t half = lanes / 2; half > 0; half /= 2) {
        for (std::size_t l = 0; l < half; ++l) {
            acc[l] += acc[l + half];
        }
    }
    return b + acc[0];
}

// rank1_add(m, u, v): m += u vᵀ (m row-major [Out][In]).
template <class T, std::size_t In, std::size_t Out>
constexpr void rank1_add(T* CTNN_DETAIL_RESTRICT m, T const* CTNN_DETAIL_RESTRICT u,
                         T const* CTNN_DETAIL_RESTRICT v) noexcept
{
    CTNN_DETAIL_ROWS_LOOP
    for (std::size_t o = 0; o < Out; ++o) {
        T const uo = u[o];
        for (std::size_t i = 0; i < In; ++i) {
            m[o * In + i] += uo * v[i];
        }
    }
}

// rank1_descent_scalar(m, u, v, rate): m −= (rate u) vᵀ, rate·u rounded
// once per row: the definition (constant evaluation, targets without vectors).
template <class T, std::size_t In, std::size_t Out>
constexpr void rank1_descent_scalar(T* CTNN_DETAIL_RESTRICT m, T const* CTNN_DETAIL_RESTRICT u,
                                    T const* CTNN_DETAIL_RESTRICT v, T rate) noexcept
{
    CTNN_DETAIL_ROWS_LOOP
    for (std::size_t o = 0; o < Out; ++o) {
        T const step = rate * u[o];
        for (std::size_t i = 0; i < In; ++i) {
            m[o * In + i] -= step * v[i];
        }
    }
}

// descend(p, g, rate): p −= rate g (N values), through pointers that promise
// p overlaps nothing else: without the promise Clang updated a layer's biases
// one at a time.
template <class T, std::size_t N>
constexpr void descend(T* CTNN_DETAIL_RESTRICT p, T const* CTNN_DETAIL_RESTRICT g, T rate) noexcept
{
    for (std::size_t k = 0; k < N; ++k) {
        p[k] -= rate * g[k];
    }
}

/// Partial sums over the rows in the transposed product: row o goes to partial
/// sum o mod P (P = 4, or fewer for fewer rows), and the P partial sums are then
/// added pairwise, halving each time. P independent chains of additions
/// instead of one: the latency of a column's sum is what the backward pass of
/// a small layer waits for.
template <std::size_t Out>
inline constexpr std::size_t row_partials = Out >= 4 ? 4 : (Out >= 2 ? 2 : 1);

// transposed_matvec_scalar(m, u, g): g = mᵀ u, each g[i] summed over the rows
// in the order described above: the definition of that order, used in
// constant evaluation, for short rows and without GCC or Clang;
// transposed_matvec_vector computes the same sums in the same order.
template <class T, std::size_t In, std::size_t Out>
[[nodiscard]] constexpr T transposed_column_scalar(T const* m, T const* u, std::size_t i) noexcept
{
    constexpr std::size_t partials = row_partials<Out>;
    T acc[partials] = {};
    for (std::size_t o = 0; o < Out; ++o) {
        acc[o % partials] += m[o * In + i] * u[o];
    }
    for (std::size_t half = partials / 2; half > 0; half /= 2) {
        for (std::size_t l = 0; l < half; ++l) {
            acc[l] += acc[l + half];
        }
    }
    return acc[0];
}

template <class T, std::size_t In, std::size_t Out>
constexpr void transposed_matvec_scalar(T const* CTNN_DETAIL_RESTRICT m, T const* CTNN_DETAIL_RESTRICT u,
                                        T* CTNN_DETAIL_RESTRICT g) noexcept
{
    for (std::size_t i = 0; i < In; ++i) {
        g[i] = transposed_column_scalar<T, In, Out>(m, u, i);
    }
}

} // namespace ctnn::detail

#endif
