// ctnn-import MODEL.onnx --name NAME [-o FILE] [--golden N]
//
// Turns an ONNX model of a multi-layer perceptron (what torch.onnx.export
// writes) into a C++ header of the form ctnn::io::write_header writes:
// NAME_type, the network type derived from the graph, and
// `inline constexpr NAME_type NAME`, the parameters. The header ends with a
// golden check: the outputs of the ONNX graph at N inputs (4 by default),
// which this command computes itself (graph_evaluator.hpp), and
// static_asserts that the constexpr network reproduces them within a
// tolerance derived from the scalar type (golden.hpp). A model imported
// wrongly then fails to compile. Prints what it found.
//
// Exit status: 0 written, 1 the model was refused or the header not written,
// 2 a usage error.

#include "golden.hpp"
#include "graph_evaluator.hpp"

#include <ctnn/io/header_export.hpp>
#include <ctnn/io/network_description.hpp>
#include <ctnn/io/onnx.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr char const* usage = "usage: ctnn-import MODEL.onnx --name NAME [-o FILE] [--golden N]\n"
                              "  --name NAME   the header defines NAME_type and NAME (a C++ identifier)\n"
                              "  -o FILE       the header to write (default: NAME.hpp)\n"
                              "  --golden N    inputs of the golden check (default 4; 0: none)\n";

struct options {
    fs::path model;
    std::string name;
    fs::path output;
    std::size_t golden = 4;
};

// Parses the arguments; returns false (having said why) on a usage error.
bool parse(int argc, char** argv, options& o, bool& help)
{
    help = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view const a = argv[i];
        bool const has_value = i + 1 < argc;
        if (a == "-h" || a == "--help") {
            help = true;
            return true;
        }
        if ((a == "--name" || a == "-o" || a == "--golden") && !has_value) {
            std::fprintf(stderr, "ctnn-import: %s needs a value\n", argv[i]);
            return false;
        }
        if (a == "--name") {
            o.name = argv[++i];
        } else if (a == "-o") {
            o.output = argv[++i];
        } else if (a == "--golden") {
            char* end = nullptr;
            unsigned long const n = std::strtoul(argv[++i], &end, 10);
            if (end == argv[i] || *end != '\0' || n > 64) {
                std::fprintf(stderr, "ctnn-import: --golden takes a number of inputs from 0 to 64\n");
                return false;
            }
            o.golden = n;
        } else if (!a.empty() && a.front() == '-') {
            std::fprintf(stderr, "ctnn-import: unknown option %s\n", argv[i]);
            return false;
        } else if (o.model.empty()) {
            o.model = argv[i];
        } else {
            std::fprintf(stderr, "ctnn-import: one model at a time (%s and %s)\n", o.model.c_str(), argv[i]);
            return false;
        }
    }
    if (o.model.empty() || o.name.empty()) {
        std::fprintf(stderr, "ctnn-import: %s\n", o.model.empty() ? "no model given" : "no --name given");
        return false;
    }
    if (o.output.empty()) {
        o.output = o.name + ".hpp";
    }
    return true;
}

template <class T>
int write(options const& o, ctnn::io::onnx_mlp const& mlp, ctnn::io::detail::onnx_pb::ModelProto const& model)
{
    auto const& net = mlp.network;
    ctnn::io::network_description<T> d{net.inputs, net.layers, {}};
    for (double const p : net.parameters) {
        d.parameters.push_back(static_cast<T>(p));
    }
    char const* const scalar = sizeof(T) == 4 ? "float" : "double";

    ctnn::io::header_options<T> h;
    h.generator = "ctnn-import from " + o.model.filename().string();
    double widest = 0.0;
    for (auto const& x : ctnn_import::golden_inputs(o.golden, net.inputs)) {
        ctnn_import::tensor y;
        std::string why;
        try {
            why = ctnn_import::evaluate(model, x, y);
        } catch (std::out_of_range const& e) {
            why = std::string("an operand is missing or out of range (") + e.what() + ")";
        }
        if (!why.empty()) {
            std::fprintf(stderr, "ctnn-import: %s: cannot evaluate the graph for the golden check: %s\n",
                         o.model.c_str(), why.c_str());
            return 1;
        }
        std::size_t const outputs = net.layers.back().units;
        if (y.values.size() % outputs != 0 || y.shape.empty() || y.shape.back() != static_cast<std::int64_t>(outputs)) {
            std::fprintf(stderr, "ctnn-import: %s: the graph's output does not have %zu values per sample\n",
                         o.model.c_str(), outputs);
            return 1;
        }
        y.values.resize(outputs); // the first sample's
        bool finite = true;
        for (double const v : y.values) {
            finite = finite && std::isfinite(v);
        }
        if (!finite) {
            std::printf("  golden input %zu skipped: the graph's outputs are not all finite there\n", h.golden.size());
            continue;
        }
        ctnn::io::golden_check<T> c;
        for (double const v : x) {
            c.input.push_back(static_cast<T>(v)); // multiples of 1/16 in [-2, 2]: exact
        }
        c.expected = y.values;
        c.tolerance = ctnn_import::golden_tolerance<T>(net, x);
        for (double const t : c.tolerance) {
            widest = std::max(widest, t);
        }
        h.golden.push_back(std::move(c));
    }
    h.golden_note = {
        "Golden check: the outputs of the ONNX graph " + o.model.filename().string() + " at " +
            std::to_string(h.golden.size()) + " inputs, computed by ctnn-import",
        "in double, operator by operator, without ctnn. A network read wrongly from the model fails",
        "these static_asserts. Each tolerance bounds the rounding errors of " + std::string(scalar) +
            " and double along the",
        "network (docs/import.md, \"The golden check\")."};

    if (auto const r = ctnn::io::write_header(d, o.output, o.name, h); !r) {
        std::fprintf(stderr, "ctnn-import: %s\n", r.message.c_str());
        return 1;
    }

    std::printf("%s: ONNX operator set %lld%s%s\n", o.model.c_str(), static_cast<long long>(mlp.opset),
                mlp.producer.empty() ? "" : ", written by ", mlp.producer.c_str());
    std::printf("  input: %zu values\n", net.inputs);
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        std::printf("  layer %zu: %s -> %zu units, then %s: ctnn::dense<%zu, ctnn::%s>\n", l,
                    mlp.sources[l].linear.c_str(), net.layers[l].units, mlp.sources[l].activation.c_str(),
                    net.layers[l].units, net.layers[l].activation.c_str());
    }
    std::printf("  %zu parameters (%s): %zu bytes of flash\n", d.parameters.size(), scalar,
                d.parameters.size() * sizeof(T));
    if (!h.golden.empty()) {
        std::printf("  golden check: %zu inputs, tolerances up to %.3g\n", h.golden.size(), widest);
    }
    std::printf("wrote %s: %s_type, %s\n", o.output.c_str(), o.name.c_str(), o.name.c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    options o;
    bool help = false;
    if (!parse(argc, argv, o, help)) {
        std::fputs(usage, stderr);
        return 2;
    }
    if (help) {
        std::fputs(usage, stdout);
        return 0;
    }
    std::string bytes;
    ctnn::io::onnx_mlp mlp;
    if (auto r = ctnn::io::detail::read_file(o.model, bytes); !r) {
        std::fprintf(stderr, "ctnn-import: %s\n", r.message.c_str());
        return 1;
    }
    if (auto r = ctnn::io::detail::read_onnx_bytes(bytes, o.model.string(), mlp); !r) {
        std::fprintf(stderr, "ctnn-import: %s\n", r.message.c_str());
        return 1;
    }
    ctnn::io::detail::onnx_pb::ModelProto model;
    if (!model.ParseFromString(bytes)) { // read_onnx_bytes has parsed the same bytes
        return 1;
    }
    return mlp.is_double ? write<double>(o, mlp, model) : write<float>(o, mlp, model);
}
