#ifndef CTNN_DETAIL_VECTOR_BLOCK_HPP
#define CTNN_DETAIL_VECTOR_BLOCK_HPP

/// \file
/// The pieces of the dense layer's kernels over a block of S samples stored
/// side by side, unit-major (`[unit][sample]`), over generic vectors
/// (detail/block_kernels.hpp puts them together). Every result is the one
/// the single-sample kernels give for each sample, bit for bit: the
/// innermost loops run across samples, so vectorising them reorders nothing.

#include <ctnn/activation.hpp>
#include <ctnn/detail/config.hpp>
#include <ctnn/detail/reference/dense.hpp>
#include <ctnn/detail/vector/vector_type.hpp>
#include <ctnn/layer/dense.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#if CTNN_DETAIL_GENERIC_VECTORS
namespace ctnn::detail {

// affine_row_vector: affine_row with the S samples of each partial sum as one
// vector, the L partial sums unrolled over constant indices so that they
// stay in registers. The same sums in the same order.
template <class T, std::size_t In, std::size_t S, std::size_t... L>
[[gnu::always_inline]] inline void affine_row_vector(T const* __restrict row, T const* __restrict x, T bias,
                                                     T* __restrict z, std::index_sequence<L...>) noexcept
{
    using vec = vector_t<T, S>;
    constexpr std::size_t lanes = sizeof...(L);
    constexpr std::size_t full = In / lanes * lanes;
    vec acc[lanes] = {};
    auto const add = [&](std::size_t lane, std::size_t i) {
        vec xi;
        __builtin_memcpy(&xi, x + i * S, sizeof xi);
        acc[lane] += row[i] * xi;
    };
    for (std::size_t i = 0; i < full; i += lanes) {
        (add(L, i + L), ...);
    }
    ((full + L < In ? add(L, full + L) : void()), ...);
    reduce_lanes<T, S, lanes>(acc);
    vec const out = bias + acc[0];
    __builtin_memcpy(z, &out, sizeof out);
}

// affine_rows_vector<R, P>: affine_row_vector for R rows at once, their L
// partial sums computed P lanes at a time (L/P passes over the inputs, R·P
// vectors in registers). Each input vector loaded serves R rows, and a pass
// reads only P/L of the block's inputs: a block of many inputs (In × S
// values) may not fit in the L1 cache, and one row at a time would read it
// all from the next level for every row. A pass takes lanes l, l + L/P,
// l + 2L/P, ...: the first log2(P) steps of the pairwise reduction add
// exactly these, so they are done at the end of the pass and only L/P sums
// per row wait in memory for the rest. Each partial sum takes its inputs in
// order: the same sums.
template <class T, std::size_t In, std::size_t S, std::size_t R, std::size_t P, std::size_t... K>
[[gnu::always_inline]] inline void affine_rows_vector(T const* __restrict w, T const* __restrict x,
                                                      T const* __restrict b, T* __restrict z,
                                                      std::index_sequence<K...>) noexcept
{
    using vec = vector_t<T, S>;
    constexpr std::size_t lanes = dot_lanes<T, In>;
    constexpr std::size_t full = In / lanes * lanes;
    constexpr std::size_t stride = lanes / P; // between the lanes of a pass
    static_assert(sizeof...(K) == R * P && lanes % P == 0);
    vec sums[R][stride];
    for (std::size_t l = 0; l < stride; ++l) {
        vec acc[R][P] = {}; // row r, lane l + p·stride
        // The inputs i + p·stride, for p < P with i + p·stride < last.
        auto const add = [&](std::size_t i, std::size_t last) __attribute__((always_inline)) {
            vec xs[P];
            CTNN_DETAIL_UNROLL
            for (std::size_t p = 0; p < P; ++p) {
                if (i + p * stride < last) {
                    __builtin_memcpy(&xs[p], x + (i + p * stride) * S, sizeof(vec));
                }
            }
            ((i + K % P * stride < last
                  ? void(acc[K / P][K % P] += w[K / P * In + i + K % P * stride] * xs[K % P])
                  : void()),
             ...);
        };
        for (std::size_t i = l; i < full; i += lanes) {
            add(i, full);
        }
        if constexpr (full < In) { // the tail: input full + j into lane j
            add(full + l, In);
        }
        CTNN_DETAIL_UNROLL
        for (std::size_t r = 0; r < R; ++r) {
            reduce_lanes<T, S, P>(acc[r]);
            sums[r][l] = acc[r][0];
        }
    }
    CTNN_DETAIL_UNROLL
    for (std::size_t r = 0; r < R; ++r) {
        reduce_lanes<T, S, stride>(sums[r]);
        vec const out = b[r] + sums[r][0];
        __builtin_memcpy(z + r * S, &out, sizeof out);
    }
}

// affine_block's row tiles: affine_tile_lanes lanes per pass, as many rows
// as fill the accumulator registers, for blocks whose inputs take
// affine_tile_min_bytes or more.
template <class T, std::size_t In>
inline constexpr std::size_t affine_lanes_per_pass = std::min<std::size_t>(dot_lanes<T, In>, affine_tile_lanes);
template <class T, std::size_t In>
inline constexpr std::size_t affine_tile_rows = accumulator_registers / affine_lanes_per_pass<T, In>;

#if CTNN_DETAIL_SIMD_TARGET
// The activations activate_block evaluates over vector lanes explicitly
// rather than leaving its loop to the vectoriser. Those with a sigmoid
// always: Clang leaves sigmoid's loop scalar, one sample at a time, and
// float's sigmoid reads a table, which a compiler's vectorisation reads with
// gathers or a load per value. Those with a tanh where block_tanh_lanes
// says so (Clang, which leaves that loop scalar too).
template <class Act, class T>
inline constexpr bool block_lane_activation = [] {
    if constexpr (has_lane_activation<Act, T>) {
        using E = typename Act::expression_type;
        return sym::has_op_v<E, sym::op::sigmoid> || (block_tanh_lanes && sym::has_op_v<E, sym::op::tanh>);
    } else {
        return false;
    }
}();
#endif

// input_gradient_tile<K>(w, delta, g, i): inputs i..i+K of
// input_gradient_block, the P partial sums of each K inputs in registers
// across the rows.
template <class T, std::size_t In, std::size_t Out, std::size_t S, std::size_t K>
[[gnu::always_inline]] inline void input_gradient_tile(T const* __restrict w, T const* __restrict delta,
                                                       T* __restrict g, std::size_t i) noexcept
{
    using vec = vector_t<T, S>;
    constexpr std::size_t partials = row_partials<Out>;
    constexpr std::size_t rows = Out / partials * partials;
    vec acc[K][partials] = {};
    auto const add = [&](std::size_t o, std::size_t p) {
        vec d;
        __builtin_memcpy(&d, delta + o * S, sizeof d);
        CTNN_DETAIL_UNROLL
        for (std::size_t k = 0; k < K; ++k) {
            acc[k][p] += w[o * In + i + k] * d;
        }
    };
    for (std::size_t o = 0; o < rows; o += partials) {
        CTNN_DETAIL_UNROLL
        for (std::size_t p = 0; p < partials; ++p) {
            add(o + p, p);
        }
    }
    for (std::size_t o = rows; o < Out; ++o) { // fewer than P rows left
        add(o, o - rows);
    }
    CTNN_DETAIL_UNROLL
    for (std::size_t k = 0; k < K; ++k) {
        CTNN_DETAIL_UNROLL
        for (std::size_t half = partials / 2; half > 0; half /= 2) {
            CTNN_DETAIL_UNROLL
            for (std::size_t p = 0; p < half; ++p) {
                acc[k][p] += acc[k][p + half];
            }
        }
        __builtin_memcpy(g + (i + k) * S, &acc[k][0], sizeof(vec));
    }
}

// One step of an in-register transpose of S vectors of S lanes: rows j and
// j + D (j without bit D) exchange their off-diagonal D×D blocks, in place.
// After D = S/2, S/4, ..., 1 the rows are the columns.
template <std::size_t S, std::size_t D, bool Upper>
inline constexpr auto exchange_index = [] {
    std::array<int, S> index{};
    for (std::size_t k = 0; k < S; ++k) {
        bool const high = (k & D) != 0;
        // Lanes 0..S-1 are the first row's, S..2S-1 the second's.
        index[k] = static_cast<int>(Upper ? (high ? S + k : k + D) : (high ? S + k - D : k));
    }
    return index;
}();

template <class T, std::size_t S, auto const& Index, std::size_t... K>
[[gnu::always_inline]] inline void shuffle_pair(vector_t<T, S> const& a, vector_t<T, S> const& b,
                                                vector_t<T, S>& out, std::index_sequence<K...>) noexcept
{
    out = __builtin_shufflevector(a, b, Index[K]...);
}

template <class T, std::size_t S, std::size_t D, std::size_t... J>
[[gnu::always_inline]] inline void exchange_blocks(vector_t<T, S> (&r)[S], std::index_sequence<J...>) noexcept
{
    // Each J below S/2 names the J-th row without bit D: its pair is row + D.
    constexpr auto row = [](std::size_t j) { return (j / D) * 2 * D + j % D; };
    (
        [&] {
            constexpr std::size_t lo = row(J);
            vector_t<T, S> a;
            vector_t<T, S> b;
            shuffle_pair<T, S, exchange_index<S, D, false>>(r[lo], r[lo + D], a, std::make_index_sequence<S>{});
            shuffle_pair<T, S, exchange_index<S, D, true>>(r[lo], r[lo + D], b, std::make_index_sequence<S>{});
            r[lo] = a;
            r[lo + D] = b;
        }(),
        ...);
}

template <class T, std::size_t S, std::size_t D>
[[gnu::always_inline]] inline void transpose_steps(vector_t<T, S> (&r)[S]) noexcept
{
    if constexpr (D > 0) {
        exchange_blocks<T, S, D>(r, std::make_index_sequence<S / 2>{});
        transpose_steps<T, S, D / 2>(r);
    }
}

// accumulate_across_rows<WithWeights>(dw, db, inputs, delta, count, o): for
// rows o..o+S, db[o + k] += delta[o + k][s] for s < count, sample after
// sample; with WithWeights (a layer of one input) also dw[o + k] +=
// delta[o + k][s] inputs[s][0]. The S×S tile of delta is transposed in
// registers, so that a vector holds one sample's values of the S rows, and
// each sum keeps its order with S rows per vector operation: a row at a
// time, each sum is a chain of scalar additions (the order over the samples
// forbids adding them pairwise).
template <class T, std::size_t S, bool WithWeights>
[[gnu::always_inline]] inline void accumulate_across_rows(T* __restrict dw, T* __restrict db,
                                                          T const* const (&inputs)[S], T const* __restrict delta,
                                                          std::size_t count, std::size_t o) noexcept
{
    using vec = vector_t<T, S>;
    vec t[S];
    CTNN_DETAIL_UNROLL
    for (std::size_t k = 0; k < S; ++k) {
        __builtin_memcpy(&t[k], delta + (o + k) * S, sizeof(vec));
    }
    transpose_steps<T, S, S / 2>(t); // t[s]: sample s of rows o..o+S
    vec b;
    vec w = {};
    __builtin_memcpy(&b, db + o, sizeof b);
    if constexpr (WithWeights) {
        __builtin_memcpy(&w, dw + o, sizeof w);
    }
    CTNN_DETAIL_UNROLL
    for (std::size_t s = 0; s < S; ++s) {
        if (s < count) {
            b += t[s];
            if constexpr (WithWeights) {
                w += t[s] * inputs[s][0];
            }
        }
    }
    __builtin_memcpy(db + o, &b, sizeof b);
    if constexpr (WithWeights) {
        __builtin_memcpy(dw + o, &w, sizeof w);
    }
}

// outer_tile<R, C>(dw, delta, inputs, count, o, i): rows o..o+R of dW, chunks
// of L inputs from i, C chunks: += delta[row][s] inputs[s][chunk] for the
// samples in order, the R·C chunks in registers throughout.
template <class T, std::size_t In, std::size_t S, std::size_t L, std::size_t R, std::size_t C>
[[gnu::always_inline]] inline void outer_tile(T* __restrict dw, T const* __restrict delta, T const* const (&inputs)[S],
                                              std::size_t count, std::size_t o, std::size_t i) noexcept
{
    using vec = vector_t<T, L>;
    vec acc[R][C];
    CTNN_DETAIL_UNROLL
    for (std::size_t r = 0; r < R; ++r) {
        CTNN_DETAIL_UNROLL
        for (std::size_t c = 0; c < C; ++c) {
            __builtin_memcpy(&acc[r][c], dw + (o + r) * In + i + c * L, sizeof(vec));
        }
    }
    for (std::size_t s = 0; s < count; ++s) {
        vec x[C];
        CTNN_DETAIL_UNROLL
        for (std::size_t c = 0; c < C; ++c) {
            __builtin_memcpy(&x[c], inputs[s] + i + c * L, sizeof(vec));
        }
        CTNN_DETAIL_UNROLL
        for (std::size_t r = 0; r < R; ++r) {
            T const d = delta[(o + r) * S + s];
            CTNN_DETAIL_UNROLL
            for (std::size_t c = 0; c < C; ++c) {
                acc[r][c] += d * x[c];
            }
        }
    }
    CTNN_DETAIL_UNROLL
    for (std::size_t r = 0; r < R; ++r) {
        CTNN_DETAIL_UNROLL
        for (std::size_t c = 0; c < C; ++c) {
            __builtin_memcpy(dw + (o + r) * In + i + c * L, &acc[r][c], sizeof(vec));
        }
    }
}

} // namespace ctnn::detail
#endif

#endif
