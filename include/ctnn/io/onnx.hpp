#ifndef CTNN_IO_ONNX_HPP
#define CTNN_IO_ONNX_HPP

/// \file
/// Host-only: networks to and from ONNX, the format `torch.onnx.export`
/// writes (docs/import.md). Needs the CMake target `ctnn::onnx` (Debian's
/// libonnx-dev and libprotobuf-dev).
///
///     using net_t = ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>,
///                                 ctnn::dense<1, ctnn::identity>>;
///     net_t net{};
///     if (auto r = ctnn::io::load_onnx(net, "sine.onnx"); !r) {
///         std::puts(r.message.c_str()); // e.g. "sine.onnx: layer 0 is Tanh in the model, relu in the network"
///     }
///     auto saved = ctnn::io::save_onnx(net, "copy.onnx");
///
/// A model is read as a chain of dense layers: a `Gemm`, or a `MatMul` and
/// an `Add` of the bias, with constant weights in either orientation, then
/// the operators of one of ctnn's built-in activations; a `Flatten` or
/// `Reshape` may come before the first layer. Anything else, or an activation
/// that differs from ctnn's (a LeakyRelu of another slope, the erf form of
/// GELU), is refused with a message naming the node.

#include <ctnn/io/detail/onnx_read.hpp>
#include <ctnn/io/detail/onnx_write.hpp>
#include <ctnn/io/model_file.hpp>
#include <ctnn/io/network_description.hpp>
#include <ctnn/network.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <ios>
#include <string>
#include <vector>

namespace ctnn::io {

namespace detail {

// Reads the whole file into `bytes`. (istream::read, which turns the stream
// buffer's exceptions into badbit: libstdc++'s throws when the read itself
// fails, e.g. on a directory.)
inline file_result read_file(std::filesystem::path const& path, std::string& bytes)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {file_error::cannot_open, load_error::ok, "cannot open " + path.string() + " for reading"};
    }
    bytes.clear();
    std::array<char, 65536> chunk{};
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
        bytes.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        return {file_error::read_failed, load_error::ok, "cannot read " + path.string()};
    }
    return {};
}

// The first difference between the model's layers and the network type's.
template <network_type Net>
std::string onnx_mismatch(onnx_mlp const& m)
{
    auto const want = describe_type<Net>();
    if (m.network.inputs != want.inputs) {
        return "the model has " + std::to_string(m.network.inputs) + " inputs, the network " +
               std::to_string(want.inputs);
    }
    std::size_t k = 0; // the model's layer
    std::size_t dense = 0;
    for (std::size_t i = 0; i < want.layers.size(); ++i) {
        layer_description const& l = want.layers[i];
        if (l.is_dropout()) {
            continue; // the identity in inference: not in the model
        }
        ++dense;
        if (k == m.network.layers.size()) {
            continue; // counted below
        }
        layer_description const& got = m.network.layers[k++];
        std::string const layer = "layer " + std::to_string(i);
        if (got.units != l.units) {
            return layer + " has " + std::to_string(got.units) + " units in the model, " + std::to_string(l.units) +
                   " in the network";
        }
        if (got.activation != l.activation) {
            return layer + " is " + onnx_description(got.activation) + " in the model, " + l.activation +
                   " in the network";
        }
    }
    if (m.network.layers.size() != dense) {
        return "the model has " + std::to_string(m.network.layers.size()) + " layers, the network " +
               std::to_string(dense) + (dense != want.layers.size() ? " dense layers" : "");
    }
    return {};
}

/// `load_onnx` from the model's bytes; `what` names them in messages.
template <network_type Net>
file_result load_onnx_bytes(Net& net, std::string const& bytes, std::string const& what)
{
    onnx_mlp m;
    if (file_result r = read_onnx_bytes(bytes, what, m); !r) {
        return r;
    }
    if (std::string const why = onnx_mismatch<Net>(m); !why.empty()) {
        return {file_error::bad_model, load_error::wrong_topology, what + ": " + why};
    }
    using T = typename Net::value_type;
    std::ranges::transform(m.network.parameters, net.parameters().begin(), [](double v) { return static_cast<T>(v); });
    return {};
}

/// The ONNX model of `net`, serialized.
template <network_type Net>
std::string onnx_bytes(Net const& net)
{
    return onnx_model_of(describe(net)).SerializeAsString();
}

} // namespace detail

/// Reads the ONNX model at `path` as a multi-layer perceptron, whatever its
/// widths and activations (`ctnn-import` derives a network type from it);
/// `load_onnx` reads one into a network of a given type.
[[nodiscard]] inline file_result read_onnx(std::filesystem::path const& path, onnx_mlp& out)
{
    std::string bytes;
    if (file_result r = detail::read_file(path, bytes); !r) {
        return r;
    }
    return detail::read_onnx_bytes(bytes, path.string(), out);
}

/// Reads the ONNX model at `path` into `net`: the model must be a chain of
/// dense layers with `net`'s input width, depth, widths and activations
/// (dropout layers aside, which an exported model does not contain).
/// FLOAT and DOUBLE parameters are converted to `net`'s scalar type. On any
/// error `net` is unchanged and the result says what differs or what ctnn
/// does not read ("layer 2 is Relu in the model, tanh in the network").
template <network_type Net>
[[nodiscard]] file_result load_onnx(Net& net, std::filesystem::path const& path)
{
    std::string bytes;
    if (file_result r = detail::read_file(path, bytes); !r) {
        return r;
    }
    return detail::load_onnx_bytes(net, bytes, path.string());
}

/// Writes `net` to `path` as an ONNX model (operator set 14, ctnn's scalar
/// type), replacing the file: the operators PyTorch writes for the same
/// network, so that any ONNX runtime runs it. `load_onnx` reads it back
/// exactly.
template <network_type Net>
[[nodiscard]] file_result save_onnx(Net const& net, std::filesystem::path const& path)
{
    std::string const bytes = detail::onnx_bytes(net);
    return detail::write_file(path, bytes.data(), bytes.size());
}

} // namespace ctnn::io

#endif
