// The problems of both benchmarks: weights and data of a network from a fixed
// seed, the same for every implementation, built once per network of specs().

#include "common.hpp"

#include <cmath>
#include <cstdint>
#include <map>

namespace bench {
namespace {

// A 64-bit LCG: the same numbers on every platform and compiler.
struct lcg {
    std::uint64_t state;
    float uniform(float lo, float hi)
    {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        float const u = float(state >> 40) / float(1ull << 24);
        return lo + (hi - lo) * u;
    }
};

problem make_problem(spec const& s)
{
    problem p{s, {}, {}, {}};
    lcg rng{0x5eed0000u + std::uint64_t(s.name[0])};
    for (std::size_t l = 0; l < s.layers(); ++l) {
        int const in = s.widths[l];
        int const out = s.widths[l + 1];
        float const limit = std::sqrt(6.0f / float(in + out)); // Xavier uniform
        for (int k = 0; k < in * out; ++k) {
            p.parameters.push_back(rng.uniform(-limit, limit));
        }
        for (int k = 0; k < out; ++k) {
            p.parameters.push_back(rng.uniform(-0.1f, 0.1f));
        }
    }
    for (std::size_t k = 0; k < batch_infer * s.inputs(); ++k) {
        p.inputs.push_back(rng.uniform(-1.0f, 1.0f));
    }
    bool const unit = s.output == act::sigmoid;
    for (std::size_t k = 0; k < batch_infer * s.outputs(); ++k) {
        p.targets.push_back(unit ? rng.uniform(0.1f, 0.9f) : rng.uniform(-1.0f, 1.0f));
    }
    return p;
}

} // namespace

problem const& get_problem(std::string const& name)
{
    static std::map<std::string, problem> const all = [] {
        std::map<std::string, problem> m;
        for (spec const& s : specs()) {
            m.emplace(s.name, make_problem(s));
        }
        return m;
    }();
    return all.at(name);
}

} // namespace bench
