#ifndef CTNN_PREDICT_HPP
#define CTNN_PREDICT_HPP

/// \file
/// `ctnn::predict`: inference of a batch, several samples at a time with the
/// samples side by side (detail/block_pass.hpp), so that the loops run across
/// samples. Each sample's sums are added in the order `net(x)` adds them: the
/// results are the ones `net(x)` gives, bit for bit, under the same
/// floating-point contraction setting.

#include <ctnn/detail/block_pass.hpp>
#include <ctnn/network.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

namespace ctnn {

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
    using store_type = detail::block_inference_store<Net, S>;
    constexpr std::size_t in = Net::inputs;
    constexpr std::size_t out = Net::outputs;

    typename store_type::first_buffer first{};
    typename store_type::second_buffer second{};
    store_type store{first.data(), second.data()};
    detail::block_pass<Net, S, store_type> pass(net, store);
    std::size_t const n = xs.size() < ys.size() ? xs.size() : ys.size();
    for (std::size_t start = 0; start < n; start += S) {
        std::size_t const count = n - start < S ? n - start : S;
        // Transpose the block in; a short last block is padded with copies
        // of its first sample, whose results are not used.
        T const* rows[S] = {};
        for (std::size_t s = 0; s < S; ++s) {
            rows[s] = xs[start + (s < count ? s : 0)].data();
        }
        detail::transpose_in<T, in, S>(rows, store.a_of(0));
        detail::forward<0>(pass);
        T const* const y = store.a_of(Net::depth);
        for (std::size_t s = 0; s < count; ++s) {
            for (std::size_t o = 0; o < out; ++o) {
                ys[start + s][o] = y[o * S + s];
            }
        }
    }
}

} // namespace ctnn

#endif
