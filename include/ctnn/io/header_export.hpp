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

#include <ctnn/io/model_file.hpp>
#include <ctnn/serialize.hpp>
#include <ctnn/version.hpp>

#include <bit>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace ctnn::io {

namespace detail {

// The C++ spelling of a built-in activation.
template <class Act>
std::string activation_spelling()
{
    static_assert(!activation_name<Act>::value.empty(),
                  "ctnn::io::write_header: only networks of built-in activations can be exported "
                  "(a custom activation's expression has no spelling the header could use)");
    return "ctnn::" + std::string(activation_name<Act>::value);
}

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
template <class Layer>
std::string layer_description()
{
    if constexpr (is_dropout_v<Layer>) {
        return "dropout " + std::to_string(Layer::rate::num) + "/" + std::to_string(Layer::rate::den);
    } else {
        return std::to_string(Layer::size) + " " + std::string(activation_name<typename Layer::activation_type>::value);
    }
}
template <class Layer>
std::string layer_spelling()
{
    if constexpr (is_dropout_v<Layer>) {
        return "ctnn::dropout<std::ratio<" + std::to_string(Layer::rate::num) + ", " +
               std::to_string(Layer::rate::den) + ">>";
    } else {
        return "ctnn::dense<" + std::to_string(Layer::size) + ", " +
               activation_spelling<typename Layer::activation_type>() + ">";
    }
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

/// Writes `net` as a C++ header defining `<name>_type` (the network type) and
/// `<name>` (an `inline constexpr` network holding `net`'s parameters).
/// `name` must be a C++ identifier that is not a keyword, not reserved (no
/// leading underscore, no two in a row) and not a name the header uses
/// (`ctnn`, `std`, `boost`); otherwise the result is `file_error::bad_argument`
/// and nothing is written. The header includes `<ctnn/ctnn.hpp>`.
template <class T, class Input, class... Layers>
[[nodiscard]] file_result write_header(network<T, Input, Layers...> const& net, std::filesystem::path const& path,
                                       std::string_view name)
{
    using net_t = network<T, Input, Layers...>;
    if (std::string const why = detail::unusable_name(name); !why.empty()) {
        return {file_error::bad_argument, load_error::ok, "write_header: the name \"" + std::string(name) + "\" " + why};
    }
    std::string const n(name);
    std::string const type = n + "_type";
    std::string guard = "CTNN_MODEL_";
    for (char const c : n) {
        guard += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    guard += "_HPP";

    std::string topology = std::to_string(Input::size);
    ((topology += " -> " + detail::layer_description<Layers>()), ...);
    std::string net_spelling = "ctnn::network<" + detail::scalar_spelling<T>() + ", ctnn::input<" +
                               std::to_string(Input::size) + ">";
    ((net_spelling += ", " + detail::layer_spelling<Layers>()), ...);
    net_spelling += ">";
    std::string const signature = detail::hex32(topology_signature_v<net_t>) + "U";
    std::string const crc = detail::hex32(parameter_crc32(net)) + "U";
    std::string const version =
        std::to_string(CTNN_VERSION_MAJOR) + "." + std::to_string(CTNN_VERSION_MINOR) + "." + std::to_string(CTNN_VERSION_PATCH);

    std::string out;
    out += "// Generated by ctnn::io::write_header (ctnn " + version + "). Do not edit: regenerate it.\n";
    out += "// topology: " + detail::scalar_spelling<T>() + ", " + topology + "\n";
    out += "// topology signature " + signature + ", " + std::to_string(net_t::parameter_count) +
           " parameters, parameter CRC-32 " + crc + "\n";
    out += "#ifndef " + guard + "\n#define " + guard + "\n\n";
    out += "#include <ctnn/ctnn.hpp>\n#include <ctnn/serialize.hpp>\n#include <ctnn/version.hpp>\n\n#include <bit>\n\n";
    out += "static_assert(CTNN_VERSION_MAJOR == " + std::to_string(CTNN_VERSION_MAJOR) +
           " && CTNN_VERSION_MINOR == " + std::to_string(CTNN_VERSION_MINOR) + ",\n              \"" + n +
           ": this header was generated by ctnn " + version + "; regenerate it with the ctnn you build with\");\n\n";
    out += "using " + type + " = " + net_spelling + ";\n\n";
    out += "inline constexpr " + type + " " + n + " = ctnn::from_parameters<" + type + ">({\n";
    for (std::size_t l = 0; l < net_t::depth; ++l) {
        if (!net_t::is_dense[l]) {
            continue; // dropout: no parameters
        }
        std::size_t const in = net_t::widths[l];
        std::size_t const units = net_t::widths[l + 1];
        std::size_t const begin = net_t::offsets[l];
        for (std::size_t part = 0; part < 2; ++part) {
            std::size_t const from = part == 0 ? begin : begin + units * in;
            std::size_t const to = part == 0 ? begin + units * in : begin + units * (in + 1);
            out += "    // layer " + std::to_string(l) + (part == 0 ? " weights [" : " biases [") + std::to_string(units) +
                   (part == 0 ? "][" + std::to_string(in) + "]\n" : "]\n");
            for (std::size_t i = from; i < to; ++i) {
                out += ((i - from) % 4 == 0 ? "    " : " ") + detail::exact_literal(net.parameters()[i]) + ",";
                if ((i - from) % 4 == 3 || i + 1 == to) {
                    out += "\n";
                }
            }
        }
    }
    out += "});\n\n";
    out += "static_assert(ctnn::topology_signature_v<" + type + "> == " + signature + ",\n              \"" + n +
           ": the topology signature differs from the exported one\");\n";
    out += "static_assert(ctnn::parameter_crc32(" + n + ") == " + crc + ",\n              \"" + n +
           ": the parameters differ from the exported ones (edited, or not read exactly)\");\n\n";
    out += "#endif\n";

    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) {
        return {file_error::cannot_open, load_error::ok, "cannot open " + path.string() + " for writing"};
    }
    file.write(out.data(), static_cast<std::streamsize>(out.size()));
    file.flush();
    if (!file) {
        return {file_error::write_failed, load_error::ok, "cannot write " + path.string()};
    }
    return {};
}

} // namespace ctnn::io

#endif
