#ifndef CTNN_DETAIL_BATCH_HPP
#define CTNN_DETAIL_BATCH_HPP

/// \file
/// Backpropagation over a batch: a block of S samples at a time, side by side
/// (detail/block_pass.hpp), through the traversals of network.hpp. It gives
/// the losses and gradients of backpropagating the samples one by one, bit
/// for bit: dropout masks are drawn in the same order (sample after sample,
/// layer after layer, unit after unit), every sum keeps its order, and the
/// samples' losses reach the caller one by one in order. Run time only: in
/// constant evaluation the callers loop over the samples, which computes the
/// same thing without whole blocks.

#include <ctnn/detail/block_pass.hpp>
#include <ctnn/detail/output_delta.hpp>
#include <ctnn/network.hpp>

#include <cstddef>
#include <span>

namespace ctnn::detail {

// backpropagate_batch<S, Loss>(net, xs, ts, n, index, source, observe, sink,
// last_sink): for k < n, sample index(k) of (xs, ts): its forward pass, its
// loss (observe(index(k), loss, output) is called in order of k) and its
// backward pass, whose gradients go to `sink`, or to `last_sink` for the
// last block. Returns the sum of the losses, added in order of k. Dropout
// masks come from `source` (a generator, or inference_mode).
template <std::size_t S, class Loss, class Net, class Index, class Source, class Observe, class Sink, class LastSink>
typename Net::value_type backpropagate_batch(Net const& net, std::span<typename Net::input_type const> xs,
                                             std::span<target_t<Net, Loss> const> ts, std::size_t n,
                                             Index const& index, Source& source, Observe&& observe, Sink& sink,
                                             LastSink& last_sink) noexcept
{
    static_assert(loss_fits_network<Net, Loss>());
    using T = typename Net::value_type;
    using output_type = typename Net::output_type;
    constexpr std::size_t depth = Net::depth;
    constexpr std::size_t outputs = Net::outputs;
    block_training_store<Net, S> st; // left uninitialised, see block_training_store
    block_pass<Net, S, block_training_store<Net, S>> pass(net, st);
    T total = T(0);
    std::size_t sample[S] = {};
    for (std::size_t start = 0; start < n; start += S) {
        st.count = n - start < S ? n - start : S;
        for (std::size_t s = 0; s < S; ++s) {
            sample[s] = index(start + (s < st.count ? s : 0)); // padding repeats a sample, unused
            st.inputs[s] = xs[sample[s]].data();
        }
        transpose_in<T, Net::inputs, S>(st.inputs, st.a_of(0));
        draw_masks<S>(st, source);
        forward<0>(pass);
        // The loss and dL/dz of the output layer, sample by sample.
        T const* const y = st.a_of(depth);
        T const* const z = st.z_of(depth - 1);
        for (std::size_t s = 0; s < S; ++s) {
            output_type delta{};
            if (s < st.count) {
                output_type ys{};
                output_type zs{};
                for (std::size_t o = 0; o < outputs; ++o) {
                    ys[o] = y[o * S + s];
                    zs[o] = z[o * S + s];
                }
                T const loss = output_delta<Net, Loss>(ys, zs, ts[sample[s]], delta);
                total += loss;
                observe(sample[s], loss, ys);
            }
            for (std::size_t o = 0; o < outputs; ++o) {
                st.delta[o * S + s] = delta[o];
            }
        }
        if (start + S < n) {
            backward<depth - 1>(pass, sink);
        } else {
            backward<depth - 1>(pass, last_sink);
        }
    }
    return total;
}

} // namespace ctnn::detail

#endif
