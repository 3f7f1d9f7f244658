// The sine model and its inference by ctnn, and nothing else: no output, no
// measurement, no hand-written loop. With the start-up code and the C library
// it is the whole firmware a user's program would start from, so its size is
// ctnn's footprint (docs/firmware.md). Exits with status 2 if a prediction is
// not a sine at all (the values themselves are checked by sine_firmware.cpp).

#include "sine_inputs.hpp"
#include "sine_model.hpp"

#include <cstdint>

int main()
{
    int status = 0;
    for (std::uint32_t i = 0; i < fw::sine_test_points; ++i) {
        float const y = sine_model({fw::sine_input(i)})[0];
        if (!(y > -1.5f && y < 1.5f)) {
            status = 2;
        }
    }
    return status;
}
