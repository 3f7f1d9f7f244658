#ifndef CTNN_DETAIL_CHECKSUM_HPP
#define CTNN_DETAIL_CHECKSUM_HPP

/// \file
/// Checksums and hashes used by the model formats: CRC-32 (IEEE 802.3, the
/// checksum of zip, PNG and Ethernet) and 32-bit FNV-1a. Both are `constexpr`,
/// allocation-free and table-free (a 1 KiB table would cost more flash than a
/// small model; models are checked once, at load time).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ctnn::detail {

/// CRC-32 with the reflected polynomial 0xEDB88320, initial value and final
/// xor 0xFFFFFFFF. Pass a previous result as `crc` to continue a running CRC.
/// crc32("123456789") == 0xCBF43926.
[[nodiscard]] constexpr std::uint32_t crc32(std::span<std::byte const> data, std::uint32_t crc = 0) noexcept
{
    crc = ~crc;
    for (std::byte const b : data) {
        crc ^= static_cast<std::uint32_t>(b);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
        }
    }
    return ~crc;
}

/// Tables that take four bytes in one CRC-32 step ("slicing by 4"):
/// `t[0][b]` is the step of byte `b`, `t[k]` that of `k` more zero bytes. For
/// constant evaluation, where a step costs budget and a table costs no flash.
/// Plain arrays: the compilers count each call of std::array's operator[]
/// against that budget.
struct crc32_slices {
    std::uint32_t t[4][256];
};

[[nodiscard]] constexpr crc32_slices make_crc32_slices() noexcept
{
    crc32_slices s{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t crc = i;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
        }
        s.t[0][i] = crc;
    }
    for (std::size_t k = 1; k < 4; ++k) {
        for (std::size_t i = 0; i < 256; ++i) {
            s.t[k][i] = (s.t[k - 1][i] >> 8) ^ s.t[0][s.t[k - 1][i] & 0xFFU];
        }
    }
    return s;
}

/// One step over four bytes, least significant first, of a CRC-32 held
/// inverted (as crc32 holds it between its first and last line).
[[nodiscard]] constexpr std::uint32_t crc32_step(crc32_slices const& s, std::uint32_t inverted,
                                                 std::uint32_t word) noexcept
{
    std::uint32_t const c = inverted ^ word;
    return s.t[3][c & 0xFFU] ^ s.t[2][(c >> 8) & 0xFFU] ^ s.t[1][(c >> 16) & 0xFFU] ^ s.t[0][c >> 24];
}

/// The CRC-32 of a string's characters.
[[nodiscard]] constexpr std::uint32_t crc32(std::string_view text, std::uint32_t crc = 0) noexcept
{
    crc = ~crc;
    for (char const c : text) {
        crc ^= static_cast<std::uint32_t>(static_cast<unsigned char>(c));
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
        }
    }
    return ~crc;
}

inline constexpr std::uint32_t fnv1a_basis = 0x811C9DC5U;

/// 32-bit FNV-1a over the four little-endian bytes of `value`, continuing `hash`.
[[nodiscard]] constexpr std::uint32_t fnv1a(std::uint32_t value, std::uint32_t hash = fnv1a_basis) noexcept
{
    for (int i = 0; i < 4; ++i) {
        hash ^= (value >> (8 * i)) & 0xFFU;
        hash *= 0x01000193U;
    }
    return hash;
}

/// 32-bit FNV-1a over a string's characters, continuing `hash`.
[[nodiscard]] constexpr std::uint32_t fnv1a(std::string_view text, std::uint32_t hash = fnv1a_basis) noexcept
{
    for (char const c : text) {
        hash ^= static_cast<std::uint32_t>(static_cast<unsigned char>(c));
        hash *= 0x01000193U;
    }
    return hash;
}

} // namespace ctnn::detail

#endif
