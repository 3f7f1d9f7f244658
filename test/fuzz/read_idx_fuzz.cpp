// libFuzzer target for ctnn::io::read_idx and the two readers built on it,
// on plain and gzip files. The input's first byte chooses how the rest is
// written: as it is (a plain IDX file, or bytes that zlib may take for a
// gzip stream, corrupt or not), or gzip-compressed, so that the IDX parser is
// fuzzed behind the decompressor too. Properties checked on every input:
//   - no crash, out-of-bounds read or UB (ASan + UBSan), and memory that
//     grows with the file, not with its header (-malloc_limit_mb in CTest);
//   - an error is a message that starts with the file's name, with no data;
//   - a success holds exactly the product of its dimensions in bytes, and
//     read_idx_samples and read_idx_labels agree with it.

#include "memory_file.hpp"

#include <ctnn/io/idx.hpp>

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

bool holds_nothing(ctnn::io::idx_data const& d)
{
    return d.dimensions.empty() && d.values.empty();
}
template <class Data>
bool holds_nothing(Data const& d)
{
    return d.empty();
}

template <class Result>
void check_error(Result const& r, std::string const& path)
{
    if (!r && (r.error.rfind(path, 0) != 0 || !holds_nothing(r.data))) {
        std::abort(); // an error must name the file and carry no data
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    std::string const& path = input_file().path();
    if ((data[0] & 1U) != 0) {
        input_file().write_gzip(data + 1, size - 1);
    } else {
        input_file().write(data + 1, size - 1);
    }

    auto const raw = ctnn::io::read_idx(path);
    check_error(raw, path);
    auto const samples = ctnn::io::read_idx_samples<float, 4>(path);
    check_error(samples, path);
    auto const labels = ctnn::io::read_idx_labels(path, 10);
    check_error(labels, path);
    if (!raw) {
        if (samples || labels) {
            std::abort(); // both read through read_idx
        }
        return 0;
    }
    std::size_t product = 1;
    for (std::size_t const d : raw.data.dimensions) {
        product *= d; // no overflow: read_idx checked it
    }
    if (raw.data.dimensions.empty() || raw.data.values.size() != product) {
        std::abort();
    }
    if (samples && samples.data.size() != raw.data.dimensions[0]) {
        std::abort();
    }
    if (labels && labels.data.size() != raw.data.values.size()) {
        std::abort();
    }
    return 0;
}
