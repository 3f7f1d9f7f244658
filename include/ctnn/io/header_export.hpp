#ifndef CTNN_IO_HEADER_EXPORT_HPP
#define CTNN_IO_HEADER_EXPORT_HPP

/// \file
/// Host-only: exporting a trained network as a C++ header, so the model is
/// `constexpr` data (in flash on a microcontroller) and can be checked by
/// `static_assert`s and evaluated at compile time. For `write_header(net, path, "sine_model")`
/// the header defines
///
///     using sine_model_type = ctnn::network<...>;               // the topology
///     inline constexpr sine_model_type sine_model = ...;         // the parameters
///
/// Parameters are written as hexadecimal floating literals, so they round-trip
/// exactly; the header asserts the topology signature, the CRC-32 of the
/// parameters and the ctnn version it was written for.
///
/// The writer works on a `network_description`, so the same text comes from a
/// network (`write_header(net, ...)`) and from a model that exists only at run
/// time (`ctnn-import`, which adds golden checks: outputs the network must
/// reproduce, asserted at compile time).

#include <ctnn/io/model_file.hpp>
#include <ctnn/io/network_description.hpp>
#include <ctnn/serialize.hpp>
#include <ctnn/version.hpp>

#include <bit>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ctnn::io {

namespace detail {

template <class U>
std::string hex_bits(U bits)
{
    std::array<char, 24> text{};
    std::snprintf(text.data(), text.size(), "0x%llx", static_cast<unsigned long long>(bits));
    return text.data() + std::string(sizeof(U) == 4 ? "U" : "ULL");
}

template <class T>
std::string scalar_spelling()
{
    return sizeof(T) == 4 ? "float" : "double";
}

// An exact C++ literal for v: a hexadecimal floating literal, or a bit_cast of
// the bits for infinities and NaNs (which have no literal).
template <class T>
std::string exact_literal(T v)
{
    using bits_t = ctnn::detail::bits_t<T>;
    constexpr char const* suffix = sizeof(T) == 4 ? "f" : "";
    if (!std::isfinite(v)) {
        return "std::bit_cast<" + scalar_spelling<T>() + ">(" + hex_bits(std::bit_cast<bits_t>(v)) + ")";
    }
    std::array<char, 64> text{};
    auto const [end, ec] = std::to_chars(text.data(), text.data() + text.size(), std::abs(v), std::chars_format::hex);
    static_cast<void>(ec); // 64 characters always suffice
    return (std::signbit(v) ? "-0x" : "0x") + std::string(text.data(), end) + suffix;
}

// The comment line's description of a layer ("16 relu", "dropout 1/5") and
// its C++ spelling.
inline std::string layer_comment(layer_description const& l)
{
    if (l.is_dropout()) {
        return "dropout " + std::to_string(l.drop_num) + "/" + std::to_string(l.drop_den);
    }
    return std::to_string(l.units) + " " + l.activation;
}
inline std::string layer_spelling(layer_description const& l)
{
    if (l.is_dropout()) {
        return "ctnn::dropout<std::ratio<" + std::to_string(l.drop_num) + ", " + std::to_string(l.drop_den) + ">>";
    }
    return "ctnn::dense<" + std::to_string(l.units) + ", ctnn::" + l.activation + ">";
}

// A number for a message: 9 significant digits.
inline std::string short_number(double v)
{
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.9g", v);
    return text.data();
}

inline bool is_identifier(std::string_view name)
{
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) {
        return false;
    }
    for (char const c : name) {
        bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

// Why `name` cannot be the generated header's variable (empty when it can):
// the header declares `<name>` and `<name>_type` at namespace scope, so a
// keyword, an identifier reserved for the implementation, or the name of a
// namespace the header uses would make it fail to compile.
inline std::string unusable_name(std::string_view name)
{
    static constexpr std::string_view keywords[] = {
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
        "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
        "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
        "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
        "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
        "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
        "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
        "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
        "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};
    // The namespaces and macros the header names.
    static constexpr std::string_view used[] = {"ctnn", "std", "boost", "CTNN_VERSION_MAJOR", "CTNN_VERSION_MINOR",
                                                "CTNN_VERSION_PATCH"};
    if (!is_identifier(name)) {
        return "is not a C++ identifier";
    }
    for (std::string_view const k : keywords) {
        if (name == k) {
            return "is a C++ keyword";
        }
    }
    for (std::string_view const u : used) {
        if (name == u) {
            return "is a name the generated header uses itself";
        }
    }
    if (name.front() == '_' || name.find("__") != std::string_view::npos) {
        return "is reserved for the implementation (a leading underscore or two in a row)";
    }
    return {};
}

} // namespace detail

/// A check that a generated header makes of its network: at `input`, output
/// `i` must lie within `tolerance[i]` of `expected[i]` (ctnn-import writes the
/// outputs it computed from the ONNX graph).
template <class T>
struct golden_check {
    std::vector<T> input;
    std::vector<double> expected;
    std::vector<double> tolerance;
};

/// What a generated header says besides the network.
template <class T>
struct header_options {
    /// Named in the header's first line, "Generated by <generator>".
    std::string generator = "ctnn::io::write_header";
    /// Checked by `static_assert`s after the network; `golden_note` is the
    /// comment above them (lines without "// ").
    std::vector<golden_check<T>> golden;
    std::vector<std::string> golden_note;
};

/// Writes the network `d` describes as a C++ header defining `<name>_type`
/// (the network type) and `<name>` (an `inline constexpr` network holding the
/// parameters), followed by `options.golden`'s checks. `name` must be a C++
/// identifier that is not a keyword, not reserved (no leading underscore, no
/// two in a row) and not a name the header uses (`ctnn`, `std`, `boost`);
/// otherwise the result is `file_error::bad_argument` and nothing is written.
/// The header includes `<ctnn/ctnn.hpp>`.
template <class T>
[[nodiscard]] file_result write_header(network_description<T> const& d, std::filesystem::path const& path,
                                       std::string_view name, header_options<T> const& options = {})
{
    if (std::string const why = detail::unusable_name(name); !why.empty()) {
        return {file_error::bad_argument, load_error::ok, "write_header: the name \"" + std::string(name) + "\" " + why};
    }
    if (std::string const problem = check_description(d); !problem.empty()) {
        return {file_error::bad_argument, load_error::ok, "write_header: " + problem};
    }
    for (golden_check<T> const& g : options.golden) {
        if (g.input.size() != d.inputs || g.expected.size() != d.layers.back().units ||
            g.tolerance.size() != g.expected.size()) {
            return {file_error::bad_argument, load_error::ok,
                    "write_header: a golden check's input or outputs do not have the network's widths"};
        }
    }
    std::string const n(name);
    std::string const type = n + "_type";
    std::string guard = "CTNN_MODEL_";
    for (char const c : n) {
        guard += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    guard += "_HPP";

    std::string topology = std::to_string(d.inputs);
    std::string net_spelling =
        "ctnn::network<" + detail::scalar_spelling<T>() + ", ctnn::input<" + std::to_string(d.inputs) + ">";
    for (layer_description const& l : d.layers) {
        topology += " -> " + detail::layer_comment(l);
        net_spelling += ", " + detail::layer_spelling(l);
    }
    net_spelling += ">";
    std::string const signature = detail::hex32(topology_signature(d)) + "U";
    std::string const crc = detail::hex32(parameter_crc32(d)) + "U";
    std::string const version =
        std::to_string(CTNN_VERSION_MAJOR) + "." + std::to_string(CTNN_VERSION_MINOR) + "." + std::to_string(CTNN_VERSION_PATCH);

    std::string out;
    out += "// Generated by " + options.generator + " (ctnn " + version + "). Do not edit: regenerate it.\n";
    out += "// topology: " + detail::scalar_spelling<T>() + ", " + topology + "\n";
    out += "// topology signature " + signature + ", " + std::to_string(d.parameters.size()) +
           " parameters, parameter CRC-32 " + crc + "\n";
    out += "#ifndef " + guard + "\n#define " + guard + "\n\n";
    out += "#include <ctnn/ctnn.hpp>\n#include <ctnn/serialize.hpp>\n#include <ctnn/version.hpp>\n\n#include <bit>\n\n";
    out += "static_assert(CTNN_VERSION_MAJOR == " + std::to_string(CTNN_VERSION_MAJOR) +
           " && CTNN_VERSION_MINOR == " + std::to_string(CTNN_VERSION_MINOR) + ",\n              \"" + n +
           ": this header was generated by ctnn " + version + "; regenerate it with the ctnn you build with\");\n\n";
    out += "using " + type + " = " + net_spelling + ";\n\n";
    out += "inline constexpr " + type + " " + n + " = ctnn::from_parameters<" + type + ">({\n";
    std::size_t begin = 0;
    for (std::size_t l = 0; l < d.layers.size(); ++l) {
        if (d.layers[l].is_dropout()) {
            continue; // no parameters
        }
        std::size_t const in = d.input_width(l);
        std::size_t const units = d.layers[l].units;
        for (std::size_t part = 0; part < 2; ++part) {
            std::size_t const from = part == 0 ? begin : begin + units * in;
            std::size_t const to = part == 0 ? begin + units * in : begin + units * (in + 1);
            out += "    // layer " + std::to_string(l) + (part == 0 ? " weights [" : " biases [") + std::to_string(units) +
                   (part == 0 ? "][" + std::to_string(in) + "]\n" : "]\n");
            for (std::size_t i = from; i < to; ++i) {
                out += ((i - from) % 4 == 0 ? "    " : " ") + detail::exact_literal(d.parameters[i]) + ",";
                if ((i - from) % 4 == 3 || i + 1 == to) {
                    out += "\n";
                }
            }
        }
        begin += units * (in + 1);
    }
    out += "});\n\n";
    out += "static_assert(ctnn::topology_signature_v<" + type + "> == " + signature + ",\n              \"" + n +
           ": the topology signature differs from the exported one\");\n";
    out += "static_assert(ctnn::parameter_crc32(" + n + ") == " + crc + ",\n              \"" + n +
           ": the parameters differ from the exported ones (edited, or not read exactly)\");\n\n";
    if (!options.golden.empty()) {
        std::string const space = n + "_golden";
        for (std::string const& line : options.golden_note) {
            out += "// " + line + "\n";
        }
        out += "namespace " + space + " {\n";
        out += "constexpr bool within(double value, double expected, double tolerance)\n{\n"
               "    return value - expected <= tolerance && expected - value <= tolerance;\n}\n";
        for (std::size_t g = 0; g < options.golden.size(); ++g) {
            out += "inline constexpr " + type + "::output_type y" + std::to_string(g) + " = " + n + "({";
            for (std::size_t i = 0; i < d.inputs; ++i) {
                out += (i == 0 ? "" : ", ") + detail::exact_literal(options.golden[g].input[i]);
            }
            out += "});\n";
        }
        out += "} // namespace " + space + "\n";
        for (std::size_t g = 0; g < options.golden.size(); ++g) {
            golden_check<T> const& c = options.golden[g];
            for (std::size_t i = 0; i < c.expected.size(); ++i) {
                std::string const y = space + "::y" + std::to_string(g) + "[" + std::to_string(i) + "]";
                out += "static_assert(" + space + "::within(" + y + ", " + detail::exact_literal(c.expected[i]) +
                       ", " + detail::exact_literal(c.tolerance[i]) + "),\n              \"" + n + ": output " +
                       std::to_string(i) + " at golden input " + std::to_string(g) + " is not " +
                       detail::short_number(c.expected[i]) + " +- " + detail::short_number(c.tolerance[i]) +
                       ": the model was not imported correctly\");\n";
            }
        }
        out += "\n";
    }
    out += "#endif\n";
    return detail::write_file(path, out.data(), out.size());
}

/// Writes `net` as a C++ header defining `<name>_type` (the network type) and
/// `<name>` (an `inline constexpr` network holding `net`'s parameters), under
/// the rules for `name` above. Only networks of built-in activations can be
/// written (a custom activation's expression has no spelling the header could
/// use).
template <class T, class Input, class... Layers>
[[nodiscard]] file_result write_header(network<T, Input, Layers...> const& net, std::filesystem::path const& path,
                                       std::string_view name)
{
    return write_header(describe(net), path, name);
}

} // namespace ctnn::io

#endif
