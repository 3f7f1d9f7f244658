#ifndef CTNN_DETAIL_BATCH_BACKPROP_HPP
#define CTNN_DETAIL_BATCH_BACKPROP_HPP

/// \file
/// Backpropagation over a batch, a block of S samples at a time with the
/// samples side by side (the kernels of detail/block_kernels.hpp). It adds the
/// same gradients and losses as accumulating the samples one by one with
/// `accumulate_gradient`, bit for bit: dropout masks are drawn in the same
/// order (sample after sample, layer after layer, unit after unit), every sum
/// keeps its order, and the samples' losses reach the caller one by one in
/// order. Run time only: in constant evaluation the callers loop over the
/// samples, which computes the same thing without whole blocks.

#include <ctnn/detail/block_kernels.hpp>
#include <ctnn/detail/output_delta.hpp>
#include <ctnn/layer/dropout.hpp>
#include <ctnn/network.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

// block_state<Net, S>: what backpropagation over a block keeps, unit-major
// ([unit][sample]): every layer's output a (a[0], the inputs) and every
// layer's z (a dense layer's pre-activation, a dropout layer's mask), at
// compile-time offsets in two flat arrays, and the buffers of the gradient
// flowing down.
template <class Net, std::size_t S>
struct block_state {
    using T = typename Net::value_type;
    static constexpr std::size_t depth = Net::depth;
    static constexpr std::array<std::size_t, depth + 2> a_offset = [] {
        std::array<std::size_t, depth + 2> o{};
        for (std::size_t l = 0; l <= depth; ++l) {
            o[l + 1] = o[l] + Net::widths[l] * S;
        }
        return o;
    }();
    // The widest layer after the input: the gradients flowing down are never
    // those of the input itself.
    static constexpr std::size_t widest = [] {
        std::size_t w = 0;
        for (std::size_t l = 1; l <= depth; ++l) {
            w = Net::widths[l] > w ? Net::widths[l] : w;
        }
        return w;
    }();
    // Not initialised: every element is written before it is read, and
    // clearing them would cost as much as a small network's whole step.
    std::array<T, a_offset[depth + 1]> a;
    std::array<T, a_offset[depth + 1] - a_offset[1]> z; // layer l's at a_offset[l + 1] − a_offset[1]
    std::array<T, widest * S> g;
    std::array<T, widest * S> delta;
    std::array<T, widest * S> input_rows; // a hidden layer's output, sample-major
    T const* inputs[S];                   // the samples themselves
    std::size_t count;                    // samples in this block (the rest is padding)

    [[nodiscard]] T* a_of(std::size_t layer) noexcept { return a.data() + a_offset[layer]; }
    [[nodiscard]] T* z_of(std::size_t layer) noexcept { return z.data() + (a_offset[layer + 1] - a_offset[1]); }
};

template <std::size_t I, std::size_t S, class Net>
[[gnu::always_inline]] inline void block_propagate(Net const& net, block_state<Net, S>& st,
                                                   typename Net::gradient_type& grad) noexcept;

// block_backward<I>: layer I is dense and st.delta holds its dL/dz; adds its
// parameter gradients for the block's samples and carries the gradient down.
template <std::size_t I, std::size_t S, class Net>
void block_backward(Net const& net, block_state<Net, S>& st, typename Net::gradient_type& grad) noexcept
{
    using T = typename Net::value_type;
    constexpr std::size_t in = Net::widths[I];
    constexpr std::size_t out = Net::widths[I + 1];
    // The layer's input, sample-major: the samples themselves for layer 0.
    T const* rows[S] = {};
    if constexpr (I == 0) {
        for (std::size_t s = 0; s < S; ++s) {
            rows[s] = st.inputs[s];
        }
    } else {
        transpose_out<T, in, S>(st.a_of(I), st.input_rows.data());
        for (std::size_t s = 0; s < S; ++s) {
            rows[s] = st.input_rows.data() + s * in;
        }
    }
    auto g = grad.template layer<I>();
    outer_accumulate_block<T, in, out, S>(g.weights.data(), g.biases.data(), rows, st.delta.data(), st.count);
    if constexpr (I > 0) {
        auto const w = net.template layer<I>();
        input_gradient_block<T, in, out, S>(w.weights.data(), st.delta.data(), st.g.data());
        block_propagate<I - 1, S>(net, st, grad);
    }
}

// block_propagate<I>: st.g holds dL/da of layer I's output; through dropout
// layers (× mask) down to a dense layer's delta. Always inlined into the
// layer above: Clang kept it out of line, and C's batch training step took
// 1.11-1.17x as long (GCC inlined it already; its times are unchanged).
template <std::size_t I, std::size_t S, class Net>
[[gnu::always_inline]] inline void block_propagate(Net const& net, block_state<Net, S>& st,
                                                   typename Net::gradient_type& grad) noexcept
{
    constexpr std::size_t width = Net::widths[I + 1];
    if constexpr (Net::is_dense[I]) {
        // unit by unit and sample by sample (no softmax: only an output layer has it)
        activation_slopes<typename Net::template layer_t<I>::activation_type, width * S>(
            st.z_of(I), st.a_of(I + 1), st.g.data(), st.delta.data());
        block_backward<I, S>(net, st, grad);
    } else if constexpr (I > 0) {
        typename Net::value_type const* const mask = st.z_of(I);
        for (std::size_t k = 0; k < width * S; ++k) {
            st.g[k] *= mask[k]; // dropout_backward
        }
        block_propagate<I - 1, S>(net, st, grad);
    }
}

// draw_masks(st, source): every dropout layer's mask for the block's samples,
// drawn sample after sample, layer after layer, unit after unit (the order
// of one forward pass after another); all 1 in inference mode.
template <std::size_t S, class Net, class Source>
void draw_masks(block_state<Net, S>& st, Source& source) noexcept
{
    using T = typename Net::value_type;
    constexpr bool training = !std::is_same_v<Source, inference_mode>;
    auto const for_each_dropout = [&](auto&& f) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (
                [&] {
                    if constexpr (!Net::is_dense[I]) {
                        f.template operator()<I>();
                    }
                }(),
                ...);
        }(std::make_index_sequence<Net::depth>{});
    };
    for (std::size_t s = 0; s < S; ++s) {
        for_each_dropout([&]<std::size_t I>() {
            using layer = typename Net::template layer_t<I>;
            T* const mask = st.z_of(I);
            for (std::size_t u = 0; u < Net::widths[I + 1]; ++u) {
                T m = T(1);
                if constexpr (training) {
                    if (s < st.count) {
                        auto const draw = static_cast<std::uint32_t>(source());
                        m = draw < layer::drop_threshold ? T(0) : layer::template keep_scale<T>;
                    }
                }
                mask[u * S + s] = m;
            }
        });
    }
}

// block_forward(net, st): every layer's z and a for the block (st.a_of(0)
// holds the inputs, st.z_of of each dropout layer its mask).
template <std::size_t S, class Net>
void block_forward(Net const& net, block_state<Net, S>& st) noexcept
{
    using T = typename Net::value_type;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                constexpr std::size_t in = Net::widths[I];
                constexpr std::size_t out = Net::widths[I + 1];
                T const* const below = st.a_of(I);
                T* const above = st.a_of(I + 1);
                T* const z = st.z_of(I);
                if constexpr (Net::is_dense[I]) {
                    auto const layer = net.template layer<I>();
                    affine_block<T, in, out, S>(layer.weights.data(), layer.biases.data(), below, z);
                    for (std::size_t k = 0; k < out * S; ++k) {
                        above[k] = z[k];
                    }
                    activate_block<typename Net::template layer_t<I>::activation_type, T, out, S>(above);
                } else {
                    for (std::size_t k = 0; k < out * S; ++k) {
                        above[k] = below[k] * z[k]; // dropout_forward
                    }
                }
            }(),
            ...);
    }(std::make_index_sequence<Net::depth>{});
}

// accumulate_batch<S, Net, Loss>(net, xs, ts, n, index, source, grad,
// observe): for k < n, sample index(k) of (xs, ts): adds its gradient into
// grad, calls observe(index(k), loss, output) in order of k, and returns the
// sum of the losses (added in order of k). Dropout masks come from `source`
// (a generator, or inference_mode).
template <std::size_t S, class Net, class Loss, class Index, class Source, class Observe>
typename Net::value_type accumulate_batch(Net const& net, std::span<typename Net::input_type const> xs,
                                          std::span<target_t<Net, Loss> const> ts, std::size_t n, Index const& index,
                                          Source& source, typename Net::gradient_type& grad,
                                          Observe&& observe) noexcept
{
    static_assert(loss_fits_network<Net, Loss>());
    using T = typename Net::value_type;
    using output_type = typename Net::output_type;
    constexpr std::size_t depth = Net::depth;
    constexpr std::size_t outputs = Net::outputs;
    block_state<Net, S> st; // left uninitialised, see block_state
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
        block_forward<S>(net, st);
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
        block_backward<depth - 1, S>(net, st, grad);
    }
    return total;
}

} // namespace ctnn::detail

#endif
