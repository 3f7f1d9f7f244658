#ifndef CTNN_DETAIL_REFERENCE_DENSE_HPP
#define CTNN_DETAIL_REFERENCE_DENSE_HPP

/// \file
/// The dense layer's sums for one sample, as plain loops: the definitions of
/// their order (used in constant evaluation, as the kernels' reference, and
/// for what the vector kernels leave over), and the reference kernels' forms
/// of them for run time, which compute the same values in fewer instructions.
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

/// Rows of at least long_row_bytes of values are long: they take four times
/// as many lanes (four times CTNN_DOT_LANE_BYTES), four times as many
/// independent chains of additions in one row, so that the kernels need not
/// interleave many rows to hide the latency of the additions: the
/// forward pass reads one or two rows at a time, one or two sequential
/// streams of weights (long_rows_bias), rather than four or more.
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
// p overlaps nothing else: without the promise Clang updates a layer's biases
// one at a time.
template <class T, std::size_t N>
constexpr void descend(T* CTNN_DETAIL_RESTRICT p, T const* CTNN_DETAIL_RESTRICT g, T rate) noexcept
{
    for (std::size_t k = 0; k < N; ++k) {
        p[k] -= rate * g[k];
    }
}

/// Partial sums over the rows in the transposed product: row o goes to partial
/// sum o mod P (P = transposed_partial_sums, or fewer for fewer rows), and the
/// P partial sums are then added pairwise, halving each time. P independent
/// chains of additions instead of one: the latency of a column's sum is what
/// the backward pass of a small layer waits for.
template <std::size_t Out>
inline constexpr std::size_t row_partials =
    Out >= transposed_partial_sums ? transposed_partial_sums : (Out >= 2 && transposed_partial_sums >= 2 ? 2 : 1);

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

// pairwise_sum<N, Stride>(term, first): the N terms term(first),
// term(first + Stride), ... (N a power of two) added in the pairwise order:
// term k and term k + N/2 first, halving until one is left. Written out by
// the template, so that it is straight-line code at every optimisation level.
template <std::size_t N, std::size_t Stride, class Term>
[[gnu::always_inline]] constexpr auto pairwise_sum(Term const& term, std::size_t first) noexcept
{
    if constexpr (N == 1) {
        return term(first);
    } else {
        return pairwise_sum<N / 2, 2 * Stride>(term, first) + pairwise_sum<N / 2, 2 * Stride>(term, first + Stride);
    }
}

// lane_sum<In>(w, x, l): the products of lane l of dot_row_scalar (inputs l,
// l + L, ... and, in the tail, input full + l), added in its order but
// started at the first product rather than at 0 (see dot_row_reference).
template <class T, std::size_t In>
[[gnu::always_inline]] constexpr T lane_sum(T const* w, T const* x, std::size_t l) noexcept
{
    constexpr std::size_t lanes = dot_lanes<T, In>;
    constexpr std::size_t chunks = In / lanes;
    constexpr std::size_t full = chunks * lanes;
    T sum = w[l] * x[l];
    for (std::size_t c = 1; c < chunks; ++c) {
        sum += w[c * lanes + l] * x[c * lanes + l];
    }
    if constexpr (full < In) {
        if (full + l < In) {
            sum += w[full + l] * x[full + l];
        }
    }
    return sum;
}

// dot_row_reference<In>(w, x, b): dot_row_scalar(w, x, b), bit for bit, in
// fewer instructions. The lanes are summed in subtrees of the pairwise fold,
// each of reference_subtree_lanes lanes as straight-line code (lanes j,
// j + R, j + 2R, ... for R subtrees: the first folds of dot_row_scalar pair
// exactly these), one subtree per pass of a short loop; then the R subtree
// sums are folded pairwise.
//
// Each lane starts at its first product instead of at +0. 0 + p equals p
// except for p = −0 (the sum is +0), so a sum started at +0 equals the one
// started at the first product, s, except where s is −0: then it is +0.
// That holds through every addition of the fold (rounding to nearest, a sum
// is −0 only when both terms are), so the folded sum of dot_row_scalar is s + 0, and its result
// b + (s + 0) equals (b + s) + 0 (both differ from b + s only when b and s
// are −0). One addition of +0 per row instead of one per lane: GCC cannot
// drop either, because of the sign of zero.
template <class T, std::size_t In>
[[gnu::always_inline]] constexpr T dot_row_reference(T const* w, T const* x, T b) noexcept
{
    constexpr std::size_t lanes = dot_lanes<T, In>;
    constexpr std::size_t subtree = lanes < reference_subtree_lanes ? lanes : reference_subtree_lanes;
    constexpr std::size_t subtrees = lanes / subtree;
    // The lambdas always inlined: at -Os GCC keeps them out of line, a call per lane.
    auto const lane = [&](std::size_t l) __attribute__((always_inline)) { return lane_sum<T, In>(w, x, l); };
    T partial[subtrees];
    for (std::size_t j = 0; j < subtrees; ++j) {
        partial[j] = pairwise_sum<subtree, subtrees>(lane, j);
    }
    auto const subtree_sum = [&](std::size_t j) __attribute__((always_inline)) { return partial[j]; };
    T const sum = pairwise_sum<subtrees, 1>(subtree_sum, 0);
    return (b + sum) + T(0);
}

// rows_reference<In>(w, x, b, z, rows): z[o] = dot_row_reference(row o of
// w, x, b[o]) for o < rows (at least one).
template <class T, std::size_t In>
[[gnu::always_inline]] inline void rows_reference(T const* CTNN_DETAIL_RESTRICT w, T const* CTNN_DETAIL_RESTRICT x,
                                                  T const* CTNN_DETAIL_RESTRICT b, T* CTNN_DETAIL_RESTRICT z,
                                                  std::size_t rows) noexcept
{
    std::size_t o = 0;
    do {
        z[o] = dot_row_reference<T, In>(w + o * In, x, b[o]);
    } while (++o < rows);
}

// shared_rows_reference<In>(w, x, b, z, rows): rows_reference kept out of
// line, one function per row length with the number of rows an argument, so
// that layers of the same input width share its code.
template <class T, std::size_t In>
[[gnu::noinline]] void shared_rows_reference(T const* CTNN_DETAIL_RESTRICT w, T const* CTNN_DETAIL_RESTRICT x,
                                             T const* CTNN_DETAIL_RESTRICT b, T* CTNN_DETAIL_RESTRICT z,
                                             std::size_t rows) noexcept
{
    rows_reference<T, In>(w, x, b, z, rows);
}

// matvec_bias_reference<In, Out>(w, x, b, z): the reference kernels' forward
// product at run time. Rows whose sum loops over subtrees share their code
// (shared_rows_reference); shorter rows, a few instructions each, are
// computed in place.
template <class T, std::size_t In, std::size_t Out>
[[gnu::always_inline]] inline void matvec_bias_reference(T const* CTNN_DETAIL_RESTRICT w,
                                                         T const* CTNN_DETAIL_RESTRICT x,
                                                         T const* CTNN_DETAIL_RESTRICT b,
                                                         T* CTNN_DETAIL_RESTRICT z) noexcept
{
    if constexpr (dot_lanes<T, In> > reference_subtree_lanes) {
        shared_rows_reference<T, In>(w, x, b, z, Out);
    } else {
        rows_reference<T, In>(w, x, b, z, Out);
    }
}

// rank1_descent_reference<In, Out, SkipIdle>(m, u, v, rate):
// rank1_descent_scalar's values at run time, with SkipIdle skipping the rows
// whose step is zero as the vector kernels do (rows of at least
// skip_row_bytes).
template <class T, std::size_t In, std::size_t Out, bool SkipIdle>
void rank1_descent_reference(T* CTNN_DETAIL_RESTRICT m, T const* CTNN_DETAIL_RESTRICT u,
                             T const* CTNN_DETAIL_RESTRICT v, T rate) noexcept
{
    for (std::size_t o = 0; o < Out; ++o) {
        T const step = rate * u[o];
        if constexpr (SkipIdle && In * sizeof(T) >= skip_row_bytes) {
            if (step == T(0)) {
                continue;
            }
        }
        for (std::size_t i = 0; i < In; ++i) {
            m[o * In + i] -= step * v[i];
        }
    }
}

} // namespace ctnn::detail

#endif
