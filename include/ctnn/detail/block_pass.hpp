#ifndef CTNN_DETAIL_BLOCK_PASS_HPP
#define CTNN_DETAIL_BLOCK_PASS_HPP

/// \file
/// A block of S samples' way through a network: where each layer's values
/// live (a block store, unit-major: `[unit][sample]`) and what each step of
/// the traversals in network.hpp does for the block (`block_pass`), with the
/// kernels of detail/block_kernels.hpp.
///
/// For one sample a dense layer is a matrix-vector product whose rows are
/// short sums: they vectorise only along a row, and each weight is loaded for
/// one multiplication. With the samples side by side every weight is loaded
/// once for S multiplications, and every innermost loop runs over the S
/// samples, independent lanes that vectorise without reassociating anything:
/// each sample gets the values a sample pass gives it, bit for bit (the same
/// sums in the same order, dropout masks drawn in the same order).

#include <ctnn/detail/block_kernels.hpp>
#include <ctnn/detail/output_delta.hpp>
#include <ctnn/detail/sample_pass.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/layer/dropout.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

// block_training_store<Net, S>: what backpropagation over a block keeps:
// every layer's output a (a[0], the inputs) and every layer's z (a dense
// layer's pre-activation, a dropout layer's mask) at compile-time offsets in
// two flat arrays, the buffers of the gradient flowing down, and the block's
// samples. Not initialised: every element is written before it is read, and
// clearing them would write the whole store once more for every block, as
// many stores again as the passes make.
template <class Net, std::size_t S>
struct block_training_store {
    using T = typename Net::value_type;
    static constexpr bool keeps_z = true;
    static constexpr std::size_t depth = Net::depth;
    static constexpr std::array<std::size_t, depth + 2> a_offset = [] {
        std::array<std::size_t, depth + 2> o{};
        for (std::size_t l = 0; l <= depth; ++l) {
            o[l + 1] = o[l] + Net::widths[l] * S;
        }
        return o;
    }();
    static constexpr std::size_t widest = widest_layer<Net>;

    std::array<T, a_offset[depth + 1]> a;
    std::array<T, a_offset[depth + 1] - a_offset[1]> z; // layer l's at a_offset[l + 1] − a_offset[1]
    std::array<T, widest * S> g;                       // dL/da flowing down
    std::array<T, widest * S> delta;                   // dL/dz of a dense layer
    std::array<T, widest * S> input_rows;              // a hidden layer's output, sample-major
    T const* inputs[S];                                // the samples themselves
    std::size_t count;                                 // samples in this block (the rest is padding)

    [[nodiscard]] T* a_of(std::size_t layer) noexcept { return a.data() + a_offset[layer]; }
    [[nodiscard]] T* z_of(std::size_t layer) noexcept { return z.data() + (a_offset[layer + 1] - a_offset[1]); }
};

// block_inference_store<Net, S>: inference keeps each layer's output only,
// in two buffers: the inputs in the first, each dense layer's output in the
// other buffer than its input (its z computed there and activated in place),
// a dropout layer (the identity in inference) leaving the block where it is.
template <class Net, std::size_t S>
struct block_inference_store {
    using T = typename Net::value_type;
    static constexpr bool keeps_z = false;
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

    // The two buffers are the caller's arrays (first_buffer, second_buffer):
    // a store holding them as members lets writes through one be taken for
    // possible writes to the other, so a block's inputs were reloaded from
    // memory for every row of the next layer.
    using first_buffer = std::array<T, units[0] * S>;
    using second_buffer = std::array<T, units[1] * S>;

    T* first;
    T* second;

    [[nodiscard]] constexpr T* a_of(std::size_t layer) noexcept
    {
        return buffer[layer] == 0 ? first : second;
    }
    [[nodiscard]] constexpr T* z_of(std::size_t layer) noexcept { return a_of(layer + 1); }
};

// block_pass<Net, S, Store>: the steps of the forward and backward traversals
// (network.hpp) for a block of S samples whose layers' values live in Store.
// Dropout masks are drawn for the whole block before the forward pass
// (draw_masks), in the order a sample pass draws them.
template <class Net, std::size_t S, class Store>
class block_pass {
public:
    using network_type = Net;
    using value_type = typename Net::value_type;

    constexpr block_pass(Net const& net, Store& store) noexcept : net_(net), st_(store) {}

    // --- forward ---------------------------------------------------------------
    template <std::size_t I>
    constexpr void affine() noexcept
    {
        auto const w = net_.template layer<I>();
        affine_block<value_type, Net::widths[I], Net::widths[I + 1], S>(w.weights.data(), w.biases.data(),
                                                                          st_.a_of(I), st_.z_of(I));
    }
    template <std::size_t I>
    constexpr void activate() noexcept
    {
        constexpr std::size_t out = Net::widths[I + 1];
        value_type* const a = st_.a_of(I + 1);
        if constexpr (Store::keeps_z) {
            value_type const* const z = st_.z_of(I);
            for (std::size_t k = 0; k < out * S; ++k) {
                a[k] = z[k];
            }
        }
        activate_block<activation_of<I>, value_type, out, S>(a);
    }
    template <std::size_t I>
    constexpr void dropout() noexcept
    {
        if constexpr (Store::keeps_z) {
            value_type const* const below = st_.a_of(I);
            value_type const* const mask = st_.z_of(I);
            value_type* const above = st_.a_of(I + 1);
            for (std::size_t k = 0; k < Net::widths[I + 1] * S; ++k) {
                above[k] = below[k] * mask[k];
            }
        }
    }

    // --- backward --------------------------------------------------------------
    template <std::size_t I>
    constexpr void input_gradient() noexcept
    {
        input_gradient_block<value_type, Net::widths[I], Net::widths[I + 1], S>(
            net_.template layer<I>().weights.data(), st_.delta.data(), st_.g.data());
    }
    // (No softmax: only the output layer has it, and output_delta covers it.)
    template <std::size_t I>
    constexpr void slope() noexcept
    {
        activation_slopes<activation_of<I>, Net::widths[I + 1] * S>(st_.z_of(I), st_.a_of(I + 1), st_.g.data(),
                                                                   st_.delta.data());
    }
    template <std::size_t I>
    constexpr void unmask() noexcept
    {
        value_type const* const mask = st_.z_of(I);
        for (std::size_t k = 0; k < Net::widths[I + 1] * S; ++k) {
            st_.g[k] *= mask[k];
        }
    }

    // --- what a sink does with dense layer I's gradient: dW += Σ δ aᵀ, db += Σ δ
    // over the block's samples, in sample order.
    template <std::size_t I>
    constexpr void add_gradient(value_type* dw, value_type* db) noexcept
    {
        constexpr std::size_t in = Net::widths[I];
        // The layer's input, sample-major: the samples themselves for layer 0.
        value_type const* rows[S] = {};
        if constexpr (I == 0) {
            for (std::size_t s = 0; s < S; ++s) {
                rows[s] = st_.inputs[s];
            }
        } else {
            transpose_out<value_type, in, S>(st_.a_of(I), st_.input_rows.data());
            for (std::size_t s = 0; s < S; ++s) {
                rows[s] = st_.input_rows.data() + s * in;
            }
        }
        outer_accumulate_block<value_type, in, Net::widths[I + 1], S>(dw, db, rows, st_.delta.data(), st_.count);
    }

private:
    template <std::size_t I>
    using activation_of = typename Net::template layer_t<I>::activation_type;

    Net const& net_;
    Store& st_;
};

// draw_masks(st, source): every dropout layer's mask for the block's samples,
// drawn sample after sample, layer after layer, unit after unit (the order
// of one sample pass after another); all 1 in inference mode.
template <std::size_t S, class Net, class Source>
void draw_masks(block_training_store<Net, S>& st, Source& source) noexcept
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

} // namespace ctnn::detail

#endif
