#ifndef CTNN_EXAMPLES_FIRMWARE_SINE_INPUTS_HPP
#define CTNN_EXAMPLES_FIRMWARE_SINE_INPUTS_HPP

// The test inputs, shared by the host trainer (which writes the expected
// predictions) and the firmware: the same float operations on both sides.

#include <cstdint>

namespace fw {

inline constexpr std::uint32_t sine_test_points = 32;
inline constexpr float two_pi = 6.28318530717958647692f;

/// x_i = 2π i / 31, i = 0 … 31.
constexpr float sine_input(std::uint32_t i)
{
    return two_pi * static_cast<float>(i) / static_cast<float>(sine_test_points - 1);
}

} // namespace fw

#endif
