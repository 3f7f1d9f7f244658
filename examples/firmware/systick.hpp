#ifndef CTNN_EXAMPLES_FIRMWARE_SYSTICK_HPP
#define CTNN_EXAMPLES_FIRMWARE_SYSTICK_HPP

// SysTick as a counter of emulated time. Under `qemu-system-arm -icount shift=0` every
// instruction takes 1 ns of emulated time, and SysTick (processor clock) counts at the board's
// system clock, CTNN_FW_SYSTICK_HZ: one tick is 10^9 / CTNN_FW_SYSTICK_HZ instructions (40 on
// the MPS2 boards' 25 MHz, 50 on the AN505's 20 MHz, 31.25 on the AN547's 32 MHz). Without
// -icount the counts mean nothing.

#include <cstdint>

#ifndef CTNN_FW_SYSTICK_HZ
#error "define CTNN_FW_SYSTICK_HZ as the QEMU board's system clock in Hz (examples/firmware/CMakeLists.txt)"
#endif

namespace fw {

inline volatile std::uint32_t& syst_csr = *reinterpret_cast<volatile std::uint32_t*>(0xE000E010U);
inline volatile std::uint32_t& syst_rvr = *reinterpret_cast<volatile std::uint32_t*>(0xE000E014U);
inline volatile std::uint32_t& syst_cvr = *reinterpret_cast<volatile std::uint32_t*>(0xE000E018U);

inline void systick_start()
{
    syst_rvr = 0x00FFFFFFU;
    syst_cvr = 0U;
    syst_csr = 0x5U; // enabled, processor clock, no interrupt
}

/// Ticks since `start` (a down-counter, 24 bits).
inline std::uint32_t systick_since(std::uint32_t start) { return (start - syst_cvr) & 0x00FFFFFFU; }

/// Instructions in `ticks`, divided by `runs` and rounded: ticks · 10^9 / (Hz · runs).
inline std::uint32_t instructions_per_run(std::uint32_t ticks, std::uint32_t runs)
{
    std::uint64_t const ns = std::uint64_t{ticks} * 1000000000U;
    std::uint64_t const per_run = std::uint64_t{CTNN_FW_SYSTICK_HZ} * runs;
    return static_cast<std::uint32_t>((ns + per_run / 2U) / per_run);
}

} // namespace fw

#endif
