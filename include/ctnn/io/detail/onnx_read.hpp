#ifndef CTNN_IO_DETAIL_ONNX_READ_HPP
#define CTNN_IO_DETAIL_ONNX_READ_HPP

/// \file
/// Host-only, for `ctnn/io/onnx.hpp`: an ONNX graph read as a chain of dense
/// layers. From the graph's one input: at most a Flatten or Reshape, then per
/// layer a linear operator (Gemm, or MatMul with or without an Add of a
/// constant bias) whose weights are constants, then the nodes up to the next
/// linear operator or the graph's output, which must compute one of ctnn's
/// activations (detail/onnx_activation.hpp). Every node must have its place in
/// that chain; what has none is refused, by name.

#include <ctnn/io/detail/onnx_activation.hpp>
#include <ctnn/io/detail/onnx_proto.hpp>
#include <ctnn/io/model_file.hpp>
#include <ctnn/io/network_description.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ctnn::io {

/// Where a layer read from ONNX came from, for messages and for ctnn-import's
/// summary.
struct onnx_layer_source {
    std::string linear;     ///< "Gemm", "MatMul", "MatMul + Add", with the linear node's name
    std::string activation; ///< what the model computes after it, e.g. "Relu(x)", "x" (none)
};

/// A multi-layer perceptron read from an ONNX model by `read_onnx`, before
/// it meets a network type.
struct onnx_mlp {
    /// The dense layers and their parameters, in ctnn's layout.
    network_description<double> network;
    bool is_double = false;   ///< DOUBLE tensors (otherwise FLOAT)
    std::int64_t opset = 0;   ///< the ONNX operator set the model uses
    std::string producer;     ///< e.g. "pytorch 1.13.0"
    std::vector<onnx_layer_source> sources; ///< per layer
};

namespace detail {

/// Why a model could not be read.
struct onnx_problem {
    file_error error = file_error::ok;
    std::string message;
};

/// The ONNX operator sets whose operators `read_onnx` reads as they are
/// defined there (Softmax's axis changed meaning at 13).
inline constexpr std::int64_t onnx_first_opset = 9;
inline constexpr std::int64_t onnx_last_opset = 17;

class onnx_graph_reader {
public:
    onnx_graph_reader(onnx_pb::ModelProto const& model, onnx_mlp& out) : model_(model), graph_(model.graph()), out_(out)
    {
    }

    onnx_problem read()
    {
        if (auto p = read_header()) {
            return *p;
        }
        if (auto p = index_graph()) {
            return *p;
        }
        if (auto p = read_input()) {
            return *p;
        }
        if (auto p = read_layers()) {
            return *p;
        }
        for (int i = 0; i < graph_.node_size(); ++i) {
            if (!used_.contains(i) && !shape_nodes_.contains(i)) {
                return unsupported("node " + node_name(i) + " is not part of the chain of layers ctnn reads");
            }
        }
        return {};
    }

private:
    static onnx_problem malformed(std::string m) { return {file_error::malformed, std::move(m)}; }
    static onnx_problem unsupported(std::string m) { return {file_error::unsupported, std::move(m)}; }

    onnx_pb::NodeProto const& node(int i) const { return graph_.node(i); }
    std::string node_name(int i) const
    {
        auto const& n = node(i);
        return "'" + (n.name().empty() ? (n.output_size() > 0 ? n.output(0) : std::string("?")) : n.name()) + "' (" +
               n.op_type() + ")";
    }
    static std::string layer_text(std::size_t layer) { return "layer " + std::to_string(layer); }

    std::optional<onnx_problem> read_header()
    {
        std::optional<std::int64_t> opset;
        for (auto const& o : model_.opset_import()) {
            if (o.domain().empty() || o.domain() == "ai.onnx") {
                opset = o.version();
            }
        }
        if (!model_.has_graph() && !opset && model_.ir_version() == 0) {
            return malformed("is not an ONNX model (no graph, no operator set, no version)");
        }
        if (!model_.has_graph()) {
            return malformed("has no graph");
        }
        if (!opset) {
            return malformed("does not say which ONNX operator set it uses");
        }
        if (*opset < onnx_first_opset || *opset > onnx_last_opset) {
            return unsupported("uses the ONNX operator set " + std::to_string(*opset) + "; ctnn reads the sets " +
                               std::to_string(onnx_first_opset) + " to " + std::to_string(onnx_last_opset));
        }
        out_.opset = *opset;
        out_.producer = model_.producer_name() + (model_.producer_version().empty() ? "" : " ") +
                        model_.producer_version();
        return {};
    }

    std::optional<onnx_problem> index_graph()
    {
        for (auto const& t : graph_.initializer()) {
            if (t.name().empty() || !tensors_.emplace(t.name(), &t).second) {
                return malformed("has an initializer without a name, or two of the same name ('" + t.name() + "')");
            }
        }
        for (int i = 0; i < graph_.node_size(); ++i) {
            auto const& n = node(i);
            if (!n.domain().empty() && n.domain() != "ai.onnx") {
                return unsupported("node " + node_name(i) + " is from the operator domain '" + n.domain() +
                                   "' (ctnn reads ONNX's own operators)");
            }
            for (auto const& o : n.output()) {
                if (!o.empty() && (tensors_.contains(o) || !producer_.emplace(o, i).second)) {
                    return malformed("has two values named '" + o + "'");
                }
            }
            if (n.op_type() == "Constant") {
                if (auto const* v = find_attribute(n, "value"); v != nullptr && v->has_t() && n.output_size() == 1) {
                    tensors_.emplace(n.output(0), &v->t());
                    used_.insert(i); // a constant's place is where it is read
                } else if (n.output_size() == 1 && (find_attribute(n, "value_float") != nullptr ||
                                                   find_attribute(n, "value_floats") != nullptr)) {
                    auto const* a = find_attribute(n, "value_float");
                    onnx_constant c;
                    c.type = onnx_pb::TensorProto_DataType_FLOAT;
                    if (a != nullptr) {
                        c.values = {static_cast<double>(a->f())};
                    } else {
                        for (float const f : find_attribute(n, "value_floats")->floats()) {
                            c.values.push_back(static_cast<double>(f));
                        }
                        c.dims = {static_cast<std::int64_t>(c.values.size())};
                    }
                    constants_.emplace(n.output(0), std::move(c));
                    used_.insert(i);
                }
                // Other forms (integers, strings, sparse) serve no layer: left unused, then refused.
            }
        }
        // Nodes that compute only the shape a Reshape is given (Shape, Gather, Concat, ... in
        // PyTorch's x.view(x.size(0), -1)) change no value: a Reshape before the first layer
        // is checked by its element count instead (read_layers).
        for (int i = 0; i < graph_.node_size(); ++i) {
            if (node(i).op_type() == "Reshape" && node(i).input_size() > 1) {
                mark_shape_nodes(node(i).input(1));
            }
        }
        for (int i = 0; i < graph_.node_size(); ++i) {
            if (shape_nodes_.contains(i)) {
                continue;
            }
            for (auto const& in : node(i).input()) {
                if (!in.empty()) {
                    consumers_[in].push_back(i);
                }
            }
        }
        return {};
    }

    void mark_shape_nodes(std::string const& tensor)
    {
        auto const p = producer_.find(tensor);
        if (p == producer_.end() || !shape_nodes_.insert(p->second).second) {
            return;
        }
        for (auto const& in : node(p->second).input()) {
            mark_shape_nodes(in);
        }
    }

    // A constant's values: an initializer or a Constant node's.
    std::optional<onnx_problem> constant(std::string const& name, onnx_constant const*& out)
    {
        out = nullptr;
        if (auto const c = constants_.find(name); c != constants_.end()) {
            out = &c->second;
            return {};
        }
        auto const t = tensors_.find(name);
        if (t == tensors_.end()) {
            return {};
        }
        onnx_constant c;
        if (std::string const why = read_constant(*t->second, c); !why.empty()) {
            return unsupported("cannot read the constant '" + name + "': " + why);
        }
        out = &constants_.emplace(name, std::move(c)).first->second;
        return {};
    }

    std::optional<onnx_problem> read_input()
    {
        std::vector<onnx_pb::ValueInfoProto const*> inputs;
        for (auto const& in : graph_.input()) {
            if (!tensors_.contains(in.name())) {
                inputs.push_back(&in);
            }
        }
        if (inputs.size() != 1) {
            return unsupported("has " + std::to_string(inputs.size()) +
                               " inputs; ctnn reads models of one input whose weights are initializers");
        }
        if (graph_.output_size() != 1) {
            return unsupported("has " + std::to_string(graph_.output_size()) + " outputs; ctnn reads models of one");
        }
        input_ = inputs[0]->name();
        output_ = graph_.output(0).name();
        auto const& type = inputs[0]->type();
        int const element = type.has_tensor_type() ? type.tensor_type().elem_type() : 0;
        if (element != onnx_pb::TensorProto_DataType_FLOAT && element != onnx_pb::TensorProto_DataType_DOUBLE) {
            return unsupported("has an input of " + (element == 0 ? std::string("no tensor type") : onnx_type_name(element)) +
                               "; ctnn reads FLOAT and DOUBLE");
        }
        element_type_ = element;
        out_.is_double = element == onnx_pb::TensorProto_DataType_DOUBLE;
        if (type.tensor_type().has_shape()) {
            for (auto const& d : type.tensor_type().shape().dim()) {
                input_dims_.push_back(d.has_dim_value() && d.dim_value() > 0 ? d.dim_value() : -1);
            }
            rank_ = static_cast<int>(input_dims_.size());
        }
        auto const& result = graph_.output(0).type();
        if (result.has_tensor_type() && result.tensor_type().has_shape()) {
            output_rank_ = result.tensor_type().shape().dim_size();
        }
        return {};
    }

    // The product of the input's dimensions after the first (the batch), or
    // -1 when one is not known.
    std::int64_t features_after_batch() const
    {
        if (rank_ < 2) {
            return -1;
        }
        std::int64_t p = 1;
        for (std::size_t i = 1; i < input_dims_.size(); ++i) {
            if (input_dims_[i] < 0 || p > (std::int64_t{1} << 31)) {
                return -1;
            }
            p *= input_dims_[i];
        }
        return p;
    }

    // The one node that reads `tensor` (shape computations aside), -1 when
    // none does; several is a branch, which no chain of layers has.
    std::optional<onnx_problem> only_reader(std::string const& tensor, int& reader) const
    {
        reader = -1;
        auto const c = consumers_.find(tensor);
        if (c == consumers_.end() || c->second.empty()) {
            return {};
        }
        if (std::set<int>(c->second.begin(), c->second.end()).size() > 1) {
            return unsupported("the value '" + tensor + "' is read by " + std::to_string(c->second.size()) +
                               " nodes: ctnn reads a chain of layers, without branches");
        }
        reader = c->second.front();
        return {};
    }

    std::optional<onnx_problem> read_preamble()
    {
        int reader = -1;
        if (auto p = only_reader(input_, reader)) {
            return p;
        }
        if (reader < 0 || (node(reader).op_type() != "Flatten" && node(reader).op_type() != "Reshape")) {
            // The input is the first layer's: one vector per sample (middle dimensions of 1
            // are the batched form PyTorch gives a Linear layer as MatMul).
            for (int i = 1; i + 1 < rank_; ++i) {
                if (input_dims_[static_cast<std::size_t>(i)] != 1) {
                    return unsupported("has an input of " + std::to_string(rank_) +
                                       " dimensions: ctnn reads one vector per sample (flatten the input first)");
                }
            }
            features_ = rank_ >= 1 ? input_dims_.back() : -1;
            return {};
        }
        auto const& n = node(reader);
        bool const reshape = n.op_type() == "Reshape";
        if (n.input_size() != (reshape ? 2 : 1) || n.output_size() != 1) {
            return malformed("node " + node_name(reader) + " has " + std::to_string(n.input_size()) + " inputs and " +
                             std::to_string(n.output_size()) + " outputs");
        }
        if (n.input(0) != input_) {
            return unsupported("node " + node_name(reader) + " reads the input as its shape");
        }
        if (n.op_type() == "Flatten") {
            std::int64_t const axis = int_attribute(n, "axis", 1);
            if (rank_ < 1 || (axis < 0 ? axis + rank_ : axis) != 1) {
                return unsupported("node " + node_name(reader) + " flattens from axis " + std::to_string(axis) +
                                   ": ctnn reads a Flatten that keeps the batch (axis 1)");
            }
            rank_ = 2;
        } else {
            onnx_constant const* shape = nullptr;
            if (auto p = constant(n.input(1), shape)) {
                return p;
            }
            rank_ = shape != nullptr ? static_cast<int>(shape->values.size()) : output_rank_;
        }
        features_ = features_after_batch();
        if (features_ < 0) {
            return unsupported("flattens an input whose dimensions are not all given (" + node_name(reader) + ")");
        }
        flattened_ = true;
        used_.insert(reader);
        current_ = n.output(0);
        return {};
    }

    // A weight matrix: a constant, or a Transpose of one. Sets `rows`,
    // `columns` (as stored) and `transposed` (read through a Transpose).
    std::optional<onnx_problem> weight(std::string const& name, std::string const& reader,
                                       onnx_constant const*& w, bool& transposed)
    {
        transposed = false;
        if (auto p = constant(name, w)) {
            return p;
        }
        if (w == nullptr) {
            auto const p = producer_.find(name);
            if (p != producer_.end() && node(p->second).op_type() == "Transpose" && node(p->second).input_size() == 1) {
                auto const& t = node(p->second);
                auto const* perm = find_attribute(t, "perm");
                bool const swaps = perm == nullptr || (perm->ints_size() == 2 && perm->ints(0) == 1 && perm->ints(1) == 0);
                if (auto q = constant(t.input(0), w)) {
                    return q;
                }
                if (w != nullptr && swaps) {
                    used_.insert(p->second);
                    transposed = true;
                }
            }
        }
        if (w == nullptr) {
            return unsupported("the weights of " + reader + " are not constant (ctnn reads weights stored in the model)");
        }
        if (w->dims.size() != 2) {
            return unsupported("the weights of " + reader + " have " + std::to_string(w->dims.size()) +
                               " dimensions, not 2");
        }
        return check_type(*w, "weights of " + reader);
    }

    std::optional<onnx_problem> check_type(onnx_constant const& c, std::string const& what) const
    {
        if (c.type != element_type_) {
            return malformed("the " + what + " are " + onnx_type_name(c.type) + ", the input " +
                             onnx_type_name(element_type_));
        }
        return {};
    }

    // A bias of `units` values: a constant of that many values, or of one
    // value for all (ONNX broadcasts it).
    std::optional<onnx_problem> bias(std::string const& name, std::string const& reader, std::size_t units,
                                     std::vector<double>& b, bool& found)
    {
        onnx_constant const* c = nullptr;
        found = false;
        if (auto p = constant(name, c)) {
            return p;
        }
        if (c == nullptr) {
            return {};
        }
        if (auto p = check_type(*c, "bias of " + reader)) {
            return p;
        }
        std::size_t wide = 0; // dimensions of more than one value
        for (std::int64_t const d : c->dims) {
            wide += d == 1 ? 0 : 1;
        }
        if (c->values.size() == 1 && wide == 0) {
            b.assign(units, c->values[0]);
        } else if (c->values.size() == units && wide == 1 && c->dims.back() == static_cast<std::int64_t>(units)) {
            b = c->values;
        } else {
            return unsupported("the bias of " + reader + " does not have one value per unit");
        }
        found = true;
        return {};
    }

    std::optional<onnx_problem> read_linear(int i, std::size_t& units, std::string& z)
    {
        auto const& n = node(i);
        std::string const name = node_name(i);
        std::size_t const layer = out_.network.layers.size();
        if (n.input_size() < 2 || n.output_size() != 1) {
            return malformed("node " + name + " has " + std::to_string(n.input_size()) + " inputs and " +
                             std::to_string(n.output_size()) + " outputs");
        }
        if (n.input(0) != current_) {
            return unsupported("node " + name + " does not read the data as its first operand");
        }
        onnx_constant const* w = nullptr;
        bool through_transpose = false;
        if (auto p = weight(n.input(1), name, w, through_transpose)) {
            return p;
        }
        bool row_per_unit = through_transpose; // stored [units][inputs]
        std::vector<double> b;
        bool has_bias = false;
        std::string linear = n.op_type();
        if (n.op_type() == "Gemm") {
            if (int_attribute(n, "transA", 0) != 0) {
                return unsupported("node " + name + " transposes the data (transA)");
            }
            row_per_unit = row_per_unit != (int_attribute(n, "transB", 0) != 0);
            if (float_attribute(n, "alpha", 1.0f) != 1.0 || (n.input_size() > 2 && float_attribute(n, "beta", 1.0f) != 1.0)) {
                return unsupported("node " + name + " scales its product or its bias (alpha or beta not 1)");
            }
        }
        auto const rows = static_cast<std::size_t>(w->dims[0]);
        auto const columns = static_cast<std::size_t>(w->dims[1]);
        units = row_per_unit ? rows : columns;
        std::size_t const inputs = row_per_unit ? columns : rows;
        if (n.op_type() == "Gemm" && n.input_size() > 2 && !n.input(2).empty()) {
            if (auto p = bias(n.input(2), name, units, b, has_bias)) {
                return p;
            }
            if (!has_bias) {
                return unsupported("the bias of " + name + " is not constant");
            }
        }
        z = n.output(0);
        used_.insert(i);
        if (n.op_type() == "MatMul") {
            // Its bias, if the one node that reads the product adds a constant to it.
            auto const readers = consumers_.find(z);
            int const add = readers != consumers_.end() && readers->second.size() == 1 ? readers->second[0] : -1;
            if (add >= 0 && node(add).op_type() == "Add" && node(add).input_size() == 2 && node(add).output_size() == 1) {
                auto const& a = node(add);
                std::string const& other = a.input(0) == z ? a.input(1) : a.input(0);
                if (auto p = bias(other, node_name(add), units, b, has_bias)) {
                    return p;
                }
                if (has_bias) {
                    used_.insert(add);
                    z = a.output(0);
                    linear += " + Add";
                }
            }
        }
        if (units == 0 || inputs == 0) {
            return unsupported("the weights of " + name + " are empty");
        }
        if (features_ >= 0 && static_cast<std::size_t>(features_) != inputs) {
            return malformed(layer_text(layer) + " (" + name + ") reads " + std::to_string(inputs) + " values, " +
                             (layer == 0 ? std::string("the input has ") : "the layer before has ") +
                             std::to_string(features_));
        }
        if (layer == 0) {
            out_.network.inputs = inputs;
        }
        for (std::size_t o = 0; o < units; ++o) {
            for (std::size_t k = 0; k < inputs; ++k) {
                out_.network.parameters.push_back(row_per_unit ? w->values[o * inputs + k] : w->values[k * units + o]);
            }
        }
        for (std::size_t o = 0; o < units; ++o) {
            out_.network.parameters.push_back(has_bias ? b[o] : 0.0);
        }
        out_.sources.push_back({linear + " " + node_name(i).substr(0, node_name(i).find(" (")), {}});
        return {};
    }

    // What the nodes after a layer's linear operator compute, as an
    // expression of its output z; `segment` holds those nodes.
    std::optional<onnx_problem> expression(std::string const& tensor, std::string const& z, std::set<int> const& segment,
                                           std::set<int>& in_tree, std::size_t& budget, onnx_expr& e)
    {
        if (budget == 0) {
            return unsupported("the activation of " + layer_text(out_.network.layers.size()) +
                               " has too many operators to be one of ctnn's");
        }
        --budget;
        if (tensor == z) {
            e = onnx_x();
            return {};
        }
        onnx_constant const* c = nullptr;
        if (auto p = constant(tensor, c)) {
            return p;
        }
        if (c != nullptr) { // one value: its reader checked
            e = onnx_const(c->values[0], c->is_double());
            return {};
        }
        auto const p = producer_.find(tensor);
        if (p == producer_.end() || !segment.contains(p->second)) {
            return unsupported("the activation of " + layer_text(out_.network.layers.size()) + " reads '" + tensor +
                               "', which its layer does not compute");
        }
        int const i = p->second;
        auto const& n = node(i);
        in_tree.insert(i);
        if (n.op_type() == "Identity" || n.op_type() == "Dropout") {
            if (n.op_type() == "Dropout") {
                // Dropout is the identity in inference, unless told to train.
                onnx_constant const* training = nullptr;
                if (n.input_size() > 2 && !n.input(2).empty()) {
                    if (auto q = constant(n.input(2), training)) {
                        return q;
                    }
                    if (training == nullptr || training->values.size() != 1 || training->values[0] != 0.0) {
                        return unsupported("node " + node_name(i) + " drops values (training mode)");
                    }
                }
                if (n.output(0) != tensor) {
                    return unsupported("the mask of node " + node_name(i) + " is used");
                }
            }
            return expression(n.input(0), z, segment, in_tree, budget, e);
        }
        e = onnx_op(n.op_type(), {});
        if (n.op_type() == "LeakyRelu") {
            e.alpha = float_attribute(n, "alpha", 0.01f);
        } else if (n.op_type() == "Elu") {
            e.alpha = float_attribute(n, "alpha", 1.0f);
        } else if (n.op_type() == "Softmax") {
            softmax_node_ = i;
        }
        for (auto const& in : n.input()) {
            if (in.empty()) {
                continue;
            }
            if (auto q = constant(in, c)) {
                return q;
            }
            if (c != nullptr && c->values.size() != 1) {
                // An activation works on each value alone; a layer-wide constant is another
                // operator's (BatchNormalization's scales, a PReLU's slopes).
                return unsupported("node " + node_name(i) + " after " + layer_text(out_.network.layers.size()) +
                                   " is not supported: it reads '" + in + "', a constant of " +
                                   std::to_string(c->values.size()) + " values");
            }
            onnx_expr arg;
            if (auto q = expression(in, z, segment, in_tree, budget, arg)) {
                return q;
            }
            e.args.push_back(std::move(arg));
        }
        return {};
    }

    std::optional<onnx_problem> read_activation(std::string const& z, std::string& y)
    {
        std::size_t const layer = out_.network.layers.size();
        // The nodes from z up to the next linear operator or the graph's output.
        std::set<int> segment;
        std::vector<std::string> frontier{z};
        std::set<std::string> exits;
        while (!frontier.empty()) {
            std::string const t = frontier.back();
            frontier.pop_back();
            if (t == output_) {
                exits.insert(t);
            }
            auto const c = consumers_.find(t);
            if (c == consumers_.end()) {
                continue;
            }
            for (int const i : c->second) {
                if (node(i).op_type() == "Gemm" || node(i).op_type() == "MatMul") {
                    exits.insert(t);
                } else if (!used_.contains(i) && segment.insert(i).second) {
                    for (auto const& o : node(i).output()) {
                        frontier.push_back(o);
                    }
                }
            }
        }
        if (exits.size() != 1) {
            return unsupported("the output of " + layer_text(layer) +
                               (exits.empty() ? std::string(" reaches neither another layer nor the graph's output")
                                              : " branches into several layers or outputs"));
        }
        y = *exits.begin();
        std::set<int> in_tree;
        std::size_t budget = 256;
        onnx_expr e;
        softmax_node_ = -1;
        if (auto p = expression(y, z, segment, in_tree, budget, e)) {
            return p;
        }
        for (int const i : segment) {
            if (!in_tree.contains(i)) {
                return unsupported("node " + node_name(i) + " after " + layer_text(layer) +
                                   " computes what no layer uses");
            }
        }
        used_.insert(in_tree.begin(), in_tree.end());
        onnx_activation_match const m = match_activation(e);
        if (m.name.empty()) {
            return unsupported("the activation of " + layer_text(layer) + " is " + m.why_not);
        }
        if (m.name == activation_name<softmax>::value) {
            if (y != output_) {
                return unsupported(layer_text(layer) + " ends in Softmax, which ctnn allows only after the last layer");
            }
            if (auto p = check_softmax_axis()) {
                return p;
            }
        }
        out_.network.layers.push_back({0, std::string(m.name), 0, 0});
        out_.sources.back().activation = spell(canonical(e));
        return {};
    }

    std::optional<onnx_problem> check_softmax_axis() const
    {
        auto const& n = node(softmax_node_);
        std::int64_t const axis = int_attribute(n, "axis", out_.opset < 13 ? 1 : -1);
        // Before operator set 13, Softmax works on the values from `axis` to the end as
        // one vector; from 13 on, along `axis` alone. The layers' values are along the last
        // axis, with the batch before them and, in a batched MatMul, axes of 1 between.
        bool ok = false;
        if (rank_ > 0) {
            std::int64_t const a = axis < 0 ? axis + rank_ : axis;
            ok = out_.opset < 13 ? (a == rank_ - 1 || (a >= 1 && a < rank_)) : a == rank_ - 1;
        } else {
            ok = axis == -1;
        }
        if (!ok) {
            return unsupported("node " + node_name(softmax_node_) + " normalises along axis " + std::to_string(axis) +
                               ", not along the layer's values");
        }
        return {};
    }

    std::optional<onnx_problem> read_layers()
    {
        current_ = input_;
        if (auto p = read_preamble()) {
            return p;
        }
        if (!flattened_ && rank_ < 0) {
            rank_ = output_rank_;
        }
        while (current_ != output_) {
            int reader = -1;
            if (auto p = only_reader(current_, reader)) {
                return p;
            }
            std::size_t const layer = out_.network.layers.size();
            std::string const place = layer == 0 ? std::string("the input") : layer_text(layer - 1);
            if (reader < 0) {
                return malformed("nothing reads '" + current_ + "' (after " + place + "), which is not the output");
            }
            std::string const op = node(reader).op_type();
            if (op != "Gemm" && op != "MatMul") {
                return unsupported("node " + node_name(reader) + " after " + place +
                                   " is not supported: ctnn reads layers of Gemm or MatMul (+ Add), each followed by "
                                   "one of its activations (docs/import.md)");
            }
            std::size_t units = 0;
            std::string z;
            if (auto p = read_linear(reader, units, z)) {
                return p;
            }
            std::string y;
            if (auto p = read_activation(z, y)) {
                return p;
            }
            out_.network.layers.back().units = units;
            features_ = static_cast<std::int64_t>(units);
            current_ = y;
        }
        if (out_.network.layers.empty()) {
            return unsupported("has no layer (no Gemm or MatMul between its input and its output)");
        }
        int after = -1;
        if (auto p = only_reader(output_, after)) {
            return p;
        }
        if (after >= 0) {
            return unsupported("the graph's output is also read by node " + node_name(after));
        }
        return {};
    }

    onnx_pb::ModelProto const& model_;
    onnx_pb::GraphProto const& graph_;
    onnx_mlp& out_;
    std::map<std::string, onnx_pb::TensorProto const*> tensors_; // initializers and Constant values
    std::map<std::string, onnx_constant> constants_;             // read so far
    std::map<std::string, int> producer_;
    std::map<std::string, std::vector<int>> consumers_; // shape computations aside
    std::set<int> shape_nodes_;
    std::set<int> used_;
    std::string input_;
    std::string output_;
    std::string current_;
    int element_type_ = 0;
    std::vector<std::int64_t> input_dims_; // -1 where not given
    int rank_ = -1;                        // of the values the layers read; -1: not known
    int output_rank_ = -1;
    std::int64_t features_ = -1; // values the next layer reads; -1: not known yet
    bool flattened_ = false;
    int softmax_node_ = -1;
};

/// Reads an ONNX model's bytes as an MLP; `what` names them in messages.
inline file_result read_onnx_bytes(std::string const& bytes, std::string const& what, onnx_mlp& out)
{
    out = {};
    if (bytes.empty()) {
        return {file_error::malformed, load_error::ok, what + ": is empty, not an ONNX model"};
    }
    onnx_pb::ModelProto model;
    if (!model.ParseFromString(bytes)) {
        return {file_error::malformed, load_error::ok, what + ": is not an ONNX model (protobuf cannot parse it)"};
    }
    onnx_problem const p = onnx_graph_reader(model, out).read();
    if (p.error != file_error::ok) {
        out = {};
        return {p.error, load_error::ok, what + ": " + p.message};
    }
    return {};
}

} // namespace detail

} // namespace ctnn::io

#endif
