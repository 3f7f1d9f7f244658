#ifndef CTNN_IO_NETWORK_DESCRIPTION_HPP
#define CTNN_IO_NETWORK_DESCRIPTION_HPP

/// \file
/// Host-only: a network's topology and parameters as run-time values. A
/// network type fixes them at compile time; a model read from a file (an ONNX
/// graph) has them only at run time. Both meet here: `describe(net)` describes
/// a network, `ctnn-import` describes the graph it read, and the writers of
/// headers (`io::write_header`) and ONNX files (`io::save_onnx`) take a
/// description, so one piece of code writes each format whatever the source.

#include <ctnn/network.hpp>
#include <ctnn/serialize.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ctnn::io {

/// One layer after the input: a dense layer (`units`, `activation`) or a
/// dropout layer (`drop_den != 0`).
struct layer_description {
    std::size_t units = 0;  ///< the layer's width (a dropout layer's is its input's)
    std::string activation; ///< a built-in activation's name (`ctnn::activation_name`), e.g. "relu"
    std::intmax_t drop_num = 0; ///< a dropout layer's rate is drop_num / drop_den
    std::intmax_t drop_den = 0; ///< 0 for a dense layer

    [[nodiscard]] bool is_dropout() const noexcept { return drop_den != 0; }
    friend bool operator==(layer_description const&, layer_description const&) = default;
};

/// A network as values: what `ctnn::network<T, input<inputs>, layers...>`
/// holds. `parameters` has the order of `net.parameters()`: for each dense
/// layer its weights, row-major `[units][inputs of the layer]`, then its biases.
template <class T>
struct network_description {
    std::size_t inputs = 0;
    std::vector<layer_description> layers;
    std::vector<T> parameters;

    /// The width of layer `i`'s input.
    [[nodiscard]] std::size_t input_width(std::size_t i) const noexcept
    {
        return i == 0 ? inputs : layers[i - 1].units;
    }
    /// The number of parameters the layers have.
    [[nodiscard]] std::size_t parameter_count() const noexcept
    {
        std::size_t count = 0;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            count += layers[i].is_dropout() ? 0 : layers[i].units * (input_width(i) + 1);
        }
        return count;
    }
};

namespace detail {

template <class Layer>
layer_description layer_description_of()
{
    if constexpr (is_dropout_v<Layer>) {
        return {0, {}, Layer::rate::num, Layer::rate::den};
    } else {
        using act = typename Layer::activation_type;
        static_assert(!activation_name<act>::value.empty(),
                      "ctnn::io: only networks of built-in activations can be written to or read from a file "
                      "other than ctnn's own format (a custom activation's expression has no name there)");
        return {Layer::size, std::string(activation_name<act>::value)};
    }
}

} // namespace detail

/// The layers of a network type (its parameters aside).
template <network_type Net>
[[nodiscard]] network_description<typename Net::value_type> describe_type()
{
    return []<class T, class Input, class... Layers>(network<T, Input, Layers...> const*) {
        network_description<T> d{Input::size, {detail::layer_description_of<Layers>()...}, {}};
        for (std::size_t i = 0; i < d.layers.size(); ++i) {
            if (d.layers[i].is_dropout()) {
                d.layers[i].units = d.input_width(i);
            }
        }
        return d;
    }(static_cast<Net const*>(nullptr));
}

/// A network's layers and parameters.
template <network_type Net>
[[nodiscard]] network_description<typename Net::value_type> describe(Net const& net)
{
    auto d = describe_type<Net>();
    d.parameters.assign(net.parameters().begin(), net.parameters().end());
    return d;
}

/// What makes `d` a description of no network type: an empty string when it
/// describes one, otherwise the first problem.
template <class T>
[[nodiscard]] std::string check_description(network_description<T> const& d)
{
    if (d.inputs == 0) {
        return "the input has no values";
    }
    if (d.layers.empty()) {
        return "there is no layer after the input";
    }
    for (std::size_t i = 0; i < d.layers.size(); ++i) {
        layer_description const& l = d.layers[i];
        std::string const layer = "layer " + std::to_string(i);
        if (l.is_dropout()) {
            if (l.drop_num < 0 || l.drop_den < 0 || l.drop_num >= l.drop_den) {
                return layer + ": a dropout rate must be at least 0 and below 1";
            }
            if (i + 1 == d.layers.size()) {
                return layer + ": dropout cannot be the last layer";
            }
            if (l.units != d.input_width(i)) {
                return layer + ": a dropout layer has its input's width";
            }
            continue;
        }
        if (l.units == 0) {
            return layer + " has no units";
        }
        if (std::ranges::find(builtin_activation_names, l.activation) == builtin_activation_names.end()) {
            return layer + ": \"" + l.activation + "\" is not a built-in activation";
        }
        if (l.activation == activation_name<softmax>::value && i + 1 != d.layers.size()) {
            return layer + ": softmax is allowed only as the last layer's activation";
        }
    }
    if (d.parameters.size() != d.parameter_count()) {
        return std::to_string(d.parameters.size()) + " parameters for layers that have " +
               std::to_string(d.parameter_count());
    }
    return {};
}

/// The topology signature of the network type `d` describes: equal to
/// `ctnn::topology_signature_v` of that type.
template <class T>
[[nodiscard]] std::uint32_t topology_signature(network_description<T> const& d)
{
    std::uint32_t h = ctnn::detail::topology_hash_start(d.layers.size(), d.inputs);
    for (layer_description const& l : d.layers) {
        h = l.is_dropout() ? ctnn::detail::dropout_layer_hash(h, l.drop_num, l.drop_den)
                           : ctnn::detail::dense_layer_hash(h, l.units, ctnn::detail::fnv1a(l.activation));
    }
    return h;
}

/// The CRC-32 of `d`'s parameters: equal to `ctnn::parameter_crc32` of the
/// network it describes.
template <class T>
[[nodiscard]] std::uint32_t parameter_crc32(network_description<T> const& d)
{
    return ctnn::detail::parameter_crc32(std::span<T const>(d.parameters));
}

} // namespace ctnn::io

#endif
