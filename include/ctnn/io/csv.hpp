#ifndef CTNN_IO_CSV_HPP
#define CTNN_IO_CSV_HPP

/// \file
/// A reader for numeric CSV files with a fixed number of columns. Host-only.
/// Every row must have exactly `Columns` cells, each a finite number in the
/// range of the scalar type (leading and trailing spaces allowed); anything
/// else is an error naming the file, the line and column, and what was
/// expected there. A file without a row of data is an error too. A UTF-8
/// byte-order mark at the start of the file (spreadsheet programs write one)
/// is skipped.

#include <ctnn/detail/data_set.hpp>
#include <ctnn/io/data_result.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace ctnn::io {

struct csv_options {
    char delimiter = ',';
    /// Skip the first line (column names).
    bool header = false;
    /// Accept "nan", "inf" and "infinity" (any case, with a sign) as values.
    /// Off by default: a non-finite value in data makes every loss and
    /// gradient it reaches NaN, so it is an error unless asked for.
    bool allow_non_finite = false;
};

namespace detail {

inline std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

// The cell as it may be shown in a message: bytes that are not printable
// ASCII (a byte-order mark, a non-breaking space, a control character) are
// written as \xNN, so the message shows what the reader saw.
inline std::string visible(std::string_view cell)
{
    constexpr char const digits[] = "0123456789abcdef";
    std::string out;
    for (char const c : cell) {
        auto const byte = static_cast<unsigned char>(c);
        if (byte < 0x20U || byte >= 0x7fU) {
            out += "\\x";
            out += digits[byte >> 4U];
            out += digits[byte & 15U];
        } else {
            out += c;
        }
    }
    return out;
}

template <class T>
char const* scalar_name()
{
    return sizeof(T) == sizeof(float) ? "float" : sizeof(T) == sizeof(double) ? "double" : "long double";
}

} // namespace detail

/// Reads every row of a CSV file as `Columns` numbers.
template <class T, std::size_t Columns>
[[nodiscard]] data_result<std::vector<std::array<T, Columns>>> read_csv(std::string const& path,
                                                                        csv_options const& options = {})
{
    using rows = std::vector<std::array<T, Columns>>;
    std::ifstream in(path);
    if (!in) {
        return detail::failure<rows>(path, "", "cannot open the file (missing, or no permission)");
    }
    rows out;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (number == 1 && line.starts_with("\xEF\xBB\xBF")) {
            line.erase(0, 3); // UTF-8 byte-order mark
        }
        if (number == 1 && options.header) {
            continue;
        }
        if (detail::trim(line).empty()) {
            continue; // blank lines, e.g. at the end of the file
        }
        std::array<T, Columns> row{};
        std::string_view rest = line;
        std::size_t column = 0;
        while (true) {
            std::size_t const end = rest.find(options.delimiter);
            std::string_view const cell = detail::trim(rest.substr(0, end));
            if (column == Columns) {
                return detail::failure<rows>(path, "line " + std::to_string(number),
                                             "expected " + std::to_string(Columns) + " columns, found more");
            }
            std::string const position =
                "line " + std::to_string(number) + ", column " + std::to_string(column + 1);
            T value{};
            auto const [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
            if (ptr != cell.data() + cell.size() || cell.empty() || (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
                return detail::failure<rows>(path, position,
                                             "expected a number, found '" + detail::visible(cell) + "'");
            }
            if (ec == std::errc::result_out_of_range) {
                return detail::failure<rows>(path, position,
                                             std::string("number out of the range of ") + detail::scalar_name<T>() +
                                                 ": '" + std::string(cell) + "'");
            }
            if (!options.allow_non_finite && !std::isfinite(value)) {
                return detail::failure<rows>(path, position,
                                             "expected a finite number, found '" + std::string(cell) +
                                                 "' (csv_options::allow_non_finite accepts NaN and infinities)");
            }
            row[column++] = value;
            if (end == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(end + 1);
        }
        if (column != Columns) {
            return detail::failure<rows>(path, "line " + std::to_string(number),
                                         "expected " + std::to_string(Columns) + " columns, found " +
                                             std::to_string(column));
        }
        out.push_back(row);
    }
    if (in.bad()) {
        return detail::failure<rows>(path, "line " + std::to_string(number + 1), "read error");
    }
    if (out.empty()) {
        return detail::failure<rows>(path, "",
                                     "expected at least one row of " + std::to_string(Columns) + " numbers, found " +
                                         (number == 0 ? std::string("an empty file")
                                          : options.header  ? std::string("only the header")
                                                            : std::string("only blank lines")));
    }
    return {std::move(out), {}};
}

/// Splits rows of `In + Out` columns into inputs (the first `In`) and targets
/// (the last `Out`). `rows` is a data set as `fit` takes it (a `std::vector`,
/// a `std::span`, ... of `std::array`s), such as `read_csv`'s result.
template <std::size_t In, std::size_t Out, ctnn::detail::sample_set Rows>
[[nodiscard]] auto split_columns(Rows const& all_rows)
{
    using row = ctnn::detail::element_t<Rows>;
    using T = typename row::value_type;
    static_assert(std::tuple_size_v<row> == In + Out,
                  "ctnn::io::split_columns<In, Out>: the rows must have In + Out columns");
    auto const rows = ctnn::detail::as_span(all_rows);
    std::pair<std::vector<std::array<T, In>>, std::vector<std::array<T, Out>>> out;
    out.first.resize(rows.size());
    out.second.resize(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t c = 0; c < In; ++c) {
            out.first[r][c] = rows[r][c];
        }
        for (std::size_t c = 0; c < Out; ++c) {
            out.second[r][c] = rows[r][In + c];
        }
    }
    return out;
}

} // namespace ctnn::io

#endif
