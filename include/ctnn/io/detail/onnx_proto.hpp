#ifndef CTNN_IO_DETAIL_ONNX_PROTO_HPP
#define CTNN_IO_DETAIL_ONNX_PROTO_HPP

/// \file
/// Host-only, for `ctnn/io/onnx.hpp`: ONNX's protobuf classes (Debian's
/// libonnx-dev, through the CMake target ctnn::onnx) and the values of the
/// constant tensors and attributes an MLP's graph holds.

#if !defined(ONNX_NAMESPACE) || !defined(ONNX_ML)
#error "ctnn/io/onnx.hpp needs ONNX's definitions: link the CMake target ctnn::onnx"
#endif

#include <onnx/onnx_pb.h>

#include <ctnn/serialize.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ctnn::io::detail {

namespace onnx_pb = ::ONNX_NAMESPACE;

/// The values of a constant tensor, in double: float32 and float64 (the
/// parameters; each float and double is held exactly), the integer types
/// shapes are written in, and booleans (Dropout's training mode).
struct onnx_constant {
    std::vector<std::int64_t> dims;
    std::vector<double> values;
    int type = onnx_pb::TensorProto_DataType_UNDEFINED;

    [[nodiscard]] bool is_double() const noexcept { return type == onnx_pb::TensorProto_DataType_DOUBLE; }
};

/// The name of a tensor element type, for messages.
inline std::string onnx_type_name(int type)
{
    if (onnx_pb::TensorProto_DataType_IsValid(type)) {
        return onnx_pb::TensorProto_DataType_Name(static_cast<onnx_pb::TensorProto_DataType>(type));
    }
    return "type " + std::to_string(type);
}

// Element i of raw_data, which the format defines as little-endian whatever
// the host: Bits is the element's own type, or the unsigned integer of a
// float's or a double's size.
template <class Element, class Bits>
double raw_element(std::string const& raw, std::size_t i)
{
    auto const* bytes = reinterpret_cast<std::byte const*>(raw.data()) + i * sizeof(Bits);
    return static_cast<double>(std::bit_cast<Element>(ctnn::detail::get_le<Bits>(bytes)));
}

/// Reads `t`'s values into `out`; returns why it cannot (an empty string when
/// it can).
inline std::string read_constant(onnx_pb::TensorProto const& t, onnx_constant& out)
{
    // More than a model of this library could use, and little enough that no
    // product below overflows.
    constexpr std::int64_t most_elements = std::int64_t{1} << 31;
    if (t.data_location() == onnx_pb::TensorProto_DataLocation_EXTERNAL) {
        return "its values are stored in a separate file (ONNX external data), which ctnn does not read";
    }
    if (t.has_segment()) {
        return "it is split into segments, which ctnn does not read";
    }
    std::int64_t count = 1;
    out.dims.clear();
    for (std::int64_t const d : t.dims()) {
        if (d < 0 || d > most_elements || count * d > most_elements) {
            return "its dimensions are negative or too large";
        }
        count *= d;
        out.dims.push_back(d);
    }
    auto const n = static_cast<std::size_t>(count);
    int const type = t.data_type();
    std::size_t width = 0;
    std::size_t typed = 0; // values in the field of the type
    switch (type) {
    case onnx_pb::TensorProto_DataType_FLOAT: width = 4, typed = static_cast<std::size_t>(t.float_data_size()); break;
    case onnx_pb::TensorProto_DataType_DOUBLE: width = 8, typed = static_cast<std::size_t>(t.double_data_size()); break;
    case onnx_pb::TensorProto_DataType_INT64: width = 8, typed = static_cast<std::size_t>(t.int64_data_size()); break;
    case onnx_pb::TensorProto_DataType_INT32: width = 4, typed = static_cast<std::size_t>(t.int32_data_size()); break;
    case onnx_pb::TensorProto_DataType_BOOL: width = 1, typed = static_cast<std::size_t>(t.int32_data_size()); break;
    default: return "its element type is " + onnx_type_name(type) + " (ctnn reads FLOAT and DOUBLE values)";
    }
    out.type = type;
    out.values.resize(n);
    if (t.has_raw_data()) {
        if (t.raw_data().size() != n * width) {
            return "it has " + std::to_string(t.raw_data().size()) + " bytes of data for " + std::to_string(n) +
                   " values of " + std::to_string(width) + " bytes";
        }
        for (std::size_t i = 0; i < n; ++i) {
            switch (type) {
            case onnx_pb::TensorProto_DataType_FLOAT: out.values[i] = raw_element<float, std::uint32_t>(t.raw_data(), i); break;
            case onnx_pb::TensorProto_DataType_DOUBLE: out.values[i] = raw_element<double, std::uint64_t>(t.raw_data(), i); break;
            case onnx_pb::TensorProto_DataType_INT64: out.values[i] = raw_element<std::int64_t, std::int64_t>(t.raw_data(), i); break;
            case onnx_pb::TensorProto_DataType_BOOL: out.values[i] = raw_element<std::uint8_t, std::uint8_t>(t.raw_data(), i); break;
            default: out.values[i] = raw_element<std::int32_t, std::int32_t>(t.raw_data(), i); break;
            }
        }
        return {};
    }
    if (typed != n) {
        return "it has " + std::to_string(typed) + " values for dimensions that hold " + std::to_string(n);
    }
    for (std::size_t i = 0; i < n; ++i) {
        auto const k = static_cast<int>(i);
        switch (type) {
        case onnx_pb::TensorProto_DataType_FLOAT: out.values[i] = static_cast<double>(t.float_data(k)); break;
        case onnx_pb::TensorProto_DataType_DOUBLE: out.values[i] = t.double_data(k); break;
        case onnx_pb::TensorProto_DataType_INT64: out.values[i] = static_cast<double>(t.int64_data(k)); break;
        default: out.values[i] = static_cast<double>(t.int32_data(k)); break; // INT32 and BOOL
        }
    }
    return {};
}

/// The attribute `name` of `node`, or null.
inline onnx_pb::AttributeProto const* find_attribute(onnx_pb::NodeProto const& node, std::string const& name)
{
    for (auto const& a : node.attribute()) {
        if (a.name() == name) {
            return &a;
        }
    }
    return nullptr;
}

/// A float attribute's value, or `otherwise` when the node does not set it.
inline double float_attribute(onnx_pb::NodeProto const& node, std::string const& name, float otherwise)
{
    auto const* a = find_attribute(node, name);
    return static_cast<double>(a != nullptr ? a->f() : otherwise);
}

/// An integer attribute's value, or `otherwise` when the node does not set it.
inline std::int64_t int_attribute(onnx_pb::NodeProto const& node, std::string const& name, std::int64_t otherwise)
{
    auto const* a = find_attribute(node, name);
    return a != nullptr ? a->i() : otherwise;
}

} // namespace ctnn::io::detail

#endif
