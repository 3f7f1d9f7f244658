#ifndef CTNN_IO_MODEL_FILE_HPP
#define CTNN_IO_MODEL_FILE_HPP

/// \file
/// Host-only: saving and loading ctnn's binary model files (the format is
/// described in `ctnn/serialize.hpp`). Errors are values carrying a message;
/// nothing here throws for a missing, unreadable or malformed file.

#include <ctnn/serialize.hpp>

#include <array>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ios>
#include <string>
#include <vector>

namespace ctnn::io {

/// What went wrong with a model file.
enum class file_error {
    ok = 0,
    cannot_open,  ///< missing, or no permission
    read_failed,  ///< the read stopped early
    write_failed, ///< the write stopped early (disk full, ...)
    bad_model,    ///< the bytes are not a model of this network: see `.model`
    bad_argument, ///< e.g. a name that is not a C++ identifier (write_header)
};

/// The result of `save` and `load`: true when it worked, otherwise the error
/// and a message naming the file and the problem.
struct file_result {
    file_error error = file_error::ok;
    load_error model = load_error::ok; ///< the format error when `error == bad_model`
    std::string message;

    [[nodiscard]] explicit operator bool() const noexcept { return error == file_error::ok; }
};

namespace detail {

inline std::string hex32(std::uint32_t v)
{
    std::array<char, 11> text{};
    std::snprintf(text.data(), text.size(), "0x%08x", static_cast<unsigned>(v));
    return text.data();
}

// The scalar type a model file's byte 6 names.
inline std::string scalar_code_name(unsigned code)
{
    return code == 1 ? "float" : code == 2 ? "double" : "unknown scalar type code " + std::to_string(code);
}

} // namespace detail

/// Writes `net` to `path` in ctnn's binary model format, replacing the file.
template <network_type Net>
[[nodiscard]] file_result save(Net const& net, std::filesystem::path const& path)
{
    auto const bytes = ctnn::serialize(net);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        return {file_error::cannot_open, load_error::ok, "cannot open " + path.string() + " for writing"};
    }
    out.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
        return {file_error::write_failed, load_error::ok, "cannot write " + path.string()};
    }
    return {};
}

/// Reads a model saved by `save` into `net`. On any error `net` is unchanged.
template <network_type Net>
[[nodiscard]] file_result load(Net& net, std::filesystem::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {file_error::cannot_open, load_error::ok, "cannot open " + path.string() + " for reading"};
    }
    // One byte more than a model: enough to tell "too long" from "exact".
    constexpr std::size_t expected = serialized_size_v<Net>;
    std::vector<std::byte> bytes(expected + 1);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) {
        return {file_error::read_failed, load_error::ok, "cannot read " + path.string()};
    }
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    load_error const e = ctnn::deserialize(net, bytes);
    if (e == load_error::ok) {
        return {};
    }
    std::string message = path.string() + ": " + std::string(to_string(e));
    if (e == load_error::wrong_scalar_type) {
        message += " (file: " + detail::scalar_code_name(static_cast<unsigned>(bytes[6])) +
                   "; network: " + detail::scalar_code_name(ctnn::detail::scalar_code<typename Net::value_type>) + ")";
    } else if (e == load_error::wrong_topology) {
        message += " (file: signature " + detail::hex32(ctnn::detail::get_le<std::uint32_t>(bytes.data() + 8)) +
                   ", " + std::to_string(ctnn::detail::get_le<std::uint32_t>(bytes.data() + 12)) +
                   " parameters; network: signature " + detail::hex32(topology_signature_v<Net>) + ", " +
                   std::to_string(Net::parameter_count) + " parameters)";
    } else if (e == load_error::truncated || e == load_error::trailing_data) {
        message += " (" + std::to_string(bytes.size()) + (e == load_error::trailing_data ? "+" : "") +
                   " bytes; a model of this network has " + std::to_string(expected) + ")";
    }
    return {file_error::bad_model, e, std::move(message)};
}

} // namespace ctnn::io

#endif
