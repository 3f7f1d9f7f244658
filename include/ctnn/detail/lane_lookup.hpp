#ifndef CTNN_DETAIL_LANE_LOOKUP_HPP
#define CTNN_DETAIL_LANE_LOOKUP_HPP

/// \file
/// A 16-entry table of floats read per lane (detail::lookup_sixteen): an index for a scalar,
/// register permutes for a vector where the target has them. sigmoid's exp reads its
/// 2^(j/16) this way (math.hpp, exp_nonpositive_scaled); a compiler vectorising a loop of
/// scalar reads makes gathers (clang 14) or one load per value (g++ 12) of them.

#include <ctnn/detail/math_float.hpp>

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>

#if defined(__GNUC__) && (defined(__AVX512F__) || defined(__AVX2__))
#include <immintrin.h>
#endif

namespace ctnn::detail {

#if defined(__GNUC__)
/// The generic vector of Bytes / 4 floats.
template <std::size_t Bytes>
struct float_vector {
    typedef float type __attribute__((vector_size(Bytes)));
};
#endif

#if defined(__GNUC__) && (defined(__AVX512F__) || defined(__AVX2__))
/// Values from..from + N of a table as an intrinsic vector type R of N floats.
template <class R>
[[gnu::always_inline]] inline R table_part(std::array<float, 16> const& table, std::size_t from) noexcept
{
    R r;
    __builtin_memcpy(&r, table.data() + from, sizeof r);
    return r;
}

#if defined(__AVX512F__)
/// table[index & 15] for 16 indices: one permute. (The masked form, every lane selected,
/// compiles to the same instruction; the unmasked intrinsic's undefined pass-through
/// trips GCC 12's -Wmaybe-uninitialized.)
[[gnu::always_inline]] inline __m512 lookup_sixteen_avx512(std::array<float, 16> const& table, __m512i index) noexcept
{
    __m512 const t = table_part<__m512>(table, 0);
    return _mm512_mask_permutexvar_ps(t, static_cast<__mmask16>(0xffff), index, t);
}
#endif

#if defined(__AVX2__)
/// table[index & 15] for 8 indices: two 8-value permutes (index bits 0-2) and a blend taking
/// the upper table where bit 3 is set (shifted to the sign bit, which blendv reads).
[[gnu::always_inline]] inline __m256 lookup_sixteen_avx2(std::array<float, 16> const& table, __m256i index) noexcept
{
    __m256 const low = _mm256_permutevar8x32_ps(table_part<__m256>(table, 0), index);
    __m256 const high = _mm256_permutevar8x32_ps(table_part<__m256>(table, 8), index);
    return _mm256_blendv_ps(low, high, _mm256_castsi256_ps(_mm256_slli_epi32(index, 28)));
}
#endif
#endif

/// table[j & 15] per lane. An index for a scalar. For a vector of floats, at run
/// time only, register permutes where the target has them: AVX-512, one permute across the
/// 16 values (a narrower vector's index widened, its low lanes kept); AVX2, two 8-value
/// permutes and a blend. Lane by lane elsewhere. The same values in every case.
template <math_lane V>
    requires std::same_as<lane_scalar<V>, float>
[[nodiscard]] constexpr V lookup_sixteen(std::array<float, 16> const& table, lane_int<V> j) noexcept
{
    // The permutes read the index's low four bits only, so no mask is applied for them.
    if constexpr (!lane_traits<V>::is_vector) {
        return table[static_cast<std::size_t>(j & 15)];
    } else {
        constexpr std::size_t lanes = sizeof(V) / sizeof(float);
        // A narrower vector's index is widened by the intrinsics' casts; the low lanes of
        // the result are kept by a constant shuffle. (GCC 12's narrowing casts are masked
        // extracts whose undefined pass-through operand trips -Wmaybe-uninitialized.)
        [[maybe_unused]] auto const low_lanes = [](auto wide) {
            using W = typename float_vector<sizeof(wide)>::type;
            W const w = std::bit_cast<W>(wide);
            if constexpr (lanes == 4) {
                return std::bit_cast<V>(__builtin_shufflevector(w, w, 0, 1, 2, 3));
            } else {
                return std::bit_cast<V>(__builtin_shufflevector(w, w, 0, 1, 2, 3, 4, 5, 6, 7));
            }
        };
#if defined(__AVX512F__)
        if constexpr (lanes == 16) {
            return std::bit_cast<V>(lookup_sixteen_avx512(table, std::bit_cast<__m512i>(j)));
        } else if constexpr (lanes == 8) {
            return low_lanes(lookup_sixteen_avx512(table, _mm512_castsi256_si512(std::bit_cast<__m256i>(j))));
        } else if constexpr (lanes == 4) {
            return low_lanes(lookup_sixteen_avx512(table, _mm512_castsi128_si512(std::bit_cast<__m128i>(j))));
        }
#elif defined(__AVX2__)
        if constexpr (lanes == 8) {
            return std::bit_cast<V>(lookup_sixteen_avx2(table, std::bit_cast<__m256i>(j)));
        } else if constexpr (lanes == 4) {
            return low_lanes(lookup_sixteen_avx2(table, _mm256_castsi128_si256(std::bit_cast<__m128i>(j))));
        }
#endif
        V out{};
        for (std::size_t i = 0; i < lanes; ++i) {
            out[i] = table[static_cast<std::size_t>(j[i] & 15)];
        }
        return out;
    }
}

} // namespace ctnn::detail

#endif
