#ifndef CTNN_IO_DETAIL_ONNX_WRITE_HPP
#define CTNN_IO_DETAIL_ONNX_WRITE_HPP

/// \file
/// Host-only, for `ctnn/io/onnx.hpp`: a network as an ONNX model, in the
/// operators `torch.onnx.export` uses for the same network (operator set 14):
/// per dense layer a Gemm of the weights as ctnn stores them ([units][inputs],
/// transB = 1), then its activation's form (detail/onnx_activation.hpp).
/// Dropout layers, the identity in inference, are left out.

#include <ctnn/io/detail/onnx_activation.hpp>
#include <ctnn/io/detail/onnx_proto.hpp>
#include <ctnn/io/network_description.hpp>
#include <ctnn/version.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ctnn::io::detail {

/// The operator set `save_onnx` writes.
inline constexpr std::int64_t onnx_written_opset = 14;

template <class T>
inline constexpr int onnx_element_type =
    sizeof(T) == 4 ? onnx_pb::TensorProto_DataType_FLOAT : onnx_pb::TensorProto_DataType_DOUBLE;

// Values of type T as a tensor (little-endian raw data, as the format defines it).
template <class T, class Values>
void set_tensor(onnx_pb::TensorProto& t, std::string const& name, std::vector<std::int64_t> const& dims,
                Values const& values)
{
    t.set_name(name);
    t.set_data_type(onnx_element_type<T>);
    for (std::int64_t const d : dims) {
        t.add_dims(d);
    }
    std::string raw(values.size() * sizeof(T), '\0');
    auto* out = reinterpret_cast<std::byte*>(raw.data());
    for (T const v : values) {
        ctnn::detail::put_le(out, std::bit_cast<ctnn::detail::bits_t<T>>(v));
        out += sizeof(T);
    }
    t.set_raw_data(std::move(raw));
}

// Emits an activation's form as nodes of one layer.
template <class T>
class onnx_form_writer {
public:
    onnx_form_writer(onnx_pb::GraphProto& graph, std::string prefix) : graph_(graph), prefix_(std::move(prefix)) {}

    /// Emits `e` with `x` as its variable; the last node writes `result`
    /// (when not empty). Returns the tensor holding the value.
    std::string emit(onnx_expr const& e, std::string const& x, std::string const& result)
    {
        if (e.op == "x") {
            return x;
        }
        if (e.op == "const") {
            auto& n = add_node("Constant", {}, result);
            auto* value = n.add_attribute();
            value->set_name("value");
            value->set_type(onnx_pb::AttributeProto_AttributeType_TENSOR);
            set_tensor<T>(*value->mutable_t(), "", {}, std::vector<T>{static_cast<T>(e.value)});
            return n.output(0);
        }
        if (e.op == "Pow" && canonical(e).op == "Mul") {
            return emit(canonical(e), x, result); // x·x·x as ctnn computes it, not the powf of a runtime
        }
        // A product or sum of more than two terms, as a chain of binary nodes.
        std::vector<std::string> inputs;
        for (std::size_t i = 0; i < e.args.size(); ++i) {
            std::string in = emit(e.args[i], x, "");
            if (inputs.size() == 2) {
                inputs = {add_node(e.op, inputs, "").output(0)};
            }
            inputs.push_back(std::move(in));
        }
        auto& n = add_node(e.op, inputs, result);
        if (e.alpha) {
            auto* a = n.add_attribute();
            a->set_name("alpha");
            a->set_type(onnx_pb::AttributeProto_AttributeType_FLOAT);
            a->set_f(static_cast<float>(*e.alpha));
        }
        if (e.op == "Softmax") {
            auto* a = n.add_attribute();
            a->set_name("axis");
            a->set_type(onnx_pb::AttributeProto_AttributeType_INT);
            a->set_i(-1);
        }
        return n.output(0);
    }

private:
    onnx_pb::NodeProto& add_node(std::string const& op, std::vector<std::string> const& inputs,
                                 std::string const& result)
    {
        auto& n = *graph_.add_node();
        std::string const name = prefix_ + "/" + op + "_" + std::to_string(count_++);
        n.set_op_type(op);
        n.set_name(name);
        for (auto const& in : inputs) {
            n.add_input(in);
        }
        n.add_output(result.empty() ? name + "_output" : result);
        return n;
    }

    onnx_pb::GraphProto& graph_;
    std::string prefix_;
    int count_ = 0;
};

template <class T>
void set_value_info(onnx_pb::ValueInfoProto& v, std::string const& name, std::size_t width)
{
    v.set_name(name);
    auto* tensor = v.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx_element_type<T>);
    auto* shape = tensor->mutable_shape();
    shape->add_dim()->set_dim_param("batch");
    shape->add_dim()->set_dim_value(static_cast<std::int64_t>(width));
}

/// The ONNX model of the network `d` describes (which must describe one).
template <class T>
onnx_pb::ModelProto onnx_model_of(network_description<T> const& d)
{
    onnx_pb::ModelProto model;
    model.set_ir_version(7);
    model.set_producer_name("ctnn");
    model.set_producer_version(std::to_string(CTNN_VERSION_MAJOR) + "." + std::to_string(CTNN_VERSION_MINOR) + "." +
                               std::to_string(CTNN_VERSION_PATCH));
    auto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(onnx_written_opset);
    auto& graph = *model.mutable_graph();
    graph.set_name("ctnn_network");
    set_value_info<T>(*graph.add_input(), "input", d.inputs);
    set_value_info<T>(*graph.add_output(), "output", d.layers.back().units);

    std::string current = "input";
    std::size_t begin = 0;
    for (std::size_t l = 0; l < d.layers.size(); ++l) {
        layer_description const& layer = d.layers[l];
        if (layer.is_dropout()) {
            continue;
        }
        bool const last = l + 1 == d.layers.size();
        std::size_t const in = d.input_width(l);
        std::size_t const weights = layer.units * in;
        std::string const name = "layer" + std::to_string(l);
        set_tensor<T>(*graph.add_initializer(), name + ".weight",
                      {static_cast<std::int64_t>(layer.units), static_cast<std::int64_t>(in)},
                      std::span<T const>(d.parameters).subspan(begin, weights));
        set_tensor<T>(*graph.add_initializer(), name + ".bias", {static_cast<std::int64_t>(layer.units)},
                      std::span<T const>(d.parameters).subspan(begin + weights, layer.units));
        begin += weights + layer.units;

        onnx_expr const& form = onnx_form_of(layer.activation);
        bool const linear_is_last = last && form.op == "x";
        auto& gemm = *graph.add_node();
        gemm.set_op_type("Gemm");
        gemm.set_name("/" + name + "/Gemm");
        gemm.add_input(current);
        gemm.add_input(name + ".weight");
        gemm.add_input(name + ".bias");
        gemm.add_output(linear_is_last ? std::string("output") : "/" + name + "/Gemm_output");
        auto* trans_b = gemm.add_attribute();
        trans_b->set_name("transB");
        trans_b->set_type(onnx_pb::AttributeProto_AttributeType_INT);
        trans_b->set_i(1);
        std::string const z = gemm.output(0);
        current = onnx_form_writer<T>(graph, "/" + name).emit(form, z, last ? "output" : "");
    }
    return model;
}

} // namespace ctnn::io::detail

#endif
