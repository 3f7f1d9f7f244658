// Compares the predictions a build of sine_firmware.cpp printed with PyTorch's:
//   compare_with_pytorch <pytorch predictions> <output of the program>
// Lines "y <i> <x bits> <y bits>": every prediction of PyTorch's must be in the output, at the
// same input bits, within the tolerance below; the output must end with "end".
//
// Tolerance: ctnn and PyTorch compute the same float operations in other orders (PyTorch's
// matrix products sum in blocks). Each of the model's outputs is a sum of 16 products of
// values below 4 in magnitude fed by two such layers, so the two results can differ by a few
// dozen roundings of 2^-24 on values up to about 10: 2^-16 (1.5e-5) of max(1, |y|) holds
// that with room, and is far below the model's error against sin(x) (about 1e-2).

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

namespace {
using table = std::map<unsigned long, std::pair<std::uint32_t, std::uint32_t>>;

bool read(char const* path, table& t, bool& ended)
{
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path);
        return false;
    }
    std::string line;
    while (std::getline(in, line)) {
        ended = ended || line == "end";
        std::istringstream s(line);
        std::string tag;
        unsigned long i = 0;
        std::string x;
        std::string y;
        if (s >> tag >> i >> x >> y && tag == "y") {
            t[i] = {static_cast<std::uint32_t>(std::stoul(x, nullptr, 16)),
                    static_cast<std::uint32_t>(std::stoul(y, nullptr, 16))};
        }
    }
    return true;
}
} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <pytorch predictions> <program output>\n", argv[0]);
        return 2;
    }
    table expected;
    table actual;
    bool unused = false;
    bool ended = false;
    if (!read(argv[1], expected, unused) || !read(argv[2], actual, ended)) {
        return 2;
    }
    int failures = 0;
    double worst = 0.0;
    for (auto const& [i, e] : expected) {
        auto const it = actual.find(i);
        if (it == actual.end() || it->second.first != e.first) {
            std::fprintf(stderr, "prediction %lu missing, or at another input\n", i);
            ++failures;
            continue;
        }
        double const want = std::bit_cast<float>(e.second);
        double const got = std::bit_cast<float>(it->second.second);
        double const difference = std::abs(got - want) / std::fmax(1.0, std::abs(want));
        worst = std::fmax(worst, difference);
        if (!(difference <= 0x1p-16)) {
            std::fprintf(stderr, "prediction %lu: PyTorch %a, ctnn %a\n", i, want, got);
            ++failures;
        }
    }
    if (!ended) {
        std::fprintf(stderr, "the run did not finish (no \"end\" line)\n");
        ++failures;
    }
    std::printf("%zu predictions compared with PyTorch's, largest difference %.3g of max(1, |y|), %d failures\n",
                expected.size(), worst, failures);
    return failures == 0 && !expected.empty() ? 0 : 1;
}
