// The exported header, compiled on the host: the model is usable in constant
// expressions, and the header's constexpr weights predict exactly what the
// trained network predicted (the host's expected file, argv[1]).

#include "sine_inputs.hpp"
#include "sine_model.hpp"

#include <ctnn/io/model_file.hpp>
#include <ctnn/serialize.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

// Inference at compile time, on the embedded weights.
constexpr float at_half_pi = sine_model({1.5707964f})[0];
static_assert(at_half_pi > 0.9f && at_half_pi < 1.1f);
static_assert(sine_model({0.0f})[0] > -0.1f && sine_model({0.0f})[0] < 0.1f);
// The generated type is the trainer's type, and its signature is the format's.
static_assert(std::is_same_v<sine_model_type, ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>,
                                                            ctnn::dense<16, ctnn::relu>, ctnn::dense<1, ctnn::identity>>>);
// The embedded model serializes and loads back at compile time.
static_assert([] {
    sine_model_type n{};
    return ctnn::deserialize(n, ctnn::serialize(sine_model)) == ctnn::load_error::ok && n == sine_model;
}());

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <expected.txt> [model.ctnn]\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1]);
    std::string tag;
    unsigned i = 0;
    std::string x;
    std::string y;
    int checked = 0;
    int failures = 0;
    while (in >> tag >> i >> x >> y) {
        float const xf = std::bit_cast<float>(static_cast<std::uint32_t>(std::stoul(x, nullptr, 16)));
        auto const ybits = static_cast<std::uint32_t>(std::stoul(y, nullptr, 16));
        float const got = sine_model({xf})[0];
        if (std::bit_cast<std::uint32_t>(got) != ybits || xf != fw::sine_input(i)) {
            std::fprintf(stderr, "point %u: header model gives %a, trained network gave %a\n", i, double(got),
                         double(std::bit_cast<float>(ybits)));
            ++failures;
        }
        ++checked;
    }
    // The binary file written from the same network loads into the same parameters.
    if (argc > 2) {
        sine_model_type loaded{};
        auto const r = ctnn::io::load(loaded, argv[2]);
        if (!r || loaded != sine_model) {
            std::fprintf(stderr, "binary model: %s\n", r ? "parameters differ" : r.message.c_str());
            ++failures;
        }
    }
    std::printf("%d predictions of the exported header checked, %d failures\n", checked, failures);
    return failures == 0 && checked == static_cast<int>(fw::sine_test_points) ? 0 : 1;
}
