// The sine model on a Cortex-M core: trained on the host, exported with
// ctnn::io::write_header as constexpr data (it lands in flash), and evaluated
// here twice: by ctnn (`infer`) and by a hand-written loop over the same
// weights (`hand_loop_infer`, sine_hand_loop.hpp), the baseline ctnn is
// measured against. Prints, for each test input, the bits of x and of both
// predictions; the test compares them with the host's. Then measures, for
// each of the two, the stack one inference takes and the instructions of an
// inference (SysTick over 1000 inferences; meaningful under
// `qemu -icount shift=0`, see systick.hpp).

#include "semihost_out.hpp"
#include "sine_hand_loop.hpp"
#include "sine_inputs.hpp"
#include "sine_model.hpp"
#include "systick.hpp"

#include <array>
#include <cstdint>

// The model is checked at compile time, on the weights that are in flash.
static_assert(sine_model_type::parameter_count == 1 * 16 + 16 + 16 * 16 + 16 + 16 * 1 + 1);
static_assert(sine_model({1.5707964f})[0] > 0.8f && sine_model({1.5707964f})[0] < 1.2f,
              "the exported sine model does not predict sin(pi/2) = 1");
static_assert(fw::sine_hand_loop(sine_model.parameters().data(), 1.5707964f) > 0.8f &&
                  fw::sine_hand_loop(sine_model.parameters().data(), 1.5707964f) < 1.2f,
              "the hand-written loop does not read the parameters in ctnn's layout");

// One inference each, kept out of line so that their stack use
// (-fstack-usage), code (nm -S) and instruction counts are those of the
// network alone.
[[gnu::noinline]] float infer(float x)
{
    return sine_model({x})[0];
}

[[gnu::noinline]] float hand_loop_infer(float x)
{
    return fw::sine_hand_loop(sine_model.parameters().data(), x);
}

namespace {
volatile float sink;
volatile float input = 1.0f;

// The stack one inference takes, measured: paint the free stack below this
// frame, run an inference, and find the deepest word that changed.
[[gnu::noinline]] std::uint32_t stack_bytes_of(float (*inference)(float))
{
    constexpr std::uint32_t window = 4096;
    constexpr std::uint32_t paint = 0xC0FFEE11U;
    std::uint32_t sp = 0;
    asm volatile("mov %0, sp" : "=r"(sp));
    auto* const low = reinterpret_cast<volatile std::uint32_t*>(sp - window);
    for (std::uint32_t i = 0; i < window / 4; ++i) {
        low[i] = paint;
    }
    sink = inference(input);
    std::uint32_t untouched = 0;
    while (untouched < window / 4 && low[untouched] == paint) {
        ++untouched;
    }
    return window - 4 * untouched;
}

constexpr std::uint32_t runs = 1000;

[[gnu::noinline]] std::uint32_t instructions_of(float (*inference)(float))
{
    fw::systick_start();
    std::uint32_t const start = fw::syst_cvr;
    for (std::uint32_t i = 0; i < runs; ++i) {
        sink = inference(input);
    }
    return fw::instructions_per_run(fw::systick_since(start), runs);
}

// A loop of exactly two instructions per iteration (subs, bne), counted the
// way inferences are: it must come out at its length, or CTNN_FW_SYSTICK_HZ
// is not the board's clock and the counts above are wrong.
[[gnu::noinline]] bool systick_calibrated()
{
    constexpr std::uint32_t iterations = 50000;
    std::uint32_t n = iterations;
    fw::systick_start();
    std::uint32_t const start = fw::syst_cvr;
    asm volatile("1:\n\tsubs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
    std::uint32_t const counted = fw::instructions_per_run(fw::systick_since(start), 1);
    fw::put("systick_calibration ");
    fw::put_dec(counted);
    fw::put(" instructions counted for ");
    fw::put_dec(2 * iterations);
    fw::put("\n");
    // One tick either way, and the few instructions around the loop.
    return counted > 2 * iterations - 100 && counted < 2 * iterations + 100;
}

// "<tag> <i> <bits of x> <bits of y>": the line compare_predictions reads.
void put_prediction(char const* tag, std::uint32_t i, float x, float y)
{
    fw::put(tag);
    fw::put(" ");
    fw::put_dec(i);
    fw::put(" ");
    fw::put_bits(x);
    fw::put(" ");
    fw::put_bits(y);
}

void report(char const* name, float (*inference)(float))
{
    fw::put(name);
    fw::put(" stack_bytes_per_inference ");
    fw::put_dec(stack_bytes_of(inference));
    fw::put("\n");
    fw::put(name);
    fw::put(" instructions_per_inference ");
    fw::put_dec(instructions_of(inference));
    fw::put("\n");
}
} // namespace

int main()
{
    int status = 0;
    for (std::uint32_t i = 0; i < fw::sine_test_points; ++i) {
        float const x = fw::sine_input(i);
        float const y = infer(x);
        float const h = hand_loop_infer(x);
        put_prediction("y", i, x, y);
        fw::put(" ");
        fw::put_fixed(x);
        fw::put(" ");
        fw::put_fixed(y);
        fw::put("\n");
        put_prediction("hand", i, x, h);
        fw::put("\n");
        if (!(y > -1.5f && y < 1.5f && h > -1.5f && h < 1.5f)) {
            status = 2; // not a sine at all
        }
    }
    report("ctnn", infer);
    report("hand_loop", hand_loop_infer);
    fw::put(systick_calibrated() ? "systick_calibration ok\n"
                                 : "systick_calibration off: the counts need qemu -icount shift=0\n");
    fw::put("end\n");
    return status;
}
