#ifndef CTNN_IO_CSV_HPP
#define CTNN_IO_CSV_HPP

/// \file
/// A reader for numeric CSV files with a fixed number of columns. Host-only.
/// Every row must have exactly `Columns` cells, each a number (leading and
/// trailing spaces allowed); anything else is an error naming the file, the
/// line and column, and what was expected there.

#include <ctnn/io/data_result.hpp>

#include <array>
#include <charconv>
#include <cstddef>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctnn::io {

struct csv_options {
    char delimiter = ',';
    /// Skip the first line (column names).
    bool header = false;
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
            double value = 0;
            auto const [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
            if (ec != std::errc{} || ptr != cell.data() + cell.size() || cell.empty()) {
                return detail::failure<rows>(path,
                                             "line " + std::to_string(number) + ", column " +
                                                 std::to_string(column + 1),
                                             "expected a number, found '" + std::string(cell) + "'");
            }
            row[column++] = static_cast<T>(value);
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
    return {std::move(out), {}};
}

/// Splits rows of `In + Out` columns into inputs (the first `In`) and targets
/// (the last `Out`).
template <std::size_t In, std::size_t Out, class T>
[[nodiscard]] std::pair<std::vector<std::array<T, In>>, std::vector<std::array<T, Out>>>
split_columns(std::span<std::array<T, In + Out> const> rows)
{
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
