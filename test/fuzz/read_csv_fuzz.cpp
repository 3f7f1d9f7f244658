// libFuzzer target for ctnn::io::read_csv. The input's first byte chooses the
// options (delimiter, header, allow_non_finite) and the scalar type; the rest
// is written to a file and read back. Properties checked on every input:
//   - read_csv never crashes, reads out of bounds or hits UB (ASan + UBSan);
//   - an error is a message that starts with the file's name, with no data;
//   - a success has at least one row and, unless asked for, no NaN or infinity.

#include "memory_file.hpp"

#include <ctnn/io/csv.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

ctnn_fuzz::memory_file const& input_file()
{
    static ctnn_fuzz::memory_file const file;
    return file;
}

template <class T, std::size_t Columns>
void check(std::string const& path, ctnn::io::csv_options const& options)
{
    auto const r = ctnn::io::read_csv<T, Columns>(path, options);
    if (!r) {
        if (r.error.rfind(path, 0) != 0 || !r.data.empty()) {
            std::abort(); // an error must name the file and carry no data
        }
        return;
    }
    if (r.data.empty()) {
        std::abort(); // a file without data is an error
    }
    for (auto const& row : r.data) {
        for (T const v : row) {
            if (!options.allow_non_finite && !std::isfinite(v)) {
                std::abort();
            }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    std::uint8_t const choice = data[0];
    std::string const& path = input_file().path();
    input_file().write(data + 1, size - 1);

    ctnn::io::csv_options const options{.delimiter = (choice & 1U) != 0 ? ';' : ',',
                                        .header = (choice & 2U) != 0,
                                        .allow_non_finite = (choice & 4U) != 0};
    if ((choice & 8U) != 0) {
        check<double, 1>(path, options);
    } else {
        check<float, 3>(path, options);
    }
    return 0;
}
