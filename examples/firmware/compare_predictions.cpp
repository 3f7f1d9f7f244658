// Compares the predictions a firmware run printed with the host's:
//   compare_predictions <expected> <reference> <actual>
// <expected>: lines "y <i> <x bits> <y bits>", the host's ctnn predictions.
// <reference>: lines "reference <i> <y> <bound>" (hexadecimal floating
// literals), the model evaluated in double and the bound on how far any float
// evaluation may be from it (train_sine.cpp says why).
// <actual>: the firmware's output, with a "y" line (ctnn) and a "hand" line
// (the hand-written loop) per input, ending with "end".
// For every expected input, both lines must be there with the same input
// bits; ctnn's prediction must be within float rounding of the host's
// (|Δ| <= 1e-6·max(1, |y|), a few ulp: the same sums in the same order give
// the same bits, and the test prints how many were); and both predictions,
// ctnn's and the hand loop's, must be within the bound of the reference.

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

namespace {
struct point {
    std::uint32_t x = 0;
    std::uint32_t y = 0;
};
using table = std::map<unsigned long, point>;

struct reference {
    double y = 0;
    double bound = 0;
};

struct output {
    table predictions; // tag "y"
    table hand_loop;   // tag "hand"
    std::map<unsigned long, reference> references;
    bool ended = false;
};

bool read(char const* path, output& out)
{
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path);
        return false;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line == "end") {
            out.ended = true;
        }
        std::istringstream s(line);
        std::string tag;
        unsigned long i = 0;
        std::string first;
        std::string second;
        if (!(s >> tag >> i >> first >> second)) {
            continue;
        }
        if (tag == "y" || tag == "hand") {
            (tag == "y" ? out.predictions : out.hand_loop)[i] = {
                static_cast<std::uint32_t>(std::stoul(first, nullptr, 16)),
                static_cast<std::uint32_t>(std::stoul(second, nullptr, 16))};
        } else if (tag == "reference") {
            out.references[i] = {std::strtod(first.c_str(), nullptr), std::strtod(second.c_str(), nullptr)};
        }
    }
    return true;
}

float as_float(std::uint32_t bits) { return std::bit_cast<float>(bits); }
} // namespace

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s <expected> <reference> <actual>\n", argv[0]);
        return 2;
    }
    output expected;
    output reference;
    output actual;
    if (!read(argv[1], expected) || !read(argv[2], reference) || !read(argv[3], actual)) {
        return 2;
    }
    int failures = 0;
    int exact = 0;
    int hand_exact = 0;
    double largest_difference = 0; // between the hand loop and ctnn
    double smallest_bound = INFINITY;
    for (auto const& [i, e] : expected.predictions) {
        auto const y = actual.predictions.find(i);
        auto const h = actual.hand_loop.find(i);
        auto const r = reference.references.find(i);
        if (y == actual.predictions.end() || h == actual.hand_loop.end() || r == reference.references.end()) {
            std::fprintf(stderr, "point %lu: a prediction or the reference is missing\n", i);
            ++failures;
            continue;
        }
        if (e.x != y->second.x || e.x != h->second.x) {
            std::fprintf(stderr, "input %lu differs: host %a, device %a and %a\n", i, double(as_float(e.x)),
                         double(as_float(y->second.x)), double(as_float(h->second.x)));
            ++failures;
            continue;
        }
        float const host = as_float(e.y);
        float const ctnn = as_float(y->second.y);
        float const hand = as_float(h->second.y);
        if (!(std::fabs(ctnn - host) <= 1e-6f * std::fmax(1.0f, std::fabs(host)))) {
            std::fprintf(stderr, "prediction %lu differs: host %a, device %a\n", i, double(host), double(ctnn));
            ++failures;
        }
        auto const [y_double, bound] = r->second;
        for (auto const& [name, value] : {std::pair{"ctnn", ctnn}, std::pair{"hand loop", hand}}) {
            if (!(std::fabs(static_cast<double>(value) - y_double) <= bound)) {
                std::fprintf(stderr, "point %lu: %s predicts %a, %g from the double evaluation %a (bound %g)\n", i,
                             name, double(value), std::fabs(static_cast<double>(value) - y_double), y_double, bound);
                ++failures;
            }
        }
        exact += e.y == y->second.y ? 1 : 0;
        hand_exact += h->second.y == y->second.y ? 1 : 0;
        largest_difference = std::fmax(largest_difference, std::fabs(static_cast<double>(hand) - ctnn));
        smallest_bound = std::fmin(smallest_bound, bound);
    }
    if (!actual.ended) {
        std::fprintf(stderr, "the run did not finish (no \"end\" line)\n");
        ++failures;
    }
    std::printf("%zu predictions compared, %d failures: ctnn bit-identical to the host's in %d; the hand-written "
                "loop bit-identical to ctnn in %d, at most %g from it; both within the bound of the double "
                "evaluation (the smallest bound: %g)\n",
                expected.predictions.size(), failures, exact, hand_exact, largest_difference, smallest_bound);
    return failures == 0 && !expected.predictions.empty() ? 0 : 1;
}
