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

#include <ctnn/detail/block_kernels.hpp>
#include <ctnn/network.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

namespace ctnn {

namespace detail {

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
/// time (by default one native vector's worth: 16 floats with AVX-512, 4 with
/// SSE2; the block size changes no result). Two buffers of
/// `Block` × (widest layer) values live on the stack; no heap. `constexpr`.
template <std::size_t Block = 0, network_type Net>
constexpr void predict(Net const& net, std::span<typename Net::input_type const> xs,
                       std::span<typename Net::output_type> ys) noexcept
{
    using T = typename Net::value_type;
    constexpr std::size_t S = Block == 0 ? detail::block_samples<T> : Block;
    using buffers = detail::predict_buffers<Net>;
    constexpr std::size_t in = Net::inputs;
    constexpr std::size_t out = Net::outputs;
    constexpr std::size_t result = buffers::buffer[Net::depth];

    std::array<T, buffers::units[0] * S> first{};
    std::array<T, buffers::units[1] * S> second{};
    std::size_t const n = xs.size() < ys.size() ? xs.size() : ys.size();
    for (std::size_t start = 0; start < n; start += S) {
        std::size_t const count = n - start < S ? n - start : S;
        // Transpose the block in; a short last block is padded with copies
        // of its first sample, whose results are not used.
        T const* rows[S] = {};
        for (std::size_t s = 0; s < S; ++s) {
            rows[s] = xs[start + (s < count ? s : 0)].data();
        }
        detail::transpose_in<T, in, S>(rows, first.data());
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
