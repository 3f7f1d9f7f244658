#ifndef CTNN_TOOLS_CTNN_IMPORT_GRAPH_EVALUATOR_HPP
#define CTNN_TOOLS_CTNN_IMPORT_GRAPH_EVALUATOR_HPP

// ctnn-import's own evaluation of an ONNX graph: the nodes in their order,
// each operator as the ONNX specification defines it, in double, with plain
// loops over tensors of any shape. It shares nothing with ctnn's kernels nor
// with the reader that turns the graph into layers (it uses only the reading
// of constant tensors), so the outputs it computes can check both: the header
// ctnn-import writes asserts that the network it holds reproduces them.

#include <ctnn/io/detail/onnx_proto.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace ctnn_import {

namespace onnx_pb = ctnn::io::detail::onnx_pb;

/// A tensor: its dimensions and its values, row-major.
struct tensor {
    std::vector<std::int64_t> shape;
    std::vector<double> values;
};

namespace detail {

inline std::size_t element_count(std::vector<std::int64_t> const& shape)
{
    std::size_t n = 1;
    for (std::int64_t const d : shape) {
        n *= static_cast<std::size_t>(d);
    }
    return n;
}

inline std::vector<std::size_t> strides_of(std::vector<std::int64_t> const& shape)
{
    std::vector<std::size_t> s(shape.size(), 1);
    for (std::size_t i = shape.size(); i-- > 1;) {
        s[i - 1] = s[i] * static_cast<std::size_t>(shape[i]);
    }
    return s;
}

// A binary operator with numpy's broadcasting (ONNX's multidirectional broadcasting).
inline bool broadcast(tensor const& a, tensor const& b, std::function<double(double, double)> const& f, tensor& out,
                      std::string& error)
{
    std::size_t const rank = std::max(a.shape.size(), b.shape.size());
    auto padded = [&](std::vector<std::int64_t> const& s) {
        std::vector<std::int64_t> p(rank - s.size(), 1);
        p.insert(p.end(), s.begin(), s.end());
        return p;
    };
    auto const sa = padded(a.shape);
    auto const sb = padded(b.shape);
    out.shape.assign(rank, 1);
    for (std::size_t i = 0; i < rank; ++i) {
        if (sa[i] != sb[i] && sa[i] != 1 && sb[i] != 1) {
            error = "shapes that do not broadcast";
            return false;
        }
        out.shape[i] = std::max(sa[i], sb[i]);
    }
    auto const ta = strides_of(sa);
    auto const tb = strides_of(sb);
    auto const to = strides_of(out.shape);
    out.values.resize(element_count(out.shape));
    for (std::size_t k = 0; k < out.values.size(); ++k) {
        std::size_t ia = 0;
        std::size_t ib = 0;
        for (std::size_t i = 0; i < rank; ++i) {
            std::size_t const index = k / to[i] % static_cast<std::size_t>(out.shape[i]);
            ia += sa[i] == 1 ? 0 : index * ta[i];
            ib += sb[i] == 1 ? 0 : index * tb[i];
        }
        out.values[k] = f(a.values[ia], b.values[ib]);
    }
    return true;
}

// A [rows][columns] view of a matrix held as a tensor, optionally transposed.
struct matrix {
    tensor const& t;
    bool transposed;
    std::size_t rows() const { return static_cast<std::size_t>(t.shape[transposed ? 1 : 0]); }
    std::size_t columns() const { return static_cast<std::size_t>(t.shape[transposed ? 0 : 1]); }
    double at(std::size_t r, std::size_t c) const
    {
        return transposed ? t.values[c * static_cast<std::size_t>(t.shape[1]) + r]
                          : t.values[r * static_cast<std::size_t>(t.shape[1]) + c];
    }
};

inline double attribute_float(onnx_pb::NodeProto const& n, char const* name, float otherwise)
{
    return ctnn::io::detail::float_attribute(n, name, otherwise);
}

inline std::vector<std::int64_t> attribute_ints(onnx_pb::NodeProto const& n, char const* name)
{
    std::vector<std::int64_t> v;
    if (auto const* a = ctnn::io::detail::find_attribute(n, name)) {
        v.assign(a->ints().begin(), a->ints().end());
    }
    return v;
}

// An axis as a position in a tensor of `rank` dimensions.
inline std::size_t axis_of(std::int64_t axis, std::size_t rank)
{
    return static_cast<std::size_t>(axis < 0 ? axis + static_cast<std::int64_t>(rank) : axis);
}

} // namespace detail

/// Evaluates `model`'s graph on one sample: every sample of the graph's
/// input (a batch of 1 when its size is not given) holds `input`; the
/// dimension after the batch that is not given is what the number of values
/// makes it. Returns an empty string and the graph's output in `output` (the
/// first sample's values come first), or what stopped the evaluation. (An
/// operand missing or out of range throws std::out_of_range.)
inline std::string evaluate(onnx_pb::ModelProto const& model, std::vector<double> const& input, tensor& output)
{
    using namespace detail;
    auto const& g = model.graph();
    std::int64_t opset = 0;
    for (auto const& o : model.opset_import()) {
        if (o.domain().empty() || o.domain() == "ai.onnx") {
            opset = o.version();
        }
    }
    std::map<std::string, tensor> values;
    for (auto const& t : g.initializer()) {
        ctnn::io::detail::onnx_constant c;
        if (std::string const why = ctnn::io::detail::read_constant(t, c); !why.empty()) {
            return "initializer '" + t.name() + "': " + why;
        }
        values[t.name()] = {c.dims, c.values};
    }
    for (auto const& in : g.input()) {
        if (values.contains(in.name())) {
            continue;
        }
        tensor x;
        auto const& dims = in.type().tensor_type().shape().dim();
        bool const batched = dims.size() > 1;
        std::size_t sample = 1; // values per sample, where given
        int unknown = -1;
        for (int i = 0; i < dims.size(); ++i) {
            std::int64_t const d = dims[i].has_dim_value() && dims[i].dim_value() > 0 ? dims[i].dim_value() : -1;
            x.shape.push_back(d < 0 ? 1 : d);
            if (batched && i == 0) {
                continue;
            }
            if (d < 0) {
                unknown = i;
            } else {
                sample *= static_cast<std::size_t>(d);
            }
        }
        if (unknown >= 0 && sample > 0 && input.size() % sample == 0) {
            x.shape[static_cast<std::size_t>(unknown)] = static_cast<std::int64_t>(input.size() / sample);
            sample = input.size();
        }
        if (sample != input.size()) {
            return "the input '" + in.name() + "' does not hold samples of " + std::to_string(input.size()) + " values";
        }
        for (std::size_t i = 0; i < element_count(x.shape); ++i) {
            x.values.push_back(input[i % input.size()]);
        }
        values[in.name()] = std::move(x);
    }

    for (auto const& n : g.node()) {
        std::vector<tensor const*> in;
        for (auto const& name : n.input()) {
            if (name.empty()) {
                in.push_back(nullptr);
                continue;
            }
            auto const v = values.find(name);
            if (v == values.end()) {
                return "node '" + n.name() + "' reads '" + name + "' before it is computed";
            }
            in.push_back(&v->second);
        }
        std::string const& op = n.op_type();
        tensor out;
        std::string error;
        auto unary = [&](auto f) {
            out.shape = in.at(0)->shape;
            out.values.resize(in[0]->values.size());
            std::transform(in[0]->values.begin(), in[0]->values.end(), out.values.begin(), f);
        };
        auto binary = [&](auto f) { return broadcast(*in.at(0), *in.at(1), f, out, error); };
        bool ok = true;
        if (op == "Constant") {
            ctnn::io::detail::onnx_constant c;
            auto const* value = ctnn::io::detail::find_attribute(n, "value");
            auto const* value_float = ctnn::io::detail::find_attribute(n, "value_float");
            if (value != nullptr) {
                error = ctnn::io::detail::read_constant(value->t(), c);
                out = {c.dims, c.values};
            } else if (value_float != nullptr) {
                out = {{}, {static_cast<double>(value_float->f())}};
            } else {
                error = "a Constant without a value";
            }
            ok = error.empty();
        } else if (op == "Identity" || op == "Dropout" || op == "Cast") {
            out = *in.at(0); // Dropout: the identity in inference; values are doubles here whatever their type
        } else if (op == "Relu") {
            unary([](double v) { return v > 0 ? v : 0.0; });
        } else if (op == "LeakyRelu") {
            double const alpha = attribute_float(n, "alpha", 0.01f);
            unary([&](double v) { return v >= 0 ? v : alpha * v; });
        } else if (op == "Elu") {
            double const alpha = attribute_float(n, "alpha", 1.0f);
            unary([&](double v) { return v >= 0 ? v : alpha * std::expm1(v); });
        } else if (op == "Tanh") {
            unary([](double v) { return std::tanh(v); });
        } else if (op == "Sigmoid") {
            unary([](double v) { return v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v)); });
        } else if (op == "Softplus") {
            unary([](double v) { return std::max(v, 0.0) + std::log1p(std::exp(-std::abs(v))); });
        } else if (op == "Exp") {
            unary([](double v) { return std::exp(v); });
        } else if (op == "Log") {
            unary([](double v) { return std::log(v); });
        } else if (op == "Sqrt") {
            unary([](double v) { return std::sqrt(v); });
        } else if (op == "Erf") {
            unary([](double v) { return std::erf(v); });
        } else if (op == "Neg") {
            unary([](double v) { return -v; });
        } else if (op == "Add") {
            ok = binary([](double a, double b) { return a + b; });
        } else if (op == "Sub") {
            ok = binary([](double a, double b) { return a - b; });
        } else if (op == "Mul") {
            ok = binary([](double a, double b) { return a * b; });
        } else if (op == "Div") {
            ok = binary([](double a, double b) { return a / b; });
        } else if (op == "Pow") {
            ok = binary([](double a, double b) { return std::pow(a, b); });
        } else if (op == "Gemm") {
            matrix const a{*in.at(0), ctnn::io::detail::int_attribute(n, "transA", 0) != 0};
            matrix const b{*in.at(1), ctnn::io::detail::int_attribute(n, "transB", 0) != 0};
            double const alpha = attribute_float(n, "alpha", 1.0f);
            double const beta = attribute_float(n, "beta", 1.0f);
            if (a.t.shape.size() != 2 || b.t.shape.size() != 2 || a.columns() != b.rows()) {
                return "node '" + n.name() + "': Gemm of shapes that do not multiply";
            }
            tensor product{{static_cast<std::int64_t>(a.rows()), static_cast<std::int64_t>(b.columns())}, {}};
            product.values.resize(a.rows() * b.columns());
            for (std::size_t r = 0; r < a.rows(); ++r) {
                for (std::size_t c = 0; c < b.columns(); ++c) {
                    double sum = 0.0;
                    for (std::size_t k = 0; k < a.columns(); ++k) {
                        sum += a.at(r, k) * b.at(k, c);
                    }
                    product.values[r * b.columns() + c] = alpha * sum;
                }
            }
            if (in.size() > 2 && in[2] != nullptr) {
                ok = broadcast(product, *in[2], [&](double p, double c) { return p + beta * c; }, out, error);
            } else {
                out = std::move(product);
            }
        } else if (op == "MatMul") {
            // numpy's matmul: a vector operand gets a dimension of 1 (then loses it), the
            // dimensions before the last two broadcast.
            tensor a = *in.at(0);
            tensor b = *in.at(1);
            if (a.shape.empty() || b.shape.empty()) {
                return "node '" + n.name() + "': MatMul of a scalar";
            }
            bool const a_vector = a.shape.size() == 1;
            bool const b_vector = b.shape.size() == 1;
            if (a_vector) {
                a.shape.insert(a.shape.begin(), 1);
            }
            if (b_vector) {
                b.shape.push_back(1);
            }
            std::size_t const m = static_cast<std::size_t>(a.shape[a.shape.size() - 2]);
            std::size_t const k = static_cast<std::size_t>(a.shape.back());
            std::size_t const p = static_cast<std::size_t>(b.shape.back());
            if (static_cast<std::size_t>(b.shape[b.shape.size() - 2]) != k) {
                return "node '" + n.name() + "': MatMul of shapes that do not multiply";
            }
            tensor batch_a{{a.shape.begin(), a.shape.end() - 2}, {}};
            tensor batch_b{{b.shape.begin(), b.shape.end() - 2}, {}};
            batch_a.values.resize(element_count(batch_a.shape));
            batch_b.values.resize(element_count(batch_b.shape));
            std::iota(batch_a.values.begin(), batch_a.values.end(), 0.0);
            std::iota(batch_b.values.begin(), batch_b.values.end(), 0.0);
            tensor pairs; // which matrices of a and b each output matrix multiplies, as indices
            std::vector<std::pair<std::size_t, std::size_t>> which;
            if (!broadcast(batch_a, batch_b,
                           [&](double i, double j) {
                               which.emplace_back(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
                               return 0.0;
                           },
                           pairs, error)) {
                return "node '" + n.name() + "': MatMul of " + error;
            }
            out.shape = pairs.shape;
            out.shape.push_back(static_cast<std::int64_t>(m));
            out.shape.push_back(static_cast<std::int64_t>(p));
            out.values.assign(which.size() * m * p, 0.0);
            for (std::size_t w = 0; w < which.size(); ++w) {
                for (std::size_t r = 0; r < m; ++r) {
                    for (std::size_t c = 0; c < p; ++c) {
                        double sum = 0.0;
                        for (std::size_t j = 0; j < k; ++j) {
                            sum += a.values[which[w].first * m * k + r * k + j] * b.values[which[w].second * k * p + j * p + c];
                        }
                        out.values[w * m * p + r * p + c] = sum;
                    }
                }
            }
            if (a_vector) {
                out.shape.erase(out.shape.end() - 2);
            }
            if (b_vector) {
                out.shape.pop_back();
            }
        } else if (op == "Softmax") {
            tensor const& x = *in.at(0);
            std::size_t const rank = x.shape.size();
            std::size_t const axis = axis_of(ctnn::io::detail::int_attribute(n, "axis", opset < 13 ? 1 : -1), rank);
            // Before operator set 13 the dimensions from `axis` on form one vector; from 13 on
            // the vectors run along `axis`.
            std::size_t inner = 1;
            std::size_t length = 1;
            for (std::size_t i = axis; i < rank; ++i) {
                (opset < 13 || i == axis ? length : inner) *= static_cast<std::size_t>(x.shape[i]);
            }
            out = x;
            for (std::size_t start = 0; start < x.values.size(); ++start) {
                if (start / inner % length != 0) {
                    continue; // not the first value of a vector
                }
                double top = -INFINITY;
                for (std::size_t i = 0; i < length; ++i) {
                    top = std::max(top, x.values[start + i * inner]);
                }
                double total = 0.0;
                for (std::size_t i = 0; i < length; ++i) {
                    total += std::exp(x.values[start + i * inner] - top);
                }
                for (std::size_t i = 0; i < length; ++i) {
                    out.values[start + i * inner] = std::exp(x.values[start + i * inner] - top) / total;
                }
            }
        } else if (op == "Flatten") {
            tensor const& x = *in.at(0);
            std::size_t const axis = axis_of(ctnn::io::detail::int_attribute(n, "axis", 1), x.shape.size());
            std::int64_t outer = 1;
            for (std::size_t i = 0; i < axis; ++i) {
                outer *= x.shape.at(i);
            }
            out = {{outer, static_cast<std::int64_t>(x.values.size()) / std::max<std::int64_t>(outer, 1)}, x.values};
        } else if (op == "Reshape") {
            tensor const& x = *in.at(0);
            out.values = x.values;
            std::int64_t known = 1;
            int infer = -1;
            for (std::size_t i = 0; i < in.at(1)->values.size(); ++i) {
                auto d = static_cast<std::int64_t>(in[1]->values[i]);
                if (d == 0) {
                    d = x.shape.at(i); // "copy the dimension" (allowzero = 0)
                }
                if (d == -1) {
                    infer = static_cast<int>(i);
                } else {
                    known *= d;
                }
                out.shape.push_back(d);
            }
            if (infer >= 0 && known > 0) {
                out.shape[static_cast<std::size_t>(infer)] = static_cast<std::int64_t>(x.values.size()) / known;
            }
            ok = std::ranges::all_of(out.shape, [](std::int64_t d) { return d >= 0; }) &&
                 element_count(out.shape) == x.values.size();
            error = "a Reshape to a different number of values";
        } else if (op == "Transpose") {
            tensor const& x = *in.at(0);
            std::vector<std::int64_t> perm = attribute_ints(n, "perm");
            if (perm.empty()) {
                for (std::size_t i = x.shape.size(); i-- > 0;) {
                    perm.push_back(static_cast<std::int64_t>(i));
                }
            }
            for (std::int64_t const p : perm) {
                out.shape.push_back(x.shape.at(static_cast<std::size_t>(p)));
            }
            auto const from = strides_of(x.shape);
            auto const to = strides_of(out.shape);
            out.values.resize(x.values.size());
            for (std::size_t k = 0; k < out.values.size(); ++k) {
                std::size_t source = 0;
                for (std::size_t i = 0; i < perm.size(); ++i) {
                    source += k / to[i] % static_cast<std::size_t>(out.shape[i]) * from[static_cast<std::size_t>(perm[i])];
                }
                out.values[k] = x.values[source];
            }
        } else if (op == "Shape") {
            tensor const& x = *in.at(0);
            out.shape = {static_cast<std::int64_t>(x.shape.size())};
            for (std::int64_t const d : x.shape) {
                out.values.push_back(static_cast<double>(d));
            }
        } else if (op == "Gather") {
            // Of a vector (a shape), as x.size(0) needs.
            tensor const& x = *in.at(0);
            tensor const& index = *in.at(1);
            if (x.shape.size() != 1) {
                return "node '" + n.name() + "': Gather is evaluated of vectors only";
            }
            out.shape = index.shape;
            for (double const i : index.values) {
                auto const k = static_cast<std::int64_t>(i);
                out.values.push_back(x.values.at(static_cast<std::size_t>(k < 0 ? k + x.shape[0] : k)));
            }
        } else if (op == "Unsqueeze" || op == "Squeeze") {
            // The axes: an attribute before operator set 13, an input from 13 on.
            tensor const& x = *in.at(0);
            std::vector<std::int64_t> axes = attribute_ints(n, "axes");
            if (in.size() > 1 && in[1] != nullptr) {
                for (double const a : in[1]->values) {
                    axes.push_back(static_cast<std::int64_t>(a));
                }
            }
            out.values = x.values;
            if (op == "Unsqueeze") {
                std::size_t const rank = x.shape.size() + axes.size();
                std::vector<bool> added(rank, false);
                for (std::int64_t const a : axes) {
                    added.at(axis_of(a, rank)) = true;
                }
                for (std::size_t i = 0, j = 0; i < rank; ++i) {
                    out.shape.push_back(added[i] ? 1 : x.shape.at(j++));
                }
            } else {
                for (std::size_t i = 0; i < x.shape.size(); ++i) {
                    bool const removed = axes.empty() ? x.shape[i] == 1
                                                      : std::ranges::any_of(axes, [&](std::int64_t a) {
                                                            return axis_of(a, x.shape.size()) == i;
                                                        });
                    if (!removed) {
                        out.shape.push_back(x.shape[i]);
                    }
                }
            }
        } else if (op == "Concat") {
            // Of vectors (shapes).
            for (tensor const* t : in) {
                out.values.insert(out.values.end(), t->values.begin(), t->values.end());
            }
            out.shape = {static_cast<std::int64_t>(out.values.size())};
        } else {
            return "node '" + n.name() + "': the operator " + op + " is not one ctnn-import evaluates";
        }
        if (!ok) {
            return "node '" + n.name() + "' (" + op + "): " + error;
        }
        for (int o = 0; o < n.output_size(); ++o) {
            if (!n.output(o).empty()) {
                values[n.output(o)] = out; // Dropout's mask (unused) gets the values too
            }
        }
    }
    auto const result = values.find(g.output(0).name());
    if (result == values.end()) {
        return "no node computes the output '" + g.output(0).name() + "'";
    }
    output = result->second;
    return {};
}

} // namespace ctnn_import

#endif
