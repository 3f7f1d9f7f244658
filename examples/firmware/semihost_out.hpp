#ifndef CTNN_EXAMPLES_FIRMWARE_SEMIHOST_OUT_HPP
#define CTNN_EXAMPLES_FIRMWARE_SEMIHOST_OUT_HPP

// Text output for the firmware examples without printf: newlib's printf("%f")
// allocates and adds ~24 KB of flash. Numbers are printed as the hexadecimal
// bits of the float (exact, and what the host compares) and as a rounded
// decimal for people.

#include <bit>
#include <cstdint>

#include <unistd.h>

namespace fw {

inline void put(char const* s)
{
    unsigned n = 0;
    while (s[n] != '\0') {
        ++n;
    }
    static_cast<void>(write(1, s, n));
}

inline void put_hex(std::uint32_t v)
{
    char text[11] = {'0', 'x'};
    for (int i = 0; i < 8; ++i) {
        text[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xFU];
    }
    text[10] = '\0';
    put(text);
}

inline void put_dec(std::uint32_t v)
{
    char text[11] = {};
    int i = 10;
    do {
        text[--i] = static_cast<char>('0' + v % 10U);
        v /= 10U;
    } while (v != 0U && i > 0);
    put(text + i);
}

/// f with `decimals` decimals, e.g. -0.8415 (|f| < 4e9).
inline void put_fixed(float f, unsigned decimals = 4)
{
    if (f < 0.0f) {
        put("-");
        f = -f;
    }
    std::uint32_t scale = 1;
    for (unsigned i = 0; i < decimals; ++i) {
        scale *= 10U;
    }
    auto const scaled = static_cast<std::uint32_t>(f * static_cast<float>(scale) + 0.5f);
    put_dec(scaled / scale);
    put(".");
    std::uint32_t frac = scaled % scale;
    for (std::uint32_t s = scale / 10U; s > 0U; s /= 10U) {
        char const digit[2] = {static_cast<char>('0' + frac / s), '\0'};
        put(digit);
        frac %= s;
    }
}

inline void put_bits(float f) { put_hex(std::bit_cast<std::uint32_t>(f)); }

} // namespace fw

#endif
