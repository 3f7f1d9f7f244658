// ctnn's benchmark against dynamic libraries: the problems, then every
// implementation's check against ctnn's results, then the timing. Any
// mismatch ends the program with status 1 before anything is timed.

#include "common.hpp"

#include <cmath>
#include <cstdint>
#include <map>

namespace bench {

std::vector<spec> const& specs()
{
    static std::vector<spec> const all{
        {"A", {2, 3, 1}, act::sigmoid, act::sigmoid},
        {"B", {8, 32, 32, 4}, act::tanh, act::identity},
        {"C", {64, 32, 10}, act::relu, act::identity},
        {"D", {784, 128, 10}, act::relu, act::identity},
        {"E", {1, 16, 16, 1}, act::relu, act::identity},
    };
    return all;
}

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

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    bench::register_ctnn();
    bench::register_textbook();
#ifdef CTNN_BENCH_HAVE_EIGEN
    bench::register_eigen();
#endif
#ifdef CTNN_BENCH_HAVE_FANN
    bench::register_fann();
#endif
#ifdef CTNN_BENCH_HAVE_TORCH
    bench::register_torch();
#endif
    if (bench::failures() != 0) {
        std::fprintf(stderr, "ctnn_benchmark: %d implementation(s) disagree with ctnn; nothing timed\n",
                     bench::failures());
        return 1;
    }
    std::fprintf(stderr, "ctnn_benchmark: every implementation agrees with ctnn (outputs and updates)\n");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
