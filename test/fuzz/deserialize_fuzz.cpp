// libFuzzer target for ctnn::deserialize. Properties checked on every input:
//   - deserialize never crashes, reads out of bounds or hits UB (ASan + UBSan);
//   - on an error the network is left unchanged;
//   - on success, serializing the network again gives back exactly the input bytes.
// Random bytes almost never carry a valid CRC-32, so when the first byte is odd the rest of
// the input gets a correct CRC before it is parsed: the parser's later checks and the
// success path are fuzzed too.

#include <ctnn/ctnn.hpp>
#include <ctnn/serialize.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>>;

net_t const& reference()
{
    static net_t const net = [] {
        net_t n{};
        ctnn::init::xavier_uniform(n, 1u);
        return n;
    }();
    return net;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    bool const fix_crc = (data[0] & 1U) != 0;
    std::vector<std::byte> bytes(size - 1);
    std::transform(data + 1, data + size, bytes.begin(), [](std::uint8_t b) { return std::byte{b}; });
    if (fix_crc && bytes.size() >= 4) {
        std::span<std::byte> const all(bytes);
        ctnn::detail::put_le(bytes.data() + bytes.size() - 4, ctnn::detail::crc32(all.first(all.size() - 4)));
    }

    net_t net = reference();
    ctnn::load_error const e = ctnn::deserialize(net, bytes);
    if (e != ctnn::load_error::ok) {
        if (!(net == reference())) {
            std::abort(); // an error changed the network
        }
        return 0;
    }
    auto const again = ctnn::serialize(net);
    if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin())) {
        std::abort(); // a loaded model did not round-trip byte for byte
    }
    return 0;
}
