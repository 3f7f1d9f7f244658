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
#include <ctnn/math.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

/// Samples per block by default: one 64-byte vector of T.
template <class T>
inline constexpr std::size_t default_predict_block = 64 / sizeof(T);

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
// reduce_lanes<T, S, Lanes>(acc): acc[l] += acc[l + h] for l < h, h = Lanes/2,
// Lanes/4, ..., 1: the pairwise order, every index a constant.
template <class T, std::size_t S, std::size_t Half, std::size_t N, std::size_t... L>
[[gnu::always_inline]] inline void add_upper_half(vector_t<T, S> (&acc)[N], std::index_sequence<L...>) noexcept
{
    ((acc[L] += acc[L + Half]), ...);
}
template <class T, std::size_t S, std::size_t Lanes, std::size_t N>
[[gnu::always_inline]] inline void reduce_lanes(vector_t<T, S> (&acc)[N]) noexcept
{
    if constexpr (Lanes > 1) {
        add_upper_half<T, S, Lanes / 2>(acc, std::make_index_sequence<Lanes / 2>{});
        reduce_lanes<T, S, Lanes / 2>(acc);
    }
}

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
            CTNN_DETAIL_ROWS_LOOP
            for (std::size_t o = 0; o < Out; ++o) {
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
// over the units of each sample, in unit order, as dense_forward does).
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
        for (std::size_t k = 0; k < Out * S; ++k) { // branch-free, as in dense_forward
            v[k] = select(v[k] > T(0), v[k], T(0) * v[k]);
        }
    } else if constexpr (!std::is_same_v<Act, identity>) {
        for (std::size_t k = 0; k < Out * S; ++k) {
            v[k] = Act::value(v[k]);
        }
    }
}

// activation_delta_block<Act, N, S>(z, a, g, delta): delta = g ⊙ Act'(z),
// unit by unit and sample by sample (activation_delta's expression; not
// for softmax, which only an output layer has).
template <class Act, class T, std::size_t N, std::size_t S>
constexpr void activation_delta_block(T const* CTNN_DETAIL_RESTRICT z, T const* CTNN_DETAIL_RESTRICT a,
                                      T const* CTNN_DETAIL_RESTRICT g, T* CTNN_DETAIL_RESTRICT delta) noexcept
{
    for (std::size_t k = 0; k < N * S; ++k) {
        delta[k] = g[k] * Act::slope(z[k], a[k]);
    }
}

// input_gradient_block<In, Out, S>(w, delta, g): g[i][s] = Σ_o w[o][i]
// delta[o][s], summed over o in order from 0 (transposed_matvec's order).
template <class T, std::size_t In, std::size_t Out, std::size_t S>
constexpr void input_gradient_block(T const* CTNN_DETAIL_RESTRICT w, T const* CTNN_DETAIL_RESTRICT delta,
                                    T* CTNN_DETAIL_RESTRICT g) noexcept
{
#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
    if constexpr (S >= 2 && (S & (S - 1)) == 0) {
        if (!is_constant_evaluated()) {
            // Four inputs at a time, their S-sample sums in registers across
            // the whole loop over o.
            using vec = vector_t<T, S>;
            constexpr std::size_t blocked = In / 4 * 4;
            // (Vectors by reference only: by value their calling convention
            // depends on the target flags, -Wpsabi.)
            auto const load = [&](std::size_t o, vec& v) { __builtin_memcpy(&v, delta + o * S, sizeof v); };
            CTNN_DETAIL_ROWS_LOOP
            for (std::size_t i = 0; i < blocked; i += 4) {
                vec g0 = {}, g1 = {}, g2 = {}, g3 = {};
                for (std::size_t o = 0; o < Out; ++o) {
                    vec d;
                    load(o, d);
                    T const* const wo = w + o * In + i;
                    g0 += wo[0] * d;
                    g1 += wo[1] * d;
                    g2 += wo[2] * d;
                    g3 += wo[3] * d;
                }
                __builtin_memcpy(g + i * S, &g0, sizeof g0);
                __builtin_memcpy(g + (i + 1) * S, &g1, sizeof g1);
                __builtin_memcpy(g + (i + 2) * S, &g2, sizeof g2);
                __builtin_memcpy(g + (i + 3) * S, &g3, sizeof g3);
            }
            for (std::size_t i = blocked; i < In; ++i) {
                vec gi = {};
                for (std::size_t o = 0; o < Out; ++o) {
                    vec d;
                    load(o, d);
                    gi += w[o * In + i] * d;
                }
                __builtin_memcpy(g + i * S, &gi, sizeof gi);
            }
            return;
        }
    }
#endif
    for (std::size_t k = 0; k < In * S; ++k) {
        g[k] = T(0);
    }
    for (std::size_t o = 0; o < Out; ++o) {
        T const* const d = delta + o * S;
        for (std::size_t i = 0; i < In; ++i) {
            T const wi = w[o * In + i];
            T* const gi = g + i * S;
            for (std::size_t s = 0; s < S; ++s) {
                gi[s] += wi * d[s];
            }
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
    for (std::size_t o = 0; o < Out; ++o) {
        for (std::size_t s = 0; s < count; ++s) {
            db[o] += delta[o * S + s];
        }
    }
#ifdef CTNN_DETAIL_HAVE_VECTOR_KERNELS
    constexpr std::size_t lanes = dot_lanes<T, In>;
    if constexpr (lanes >= 2) {
        if (!is_constant_evaluated()) {
            // A chunk of a row of dW in a register across the samples.
            using vec = vector_t<T, lanes>;
            constexpr std::size_t full = In / lanes * lanes;
            CTNN_DETAIL_ROWS_LOOP
            for (std::size_t o = 0; o < Out; ++o) {
                T* const row = dw + o * In;
                T const* const d = delta + o * S;
                for (std::size_t i = 0; i < full; i += lanes) {
                    vec acc;
                    __builtin_memcpy(&acc, row + i, sizeof acc);
                    for (std::size_t s = 0; s < count; ++s) {
                        vec x;
                        __builtin_memcpy(&x, inputs[s] + i, sizeof x);
                        acc += d[s] * x;
                    }
                    __builtin_memcpy(row + i, &acc, sizeof acc);
                }
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
    for (std::size_t o = 0; o < Out; ++o) {
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

} // namespace ctnn::detail

#endif
