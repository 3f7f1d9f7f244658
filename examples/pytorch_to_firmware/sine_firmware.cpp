// The sine model trained in PyTorch (train_sine.py), turned into sine_model.hpp by ctnn-import,
// evaluated at the 32 test inputs. Built twice: for the Cortex-M4F, run under QEMU, and for the
// host; both print "y <i> <bits of x> <bits of y>" lines, which compare_with_pytorch checks
// against PyTorch's predictions. Including the header runs its golden check in the compiler.

#include "semihost_out.hpp"
#include "sine_inputs.hpp"
#include "sine_model.hpp"

#include <cstdint>
#include <type_traits>

// The topology ctnn-import derived from the graph: PyTorch's Linear(1, 16), ReLU,
// Linear(16, 16), ReLU, Linear(16, 1).
static_assert(std::is_same_v<sine_model_type,
                             ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>,
                                           ctnn::dense<16, ctnn::relu>, ctnn::dense<1, ctnn::identity>>>);
static_assert(sine_model({1.5707964f})[0] > 0.9f && sine_model({1.5707964f})[0] < 1.1f,
              "the imported sine model does not predict sin(pi/2) = 1");

int main()
{
    for (std::uint32_t i = 0; i < fw::sine_test_points; ++i) {
        float const x = fw::sine_input(i);
        float const y = sine_model({x})[0];
        fw::put("y ");
        fw::put_dec(i);
        fw::put(" ");
        fw::put_bits(x);
        fw::put(" ");
        fw::put_bits(y);
        fw::put("\n");
    }
    fw::put("end\n");
    return 0;
}
