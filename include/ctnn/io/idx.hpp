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
///
/// The header's sizes are not trusted: a product of dimensions that does not
/// fit in `std::size_t` is an error, and the elements are read in chunks of
/// at most 1 MiB, so memory grows only with the data the file really holds.
/// A header that promises more than the file holds is refused when the data
/// runs out, after reading no more than the file (or, for gzip, its
/// decompressed stream).

#include <ctnn/io/data_result.hpp>

#include <zlib.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
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
    /// Whether zlib reads the file as it is (not gzip); known after the first read.
    [[nodiscard]] bool is_plain() const noexcept { return gzdirect(file_) == 1; }

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

// The product of dimensions[from, end), or nothing when a partial product
// does not fit in std::size_t (a header can name 255 dimensions of up to
// 2^32 − 1 each).
inline std::optional<std::size_t> dimension_product(std::vector<std::size_t> const& dimensions, std::size_t from)
{
    std::size_t product = 1;
    for (std::size_t d = from; d < dimensions.size(); ++d) {
        if (dimensions[d] != 0 && product > std::numeric_limits<std::size_t>::max() / dimensions[d]) {
            return std::nullopt;
        }
        product *= dimensions[d];
    }
    return product;
}

// "28×28": dimensions[from, end), the first eight of a longer list followed
// by "×… (n dimensions)" (a header may name 255).
inline std::string dimension_list(std::vector<std::size_t> const& dimensions, std::size_t from)
{
    constexpr std::size_t shown = 8;
    std::string list;
    for (std::size_t d = from; d < dimensions.size() && d < from + shown; ++d) {
        list += (list.empty() ? "" : "×") + std::to_string(dimensions[d]);
    }
    if (dimensions.size() > from + shown) {
        list += "×… (" + std::to_string(dimensions.size() - from) + " dimensions)";
    }
    return list;
}

// Appends up to `count` bytes of `file` to `into`, a chunk at a time, and
// returns how many were read (fewer at the end of the file), or nothing on a
// decompression error. The vector grows with what is read, never with what
// was promised: a header claiming gigabytes costs nothing until the data is
// there. `expected` (at most `count`), what the file's size suggests it
// holds, is reserved at once, so that an honest file is read without copying.
inline std::optional<std::size_t> read_chunks(gz_file& file, std::size_t count, std::size_t expected,
                                              std::vector<std::uint8_t>& into)
{
    constexpr std::size_t chunk = std::size_t{1} << 20U;
    into.reserve(expected < count ? expected : count);
    std::size_t total = 0;
    while (total < count) {
        std::size_t const want = count - total < chunk ? count - total : chunk;
        std::size_t const old = into.size();
        into.resize(old + want);
        long const got = file.read(into.data() + old, want);
        if (got < 0) {
            return std::nullopt;
        }
        into.resize(old + static_cast<std::size_t>(got));
        total += static_cast<std::size_t>(got);
        if (static_cast<std::size_t>(got) < want) {
            break;
        }
    }
    return total;
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
    }
    std::size_t const header = 4 + 4 * rank;
    std::optional<std::size_t> const elements = detail::dimension_product(result.dimensions, 0);
    if (!elements) {
        return detail::failure<idx_data>(path, "header",
                                         "dimensions " + detail::dimension_list(result.dimensions, 0) +
                                             " describe more elements than memory can address");
    }
    std::size_t const count = *elements;
    // What the file can hold: a plain file, the bytes after the header; a
    // gzip file, a few times its size (image data rarely compresses more; if
    // it does, the vector grows). Nothing when the size is unknown (a pipe).
    std::error_code no_size;
    std::uintmax_t const file_size = std::filesystem::file_size(path, no_size);
    std::size_t expected = 0;
    if (!no_size && file_size <= std::numeric_limits<std::size_t>::max() / 8) {
        auto const bytes = static_cast<std::size_t>(file_size);
        expected = file.is_plain() ? (bytes > header ? bytes - header : 0) : 8 * bytes;
    }
    std::optional<std::size_t> const n = detail::read_chunks(file, count, expected, result.values);
    if (!n) {
        return detail::failure<idx_data>(path, "after byte " + std::to_string(header),
                                         "corrupt compressed data (" + file.error() + ")");
    }
    if (*n < count) {
        return detail::failure<idx_data>(path, "byte " + std::to_string(header + *n),
                                         "truncated: expected " + std::to_string(count) +
                                             " data bytes after the header, found " + std::to_string(*n));
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
    // After a first dimension of 0 (no samples) the others may multiply
    // beyond std::size_t even though the file holds no elements.
    std::optional<std::size_t> const per_sample = detail::dimension_product(raw.data.dimensions, 1);
    if (!per_sample || *per_sample != N) {
        std::string const shape = detail::dimension_list(raw.data.dimensions, 1);
        std::string const product = per_sample ? std::to_string(*per_sample) : "more than memory can address";
        return detail::failure<samples>(path, "header",
                                        "wrong dimensions for the network's input size: expected " +
                                            std::to_string(N) + " values per sample, found " +
                                            (shape.empty() ? std::string("1") : shape + " = " + product));
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
