#ifndef CTNN_DETAIL_SAMPLE_PASS_HPP
#define CTNN_DETAIL_SAMPLE_PASS_HPP

/// \file
/// One sample's way through a network: where each layer's values live (a
/// store) and what each step of the traversals in network.hpp does for one
/// sample (`sample_pass`), with the kernels of layer/dense.hpp and
/// detail/dense_kernels.hpp.
///
/// A store gives layer I's input, its z (a dense layer's pre-activation, a
/// dropout layer's mask) and its output a. What it keeps is what the pass is
/// for: inference keeps only each layer's output, computing z in place;
/// training keeps z and a of every layer for the backward pass.

#include <ctnn/detail/output_delta.hpp>
#include <ctnn/detail/update_rule.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/layer/dropout.hpp>

#include <boost/hana/at.hpp>

#include <array>
#include <cstddef>
#include <numeric>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

// layer_buffers<T, KeepZ, N...>: for layers of widths N..., each layer's
// output a and, with KeepZ, its z. Not initialised: a forward pass writes
// every element before anything reads it.
template <class T, bool KeepZ, std::size_t... N>
struct layer_buffers {};

template <class T, std::size_t N, std::size_t... Rest>
struct layer_buffers<T, false, N, Rest...> {
    alignas(buffer_alignment<T, N>) std::array<T, N> a;
    layer_buffers<T, false, Rest...> rest;
};

template <class T, std::size_t N, std::size_t... Rest>
struct layer_buffers<T, true, N, Rest...> {
    alignas(buffer_alignment<T, N>) std::array<T, N> z;
    alignas(buffer_alignment<T, N>) std::array<T, N> a;
    layer_buffers<T, true, Rest...> rest;
};

// buffers_at<I>(b): the buffers of the I-th layer of b.
template <std::size_t I, class Buffers>
[[nodiscard]] constexpr auto& buffers_at(Buffers& b) noexcept
{
    if constexpr (I == 0) {
        return b;
    } else {
        return buffers_at<I - 1>(b.rest);
    }
}

// buffers_for<Net, KeepZ, Count>: layer_buffers for Net's first Count layers.
template <class Net, bool KeepZ, std::size_t Count, class = std::make_index_sequence<Count>>
struct buffers_for;
template <class Net, bool KeepZ, std::size_t Count, std::size_t... I>
struct buffers_for<Net, KeepZ, Count, std::index_sequence<I...>> {
    using type = layer_buffers<typename Net::value_type, KeepZ, Net::widths[I + 1]...>;
};

// inference_store<Net>: inference keeps each layer's output only; the last
// layer's is the caller's. A dense layer computes its z in its output and
// applies the activation in place; a dropout layer (the identity in
// inference) fills its output with its mask of ones, then copies its input.
template <class Net>
class inference_store {
public:
    static constexpr bool keeps_z = false;

    // hidden_buffers: the outputs of every layer but the last.
    using hidden_buffers = typename buffers_for<Net, false, Net::depth - 1>::type;

    constexpr inference_store(typename Net::input_type const& x, hidden_buffers& hidden,
                              typename Net::output_type& y) noexcept
        : x_(x), hidden_(hidden), y_(y)
    {
    }

    template <std::size_t I>
    [[nodiscard]] constexpr auto const& input() noexcept
    {
        if constexpr (I == 0) {
            return x_;
        } else {
            return output<I - 1>();
        }
    }
    template <std::size_t I>
    [[nodiscard]] constexpr auto& z() noexcept
    {
        return output<I>();
    }
    template <std::size_t I>
    [[nodiscard]] constexpr auto& output() noexcept
    {
        if constexpr (I + 1 == Net::depth) {
            return y_;
        } else {
            return buffers_at<I>(hidden_).a;
        }
    }

private:
    typename Net::input_type const& x_;
    hidden_buffers& hidden_;
    typename Net::output_type& y_;
};

// step_store<Net>: a training step's store: z and a of every layer (in
// buffers the caller holds), the input read where the caller holds it.
template <class Net>
class step_store {
public:
    static constexpr bool keeps_z = true;
    using buffers = typename buffers_for<Net, true, Net::depth>::type;

    constexpr step_store(typename Net::input_type const& x, buffers& layers) noexcept : x_(x), layers_(layers) {}

    template <std::size_t I>
    [[nodiscard]] constexpr auto const& input() noexcept
    {
        if constexpr (I == 0) {
            return x_;
        } else {
            return output<I - 1>();
        }
    }
    template <std::size_t I>
    [[nodiscard]] constexpr auto& z() noexcept
    {
        return buffers_at<I>(layers_).z;
    }
    template <std::size_t I>
    [[nodiscard]] constexpr auto& output() noexcept
    {
        return buffers_at<I>(layers_).a;
    }

private:
    typename Net::input_type const& x_;
    buffers& layers_;
};

// trace_store<Trace>: a store over a `network::trace` (its a[0] is the
// input, a[I + 1] layer I's output, z[I] layer I's z); Trace may be const
// for a backward pass.
template <class Trace>
class trace_store {
public:
    static constexpr bool keeps_z = true;

    explicit constexpr trace_store(Trace& tr) noexcept : tr_(tr) {}

    template <std::size_t I>
    [[nodiscard]] constexpr auto const& input() noexcept
    {
        return boost::hana::at_c<I>(tr_.a);
    }
    template <std::size_t I>
    [[nodiscard]] constexpr auto& z() noexcept
    {
        return boost::hana::at_c<I>(tr_.z);
    }
    template <std::size_t I>
    [[nodiscard]] constexpr auto& output() noexcept
    {
        return boost::hana::at_c<I + 1>(tr_.a);
    }

private:
    Trace& tr_;
};

// widest_layer<Net>: the width of Net's widest layer after the input (the
// gradients flowing down are never those of the input itself).
template <class Net>
inline constexpr std::size_t widest_layer = [] {
    std::size_t w = 0;
    for (std::size_t l = 1; l <= Net::depth; ++l) {
        w = Net::widths[l] > w ? Net::widths[l] : w;
    }
    return w;
}();

// weight_row_alignment<Net, I>: an alignment in bytes every row of dense
// layer I's weights has: that of the network's parameters
// (parameter_alignment), as far as the layer's offset among them and the
// length of its rows keep it.
template <class Net, std::size_t I>
inline constexpr std::size_t weight_row_alignment = [] {
    using T = typename Net::value_type;
    return std::gcd(std::gcd(parameter_alignment<T, Net::parameter_count>, Net::offsets[I] * sizeof(T)),
                    Net::widths[I] * sizeof(T));
}();

// backward_buffers<Net>: dL/dz of a dense layer (delta) and the dL/da
// flowing down to the layer below (g), as wide as the widest layer. Not
// initialised: every element is written before it is read.
template <class Net>
struct backward_buffers {
    using T = typename Net::value_type;
    alignas(buffer_alignment<T, widest_layer<Net>>) std::array<T, widest_layer<Net>> delta;
    alignas(buffer_alignment<T, widest_layer<Net>>) std::array<T, widest_layer<Net>> g;
};

// sample_pass<Net, Store, Source>: the steps of the forward and backward
// traversals (network.hpp) for one sample whose layers' values live in
// Store. Dropout masks come from Source (a generator, or inference_mode).
// A pass that goes backward is given the buffers of the gradients flowing
// down. Stores and passes hold references only, the arrays being the
// caller's own variables: an object holding both is kept in memory whole,
// and its references are then read from memory at every use.
template <class Net, class Store, class Source>
class sample_pass {
public:
    using network_type = Net;
    using value_type = typename Net::value_type;

    // A forward pass only.
    constexpr sample_pass(Net const& net, Store& store, Source& source) noexcept
        : net_(net), store_(store), source_(source)
    {
    }
    // A pass forward and backward.
    constexpr sample_pass(Net const& net, Store& store, Source& source, backward_buffers<Net>& buffers) noexcept
        : net_(net), store_(store), source_(source), buffers_(&buffers)
    {
    }

    // --- forward ---------------------------------------------------------------
    // Dense layer I: z = W x + b, summed in the order of detail/dense_kernels.hpp.
    template <std::size_t I>
    constexpr void affine() noexcept
    {
        auto const w = net_.template layer<I>();
        matvec_bias<value_type, Net::widths[I], Net::widths[I + 1], weight_row_alignment<Net, I>>(
            w.weights.data(), store_.template input<I>(), w.biases.data(), store_.template z<I>());
    }
    // Dense layer I: a = f(z) (in place where the store keeps no z).
    template <std::size_t I>
    constexpr void activate() noexcept
    {
        detail::activate<activation_of<I>>(store_.template z<I>(), store_.template output<I>());
    }
    // Dropout layer I: a = x ⊙ mask, the mask drawn from the source.
    template <std::size_t I>
    constexpr void dropout() noexcept
    {
        dropout_forward<typename Net::template layer_t<I>>(store_.template input<I>(), source_,
                                                           store_.template z<I>(), store_.template output<I>());
    }

    // --- backward --------------------------------------------------------------
    // The sample's loss, and delta = dL/dz of the last layer.
    template <class Loss>
    constexpr value_type output_delta(target_t<Net, Loss> const& target) noexcept
    {
        typename Net::output_type d; // written in full by output_delta
        value_type const loss = detail::output_delta<Net, Loss>(
            store_.template output<Net::depth - 1>(), store_.template z<Net::depth - 1>(), target, d);
        set_output_delta(d);
        return loss;
    }
    // delta = a given dL/dz of the last layer.
    constexpr void set_output_delta(typename Net::output_type const& d) noexcept
    {
        for (std::size_t o = 0; o < Net::outputs; ++o) {
            buffers_->delta[o] = d[o];
        }
    }
    // Dense layer I: g = Wᵀ delta, the gradient of the layer's input.
    template <std::size_t I>
    constexpr void input_gradient() noexcept
    {
        transposed_matvec<value_type, Net::widths[I], Net::widths[I + 1], weight_row_alignment<Net, I>>(
            net_.template layer<I>().weights.data(), buffers_->delta.data(), buffers_->g.data());
    }
    // Dense layer I: delta = g ⊙ f'(z).
    template <std::size_t I>
    constexpr void slope() noexcept
    {
        activation_slopes<activation_of<I>, Net::widths[I + 1]>(
            store_.template z<I>().data(), store_.template output<I>().data(), buffers_->g.data(), buffers_->delta.data());
    }
    // Dropout layer I: g = g ⊙ mask.
    template <std::size_t I>
    constexpr void unmask() noexcept
    {
        auto const& mask = store_.template z<I>();
        for (std::size_t k = 0; k < Net::widths[I + 1]; ++k) {
            buffers_->g[k] *= mask[k];
        }
    }

    // --- what a sink does with dense layer I's gradient (δ aᵀ, δ) -------------
    // dW += δ aᵀ, db += δ.
    template <std::size_t I>
    constexpr void add_gradient(value_type* dw, value_type* db) noexcept
    {
        constexpr std::size_t in = Net::widths[I];
        constexpr std::size_t out = Net::widths[I + 1];
        rank1_add<value_type, in, out>(dw, buffers_->delta.data(), store_.template input<I>().data());
        for (std::size_t o = 0; o < out; ++o) {
            db[o] += buffers_->delta[o];
        }
    }
    // W −= rate δ aᵀ, b −= rate δ (plain gradient descent). Where the layer's
    // units are often idle (ReLU), rows with a zero step are left untouched at
    // run time (see rank1_descent).
    template <std::size_t I>
    constexpr void descend(value_type* w, value_type* b, value_type rate) noexcept
    {
        constexpr std::size_t in = Net::widths[I];
        constexpr std::size_t out = Net::widths[I + 1];
        rank1_descent<value_type, in, out, often_idle<activation_of<I>, value_type>>(
            w, buffers_->delta.data(), store_.template input<I>().data(), rate);
        detail::descend<value_type, out>(b, buffers_->delta.data(), rate);
    }
    // The optimizer's rule on W and b with their gradients δ aᵀ and δ; s
    // points at the layer's state. Plain gradient descent (SGD without weight
    // decay) as `descend` does it: rate·δ_o once per row, idle rows skipped.
    template <std::size_t I, class Rule, std::size_t K>
    constexpr void apply_rule(Rule const& rule, value_type* w, value_type* b,
                              std::array<value_type*, K> const& s) noexcept
    {
        if constexpr (requires { Rule::is_gradient_descent; }) {
            if (rule.weight_decay == value_type(0)) {
                descend<I>(w, b, rule.learning_rate);
                return;
            }
        }
        apply_rule_outer<value_type, Net::widths[I], Net::widths[I + 1]>(
            rule, w, b, buffers_->delta.data(), store_.template input<I>().data(), s);
    }

private:
    template <std::size_t I>
    using activation_of = typename Net::template layer_t<I>::activation_type;

    Net const& net_;
    Store& store_;
    Source& source_;
    backward_buffers<Net>* buffers_ = nullptr;
};

} // namespace ctnn::detail

#endif
