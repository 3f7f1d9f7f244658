#ifndef CTNN_PREDICT_HPP
#define CTNN_PREDICT_HPP

/// \file
/// `ctnn::predict`: inference of a batch, several samples at a time with the
/// samples side by side, so that the loops run across samples.
///
/// For one sample, a dense layer is a matrix-vector product whose rows are
/// short sums: they vectorise only along a row, and each weight is loaded for
/// one multiplication. With a block of S samples stored transposed (unit-major,
/// `[unit][sample]`), every weight is loaded once for S multiplications and
/// every loop's innermost level runs over the S samples, independent lanes
/// that any compiler vectorises without reassociating anything. Each sample's
/// sums are still added in the order of `detail::dot_row_scalar` (lane i mod L
/// of L partial sums, then pairwise): the results are the ones `net(x)` gives,
/// bit for bit, under the same floating-point contraction setting.

#include <ctnn/activation.hpp>
#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/detail/dense_kernels.hpp>
#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

namespace ctnn {

namespace detail {

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

// Where each layer's block lives: the input in buffer 0, each dense layer's
// output in the other buffer than its input; dropout layers (the identity
// in inference) leave the block where it is.
template <class Net>
struct predict_buffers {
    static constexpr std::array<std::size_t, Net::depth + 1> buffer = [] {
        std::array<std::size_t, Net::depth + 1> b{};
        for (std::size_t i = 0; i < Net::depth; ++i) {
            b[i + 1] = Net::is_dense[i] ? 1 - b[i] : b[i];
        }
        return b;
    }();
    // Units per sample each buffer must hold.
    static constexpr std::array<std::size_t, 2> units = [] {
        std::array<std::size_t, 2> u{};
        for (std::size_t i = 0; i <= Net::depth; ++i) {
            u[buffer[i]] = Net::widths[i] > u[buffer[i]] ? Net::widths[i] : u[buffer[i]];
        }
        return u;
    }();
};

template <std::size_t I, std::size_t S, class Net, class T>
constexpr void predict_layers(Net const& net, T* first, T* second) noexcept
{
    using buffers = predict_buffers<Net>;
    if constexpr (Net::is_dense[I]) {
        constexpr std::size_t in = Net::widths[I];
        constexpr std::size_t out = Net::widths[I + 1];
        T* const from = buffers::buffer[I] == 0 ? first : second;
        T* const to = buffers::buffer[I + 1] == 0 ? first : second;
        auto const layer = net.template layer<I>();
        affine_block<T, in, out, S>(layer.weights.data(), layer.biases.data(), from, to);
        activate_block<typename Net::template layer_t<I>::activation_type, T, out, S>(to);
    }
    if constexpr (I + 1 < Net::depth) {
        predict_layers<I + 1, S>(net, first, second);
    }
}

} // namespace detail

/// Inference of a batch: `ys[k] = net(xs[k])` for k below the shorter span's
/// length, bit for bit (dropout layers in inference mode), `Block` samples at a
/// time (by default 64 bytes' worth: 16 floats, 8 doubles). Two buffers of
/// `Block` × (widest layer) values live on the stack; no heap. `constexpr`.
template <std::size_t Block = 0, network_type Net>
constexpr void predict(Net const& net, std::span<typename Net::input_type const> xs,
                       std::span<typename Net::output_type> ys) noexcept
{
    using T = typename Net::value_type;
    constexpr std::size_t S = Block == 0 ? detail::default_predict_block<T> : Block;
    using buffers = detail::predict_buffers<Net>;
    constexpr std::size_t in = Net::inputs;
    constexpr std::size_t out = Net::outputs;
    constexpr std::size_t result = buffers::buffer[Net::depth];

    std::array<T, buffers::units[0] * S> first{};
    std::array<T, buffers::units[1] * S> second{};
    std::size_t const n = xs.size() < ys.size() ? xs.size() : ys.size();
    for (std::size_t start = 0; start < n; start += S) {
        std::size_t const count = n - start < S ? n - start : S;
        // Transpose the block in; a short last block is padded with zeros.
        for (std::size_t s = 0; s < count; ++s) {
            auto const& x = xs[start + s];
            for (std::size_t i = 0; i < in; ++i) {
                first[i * S + s] = x[i];
            }
        }
        for (std::size_t s = count; s < S; ++s) {
            for (std::size_t i = 0; i < in; ++i) {
                first[i * S + s] = T(0);
            }
        }
        detail::predict_layers<0, S>(net, first.data(), second.data());
        T const* const y = result == 0 ? first.data() : second.data();
        for (std::size_t s = 0; s < count; ++s) {
            for (std::size_t o = 0; o < out; ++o) {
                ys[start + s][o] = y[o * S + s];
            }
        }
    }
}

} // namespace ctnn

#endif
