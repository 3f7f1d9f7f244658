#ifndef CTNN_NETWORK_HPP
#define CTNN_NETWORK_HPP

/// \file
/// `ctnn::network`: a type-level list of layers over one contiguous parameter
/// array, with inference, a traced forward pass and backpropagation, all
/// `constexpr`, unrolled over the layers at compile time.

#include <ctnn/activation.hpp>
#include <ctnn/detail/braced_arguments.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/layer/dropout.hpp>
#include <ctnn/random.hpp>

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn {

namespace detail {

// layer_check<Index, Layer, IsLast>: the diagnostics for one layer. A failing
// static_assert here names the layer's position and type in the
// "required from" line the compiler prints above the message.
template <std::size_t Index, class Layer, bool IsLast>
struct layer_check {
    static_assert(is_dense_v<Layer> || is_dropout_v<Layer>,
                  "ctnn::network: every layer after the input must be ctnn::dense<N, Activation> or "
                  "ctnn::dropout<Rate>");
    static constexpr bool value = [] {
        if constexpr (is_dense_v<Layer>) {
            using act = typename Layer::activation_type;
            static_assert(Layer::size > 0, "ctnn::network: a dense layer needs at least one unit (dense<0, ...>)");
            static_assert(is_activation_v<act> || std::is_same_v<act, softmax>,
                          "ctnn::dense<N, Act>: Act must be a ctnn::activation<expression> or ctnn::softmax");
            if constexpr (is_activation_v<act>) {
                static_cast<void>(act::valid); // runs the activation's own diagnostics
            }
            static_assert(IsLast || !std::is_same_v<act, softmax>,
                          "ctnn::network: softmax is allowed only as the activation of the last layer");
        } else if constexpr (is_dropout_v<Layer>) {
            using rate = detail::drop_rate_t<Layer>;
            static_assert(detail::is_ratio_v<rate>,
                          "ctnn::dropout<Rate>: Rate is the drop probability as a std::ratio, e.g. "
                          "ctnn::dropout<std::ratio<1, 5>> drops 20% of the units");
            static_assert(!detail::is_ratio_v<rate> || detail::valid_drop_rate<rate>(),
                          "ctnn::dropout<Rate>: the drop probability Rate must be at least 0 and below 1");
            static_assert(!IsLast, "ctnn::network: dropout cannot be the last layer (it would drop outputs); "
                                   "put it between dense layers");
        }
        return true;
    }();
};

// layer_width<L>(previous): the width of layer L after a layer of width
// `previous` (1 for what is not a layer, which layer_check reports).
template <class L>
constexpr std::size_t layer_width(std::size_t previous) noexcept
{
    if constexpr (is_dropout_v<L>) {
        return previous;
    } else if constexpr (is_dense_v<L>) {
        return L::size;
    } else {
        return 1;
    }
}

// output_activation_of<L>: the activation of a dense last layer (identity
// for anything else, which layer_check reports).
template <class L>
struct output_activation_of {
    using type = identity;
};
template <std::size_t N, class Act>
struct output_activation_of<dense<N, Act>> {
    using type = Act;
};

// last_of<Layers...>::type: the last type of the pack (void for an empty
// pack, which network_check reports).
template <class... Layers>
struct last_of {
    using type = void;
};
template <class Last>
struct last_of<Last> {
    using type = Last;
};
template <class First, class Second, class... Rest>
struct last_of<First, Second, Rest...> : last_of<Second, Rest...> {};

template <class T, class Input, class... Layers>
consteval bool network_check()
{
    static_assert(std::is_floating_point_v<T>, "ctnn::network<T, ...>: T must be float or double");
    static_assert(is_input_v<Input>, "ctnn::network<T, input<N>, Layers...>: the first layer must be ctnn::input<N>");
    static_assert(sizeof...(Layers) > 0, "ctnn::network: a network needs at least one dense layer after its input");
    if constexpr (is_input_v<Input>) {
        static_assert(Input::size > 0, "ctnn::network: the input needs at least one value (input<0>)");
    }
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return (layer_check<I, Layers, I + 1 == sizeof...(Layers)>::value && ...);
    }(std::index_sequence_for<Layers...>{});
}

} // namespace detail

/// The shape of a network's parameters: one contiguous array holding, layer
/// after layer, the weights (row-major `[out][in]`) and then the biases of
/// each dense layer (dropout layers have none). A network's parameters and
/// its gradients are both `parameter_set`s, so they share the same layout and
/// accessors.
template <class T, class Input, class... Layers>
class parameter_set {
public:
    using value_type = T;
    /// Layers after the input, dropout layers included.
    static constexpr std::size_t depth = sizeof...(Layers);
    /// widths[0] is the input size, widths[i] the width of layer i (1-based);
    /// a dropout layer has the width of the layer before it.
    static constexpr std::array<std::size_t, depth + 1> widths = [] {
        std::array<std::size_t, depth + 1> w{Input::size};
        std::size_t i = 0;
        ((w[i + 1] = detail::layer_width<Layers>(w[i]), ++i), ...);
        return w;
    }();
    static constexpr std::size_t inputs = widths.front();
    static constexpr std::size_t outputs = widths.back();
    /// is_dense[i]: layer i (from 0) is a dense layer, with parameters.
    static constexpr std::array<bool, depth> is_dense{is_dense_v<Layers>...};
    /// True when some layer is a dropout layer.
    static constexpr bool has_dropout = (is_dropout_v<Layers> || ...);

    /// offsets[i]: where layer i's weights start; offsets[depth] is the total.
    static constexpr std::array<std::size_t, depth + 1> offsets = [] {
        std::array<std::size_t, depth + 1> o{};
        for (std::size_t i = 0; i < depth; ++i) {
            o[i + 1] = o[i] + (is_dense[i] ? widths[i + 1] * (widths[i] + 1) : 0);
        }
        return o;
    }();
    static constexpr std::size_t parameter_count = offsets[depth];

    /// All parameters, in layout order.
    [[nodiscard]] constexpr std::span<T, parameter_count> parameters() noexcept { return values_; }
    [[nodiscard]] constexpr std::span<T const, parameter_count> parameters() const noexcept { return values_; }

    /// Layer I's weights and biases (I counts from 0, the first layer after
    /// the input; dropout layers count, and have no parameters to view).
    template <std::size_t I>
    [[nodiscard]] constexpr auto layer() noexcept
    {
        return view<I, T>(values_.data());
    }
    template <std::size_t I>
    [[nodiscard]] constexpr auto layer() const noexcept
    {
        return view<I, T const>(values_.data());
    }

    friend constexpr bool operator==(parameter_set const&, parameter_set const&) = default;

private:
    template <std::size_t I, class U>
    static constexpr auto view(U* data) noexcept
    {
        if constexpr (I >= depth) {
            static_assert(I < depth, "ctnn: layer<I>(): I is past the last layer");
            return dense_view<U, 0, 0>{}; // spares the caller further errors
        } else if constexpr (!is_dense[I]) {
            static_assert(is_dense[I], "ctnn: layer<I>(): layer I is a dropout layer, which has no parameters");
            return dense_view<U, 0, 0>{};
        } else {
            constexpr std::size_t in = widths[I];
            constexpr std::size_t out = widths[I + 1];
            return dense_view<U, in, out>{std::span<U, out * in>(data + offsets[I], out * in),
                                          std::span<U, out>(data + offsets[I] + out * in, out)};
        }
    }

    alignas(detail::parameter_alignment<T, parameter_count>) std::array<T, parameter_count> values_{};
};

/// A feed-forward network whose topology is its type:
///
///     using xor_net = ctnn::network<float, ctnn::input<2>,
///                                   ctnn::dense<3, ctnn::sigmoid>,
///                                   ctnn::dense<1, ctnn::sigmoid>>;
///
/// A default-constructed network has all parameters zero. It holds nothing but
/// its parameters: no heap, no virtual calls, and every member is `constexpr`.
template <class T, class Input, class... Layers>
class network : public parameter_set<T, Input, Layers...> {
    static_assert(detail::network_check<T, Input, Layers...>());
    using base = parameter_set<T, Input, Layers...>;

public:
    using base::depth;
    using base::has_dropout;
    using base::inputs;
    using base::is_dense;
    using base::outputs;
    using base::parameter_count;
    using base::widths;

    /// The layers after the input, as a Boost.Hana list of types.
    static constexpr auto layer_types = boost::hana::tuple_t<Layers...>;
    /// layer_t<I>: the type of layer I (from 0).
    template <std::size_t I>
    using layer_t = typename decltype(+boost::hana::at_c<I>(layer_types))::type;
    /// The activation of the last layer.
    using output_activation = typename detail::output_activation_of<typename detail::last_of<Layers...>::type>::type;

    using input_type = std::array<T, inputs>;
    using output_type = std::array<T, outputs>;
    /// Gradients of the parameters: the same layout and accessors.
    using gradient_type = parameter_set<T, Input, Layers...>;

private:
    template <std::size_t First, std::size_t... I>
    static auto arrays_of_widths(std::index_sequence<I...>) -> boost::hana::tuple<std::array<T, widths[First + I]>...>;

public:
    /// What the backward pass needs from the forward pass: every layer's
    /// output a (a[0] is the input) and, for each dense layer, its
    /// pre-activation z; for a dropout layer z holds its mask (0 or
    /// 1 / (1 − p) per unit; all 1 in inference mode). Sized at compile time;
    /// lives wherever the caller puts it.
    struct trace {
        decltype(arrays_of_widths<0>(std::make_index_sequence<depth + 1>{})) a;
        decltype(arrays_of_widths<1>(std::make_index_sequence<depth>{})) z;

        /// The network's output.
        [[nodiscard]] constexpr output_type const& output() const noexcept
        {
            return boost::hana::at_c<depth>(a);
        }
    };

    /// Inference (dropout layers pass their input through). The same values
    /// as `forward` (bit for bit), without a trace: x is read in place, each
    /// layer's activation is applied in place in its own buffer, and no
    /// pre-activation is kept.
    [[nodiscard]] constexpr output_type operator()(input_type const& x) const noexcept
    {
        output_type y; // written in full by the last layer
        infer_from<0>(x, y);
        return y;
    }

    /// An input of the wrong size is a compile error with this message rather
    /// than a list of overloads that did not match.
    template <std::size_t N>
        requires(N != inputs)
    constexpr output_type operator()(std::array<T, N> const&) const noexcept
    {
        static_assert(N == inputs, "ctnn::network: the input array's size differs from the network's input size");
        return {};
    }
    /// So is a braced list of the wrong length, `net({1.f})`, which would
    /// otherwise pad the input with zeros (see detail/braced_arguments.hpp).
    template <std::size_t N>
        requires(N != inputs)
    constexpr output_type operator()(T const (&)[N]) const noexcept
    {
        detail::check_braced_input<inputs, N>();
        return {};
    }

    /// Forward pass in inference mode that keeps what `backward` needs.
    constexpr void forward(input_type const& x, trace& tr) const noexcept
    {
        detail::inference_mode mode;
        boost::hana::at_c<0>(tr.a) = x;
        forward_from<0>(tr, mode);
    }

    /// Forward pass in training mode: each dropout layer draws its mask from
    /// `rng`, one 32-bit draw per unit, layer after layer. (Without dropout
    /// layers, the same as inference mode, and `rng` is not used.)
    template <random_bits32 Rng>
    constexpr void forward(input_type const& x, trace& tr, Rng& rng) const noexcept
    {
        boost::hana::at_c<0>(tr.a) = x;
        forward_from<0>(tr, rng);
    }

    /// A braced input of the wrong length: a compile error, as for `net(x)`.
    template <std::size_t N, class... Rest>
        requires(N != inputs)
    constexpr void forward(T const (&)[N], Rest&&...) const noexcept
    {
        detail::check_braced_input<inputs, N>();
    }

    /// Backward pass: given `delta` = dL/dz of the last layer, adds the
    /// parameter gradients of this sample into `grad`.
    constexpr void backward(trace const& tr, output_type const& delta, gradient_type& grad) const noexcept
    {
        backward_from<depth - 1>(tr, delta, grad);
    }

    /// Backward pass starting from dL/dy, the loss's gradient with respect to
    /// the network's output (through the last activation's derivative).
    constexpr void backward_from_output(trace const& tr, output_type const& dl_dy, gradient_type& grad) const noexcept
    {
        output_type delta{};
        detail::activation_delta<output_activation>(boost::hana::at_c<depth - 1>(tr.z),
                                                    boost::hana::at_c<depth>(tr.a), dl_dy, delta);
        backward(tr, delta, grad);
    }

private:
    template <std::size_t I>
    constexpr void infer_from(std::array<T, widths[I]> const& in, output_type& y) const noexcept
    {
        if constexpr (!is_dense[I]) {
            if constexpr (I + 1 < depth) { // (a dropout layer is never last)
                infer_from<I + 1>(in, y); // dropout: the identity in inference
            }
        } else {
            auto const w = this->template layer<I>();
            std::span<T const, widths[I + 1] * widths[I]> const weights(w.weights);
            std::span<T const, widths[I + 1]> const biases(w.biases);
            if constexpr (I + 1 == depth) {
                detail::dense_infer<typename layer_t<I>::activation_type>(weights, biases, in, y);
            } else {
                alignas(detail::buffer_alignment<T, widths[I + 1]>) std::array<T, widths[I + 1]> a; // written by dense_infer
                detail::dense_infer<typename layer_t<I>::activation_type>(weights, biases, in, a);
                infer_from<I + 1>(a, y);
            }
        }
    }

    template <std::size_t I, class Source>
    constexpr void forward_from(trace& tr, Source& source) const noexcept
    {
        if constexpr (is_dense[I]) {
            auto const w = this->template layer<I>();
            detail::dense_forward<typename layer_t<I>::activation_type>(
                std::span<T const, widths[I + 1] * widths[I]>(w.weights),
                std::span<T const, widths[I + 1]>(w.biases), boost::hana::at_c<I>(tr.a), boost::hana::at_c<I>(tr.z),
                boost::hana::at_c<I + 1>(tr.a));
        } else {
            detail::dropout_forward<layer_t<I>>(boost::hana::at_c<I>(tr.a), source, boost::hana::at_c<I>(tr.z),
                                                boost::hana::at_c<I + 1>(tr.a));
        }
        if constexpr (I + 1 < depth) {
            forward_from<I + 1>(tr, source);
        }
    }

    // propagate<I>(tr, g, grad): g is dL/da of layer I's output; through
    // dropout layers (× mask) down to the next dense layer's delta. Below the
    // first layer nothing needs the gradient, so it is not computed.
    template <std::size_t I>
    constexpr void propagate(trace const& tr, std::array<T, widths[I + 1]> const& g,
                             gradient_type& grad) const noexcept
    {
        if constexpr (is_dense[I]) {
            std::array<T, widths[I + 1]> delta{};
            detail::activation_delta<typename layer_t<I>::activation_type>(boost::hana::at_c<I>(tr.z),
                                                                           boost::hana::at_c<I + 1>(tr.a), g, delta);
            backward_from<I>(tr, delta, grad);
        } else if constexpr (I > 0) {
            std::array<T, widths[I]> below{};
            detail::dropout_backward(g, boost::hana::at_c<I>(tr.z), below);
            propagate<I - 1>(tr, below, grad);
        }
    }

    // backward_from<I>: layer I is dense and delta its dL/dz.
    template <std::size_t I>
    constexpr void backward_from(trace const& tr, std::array<T, widths[I + 1]> const& delta,
                                 gradient_type& grad) const noexcept
    {
        auto g = grad.template layer<I>();
        detail::dense_accumulate(g.weights, g.biases, boost::hana::at_c<I>(tr.a), delta);
        if constexpr (I > 0) {
            // Propagate to the layers below; the first layer's input
            // gradient is never needed, so it is never computed.
            std::array<T, widths[I]> dl_da{};
            detail::dense_input_gradient(std::span<T const, widths[I + 1] * widths[I]>(
                                             this->template layer<I>().weights),
                                         delta, dl_da);
            propagate<I - 1>(tr, dl_da, grad);
        }
    }
};

// is_network_v<N>
template <class N>
inline constexpr bool is_network_v = false;
template <class T, class Input, class... Layers>
inline constexpr bool is_network_v<network<T, Input, Layers...>> = true;

/// Any `ctnn::network`.
template <class N>
concept network_type = is_network_v<std::remove_cvref_t<N>>;

} // namespace ctnn

#endif
