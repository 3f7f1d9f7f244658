// The activations' math on its own (docs/benchmarks.md, "The activations' math"): ctnn::math
// against the C library's float functions, in the same run.
//
//   latency     16 values, each step feeding the previous step's results back through
//               f(x) * scale + offset: the time of one dependent evaluation (plus that
//               multiply-add and the round trip of the array through memory), what a
//               layer of a small network waits for.
//   throughput  f over 1024 independent values: time per value.
//
// The inputs stay where the activations work: tanh and sigmoid on [-4, 4], exp on [-1, 0].

#include <ctnn/math.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {

struct tanh_fn {
    static constexpr float scale = 3.0f, offset = 0.5f;
    static float ctnn(float x) { return ctnn::math::tanh(x); }
    static float libm(float x) { return std::tanh(x); }
};

struct sigmoid_fn {
    static constexpr float scale = 8.0f, offset = -4.0f;
    static float ctnn(float x) { return ctnn::math::sigmoid(x); }
    static float libm(float x) { return 1.0f / (1.0f + std::exp(-x)); }
};

struct exp_fn {
    static constexpr float scale = 0.5f, offset = -1.0f;
    static float ctnn(float x) { return ctnn::math::exp(x); }
    static float libm(float x) { return std::exp(x); }
};

template <class F, bool Ctnn>
float apply(float x)
{
    if constexpr (Ctnn) {
        return F::ctnn(x);
    } else {
        return F::libm(x);
    }
}

template <class F, bool Ctnn>
void latency(benchmark::State& state)
{
    std::array<float, 16> x{};
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = -0.9f + 0.1f * static_cast<float>(i);
    }
    for (auto _ : state) {
        for (float& v : x) {
            v = apply<F, Ctnn>(v) * F::scale + F::offset;
        }
        benchmark::DoNotOptimize(x);
    }
}

template <class F, bool Ctnn>
void throughput(benchmark::State& state)
{
    constexpr std::size_t n = 1024;
    std::array<float, n> in{}, out{};
    for (std::size_t i = 0; i < n; ++i) {
        in[i] = F::offset + F::scale * static_cast<float>(i) / static_cast<float>(n);
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(in);
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = apply<F, Ctnn>(in[i]);
        }
        benchmark::DoNotOptimize(out);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

} // namespace

BENCHMARK(latency<tanh_fn, true>)->Name("math/tanh/latency/ctnn");
BENCHMARK(latency<tanh_fn, false>)->Name("math/tanh/latency/libm");
BENCHMARK(throughput<tanh_fn, true>)->Name("math/tanh/throughput/ctnn");
BENCHMARK(throughput<tanh_fn, false>)->Name("math/tanh/throughput/libm");
BENCHMARK(latency<sigmoid_fn, true>)->Name("math/sigmoid/latency/ctnn");
BENCHMARK(latency<sigmoid_fn, false>)->Name("math/sigmoid/latency/libm");
BENCHMARK(throughput<sigmoid_fn, true>)->Name("math/sigmoid/throughput/ctnn");
BENCHMARK(throughput<sigmoid_fn, false>)->Name("math/sigmoid/throughput/libm");
BENCHMARK(latency<exp_fn, true>)->Name("math/exp/latency/ctnn");
BENCHMARK(latency<exp_fn, false>)->Name("math/exp/latency/libm");
BENCHMARK(throughput<exp_fn, true>)->Name("math/exp/throughput/ctnn");
BENCHMARK(throughput<exp_fn, false>)->Name("math/exp/throughput/libm");

BENCHMARK_MAIN();
