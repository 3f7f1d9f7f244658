#ifndef CTNN_BENCHMARK_COMMON_HPP
#define CTNN_BENCHMARK_COMMON_HPP

// What every implementation in the benchmarks shares: the networks, their
// weights and data (identical for every implementation; problem.cpp), the
// check that an implementation reproduces ctnn's results; and, for the
// run-time benchmark (main.cpp), its reference results and the registration
// of its four timed tasks with Google Benchmark.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bench {

enum class act { identity, sigmoid, tanh, relu, linear_piece };

inline constexpr std::size_t batch_infer = 64; // samples in the batched inference
inline constexpr std::size_t batch_train = 32; // samples in the batched training step
inline constexpr float learning_rate = 0.01f;

struct spec {
    std::string name;         // "A" ... "E"
    std::vector<int> widths;  // input, hidden..., output
    act hidden;
    act output;
    std::size_t layers() const { return widths.size() - 1; }
    std::size_t inputs() const { return static_cast<std::size_t>(widths.front()); }
    std::size_t outputs() const { return static_cast<std::size_t>(widths.back()); }
    std::size_t parameter_count() const
    {
        std::size_t n = 0;
        for (std::size_t l = 0; l < layers(); ++l) {
            n += static_cast<std::size_t>(widths[l + 1]) * static_cast<std::size_t>(widths[l] + 1);
        }
        return n;
    }
    act activation(std::size_t layer) const { return layer + 1 == layers() ? output : hidden; }
};

/// Weights (ctnn's layout: per layer W row-major [out][in], then b), 64
/// inputs and 64 targets, all from a fixed seed.
struct problem {
    spec net;
    std::vector<float> parameters;
    std::vector<float> inputs;  // 64 × in, sample after sample
    std::vector<float> targets; // 64 × out
    float const* x(std::size_t s) const { return inputs.data() + s * net.inputs(); }
    float const* t(std::size_t s) const { return targets.data() + s * net.outputs(); }
};

/// What ctnn computes, which every other implementation must reproduce.
struct reference {
    std::vector<float> outputs;         // 64 × out
    std::vector<float> after_step;      // parameters after one SGD step on sample 0
    std::vector<float> after_batch;     // parameters after one SGD step on the mean gradient of samples 0..31
};

std::vector<spec> const& specs();                    // the executable's networks, defined by its main.cpp
problem const& get_problem(std::string const& name); // the problem of network `name` of specs()
reference const& get_reference(std::string const& name);

// Each implementation's translation unit registers its benchmarks.
void register_ctnn();
void register_textbook();
void register_eigen();
void register_fann();
void register_torch();

/// Raised in main: the checks failed somewhere (main then exits non-zero
/// before any timing).
inline int& failures()
{
    static int n = 0;
    return n;
}

inline bool close(float a, float b, float tolerance)
{
    float const scale = std::fmax(1.0f, std::fmax(std::fabs(a), std::fabs(b)));
    return std::fabs(a - b) <= tolerance * scale; // false for NaN
}

/// Compares `got` with `want`; prints the first mismatch.
inline bool check(std::string const& what, float const* got, std::vector<float> const& want, float tolerance)
{
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (!close(got[i], want[i], tolerance)) {
            std::fprintf(stderr, "MISMATCH %s: [%zu] got %.9g, want %.9g\n", what.c_str(), i, double(got[i]),
                         double(want[i]));
            ++failures();
            return false;
        }
    }
    return true;
}

/// Compares updated parameters through the step they took, (θ₀ − θ₁)/lr,
/// that is the gradient, which is what differs between implementations.
inline bool check_step(std::string const& what, std::vector<float> const& before, std::vector<float> const& got,
                       std::vector<float> const& want)
{
    if (got.size() != want.size()) {
        std::fprintf(stderr, "MISMATCH %s: %zu parameters, want %zu\n", what.c_str(), got.size(), want.size());
        ++failures();
        return false;
    }
    for (std::size_t i = 0; i < want.size(); ++i) {
        float const g = (before[i] - got[i]) / learning_rate;
        float const w = (before[i] - want[i]) / learning_rate;
        if (!close(g, w, 2e-3f)) {
            std::fprintf(stderr, "MISMATCH %s: parameter %zu: step/lr got %.9g, want %.9g\n", what.c_str(), i,
                         double(g), double(w));
            ++failures();
            return false;
        }
    }
    return true;
}

/// Compares impl.infer1(s) with the `outputs` of the batch_infer samples
/// (`out` values each) to 1e-4 relative; prints the first mismatch.
template <class Impl>
bool check_inference(std::string const& id, Impl& impl, std::vector<float> const& outputs, std::size_t out)
{
    for (std::size_t s = 0; s < batch_infer; ++s) {
        std::vector<float> want(outputs.begin() + long(s * out), outputs.begin() + long((s + 1) * out));
        if (!check(id + " infer1 sample " + std::to_string(s), impl.infer1(s), want, 1e-4f)) {
            return false;
        }
    }
    return true;
}

/// Registers the benchmark `name`: inference of one sample after another by impl.infer1.
template <class Impl>
void register_inference(std::string const& name, std::shared_ptr<Impl> impl)
{
    benchmark::RegisterBenchmark(name.c_str(), [impl](benchmark::State& st) {
        std::size_t s = 0;
        for (auto _ : st) {
            float const* y = impl->infer1(s);
            benchmark::DoNotOptimize(y);
            benchmark::ClobberMemory();
            s = (s + 1) % batch_infer;
        }
        st.counters["samples"] = 1;
    });
}

/// The main() of a benchmark executable: register_all() checks every
/// implementation against ctnn and registers the benchmarks of those that
/// agree; they are timed only if all agree (status 1 otherwise).
inline int run_benchmarks(int argc, char** argv, char const* program, void (*register_all)())
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    register_all();
    if (failures() != 0) {
        std::fprintf(stderr, "%s: %d implementation(s) disagree with ctnn; nothing timed\n", program, failures());
        return 1;
    }
    std::fprintf(stderr, "%s: every implementation agrees with ctnn\n", program);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

/// An implementation of one network: it owns its weights and a copy of the
/// problem's data in its own format (converted once, outside the timing).
///   float const* infer1(s)     output of sample s
///   float const* infer_batch() outputs of the 64 samples, one after another
///   void train1(s)             one SGD step on sample s
///   void train_batch()         one SGD step on the mean gradient of samples 0..31
///   std::vector<float> parameters() in ctnn's layout
template <class Impl>
void register_impl(std::string const& peer, problem const& p, reference const& ref,
                   std::function<std::unique_ptr<Impl>()> make, bool check_against_ref = true)
{
    std::string const id = p.net.name + "/" + peer;
    if (check_against_ref) {
        auto impl = make();
        bool ok = check_inference(id, *impl, ref.outputs, p.net.outputs());
        ok = ok && check(id + " infer_batch", impl->infer_batch(), ref.outputs, 1e-4f);
        ok = ok && check_step(id + " train1", p.parameters, (impl->train1(0), impl->parameters()), ref.after_step);
        impl = make();
        ok = ok && check_step(id + " train_batch", p.parameters, (impl->train_batch(), impl->parameters()),
                              ref.after_batch);
        if (!ok) {
            return; // not timed: main reports the failure and exits non-zero
        }
    }
    std::shared_ptr<Impl> infer = make();
    std::shared_ptr<Impl> train = make();
    auto const name = [&](char const* task) { return p.net.name + "/" + task + "/" + peer; };
    register_inference(name("infer1"), infer);
    benchmark::RegisterBenchmark(name("train1").c_str(), [train](benchmark::State& st) {
        std::size_t s = 0;
        for (auto _ : st) {
            train->train1(s);
            benchmark::ClobberMemory();
            s = (s + 1) % batch_train;
        }
        st.counters["samples"] = 1;
    });
    benchmark::RegisterBenchmark(name("infer64").c_str(), [infer](benchmark::State& st) {
        for (auto _ : st) {
            float const* y = infer->infer_batch();
            benchmark::DoNotOptimize(y);
            benchmark::ClobberMemory();
        }
        st.counters["samples"] = double(batch_infer);
    });
    benchmark::RegisterBenchmark(name("train32").c_str(), [train](benchmark::State& st) {
        for (auto _ : st) {
            train->train_batch();
            benchmark::ClobberMemory();
        }
        st.counters["samples"] = double(batch_train);
    });
}

// The element-wise functions, for the implementations written by hand.
inline float apply(act a, float z)
{
    switch (a) {
    case act::identity: return z;
    case act::sigmoid: return 1.0f / (1.0f + std::exp(-z));
    case act::tanh: return std::tanh(z);
    case act::relu: return z > 0.0f ? z : 0.0f;
    case act::linear_piece: return z < 0.0f ? 0.0f : (z > 1.0f ? 1.0f : z);
    }
    return z;
}

/// f'(z) from z and a = f(z). linear_piece: FANN 2.2's derivative, 1 everywhere.
inline float slope(act f, float z, float a)
{
    switch (f) {
    case act::identity: return 1.0f;
    case act::sigmoid: return a * (1.0f - a);
    case act::tanh: return 1.0f - a * a;
    case act::relu: return z > 0.0f ? 1.0f : 0.0f;
    case act::linear_piece: return 1.0f;
    }
    return 1.0f;
}

} // namespace bench

#endif
