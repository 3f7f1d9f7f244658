#ifndef CTNN_DETAIL_CONFIG_HPP
#define CTNN_DETAIL_CONFIG_HPP

/// \file
/// What the kernels know about the target, in one place: what the compiler
/// predefines for it, the choice of kernel backend, the compiler's keywords
/// and pragmas, and every tuning constant of the kernels. A tuning constant
/// changes speed, stack or code size, never a result, except the three that
/// are part of the summation order (CTNN_DOT_LANE_BYTES, long_row_bytes,
/// transposed_partial_sums), which say so.
///
/// The backends: the reference kernels (detail/reference/) are plain loops in
/// the defined summation order; the vector kernels (detail/vector/) compute
/// the same sums in the same order over GCC's and Clang's generic vectors.
/// Constant evaluation always takes the definitions. At run time the
/// vector kernels are the default where the target has vector registers for
/// floats that the compiler uses for generic vectors (SSE2 and later on x86,
/// NEON on AArch64, Helium with floating point on Armv8.1-M), and the
/// reference kernels elsewhere (Cortex-M0 to M33, 32-bit Arm NEON, whose
/// vectors GCC does not use for IEEE floats) and when optimising for size
/// (-Os, which defines __OPTIMIZE_SIZE__). `-DCTNN_KERNELS=reference` or
/// `-DCTNN_KERNELS=vector` overrides the choice. Both give the same results,
/// bit for bit.

#include <cstddef>

// CTNN_DETAIL_SIMD_TARGET: the target has vector registers of 16 bytes or
// more for floats, and the compiler does IEEE float arithmetic on generic
// vectors in them. Helium (MVE) counts with floating point only (bit 1 of
// __ARM_FEATURE_MVE); 32-bit Arm NEON does not (it flushes subnormals, so GCC
// keeps IEEE floats out of it).
#if defined(__SSE2__) || (defined(__aarch64__) && defined(__ARM_NEON)) ||                                        \
    (defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)) || defined(__ALTIVEC__) || defined(__VSX__) ||       \
    defined(__wasm_simd128__) || defined(__riscv_vector)
#define CTNN_DETAIL_SIMD_TARGET 1
#else
#define CTNN_DETAIL_SIMD_TARGET 0
#endif

// CTNN_DETAIL_GENERIC_VECTORS: the compiler has generic vectors
// (__attribute__((vector_size))), which the vector kernels and the lane forms
// of ctnn::math are written in.
#if defined(__GNUC__)
#define CTNN_DETAIL_GENERIC_VECTORS 1
#else
#define CTNN_DETAIL_GENERIC_VECTORS 0
#endif

// CTNN_DETAIL_VECTOR_KERNELS: 1 for the vector backend, 0 for the reference
// backend (see above). CTNN_KERNELS is compared through token pasting:
// CTNN_DETAIL_KERNELS_ID(reference) is 1, (vector) is 2, anything else 0.
#define CTNN_DETAIL_KERNELS_reference 1
#define CTNN_DETAIL_KERNELS_vector 2
#define CTNN_DETAIL_KERNELS_PASTE(name) CTNN_DETAIL_KERNELS_##name
#define CTNN_DETAIL_KERNELS_ID(name) CTNN_DETAIL_KERNELS_PASTE(name)
#if defined(CTNN_KERNELS)
#if CTNN_DETAIL_KERNELS_ID(CTNN_KERNELS) == 1
#define CTNN_DETAIL_VECTOR_KERNELS 0
#elif CTNN_DETAIL_KERNELS_ID(CTNN_KERNELS) == 2 && CTNN_DETAIL_GENERIC_VECTORS
#define CTNN_DETAIL_VECTOR_KERNELS 1
#elif CTNN_DETAIL_KERNELS_ID(CTNN_KERNELS) == 2
#error "ctnn: CTNN_KERNELS=vector needs GCC or Clang (generic vectors); use CTNN_KERNELS=reference"
#else
#error "ctnn: CTNN_KERNELS must be `reference` or `vector` (e.g. -DCTNN_KERNELS=reference), or left undefined"
#endif
#elif CTNN_DETAIL_SIMD_TARGET && CTNN_DETAIL_GENERIC_VECTORS && !defined(__OPTIMIZE_SIZE__)
#define CTNN_DETAIL_VECTOR_KERNELS 1
#endif
#if !defined(CTNN_DETAIL_VECTOR_KERNELS)
#define CTNN_DETAIL_VECTOR_KERNELS 0
#endif

// CTNN_DETAIL_NATIVE_VECTOR_BYTES: bytes of the target's widest vector
// registers, the width of the vector kernels' vectors: a wider generic vector
// is kept in memory, where every operation loads and stores it. Without
// vector registers (the vector kernels forced on a scalar target) the code is
// scalar either way, and 64 bytes lets the compiler keep the most sums in
// registers.
#if defined(__AVX512F__)
#define CTNN_DETAIL_NATIVE_VECTOR_BYTES 64
#elif defined(__AVX__)
#define CTNN_DETAIL_NATIVE_VECTOR_BYTES 32
#elif CTNN_DETAIL_SIMD_TARGET
#define CTNN_DETAIL_NATIVE_VECTOR_BYTES 16
#else
#define CTNN_DETAIL_NATIVE_VECTOR_BYTES 64
#endif

// CTNN_DETAIL_RESTRICT: `__restrict` where the compiler has it. The kernels'
// arrays never overlap; without the promise Clang vectorises them behind
// run-time overlap checks that fail for the adjacent weight and bias arrays,
// and falls back to scalar code.
#if defined(__GNUC__) || defined(_MSC_VER)
#define CTNN_DETAIL_RESTRICT __restrict
#else
#define CTNN_DETAIL_RESTRICT
#endif

// CTNN_DETAIL_UNROLL: before a loop with a small constant trip count over an
// array of vectors. GCC at -O2 keeps such a loop, and with it the array in
// memory (a load and a store per operation); unrolled, the array lives in
// registers.
#if defined(__GNUC__)
#define CTNN_DETAIL_UNROLL _Pragma("GCC unroll 16")
#else
#define CTNN_DETAIL_UNROLL
#endif

// CTNN_DETAIL_STREAM_UNROLL: before a loop that reads, updates and writes a
// row a vector at a time. GCC at -O2 keeps such a loop rolled, so its compare
// and branch come with every vector of the row; four vectors a pass take
// them a quarter as often. Clang unrolls such loops by itself.
#if defined(__GNUC__) && !defined(__clang__)
#define CTNN_DETAIL_STREAM_UNROLL _Pragma("GCC unroll 4")
#else
#define CTNN_DETAIL_STREAM_UNROLL
#endif

// CTNN_DETAIL_ROWS_LOOP: before a loop over rows whose body loops over a
// contiguous row. Clang otherwise unrolls the row loop completely and
// vectorises across rows, with gathers and scatters (stride In), several
// times slower than vectorising along the row.
#if defined(__clang__)
#define CTNN_DETAIL_ROWS_LOOP _Pragma("clang loop unroll(disable) vectorize(disable)")
#else
#define CTNN_DETAIL_ROWS_LOOP
#endif

// CTNN_DETAIL_NO_UNROLL: before the loop along a long row. Unrolled
// completely (GCC -O3 does), its additions are scheduled chain by chain,
// which waits on each chain's latency in turn.
#if defined(__clang__)
#define CTNN_DETAIL_NO_UNROLL _Pragma("clang loop unroll(disable)")
#elif defined(__GNUC__)
#define CTNN_DETAIL_NO_UNROLL _Pragma("GCC unroll 1")
#else
#define CTNN_DETAIL_NO_UNROLL
#endif

/// Bytes of partial sums per row of a dot product (one AVX-512 register, four
/// NEON ones): more independent chains of additions, against more additions
/// to fold them. Part of the summation order: a program and the model it
/// runs must agree on it, or their results differ in the last bits.
#ifndef CTNN_DOT_LANE_BYTES
#define CTNN_DOT_LANE_BYTES 64
#endif

namespace ctnn::detail {

/// Rows of at least this many bytes of values are long and take four times
/// CTNN_DOT_LANE_BYTES of lanes: enough chains for a row read alone, against
/// a longer fold. Part of the summation order, like CTNN_DOT_LANE_BYTES.
inline constexpr std::size_t long_row_bytes = 1024;

/// Partial sums over the rows of the backward pass's transposed product
/// (g = Wᵀ δ, row o into partial sum o mod P): independent chains of additions
/// for the latency of a column's sum, against a longer fold. Part of the
/// summation order, like CTNN_DOT_LANE_BYTES. 1, 2 or 4 (the vector kernels
/// hold at most four).
inline constexpr std::size_t transposed_partial_sums = 4;
static_assert(transposed_partial_sums == 1 || transposed_partial_sums == 2 || transposed_partial_sums == 4);

/// Lanes of a dot product the reference kernels add as straight-line code,
/// a subtree of the pairwise fold per pass of their loop: fewer instructions
/// per product (no loop step, partial sums in registers) against more code.
inline constexpr std::size_t reference_subtree_lanes = 4;

/// Rows of at least this many bytes are skipped by the SGD update when their
/// step is zero (ReLU's idle units): listing the rows to update against
/// updating them. Both backends skip the same rows, so that they agree where
/// skipping is visible (an infinite input times a zero step).
inline constexpr std::size_t skip_row_bytes = 256;

/// Vector registers a block kernel fills with partial sums (half of them on
/// targets with vector registers, the rest for loaded operands): more rows
/// per pass over a block's inputs, against spilling.
#if defined(__AVX512F__) || defined(__aarch64__)
inline constexpr std::size_t accumulator_registers = 16;
#elif CTNN_DETAIL_SIMD_TARGET
inline constexpr std::size_t accumulator_registers = 8;
#else
inline constexpr std::size_t accumulator_registers = 2;
#endif

/// A block's inputs of at least this many bytes are read in row tiles
/// (several rows' partial sums per pass): fewer passes over inputs that do not
/// fit the L1 cache, against a round trip of the partial sums through memory.
inline constexpr std::size_t affine_tile_min_bytes = 8192;

/// Lanes of partial sums per pass of a row tile: fewer passes over the block's
/// inputs, against fewer rows per tile (accumulator_registers / this).
inline constexpr std::size_t affine_tile_lanes = 2;

/// Rows of a dot product with at least this many lanes take the vector
/// kernels; shorter rows are left to the compiler, which vectorises their
/// loop across rows: vectors along each row, against vectors across rows.
inline constexpr std::size_t vector_row_min_lanes = 4;

/// Long rows are read two at a time where one row's partial sums take at
/// most this many native vectors: each load of the input serves two rows,
/// against the registers two rows' partial sums take.
inline constexpr std::size_t paired_long_row_vectors = 8;

/// Vectors of a row of the weight gradient that a tile holds across a
/// block's samples: each loaded δ serves more of them, against fewer rows per
/// tile (accumulator_registers / this) sharing each loaded input.
inline constexpr std::size_t outer_tile_chunks = 4;

/// Inputs of a block's input gradient (g = Wᵀ δ) computed together: each
/// loaded δ serves more of them, against the registers their partial sums
/// take (this times transposed_partial_sums).
inline constexpr std::size_t input_gradient_tile_inputs = 4;

/// An element-wise activation without a lane form is evaluated over a
/// multiple of this many values (the last one repeated), so that the compiler
/// keeps it in vector registers, against evaluating the padding.
inline constexpr std::size_t activation_padding = 4;

/// Whether a block's activations built on tanh are evaluated over vector
/// lanes explicitly, as those built on sigmoid always are: Clang leaves the
/// loop of scalar tanh unvectorised, GCC vectorises it on its own.
#if defined(__clang__)
inline constexpr bool block_tanh_lanes = true;
#else
inline constexpr bool block_tanh_lanes = false;
#endif

/// Samples per block (predict by default, the batch gradient, fit): one
/// native vector of T for the vector kernels, whose innermost loops run
/// across a block's samples; 16 bytes for the reference kernels, whose
/// block's stack grows with it. The block size changes no result.
template <class T>
inline constexpr std::size_t block_samples = (CTNN_DETAIL_VECTOR_KERNELS ? CTNN_DETAIL_NATIVE_VECTOR_BYTES : 16) /
                                             sizeof(T);

/// The largest power of two not above In whose values of T fit in Bytes.
template <class T, std::size_t In, std::size_t Bytes>
inline constexpr std::size_t lanes_within = [] {
    std::size_t lanes = 1;
    while (lanes * 2 <= In && lanes * 2 * sizeof(T) <= Bytes) {
        lanes *= 2;
    }
    return lanes;
}();

/// Alignment of a buffer of N values of T on a target with vector registers:
/// its size rounded down to a power of two, up to 64 bytes (a cache line), so
/// that no vector access to it straddles two cache lines, against padding.
/// Elsewhere the value type's own: there is nothing to straddle, and the
/// padding and realignment would cost stack and instructions.
template <class T, std::size_t N>
inline constexpr std::size_t buffer_alignment = [] {
    std::size_t a = alignof(T);
    while (CTNN_DETAIL_SIMD_TARGET && a * 2 <= N * sizeof(T) && a * 2 <= 64) {
        a *= 2;
    }
    return a;
}();

/// Alignment of a network's parameters: buffer_alignment, so that on targets
/// with vector registers rows whose length is a multiple of 64 bytes never
/// straddle cache lines.
template <class T, std::size_t N>
inline constexpr std::size_t parameter_alignment = buffer_alignment<T, N>;

} // namespace ctnn::detail

#endif
