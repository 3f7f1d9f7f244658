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
