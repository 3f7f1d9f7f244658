// Writes networks with ctnn::io::save_onnx for check_saved.py: for each, <name>.onnx and
// <name>.txt, whose lines are an input ("x v...") followed by ctnn's outputs there ("y v...").
// Usage: onnx_saved_examples <directory>

#include <ctnn/ctnn.hpp>
#include <ctnn/io/onnx.hpp>

#include <cstdio>
#include <filesystem>
#include <ratio>
#include <string>

namespace {

template <class Net>
bool write(std::filesystem::path const& dir, std::string const& name, unsigned seed)
{
    using T = typename Net::value_type;
    Net net{};
    ctnn::init::xavier_uniform(net, seed);
    if (auto const r = ctnn::io::save_onnx(net, dir / (name + ".onnx")); !r) {
        std::fprintf(stderr, "%s\n", r.message.c_str());
        return false;
    }
    std::FILE* out = std::fopen((dir / (name + ".txt")).c_str(), "w");
    if (out == nullptr) {
        return false;
    }
    for (int s = 0; s < 4; ++s) {
        typename Net::input_type x{};
        for (std::size_t i = 0; i < x.size(); ++i) {
            x[i] = static_cast<T>(static_cast<int>((i * 7 + static_cast<std::size_t>(s) * 5) % 13) - 6) / T(4);
        }
        std::fputs("x", out);
        for (T const v : x) {
            std::fprintf(out, " %.17g", static_cast<double>(v));
        }
        std::fputs("\ny", out);
        for (T const v : net(x)) {
            std::fprintf(out, " %.17g", static_cast<double>(v));
        }
        std::fputs("\n", out);
    }
    return std::fclose(out) == 0;
}

template <class T>
bool write_all(std::filesystem::path const& dir, std::string const& scalar)
{
    using namespace ctnn;
    return write<network<T, input<3>, dense<5, identity>, dense<4, sigmoid>, dense<2, tanh>>>(dir, "a_" + scalar, 1u) &&
           write<network<T, input<3>, dense<5, relu>, dense<4, leaky_relu>, dense<2, softplus>>>(dir, "b_" + scalar, 2u) &&
           write<network<T, input<3>, dense<5, swish>, dense<4, gelu>, dense<2, elu>>>(dir, "c_" + scalar, 3u) &&
           write<network<T, input<4>, dense<6, tanh>, dropout<std::ratio<1, 2>>, dense<3, softmax>>>(dir, "d_" + scalar,
                                                                                                    4u);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <directory>\n", argv[0]);
        return 2;
    }
    std::filesystem::create_directories(argv[1]);
    return write_all<float>(argv[1], "float") && write_all<double>(argv[1], "double") ? 0 : 1;
}
