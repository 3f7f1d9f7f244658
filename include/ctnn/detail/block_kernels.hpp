#ifndef CTNN_DETAIL_BLOCK_KERNELS_HPP
#define CTNN_DETAIL_BLOCK_KERNELS_HPP

/// \file
/// The loops of a dense layer over a block of S samples stored side by side,
/// unit-major (`[unit][sample]`): the forward pass of `ctnn::predict` and the
/// batch gradient. Every result is the one the single-sample kernels give
/// (detail/dense_kernels.hpp, layer/dense.hpp) for each sample, bit for bit:
/// the innermost loops run across samples, so vectorising them reorders
/// nothing.

#include <ctnn/activation.hpp>
#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/detail/dense_kernels.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/math.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

/// Samples per block (predict by default, the batch gradient, fit): one
/// native vector of T (CTNN_DETAIL_NATIVE_VECTOR_BYTES: GCC keeps wider
/// generic vectors in memory). The block size changes no result.
template <class T>
inline constexpr std::size_t block_samples = CTNN_DETAIL_NATIVE_VECTOR_BYTES / sizeof(T);

// affine_row<In, S>(row, x, bias, z): z[s] = bias + Σ_i row[i] x[i][s] for
// the S samples of a block, each sum in dot_row_scalar's order (input i into
// lane i mod L of L partial sums, the tail into lanes 0, 1, ..., then the
// lanes pairwise). The definition, used in constant evaluation.
template <class T, std::size_t In, std::size_t S>
constexpr void affine_row(T const* CTNN_DETAIL_RESTRICT row, T const* CTNN_DETAIL_RESTRICT x, T bias,
                          T* CTNN_DETAIL_RESTRICT z) noexcept
{
    constexpr std::size_t lanes = dot_lanes<T, In>;
    constexpr std::size_t full = In / lanes * lanes;
    T acc[lanes][S] = {};
    for (std::size_t i = 0; i < In; ++i) {
        std::size_t const lane = i < full ? i % lanes : i - full;
        for (std::size_t s = 0; s < S; ++s) {
            acc[lane][s] += row[i] * x[i * S + s];
        }
    }
    for (std::size_t half = lanes / 2; half > 0; half /= 2) {
        for (std::size_t l = 0; l < half; ++l) {
            for (std::size_t s = 0; s < S; ++s) {
                acc[l][s] += acc[l + half][s];
            }
        }
    }
    for (std::size_t s = 0; s < S; ++s) {
        z[s] = bias + acc[0][s];
    }
}

#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
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
// reads only P/L of the block's inputs: D's block of 784 inputs × 16 samples
// (49 KB) exceeds a 48 KB L1 cache, so one row at a time read it all from L2
// for every row. A pass takes lanes l, l + L/P, l + 2L/P, ...: the first
// log2(P) steps of the pairwise reduction add exactly these, so they are
// done at the end of the pass and only L/P sums per row wait in memory for
// the rest. Each partial sum takes its inputs in order: the same sums.
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

// Vector registers a block kernel fills with partial sums: half of them (16
// of 32, 8 of 16), the rest left for the loaded operands. Targets without
// vector registers get two, to keep their stack small.
#if defined(__AVX512F__) || defined(__aarch64__)
inline constexpr std::size_t accumulator_registers = 16;
#elif CTNN_DETAIL_SIMD_TARGET
inline constexpr std::size_t accumulator_registers = 8;
#else
inline constexpr std::size_t accumulator_registers = 2;
#endif

// affine_block's row tiles: two lanes per pass (measured on D: one or four
// lanes per pass took 1.25x as long, eight 1.7x), as many rows as fill the
// accumulator registers. Only when the block's inputs take 8 KB or more:
// smaller blocks stay in L1 anyway, and there the round trip of R·L partial
// sums through memory costs more than it saves (B, C and E took up to 1.8x
// as long tiled).
inline constexpr std::size_t affine_tile_min_bytes = 8192;
template <class T, std::size_t In>
inline constexpr std::size_t affine_lanes_per_pass = std::min<std::size_t>(dot_lanes<T, In>, 2);
template <class T, std::size_t In>
inline constexpr std::size_t affine_tile_rows = accumulator_registers / affine_lanes_per_pass<T, In>;
#endif

// affine_block<In, Out, S>(w, b, x, z): z[o][s] = b[o] + Σ_i w[o][i] x[i][s].
template <class T, std::size_t In, std::size_t Out, std::size_t S>
constexpr void affine_block(T const* CTNN_DETAIL_RESTRICT w, T const* CTNN_DETAIL_RESTRICT b,
                            T const* CTNN_DETAIL_RESTRICT x, T* CTNN_DETAIL_RESTRICT z) noexcept
{
#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
    // Generic vectors have a power-of-two number of lanes.
    if constexpr (S >= 2 && (S & (S - 1)) == 0) {
        if (!is_constant_evaluated()) {
            // Long rows always: their 64 partial sums do not fit the registers.
            constexpr bool tile =
                In * S * sizeof(T) >= affine_tile_min_bytes || dot_lanes<T, In> > accumulator_registers;
            constexpr std::size_t rows = affine_tile_rows<T, In>;
            constexpr std::size_t tiled = tile ? Out / rows * rows : 0;
            if constexpr (tile) {
                CTNN_DETAIL_ROWS_LOOP
                for (std::size_t o = 0; o < tiled; o += rows) {
                    affine_rows_vector<T, In, S, rows, affine_lanes_per_pass<T, In>>(
                        w + o * In, x, b + o, z + o * S, std::make_index_sequence<accumulator_registers>{});
                }
            }
            CTNN_DETAIL_ROWS_LOOP
            for (std::size_t o = tiled; o < Out; ++o) {
                affine_row_vector<T, In, S>(w + o * In, x, b[o], z + o * S,
                                            std::make_index_sequence<dot_lanes<T, In>>{});
            }
            return;
        }
    }
#endif
    for (std::size_t o = 0; o < Out; ++o) {
        affine_row<T, In, S>(w + o * In, x, b[o], z + o * S);
    }
}

#if defined(CTNN_DETAIL_HAVE_VECTOR_KERNELS) && CTNN_DETAIL_SIMD_TARGET
// The activations activate_block evaluates over vector lanes explicitly
// rather than leaving its loop to the vectoriser. Those with a sigmoid
// always: Clang evaluated sigmoid's loop one sample at a time (A's batch
// inference took 3.1x as long as with GCC), and float's sigmoid reads a table,
// which a compiler's vectorisation reads with gathers or a load per value.
// Those with a tanh with Clang only, which evaluated that loop one sample at
// a time too (a 2-8-5-1 tanh network's batch inference: 684 -> 365 ns); GCC
// vectorises it, and the explicit form made B's batch training step 12 %
// slower with it.
template <class Act, class T>
inline constexpr bool block_lane_activation = [] {
    if constexpr (has_lane_activation<Act, T>) {
        using E = typename Act::expression_type;
#if defined(__clang__)
        return sym::has_op_v<E, sym::op::sigmoid> || sym::has_op_v<E, sym::op::tanh>;
#else
        return sym::has_op_v<E, sym::op::sigmoid>;
#endif
    } else {
        return false;
    }
}();
#endif

// activate_block<Act, Out, S>(v): v = Act(v) in place, per sample (softmax
// over the units of each sample, in unit order, as detail::activate does).
template <class Act, class T, std::size_t Out, std::size_t S>
constexpr void activate_block(T* v) noexcept
{
    if constexpr (std::is_same_v<Act, softmax>) {
        T top[S] = {};
        T total[S] = {};
        for (std::size_t s = 0; s < S; ++s) {
            top[s] = v[s];
        }
        for (std::size_t o = 1; o < Out; ++o) {
            for (std::size_t s = 0; s < S; ++s) {
                top[s] = v[o * S + s] > top[s] ? v[o * S + s] : top[s];
            }
        }
        for (std::size_t o = 0; o < Out; ++o) {
            for (std::size_t s = 0; s < S; ++s) {
                v[o * S + s] = math::exp(v[o * S + s] - top[s]);
                total[s] += v[o * S + s];
            }
        }
        for (std::size_t o = 0; o < Out; ++o) {
            for (std::size_t s = 0; s < S; ++s) {
                v[o * S + s] /= total[s];
            }
        }
    } else if constexpr (std::is_same_v<Act, relu>) {
        for (std::size_t k = 0; k < Out * S; ++k) { // without a branch, as in layer/dense.hpp
            v[k] = select(v[k] > T(0), v[k], T(0) * v[k]);
        }
    } else if constexpr (!std::is_same_v<Act, identity>) {
#if defined(CTNN_DETAIL_HAVE_VECTOR_KERNELS) && CTNN_DETAIL_SIMD_TARGET
        // An activation with a definition over vector lanes: a unit's block
        // of samples, one native vector, in one evaluation.
        if constexpr (block_lane_activation<Act, T> && S * sizeof(T) == CTNN_DETAIL_NATIVE_VECTOR_BYTES) {
            if (!is_constant_evaluated()) {
                using vec = vector_t<T, S>;
                for (std::size_t o = 0; o < Out; ++o) {
                    vec x;
                    __builtin_memcpy(&x, v + o * S, sizeof x);
                    x = activation_lanes_value<Act>(x);
                    __builtin_memcpy(v + o * S, &x, sizeof x);
                }
                return;
            }
        }
#endif
        for (std::size_t k = 0; k < Out * S; ++k) {
            v[k] = Act::value(v[k]);
        }
    }
}

#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
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
#endif

// input_gradient_block<In, Out, S>(w, delta, g): g[i][s] = Σ_o w[o][i]
// delta[o][s] in transposed_matvec's order (row o into partial sum o mod P,
// the partial sums pairwise; detail/dense_kernels.hpp).
template <class T, std::size_t In, std::size_t Out, std::size_t S>
constexpr void input_gradient_block(T const* CTNN_DETAIL_RESTRICT w, T const* CTNN_DETAIL_RESTRICT delta,
                                    T* CTNN_DETAIL_RESTRICT g) noexcept
{
#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
    if constexpr (S >= 2 && (S & (S - 1)) == 0) {
        if (!is_constant_evaluated()) {
            constexpr std::size_t blocked = In / 4 * 4;
            CTNN_DETAIL_ROWS_LOOP
            for (std::size_t i = 0; i < blocked; i += 4) {
                input_gradient_tile<T, In, Out, S, 4>(w, delta, g, i);
            }
            for (std::size_t i = blocked; i < In; ++i) {
                input_gradient_tile<T, In, Out, S, 1>(w, delta, g, i);
            }
            return;
        }
    }
#endif
    constexpr std::size_t partials = row_partials<Out>;
    for (std::size_t i = 0; i < In; ++i) {
        for (std::size_t s = 0; s < S; ++s) {
            T acc[partials] = {};
            for (std::size_t o = 0; o < Out; ++o) {
                acc[o % partials] += w[o * In + i] * delta[o * S + s];
            }
            for (std::size_t half = partials / 2; half > 0; half /= 2) {
                for (std::size_t p = 0; p < half; ++p) {
                    acc[p] += acc[p + half];
                }
            }
            g[i * S + s] = acc[0];
        }
    }
}

#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
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
#endif

#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
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
#endif

// outer_accumulate_block<In, Out, S>(dw, db, inputs, delta, count):
// dW[o][i] += delta[o][s] inputs[s][i] and db[o] += delta[o][s] for the first
// `count` samples, sample after sample (rank1_add's order, as if the samples
// were accumulated one by one). `inputs[s]` points at sample s's input to the
// layer, contiguous over i.
template <class T, std::size_t In, std::size_t Out, std::size_t S>
constexpr void outer_accumulate_block(T* CTNN_DETAIL_RESTRICT dw, T* CTNN_DETAIL_RESTRICT db,
                                      T const* const (&inputs)[S], T const* CTNN_DETAIL_RESTRICT delta,
                                      std::size_t count) noexcept
{
    // Rows whose sums over the samples run S rows to a vector: the bias
    // always, the weights too for a layer of one input.
    std::size_t across = 0;
#if defined(CTNN_DETAIL_HAVE_VECTOR_KERNELS) && CTNN_DETAIL_SIMD_TARGET
    if constexpr (S >= 2 && std::has_single_bit(S) && S * sizeof(T) <= CTNN_DETAIL_NATIVE_VECTOR_BYTES) {
        if (!is_constant_evaluated()) {
            constexpr std::size_t tiled = Out / S * S;
            CTNN_DETAIL_ROWS_LOOP
            for (std::size_t o = 0; o < tiled; o += S) {
                accumulate_across_rows<T, S, In == 1>(dw, db, inputs, delta, count, o);
            }
            across = tiled;
        }
    }
#endif
    for (std::size_t o = across; o < Out; ++o) {
        for (std::size_t s = 0; s < count; ++s) {
            db[o] += delta[o * S + s];
        }
    }
#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
    constexpr std::size_t lanes = update_lanes<T, In>;
    if constexpr (lanes >= 2) {
        if (!is_constant_evaluated()) {
            // Tiles of R rows by C chunks of dW in registers across the
            // samples: each input chunk loaded serves R rows. Column strips
            // outer: a strip's inputs (C chunks of every sample of the block)
            // stay in L1 while all rows pass; row pairs outer read D's 49 KB
            // of block inputs from L2 for every pair. A layer of fewer rows
            // than a tile is one tile: its rows' chains of additions side by
            // side, not one row after another (A's first layer, 3 rows:
            // A's batch training step 7-9 % faster, GCC and Clang).
            constexpr std::size_t tile_rows = std::min(std::max<std::size_t>(accumulator_registers / 4, 2), Out);
            constexpr std::size_t full = In / lanes * lanes;
            constexpr std::size_t tiled_rows = Out / tile_rows * tile_rows;
            constexpr std::size_t chunks4 = full / (4 * lanes) * (4 * lanes);
            auto const strip = [&]<std::size_t C>(std::size_t i) {
                CTNN_DETAIL_ROWS_LOOP
                for (std::size_t o = 0; o < tiled_rows; o += tile_rows) {
                    outer_tile<T, In, S, lanes, tile_rows, C>(dw, delta, inputs, count, o, i);
                }
                CTNN_DETAIL_ROWS_LOOP
                for (std::size_t o = tiled_rows; o < Out; ++o) {
                    outer_tile<T, In, S, lanes, 1, C>(dw, delta, inputs, count, o, i);
                }
            };
            for (std::size_t i = 0; i < chunks4; i += 4 * lanes) {
                strip.template operator()<4>(i);
            }
            for (std::size_t i = chunks4; i < full; i += lanes) {
                strip.template operator()<1>(i);
            }
            CTNN_DETAIL_ROWS_LOOP
            for (std::size_t o = 0; o < Out; ++o) { // inputs past the last chunk
                T* const row = dw + o * In;
                T const* const d = delta + o * S;
                for (std::size_t i = full; i < In; ++i) {
                    T acc = row[i];
                    for (std::size_t s = 0; s < count; ++s) {
                        acc += d[s] * inputs[s][i];
                    }
                    row[i] = acc;
                }
            }
            return;
        }
    }
#endif
    // Rows done across (layers of one input) have their weights' sums too.
    for (std::size_t o = In == 1 ? across : 0; o < Out; ++o) {
        T* const row = dw + o * In;
        for (std::size_t s = 0; s < count; ++s) {
            T const d = delta[o * S + s];
            T const* const x = inputs[s];
            for (std::size_t i = 0; i < In; ++i) {
                row[i] += d * x[i];
            }
        }
    }
}

// transpose<Rows, Cols, S>(source, target): target(c)[r] = source(r)[c] for
// r < Rows, c < Cols, where source(r) and target(c) give pointers to
// contiguous values. At run time S × S tiles at a time in registers (S, the
// samples of a block, is one of the two sizes), then the columns past the
// last whole tile as one vector of S values per tile of rows; element by
// element in constant evaluation and for the rows past the last tile.
// (Stored element by element, a block's narrow input, A's 2 values per
// sample, is read back by the first layer's vector loads, which wait for
// the single-value stores to reach the cache instead of being forwarded
// from them: Clang's batch inference of A took 2x GCC's time.)
template <class T, std::size_t Rows, std::size_t Cols, std::size_t S, class Source, class Target>
constexpr void transpose(Source const& source, Target const& target) noexcept
{
    std::size_t tiled_rows = 0; // rows done in vectors, every column of them
#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
    if constexpr (S >= 2 && (S & (S - 1)) == 0) {
        if (!is_constant_evaluated()) {
            using vec = vector_t<T, S>;
            constexpr std::size_t tiled_cols = Cols / S * S;
            tiled_rows = Rows / S * S;
            for (std::size_t r0 = 0; r0 < tiled_rows; r0 += S) {
                for (std::size_t c0 = 0; c0 < tiled_cols; c0 += S) {
                    vec v[S];
                    for (std::size_t k = 0; k < S; ++k) {
                        __builtin_memcpy(&v[k], source(r0 + k) + c0, sizeof(vec));
                    }
                    transpose_steps<T, S, S / 2>(v);
                    for (std::size_t k = 0; k < S; ++k) {
                        __builtin_memcpy(target(c0 + k) + r0, &v[k], sizeof(vec));
                    }
                }
                for (std::size_t c = tiled_cols; c < Cols; ++c) {
                    vec v; // built in place: a vector returned by value changes the ABI with the flags
                    [&]<std::size_t... K>(std::index_sequence<K...>) {
                        v = vec{source(r0 + K)[c]...};
                    }(std::make_index_sequence<S>{});
                    __builtin_memcpy(target(c) + r0, &v, sizeof(vec));
                }
            }
        }
    }
#endif
    for (std::size_t r = tiled_rows; r < Rows; ++r) {
        for (std::size_t c = 0; c < Cols; ++c) {
            target(c)[r] = source(r)[c];
        }
    }
}

// transpose_in<In, S>(rows, out): out[i][s] = rows[s][i], the block's
// samples (each contiguous) into unit-major order.
template <class T, std::size_t In, std::size_t S>
constexpr void transpose_in(T const* const (&rows)[S], T* CTNN_DETAIL_RESTRICT out) noexcept
{
    transpose<T, S, In, S>([&](std::size_t s) { return rows[s]; }, [&](std::size_t i) { return out + i * S; });
}

// transpose_out<In, S>(units, out): out[s][i] = units[i][s], a unit-major
// block back into one contiguous row of In values per sample.
template <class T, std::size_t In, std::size_t S>
constexpr void transpose_out(T const* CTNN_DETAIL_RESTRICT units, T* CTNN_DETAIL_RESTRICT out) noexcept
{
    transpose<T, In, S, S>([&](std::size_t i) { return units + i * S; }, [&](std::size_t s) { return out + s * In; });
}

} // namespace ctnn::detail

#endif
