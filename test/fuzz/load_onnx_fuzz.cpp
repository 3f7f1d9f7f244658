// libFuzzer target for ctnn::io::load_onnx (its reading of bytes). Properties checked on
// every input:
//   - reading never crashes, reads out of bounds or hits UB (ASan + UBSan);
//   - on an error the network is left unchanged;
//   - on success, the network saved again (save_onnx) reads back into the same parameters.
// Random bytes seldom make a model of a chain of layers, so when the first byte is odd the
// rest of the input edits a valid model instead: each group of three bytes overwrites one
// byte (a 16-bit position, a value), and a last group of two bytes, if any, cuts the model
// at that length. The reader's checks past protobuf's parsing are fuzzed that way.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/onnx.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {
using net_t = ctnn::network<float, ctnn::input<3>, ctnn::dense<4, ctnn::gelu>, ctnn::dense<3, ctnn::swish>,
                            ctnn::dense<2, ctnn::softmax>>;

net_t const& reference()
{
    static net_t const net = [] {
        net_t n{};
        ctnn::init::xavier_uniform(n, 1u);
        return n;
    }();
    return net;
}

std::string const& valid_model()
{
    static std::string const bytes = ctnn::io::detail::onnx_bytes(reference());
    return bytes;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    std::string bytes;
    if ((data[0] & 1U) == 0) {
        bytes.assign(reinterpret_cast<char const*>(data + 1), size - 1);
    } else {
        bytes = valid_model();
        std::size_t i = 1;
        for (; i + 3 <= size; i += 3) {
            std::size_t const at = static_cast<std::size_t>(data[i] | (data[i + 1] << 8U)) % bytes.size();
            bytes[at] = static_cast<char>(data[i + 2]);
        }
        if (i + 2 == size) {
            bytes.resize(static_cast<std::size_t>(data[i] | (data[i + 1] << 8U)) % (bytes.size() + 1));
        }
    }

    net_t net = reference();
    auto const r = ctnn::io::detail::load_onnx_bytes(net, bytes, "input");
    if (!r) {
        if (!(net == reference())) {
            std::abort(); // an error changed the network
        }
        return 0;
    }
    net_t again{};
    if (!ctnn::io::detail::load_onnx_bytes(again, ctnn::io::detail::onnx_bytes(net), "saved") ||
        !std::ranges::equal(again.parameters(), net.parameters(), [](float a, float b) {
            return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b); // NaNs too
        })) {
        std::abort(); // a model read did not survive being saved and read again
    }
    return 0;
}
