// The sine model on a Cortex-M4F: trained on the host, exported with
// ctnn::io::write_header as constexpr data (it lands in flash), evaluated here.
// Prints, for each test input, the bits of x and of the prediction; the test
// compares them with the host's predictions. Then measures the stack one
// inference takes and counts SysTick ticks over
// 1000 inferences (instructions under `qemu -icount shift=0`: ticks × 40).

#include "semihost_out.hpp"
#include "sine_inputs.hpp"
#include "sine_model.hpp"

#include <array>
#include <cstdint>

// The model is checked at compile time, on the weights that are in flash.
static_assert(sine_model_type::parameter_count == 1 * 16 + 16 + 16 * 16 + 16 + 16 * 1 + 1);
static_assert(sine_model({1.5707964f})[0] > 0.8f && sine_model({1.5707964f})[0] < 1.2f,
              "the exported sine model does not predict sin(pi/2) = 1");

// One inference, kept out of line so that its stack use (-fstack-usage) and
// instruction count are those of the network alone.
[[gnu::noinline]] float infer(float x)
{
    return sine_model({x})[0];
}

namespace {
volatile float sink;
volatile float input = 1.0f;

// The stack one inference takes, measured: paint the free stack below this
// frame, run an inference, and find the deepest word that changed.
[[gnu::noinline]] std::uint32_t stack_bytes_of_inference()
{
    constexpr std::uint32_t window = 4096;
    constexpr std::uint32_t paint = 0xC0FFEE11U;
    std::uint32_t sp = 0;
    asm volatile("mov %0, sp" : "=r"(sp));
    auto* const low = reinterpret_cast<volatile std::uint32_t*>(sp - window);
    for (std::uint32_t i = 0; i < window / 4; ++i) {
        low[i] = paint;
    }
    sink = infer(input);
    std::uint32_t untouched = 0;
    while (untouched < window / 4 && low[untouched] == paint) {
        ++untouched;
    }
    return window - 4 * untouched;
}
} // namespace

int main()
{
    int status = 0;
    for (std::uint32_t i = 0; i < fw::sine_test_points; ++i) {
        float const x = fw::sine_input(i);
        float const y = infer(x);
        fw::put("y ");
        fw::put_dec(i);
        fw::put(" ");
        fw::put_bits(x);
        fw::put(" ");
        fw::put_bits(y);
        fw::put(" ");
        fw::put_fixed(x);
        fw::put(" ");
        fw::put_fixed(y);
        fw::put("\n");
        if (!(y > -1.5f && y < 1.5f)) {
            status = 2; // not a sine at all
        }
    }
#ifdef CTNN_FW_SILENT
    // Without output something must still use the results.
    sink = infer(input);
#endif

    fw::put("stack_bytes_per_inference ");
    fw::put_dec(stack_bytes_of_inference());
    fw::put("\n");

    fw::systick_start();
    std::uint32_t const start = fw::syst_cvr;
    for (int i = 0; i < 1000; ++i) {
        sink = infer(input);
    }
    std::uint32_t const ticks = fw::systick_since(start);
    fw::put("systick_ticks_per_1000_inferences ");
    fw::put_dec(ticks);
    fw::put("\ninstructions_per_inference ");
    fw::put_dec(ticks * 40U / 1000U);
    fw::put(" (meaningful under qemu -icount shift=0)\nend\n");
    return status;
}
