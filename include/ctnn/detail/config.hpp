#ifndef CTNN_DETAIL_CONFIG_HPP
#define CTNN_DETAIL_CONFIG_HPP

/// \file
/// What the kernels know about the target, in one place: what the compiler
/// predefines for it, the compiler's own keywords and pragmas, and every
/// tuning constant of the kernels, each with what it trades. Changing a
/// constant here changes speed, stack or code size, never a result, except
/// where its comment says it is part of the summation order.

#include <cstddef>

// CTNN_DETAIL_SIMD_TARGET: the target has vector registers (the compiler
// predefines one of these macros for the instruction set it targets; no flag
// needed). Without them (Cortex-M) GCC lowers generic vectors to scalar code
// through the stack, and the 16-row grouping of matvec_bias_vector would only
// cost stack and flash.
#if defined(__SSE2__) || defined(__ARM_NEON) || defined(__ALTIVEC__) || defined(__VSX__) || \
    defined(__wasm_simd128__) || defined(__riscv_vector)
#define CTNN_DETAIL_SIMD_TARGET 1
#else
#define CTNN_DETAIL_SIMD_TARGET 0
#endif

// CTNN_DETAIL_NATIVE_VECTOR_BYTES: bytes of the target's widest vector
// registers, the width of the vector kernels' vectors (a generic vector wider
// than the registers is kept in memory, where every operation loads and
// stores it). Without vector registers the code is scalar either way; 64
// bytes there gives the lowered code its fewest instructions.
#if defined(__AVX512F__)
#define CTNN_DETAIL_NATIVE_VECTOR_BYTES 64
#elif defined(__AVX__)
#define CTNN_DETAIL_NATIVE_VECTOR_BYTES 32
#elif CTNN_DETAIL_SIMD_TARGET
#define CTNN_DETAIL_NATIVE_VECTOR_BYTES 16
#else
#define CTNN_DETAIL_NATIVE_VECTOR_BYTES 64
#endif

// CTNN_DETAIL_HAVE_VECTOR_KERNELS: the compiler has generic vectors
// (__attribute__((vector_size))), which the vector kernels are written in.
#if defined(__GNUC__)
#define CTNN_DETAIL_HAVE_VECTOR_KERNELS 1
#endif

// CTNN_DETAIL_RESTRICT: `__restrict` where the compiler has it. The backward
// kernels' arrays never overlap; without the promise Clang vectorises them
// behind run-time overlap checks that fail for the adjacent weight and bias
// arrays, and falls back to scalar code.
#if defined(__GNUC__) || defined(_MSC_VER)
#define CTNN_DETAIL_RESTRICT __restrict
#else
#define CTNN_DETAIL_RESTRICT
#endif

// CTNN_DETAIL_ROWS_LOOP: before a loop over rows whose body loops over a
// contiguous row. Clang otherwise unrolls the row loop completely and
// vectorises across rows, with gathers and scatters (stride In), several
// times slower than vectorising along the row.
// CTNN_DETAIL_UNROLL: before a loop with a small constant trip count over an
// array of vectors. GCC at -O2 keeps such a loop, and with it the array in
// memory (a load and a store per operation); unrolled, the array lives in
// registers.
#if defined(__GNUC__)
#define CTNN_DETAIL_UNROLL _Pragma("GCC unroll 16")
#else
#define CTNN_DETAIL_UNROLL
#endif

#if defined(__clang__)
#define CTNN_DETAIL_ROWS_LOOP _Pragma("clang loop unroll(disable) vectorize(disable)")
#else
#define CTNN_DETAIL_ROWS_LOOP
#endif

// CTNN_DETAIL_NO_UNROLL: before the loop along a long row. Unrolled
// completely (GCC -O3 does, for D's twelve chunks), its additions are
// scheduled chain by chain, and a row took 1.4x as long.
#if defined(__clang__)
#define CTNN_DETAIL_NO_UNROLL _Pragma("clang loop unroll(disable)")
#elif defined(__GNUC__)
#define CTNN_DETAIL_NO_UNROLL _Pragma("GCC unroll 1")
#else
#define CTNN_DETAIL_NO_UNROLL
#endif

/// Bytes of partial sums per row: one AVX-512 register (two AVX, four NEON).
/// (Measured: wider, 128 or 256 bytes, was slower on every benchmark network
/// with the rows computed four at a time; long rows below take 256 bytes
/// instead, and are read two at a time.)
#ifndef CTNN_DOT_LANE_BYTES
#define CTNN_DOT_LANE_BYTES 64
#endif

namespace ctnn::detail {

/// Rows of at least this many bytes of values are long: they take four times
/// as many lanes (see dot_lanes in detail/reference/dense.hpp).
inline constexpr std::size_t long_row_bytes = 1024;

// Bytes a row must have for skipping it to pay for listing the rows to
// update (measured: a 64-byte row was faster updated than skipped, a
// 256-byte row faster skipped).
inline constexpr std::size_t skip_row_bytes = 256;

// Vector registers a block kernel fills with partial sums: half of them (16
// of 32, 8 of 16), the rest left for the loaded operands. Targets without
// vector registers get two, to keep their stack small.
#if defined(__AVX512F__) || defined(__aarch64__)
inline constexpr std::size_t accumulator_registers = 16;
#elif CTNN_DETAIL_SIMD_TARGET
inline constexpr std::size_t accumulator_registers = 8;
#else
inline constexpr std::size_t accumulator_registers = 2;
#endif

// affine_block's row tiles: only when the block's inputs take this many
// bytes or more: smaller blocks stay in L1 anyway, and there the round trip
// of R·L partial sums through memory costs more than it saves (B, C and E
// took up to 1.8x as long tiled).
inline constexpr std::size_t affine_tile_min_bytes = 8192;

/// Samples per block (predict by default, the batch gradient, fit): one
/// native vector of T (CTNN_DETAIL_NATIVE_VECTOR_BYTES: GCC keeps wider
/// generic vectors in memory). The block size changes no result.
template <class T>
inline constexpr std::size_t block_samples = CTNN_DETAIL_NATIVE_VECTOR_BYTES / sizeof(T);

/// The largest power of two not above In whose values of T fit in Bytes.
template <class T, std::size_t In, std::size_t Bytes>
inline constexpr std::size_t lanes_within = [] {
    std::size_t lanes = 1;
    while (lanes * 2 <= In && lanes * 2 * sizeof(T) <= Bytes) {
        lanes *= 2;
    }
    return lanes;
}();

/// Alignment for a buffer of N values of T that the kernels read and write as
/// vectors: its size rounded down to a power of two, up to 64 bytes (a cache
/// line), so that no vector access to it straddles two cache lines.
template <class T, std::size_t N>
inline constexpr std::size_t buffer_alignment = [] {
    std::size_t a = alignof(T);
    while (a * 2 <= N * sizeof(T) && a * 2 <= 64) {
        a *= 2;
    }
    return a;
}();

/// Alignment of a network's parameters: buffer_alignment (up to a cache line)
/// where the kernels use vectors, so that rows whose length is a multiple of
/// 64 bytes never straddle cache lines (unaligned, D's training step took
/// 1.2x as long); the value type's own alignment elsewhere (microcontrollers
/// without vector units or caches gain nothing from the padding).
template <class T, std::size_t N>
inline constexpr std::size_t parameter_alignment = CTNN_DETAIL_SIMD_TARGET ? buffer_alignment<T, N> : alignof(T);

} // namespace ctnn::detail

#endif
