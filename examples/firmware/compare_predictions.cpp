// Compares the predictions a firmware run printed with the host's:
//   compare_predictions <expected> <actual>
// Lines "y <i> <x bits> <y bits>": every expected line must be in the output
// with the same input bits and a prediction within float rounding (4 ulp-ish:
// |Δ| <= 1e-6·max(1, |y|)); the output must end with "end".

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
        if (line == "end") {
            ended = true;
        }
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
        std::fprintf(stderr, "usage: %s <expected> <actual>\n", argv[0]);
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
    int exact = 0;
    for (auto const& [i, e] : expected) {
        auto const it = actual.find(i);
        if (it == actual.end()) {
            std::fprintf(stderr, "prediction %lu missing\n", i);
            ++failures;
            continue;
        }
        float const xe = std::bit_cast<float>(e.first);
        float const ye = std::bit_cast<float>(e.second);
        float const xa = std::bit_cast<float>(it->second.first);
        float const ya = std::bit_cast<float>(it->second.second);
        if (e.first != it->second.first) {
            std::fprintf(stderr, "input %lu differs: host %a, device %a\n", i, double(xe), double(xa));
            ++failures;
        } else if (!(std::fabs(ya - ye) <= 1e-6f * std::fmax(1.0f, std::fabs(ye)))) {
            std::fprintf(stderr, "prediction %lu differs: host %a, device %a\n", i, double(ye), double(ya));
            ++failures;
        } else if (e.second == it->second.second) {
            ++exact;
        }
    }
    if (!ended) {
        std::fprintf(stderr, "the run did not finish (no \"end\" line)\n");
        ++failures;
    }
    std::printf("%zu predictions compared, %d bit-identical to the host's, %d failures\n", expected.size(), exact,
                failures);
    return failures == 0 && !expected.empty() ? 0 : 1;
}
