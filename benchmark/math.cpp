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
// ctnn's tanh and sigmoid run as a layer runs them (detail::activate: explicit vectors of the
// lane form); its exp, which no layer applies on its own, through the compiler's vectorisation
// of the scalar function.

#include <ctnn/layer/dense.hpp>
#include <ctnn/math.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace {

struct tanh_fn {
    using activation = ctnn::tanh;
    static constexpr float scale = 3.0f, offset = 0.5f;
    static float ctnn(float x) { return ctnn::math::tanh(x); }
    static float libm(float x) { return std::tanh(x); }
};

struct sigmoid_fn {
    using activation = ctnn::sigmoid;
    static constexpr float scale = 8.0f, offset = -4.0f;
    static float ctnn(float x) { return ctnn::math::sigmoid(x); }
    static float libm(float x) { return 1.0f / (1.0f + std::exp(-x)); }
};

struct exp_fn {
    using activation = void;
    static constexpr float scale = 0.5f, offset = -1.0f;
    static float ctnn(float x) { return ctnn::math::exp(x); }
    static float libm(float x) { return std::exp(x); }
};

// out = f(in), elementwise.
template <class F, bool Ctnn, std::size_t N>
void apply(std::array<float, N> const& in, std::array<float, N>& out)
{
    if constexpr (Ctnn && !std::is_void_v<typename F::activation>) {
        ctnn::detail::activate<typename F::activation>(in, out);
    } else {
        for (std::size_t i = 0; i < N; ++i) {
            out[i] = Ctnn ? F::ctnn(in[i]) : F::libm(in[i]);
        }
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
        apply<F, Ctnn>(x, x);
        for (float& v : x) {
            v = v * F::scale + F::offset;
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
        apply<F, Ctnn>(in, out);
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
