#ifndef CTNN_NETWORK_HPP
#define CTNN_NETWORK_HPP

/// \file
/// `ctnn::network`: a type-level list of layers over one contiguous parameter
/// array, and the two traversals of that list that every pass takes: forward
/// (inference, a training step's forward pass, a block of samples) and
/// backward (backpropagation, whatever is done with the gradients). Both are
/// `constexpr` and unrolled over the layers at compile time.
///
/// The data path, for one sample or a block of samples side by side:
///
///     forward:  for each layer, first to last:
///                 dense:   z = W a + b, then a' = f(z)
///                 dropout: a' = a ⊙ mask
///     loss:     L(y, t) and dL/dz of the last layer (detail/output_delta.hpp)
///     backward: for each dense layer, last to first, with δ = dL/dz:
///                 dL/da of its input = Wᵀ δ (the weights as the forward pass used them)
///                 its gradient δ aᵀ, δ goes to the sink: added into a gradient object,
///                   or handed at once to plain gradient descent or an optimizer's rule
///                 below it: through dropout masks (⊙ mask) to the next dense layer,
///                   δ = dL/da ⊙ f'(z)
///
/// What a pass keeps, and which kernels it runs, is the pass's business
/// (detail/sample_pass.hpp, detail/block_pass.hpp); what happens to the
/// gradient is the sink's (detail/gradient_sinks.hpp).

#include <ctnn/activation.hpp>
#include <ctnn/detail/braced_arguments.hpp>
#include <ctnn/detail/sample_pass.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/detail/gradient_sinks.hpp>
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

// has_dense_below<Net, I>: a layer below layer I has parameters, so the
// gradient of layer I's input is needed.
template <class Net, std::size_t I>
inline constexpr bool has_dense_below = [] {
    for (std::size_t l = 0; l < I; ++l) {
        if (Net::is_dense[l]) {
            return true;
        }
    }
    return false;
}();

// forward<I>(pass): layers I, I + 1, ... of the forward pass.
template <std::size_t I, class Pass>
constexpr void forward(Pass& pass) noexcept
{
    using Net = typename Pass::network_type;
    if constexpr (Net::is_dense[I]) {
        pass.template affine<I>();   // z = W a + b
        pass.template activate<I>(); // a' = f(z)
    } else {
        pass.template dropout<I>(); // a' = a ⊙ mask
    }
    if constexpr (I + 1 < Net::depth) {
        forward<I + 1>(pass);
    }
}

template <std::size_t I, class Pass, class Sink>
constexpr void propagate(Pass& pass, Sink& sink) noexcept;

// backward<I>(pass, sink): dense layer I and the layers below it; the pass
// holds layer I's δ = dL/dz.
template <std::size_t I, class Pass, class Sink>
constexpr void backward(Pass& pass, Sink& sink) noexcept
{
    using Net = typename Pass::network_type;
    if constexpr (has_dense_below<Net, I>) {
        pass.template input_gradient<I>(); // dL/da of the input = Wᵀ δ
    }
    sink.template take<I>(pass); // δ aᵀ and δ
    if constexpr (has_dense_below<Net, I>) {
        propagate<I - 1>(pass, sink);
    }
}

// propagate<I>(pass, sink): the pass holds dL/da of layer I's output; down
// through dropout layers to the next dense layer's δ. Always inlined into the
// layer above: kept out of line (as Clang may keep it), the gradient flowing
// down goes through memory between the two.
template <std::size_t I, class Pass, class Sink>
[[gnu::always_inline]] constexpr inline void propagate(Pass& pass, Sink& sink) noexcept
{
    using Net = typename Pass::network_type;
    if constexpr (Net::is_dense[I]) {
        pass.template slope<I>(); // δ = dL/da ⊙ f'(z)
        backward<I>(pass, sink);
    } else {
        pass.template unmask<I>(); // dL/da below = dL/da ⊙ mask
        propagate<I - 1>(pass, sink);
    }
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
        typename detail::inference_store<network>::hidden_buffers hidden; // written by the forward pass
        detail::inference_store<network> store(x, hidden, y);
        detail::inference_mode mode;
        detail::sample_pass<network, detail::inference_store<network>, detail::inference_mode> pass(*this, store, mode);
        detail::forward<0>(pass);
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
        forward_into(x, tr, mode);
    }

    /// Forward pass in training mode: each dropout layer draws its mask from
    /// `rng`, one 32-bit draw per unit, layer after layer. (Without dropout
    /// layers, the same as inference mode, and `rng` is not used.)
    template <random_bits32 Rng>
    constexpr void forward(input_type const& x, trace& tr, Rng& rng) const noexcept
    {
        forward_into(x, tr, rng);
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
        detail::trace_store<trace const> store(tr);
        detail::inference_mode mode; // (no dropout mask is drawn backward)
        detail::backward_buffers<network> buffers; // written before read, see backward_buffers
        detail::sample_pass<network, detail::trace_store<trace const>, detail::inference_mode> pass(*this, store, mode,
                                                                                                    buffers);
        pass.set_output_delta(delta);
        detail::add_to_gradient<gradient_type> sink{grad};
        detail::backward<depth - 1>(pass, sink);
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
    // forward_into(x, tr, source): the forward pass into a trace, dropout
    // masks from `source` (a generator, or inference_mode).
    template <class Source>
    constexpr void forward_into(input_type const& x, trace& tr, Source& source) const noexcept
    {
        boost::hana::at_c<0>(tr.a) = x;
        detail::trace_store<trace> store(tr);
        detail::sample_pass<network, detail::trace_store<trace>, Source> pass(*this, store, source);
        detail::forward<0>(pass);
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
