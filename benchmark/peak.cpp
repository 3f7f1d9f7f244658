// The machine's ceiling for one core: peak FP32 fused multiply-add
// throughput (many independent vector accumulators, so FMA latency is hidden)
// and the read bandwidth over a buffer the size of network D's weights
// (784·128 + 128 + 128·10 + 10 floats ≈ 401 KB), which stays in L2.
// Prints "peak_gflops <value>", "weights_read_gbps <value>" and, on x86,
// "clock_ghz <value>".

#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

// GCC/Clang vector extension: as wide as the widest FMA the target has.
#if defined(__AVX512F__)
constexpr int lanes = 16;
#elif defined(__AVX__)
constexpr int lanes = 8;
#else
constexpr int lanes = 4;
#endif
using vf = float __attribute__((vector_size(lanes * sizeof(float))));
constexpr int accumulators = 16; // > latency × FMA ports

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

[[gnu::noinline]] float fma_kernel(long iterations, float seed)
{
    vf acc[accumulators];
    vf const m = vf{} + (1.0f - 1e-7f * seed);
    vf const c = vf{} + 1e-7f;
    for (int k = 0; k < accumulators; ++k) {
        acc[k] = vf{} + seed * float(k + 1);
    }
    for (long n = 0; n < iterations; ++n) {
        // Contracted to one FMA (-ffp-contract=fast, GCC's default). No asm
        // barrier on an accumulator here: with one, GCC kept the whole array
        // in memory and the loop measured store forwarding (99 GFLOP/s
        // against 260 without it on the same core).
        for (int k = 0; k < accumulators; ++k) {
            acc[k] = acc[k] * m + c;
        }
    }
    vf total = vf{};
    for (int k = 0; k < accumulators; ++k) {
        total += acc[k];
    }
    float out = 0.0f;
    for (int l = 0; l < lanes; ++l) {
        out += total[l];
    }
    return out;
}

#if defined(__x86_64__) || defined(__i386__)
// Cycles per second while this core runs: a chain of dependent integer
// additions, one cycle each on every x86 core, so that the peak can be given
// per cycle as well (the clock of a shared virtual machine is not advertised).
[[gnu::noinline]] double clock_hz(long iterations)
{
    unsigned long x = 0;
    double const t0 = now();
    for (long n = 0; n < iterations; ++n) {
        asm volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                     "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                     : "+r"(x));
    }
    return double(x) / (now() - t0);
}
#endif

[[gnu::noinline]] float read_kernel(std::vector<vf> const& buffer, int passes)
{
    vf acc[8] = {};
    for (int p = 0; p < passes; ++p) {
        for (std::size_t i = 0; i + 8 <= buffer.size(); i += 8) {
            for (int k = 0; k < 8; ++k) {
                acc[k] += buffer[i + std::size_t(k)];
            }
        }
        asm volatile("" : "+x"(acc[0]));
    }
    float out = 0.0f;
    for (auto const& a : acc) {
        for (int l = 0; l < lanes; ++l) {
            out += a[l];
        }
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    bool const quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    int const repeats = quick ? 1 : 9;
    long const iterations = quick ? 1000 : 20'000'000;
    double best_flops = 0.0;
    float sink = 0.0f;
    for (int r = 0; r < repeats; ++r) {
        double const t0 = now();
        sink += fma_kernel(iterations, 1.0f + float(r));
        double const t = now() - t0;
        double const flops = 2.0 * lanes * accumulators * double(iterations) / t;
        best_flops = flops > best_flops ? flops : best_flops;
    }
#if defined(__x86_64__) || defined(__i386__)
    double best_hz = 0.0;
    for (int r = 0; r < repeats; ++r) {
        double const hz = clock_hz(quick ? 1000 : 100'000'000);
        best_hz = hz > best_hz ? hz : best_hz;
    }
    std::printf("clock_ghz %.2f\n", best_hz * 1e-9);
#endif
    std::size_t const weights = 784 * 128 + 128 + 128 * 10 + 10;
    std::vector<vf> buffer((weights + lanes - 1) / lanes, vf{} + 1.0f);
    int const passes = quick ? 1 : 2000;
    double best_bw = 0.0;
    for (int r = 0; r < repeats; ++r) {
        double const t0 = now();
        sink += read_kernel(buffer, passes);
        double const t = now() - t0;
        double const bw = double(buffer.size() * sizeof(vf)) * passes / t;
        best_bw = bw > best_bw ? bw : best_bw;
    }
    std::printf("lanes %d\npeak_gflops %.1f\nweights_bytes %zu\nweights_read_gbps %.1f\n(sink %g)\n", lanes,
                best_flops * 1e-9, weights * sizeof(float), best_bw * 1e-9, double(sink));
    return 0;
}
