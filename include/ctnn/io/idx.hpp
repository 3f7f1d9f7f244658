#ifndef CTNN_IO_IDX_HPP
#define CTNN_IO_IDX_HPP

/// \file
/// Readers for IDX files, the format of MNIST-style data sets (images and
/// labels), plain or gzip-compressed (read through zlib, which passes plain
/// files through). Host-only; link with zlib (`ZLIB::ZLIB`).
///
/// An IDX file is a big-endian header — two zero bytes, an element type code
/// (0x08: unsigned byte), the number of dimensions, then each dimension as a
/// 32-bit integer — followed by the elements in row-major order.

#include <ctnn/io/data_result.hpp>

#include <zlib.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ctnn::io {

/// An IDX file's dimensions and its unsigned-byte elements.
struct idx_data {
    std::vector<std::size_t> dimensions;
    std::vector<std::uint8_t> values;
};

namespace detail {

class gz_file {
public:
    explicit gz_file(std::string const& path) : file_(gzopen(path.c_str(), "rb")) {}
    gz_file(gz_file const&) = delete;
    gz_file& operator=(gz_file const&) = delete;
    ~gz_file()
    {
        if (file_ != nullptr) {
            gzclose(file_);
        }
    }
    [[nodiscard]] bool is_open() const noexcept { return file_ != nullptr; }

    /// Reads up to `n` bytes; returns how many were read, or -1 on a
    /// decompression error (see `error()`).
    long read(void* into, std::size_t n)
    {
        std::size_t total = 0;
        auto* bytes = static_cast<unsigned char*>(into);
        while (total < n) {
            std::size_t const chunk = n - total < (1U << 30U) ? n - total : (1U << 30U);
            int const got = gzread(file_, bytes + total, static_cast<unsigned>(chunk));
            if (got < 0) {
                return -1;
            }
            if (got == 0) {
                break;
            }
            total += static_cast<std::size_t>(got);
        }
        return static_cast<long>(total);
    }

    [[nodiscard]] std::string error() const
    {
        int code = 0;
        char const* message = gzerror(file_, &code);
        return message != nullptr ? message : "unknown zlib error";
    }

private:
    gzFile file_;
};

inline std::string hex_byte(unsigned v)
{
    char const digits[] = "0123456789abcdef";
    return std::string("0x") + digits[(v >> 4U) & 15U] + digits[v & 15U];
}

} // namespace detail

/// Reads an IDX file of unsigned bytes.
[[nodiscard]] inline data_result<idx_data> read_idx(std::string const& path)
{
    detail::gz_file file(path);
    if (!file.is_open()) {
        return detail::failure<idx_data>(path, "", "cannot open the file (missing, or no permission)");
    }
    unsigned char magic[4] = {};
    long const got = file.read(magic, 4);
    if (got < 0) {
        return detail::failure<idx_data>(path, "byte 0", "corrupt compressed data (" + file.error() + ")");
    }
    if (got < 4) {
        return detail::failure<idx_data>(path, "byte " + std::to_string(got),
                                         "truncated: expected a 4-byte IDX magic number, found end of file");
    }
    if (magic[0] != 0 || magic[1] != 0) {
        return detail::failure<idx_data>(path, "byte 0",
                                         "wrong magic number: expected 0x00 0x00 <type> <rank>, found " +
                                             detail::hex_byte(magic[0]) + " " + detail::hex_byte(magic[1]) +
                                             " (not an IDX file)");
    }
    if (magic[2] != 0x08) {
        return detail::failure<idx_data>(path, "byte 2",
                                         "unsupported element type: expected 0x08 (unsigned byte), found " +
                                             detail::hex_byte(magic[2]));
    }
    std::size_t const rank = magic[3];
    if (rank == 0) {
        return detail::failure<idx_data>(path, "byte 3", "expected at least one dimension, found 0");
    }
    idx_data result;
    std::size_t count = 1;
    for (std::size_t d = 0; d < rank; ++d) {
        unsigned char b[4] = {};
        long const n = file.read(b, 4);
        if (n != 4) {
            return detail::failure<idx_data>(path, "byte " + std::to_string(4 + 4 * d),
                                             n < 0 ? "corrupt compressed data (" + file.error() + ")"
                                                   : "truncated: expected dimension " + std::to_string(d + 1) +
                                                         " of " + std::to_string(rank) + ", found end of file");
        }
        std::size_t const size = (std::size_t{b[0]} << 24U) | (std::size_t{b[1]} << 16U) |
                                 (std::size_t{b[2]} << 8U) | std::size_t{b[3]};
        result.dimensions.push_back(size);
        count *= size;
    }
    std::size_t const header = 4 + 4 * rank;
    result.values.resize(count);
    long const n = file.read(result.values.data(), count);
    if (n < 0) {
        return detail::failure<idx_data>(path, "after byte " + std::to_string(header),
                                         "corrupt compressed data (" + file.error() + ")");
    }
    if (static_cast<std::size_t>(n) < count) {
        return detail::failure<idx_data>(path, "byte " + std::to_string(header + static_cast<std::size_t>(n)),
                                         "truncated: expected " + std::to_string(count) +
                                             " data bytes after the header, found " + std::to_string(n));
    }
    unsigned char extra = 0;
    if (file.read(&extra, 1) == 1) {
        return detail::failure<idx_data>(path, "byte " + std::to_string(header + count),
                                         "expected end of file after " + std::to_string(count) +
                                             " data bytes, found more data");
    }
    return {std::move(result), {}};
}

/// Reads IDX images as samples of `N` values each, scaled by `scale` (1/255
/// maps bytes to [0, 1]). The file's per-sample size (the product of every
/// dimension after the first) must be `N`, the network's input size.
template <class T, std::size_t N>
[[nodiscard]] data_result<std::vector<std::array<T, N>>> read_idx_samples(std::string const& path,
                                                                          T scale = T(1) / T(255))
{
    using samples = std::vector<std::array<T, N>>;
    auto raw = read_idx(path);
    if (!raw) {
        return {{}, raw.error};
    }
    std::size_t per_sample = 1;
    std::string shape;
    for (std::size_t d = 1; d < raw.data.dimensions.size(); ++d) {
        per_sample *= raw.data.dimensions[d];
        shape += (shape.empty() ? "" : "×") + std::to_string(raw.data.dimensions[d]);
    }
    if (per_sample != N) {
        return detail::failure<samples>(path, "header",
                                        "wrong dimensions for the network's input size: expected " +
                                            std::to_string(N) + " values per sample, found " +
                                            (shape.empty() ? std::string("1") : shape + " = " +
                                                                                    std::to_string(per_sample)));
    }
    samples out(raw.data.dimensions[0]);
    for (std::size_t s = 0; s < out.size(); ++s) {
        for (std::size_t i = 0; i < N; ++i) {
            out[s][i] = static_cast<T>(raw.data.values[s * N + i]) * scale;
        }
    }
    return {std::move(out), {}};
}

/// Reads IDX labels (a one-dimensional file) as class indices, each of which
/// must be below `classes`.
[[nodiscard]] inline data_result<std::vector<std::size_t>> read_idx_labels(std::string const& path,
                                                                          std::size_t classes)
{
    auto raw = read_idx(path);
    if (!raw) {
        return {{}, raw.error};
    }
    if (raw.data.dimensions.size() != 1) {
        return detail::failure<std::vector<std::size_t>>(
            path, "header",
            "expected a one-dimensional label file, found " + std::to_string(raw.data.dimensions.size()) +
                " dimensions");
    }
    std::vector<std::size_t> labels(raw.data.values.size());
    std::size_t const header = 8;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        labels[i] = raw.data.values[i];
        if (labels[i] >= classes) {
            return detail::failure<std::vector<std::size_t>>(
                path, "byte " + std::to_string(header + i) + " (label " + std::to_string(i) + ")",
                "expected a class below " + std::to_string(classes) + ", found " + std::to_string(labels[i]));
        }
    }
    return {std::move(labels), {}};
}

} // namespace ctnn::io

#endif
