#ifndef CTNN_IO_DATA_RESULT_HPP
#define CTNN_IO_DATA_RESULT_HPP

/// \file
/// The result of reading a data file: the data, or a message that names the
/// file, the position and what was expected there. Host-only.

#include <string>
#include <utility>

namespace ctnn::io {

/// Data read from a file, or why it could not be read. Converts to `true`
/// when reading worked; `error` is then empty.
template <class T>
struct data_result {
    T data{};
    /// "<file>: <position>: expected <...>, found <...>" (empty on success).
    std::string error;

    [[nodiscard]] explicit operator bool() const noexcept { return error.empty(); }
};

namespace detail {

template <class T>
data_result<T> failure(std::string const& file, std::string const& position, std::string const& what)
{
    data_result<T> result;
    result.error = file + (position.empty() ? "" : ": " + position) + ": " + what;
    return result;
}

} // namespace detail

} // namespace ctnn::io

#endif
