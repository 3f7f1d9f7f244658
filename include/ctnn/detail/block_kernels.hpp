#ifndef CTNN_DETAIL_BLOCK_KERNELS_HPP
#define CTNN_DETAIL_BLOCK_KERNELS_HPP

/// \file
/// The loops of a dense layer over a block of S samples stored side by side,
/// unit-major (`[unit][sample]`), as the block passes call them: the forward
/// pass of `ctnn::predict` and the batch gradient. Each uses the vector
/// kernels (detail/vector/block.hpp) at run time where they apply, the
/// definitions otherwise (detail/reference/block.hpp and the loops here).
/// Every result is the one the single-sample kernels give
/// (detail/dense_kernels.hpp, layer/dense.hpp) for each sample, bit for bit:
/// the innermost loops run across samples, so vectorising them reorders
/// nothing.

#include <ctnn/activation.hpp>
#include <ctnn/detail/config.hpp>
#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/detail/dense_kernels.hpp>
#include <ctnn/detail/reference/block.hpp>
#include <ctnn/detail/vector/block.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/math.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

// affine_block<In, Out, S>(w, b, x, z): z[o][s] = b[o] + Σ_i w[o][i] x[i][s].
template <class T, std::size_t In, std::size_t Out, std::size_t S>
constexpr void affine_block(T const* CTNN_DETAIL_RESTRICT w, T const* CTNN_DETAIL_RESTRICT b,
                            T const* CTNN_DETAIL_RESTRICT x, T* CTNN_DETAIL_RESTRICT z) noexcept
{
#if CTNN_DETAIL_VECTOR_KERNELS
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
#if CTNN_DETAIL_VECTOR_KERNELS && CTNN_DETAIL_SIMD_TARGET
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

// input_gradient_block<In, Out, S>(w, delta, g): g[i][s] = Σ_o w[o][i]
// delta[o][s] in transposed_matvec's order (row o into partial sum o mod P,
// the partial sums pairwise; detail/dense_kernels.hpp).
template <class T, std::size_t In, std::size_t Out, std::size_t S>
constexpr void input_gradient_block(T const* CTNN_DETAIL_RESTRICT w, T const* CTNN_DETAIL_RESTRICT delta,
                                    T* CTNN_DETAIL_RESTRICT g) noexcept
{
#if CTNN_DETAIL_VECTOR_KERNELS
    if constexpr (S >= 2 && (S & (S - 1)) == 0) {
        if (!is_constant_evaluated()) {
            constexpr std::size_t tile = input_gradient_tile_inputs;
            constexpr std::size_t blocked = In / tile * tile;
            CTNN_DETAIL_ROWS_LOOP
            for (std::size_t i = 0; i < blocked; i += tile) {
                input_gradient_tile<T, In, Out, S, tile>(w, delta, g, i);
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
#if CTNN_DETAIL_VECTOR_KERNELS && CTNN_DETAIL_SIMD_TARGET
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
#if CTNN_DETAIL_VECTOR_KERNELS
    constexpr std::size_t lanes = update_lanes<T, In>;
    if constexpr (lanes >= 2) {
        if (!is_constant_evaluated()) {
            // Tiles of R rows by C chunks of dW in registers across the
            // samples: each input chunk loaded serves R rows. Column strips
            // outer: a strip's inputs (C chunks of every sample of the block)
            // are read by all rows while they are in the L1 cache; with the
            // rows outer, every tile of rows would read all of the block's
            // inputs, which for a wide layer do not fit in L1. A layer of
            // fewer rows than a tile is one tile: its rows' chains of
            // additions side by side, not one row after another.
            constexpr std::size_t chunks = outer_tile_chunks;
            constexpr std::size_t tile_rows = std::min(std::max<std::size_t>(accumulator_registers / chunks, 2), Out);
            constexpr std::size_t full = In / lanes * lanes;
            constexpr std::size_t tiled_rows = Out / tile_rows * tile_rows;
            constexpr std::size_t strips = full / (chunks * lanes) * (chunks * lanes);
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
            for (std::size_t i = 0; i < strips; i += chunks * lanes) {
                strip.template operator()<chunks>(i);
            }
            for (std::size_t i = strips; i < full; i += lanes) {
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
// (Stored element by element, a block's narrow input, a few values per
// sample, is read back by the first layer's vector loads, which wait for
// the single-value stores to reach the cache instead of being forwarded
// from them.)
template <class T, std::size_t Rows, std::size_t Cols, std::size_t S, class Source, class Target>
constexpr void transpose(Source const& source, Target const& target) noexcept
{
    std::size_t tiled_rows = 0; // rows done in vectors, every column of them
#if CTNN_DETAIL_VECTOR_KERNELS
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