// A program outside the repository that reads and writes ONNX models through ctnn::onnx.
//   consumer_onnx            saves a network, reads it back; exit 0 if the parameters match
//   consumer_onnx <path>     saves the network to <path> (for ctnn-import)
#include <ctnn/ctnn.hpp>
#include <ctnn/io/onnx.hpp>

#include <cstdio>
#include <filesystem>

using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>>;

int main(int argc, char** argv)
{
    net_t net{};
    ctnn::init::xavier_uniform(net, 7u);
    std::filesystem::path const path =
        argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path() / "ctnn_consumer.onnx";
    if (auto const r = ctnn::io::save_onnx(net, path); !r) {
        std::puts(r.message.c_str());
        return 1;
    }
    if (argc > 1) {
        return 0;
    }
    net_t loaded{};
    auto const r = ctnn::io::load_onnx(loaded, path);
    std::filesystem::remove(path);
    std::puts(r ? "read back" : r.message.c_str());
    return r && loaded == net ? 0 : 1;
}
