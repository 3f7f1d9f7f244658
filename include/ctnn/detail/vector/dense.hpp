#ifndef CTNN_DETAIL_VECTOR_DENSE_HPP
#define CTNN_DETAIL_VECTOR_DENSE_HPP

/// \file
/// The dense layer's kernels for one sample over generic vectors: the
/// forward product z = W x + b, the transposed product of the backward pass
/// and the SGD update, each computing the sums of detail/reference/dense.hpp
/// in their order, so that they vectorise under strict IEEE semantics.

#include <ctnn/detail/config.hpp>
#include <ctnn/detail/reference/dense.hpp>
#include <ctnn/detail/vector/vector_type.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>

#if CTNN_DETAIL_GENERIC_VECTORS
namespace ctnn::detail {

// A row's dot_lanes partial sums are held as `parts` (1, 2 or 4) native
// vectors of `width` lanes: one vector on AVX-512, several below it, where
// GCC would keep a wider generic vector in memory. Lane l is lane l mod width
// of part l / width, so the pairwise reduction first adds the upper half of
// the parts to the lower half (lanes l and l + lanes/2, as dot_row_scalar
// does) until one part is left, then halves within it: the same order. The
// parts are named variables, not an array: GCC counts a local array as stack
// frame and stops inlining the kernels into their callers.
template <class T, std::size_t In>
struct row_parts {
    static constexpr std::size_t lanes = dot_lanes<T, In>;
    static constexpr std::size_t width = update_lanes<T, In>;
    static constexpr std::size_t parts = lanes / width;
    static constexpr std::size_t full = In / lanes * lanes;
    static_assert(parts == 1 || parts == 2 || parts == 4, "ctnn: dot lanes must be 1, 2 or 4 native vectors");
    using vec = vector_t<T, width>;
};

// add_chunk(row, x, i, p0..p3): the parts of one row += the chunk at i.
template <class T, std::size_t In, class Vec>
[[gnu::always_inline]] inline void add_chunk(T const* __restrict row, Vec const& x0, Vec const& x1, Vec const& x2,
                                             Vec const& x3, std::size_t i, Vec& p0, Vec& p1, Vec& p2, Vec& p3) noexcept
{
    using rp = row_parts<T, In>;
    Vec v;
    __builtin_memcpy(&v, row + i, sizeof v);
    p0 += v * x0;
    if constexpr (rp::parts >= 2) {
        __builtin_memcpy(&v, row + i + rp::width, sizeof v);
        p1 += v * x1;
    }
    if constexpr (rp::parts == 4) {
        __builtin_memcpy(&v, row + i + 2 * rp::width, sizeof v);
        p2 += v * x2;
        __builtin_memcpy(&v, row + i + 3 * rp::width, sizeof v);
        p3 += v * x3;
    }
}

// load_chunk(x, i, x0..x3): the parts of the chunk of x at i.
template <class T, std::size_t In, class Vec>
[[gnu::always_inline]] inline void load_chunk(T const* __restrict x, std::size_t i, Vec& x0, Vec& x1, Vec& x2,
                                              Vec& x3) noexcept
{
    using rp = row_parts<T, In>;
    __builtin_memcpy(&x0, x + i, sizeof x0);
    if constexpr (rp::parts >= 2) {
        __builtin_memcpy(&x1, x + i + rp::width, sizeof x1);
    }
    if constexpr (rp::parts == 4) {
        __builtin_memcpy(&x2, x + i + 2 * rp::width, sizeof x2);
        __builtin_memcpy(&x3, x + i + 3 * rp::width, sizeof x3);
    }
}

// finish_row(row, x, p0..p3): the inputs past the last full chunk into lanes
// 0, 1, ..., then the parts folded pairwise into p0.
template <class T, std::size_t In, class Vec>
[[gnu::always_inline]] inline void finish_row(T const* __restrict row, T const* __restrict x, Vec& p0, Vec& p1,
                                              Vec& p2, Vec& p3) noexcept
{
    using rp = row_parts<T, In>;
    if constexpr (rp::full < In) {
        for (std::size_t i = rp::full; i < In; ++i) { // fewer than `lanes` inputs
            std::size_t const l = i - rp::full;
            T const term = row[i] * x[i];
            if (l < rp::width) {
                p0[l] += term;
            } else if (l < 2 * rp::width) {
                p1[l - rp::width] += term;
            } else if (l < 3 * rp::width) {
                p2[l - 2 * rp::width] += term;
            } else {
                p3[l - 3 * rp::width] += term;
            }
        }
    }
    if constexpr (rp::parts == 4) {
        p0 += p2;
        p1 += p3;
    }
    if constexpr (rp::parts >= 2) {
        p0 += p1;
    }
}

// two_row_lanes(w0, w1, x, a, b): the partial sums of rows w0 and w1
// (without the bias), each folded to one native vector.
template <class T, std::size_t In, class Vec>
[[gnu::always_inline]] inline void two_row_lanes(T const* __restrict w0, T const* __restrict w1,
                                                 T const* __restrict x, Vec& a0, Vec& b0) noexcept
{
    using rp = row_parts<T, In>;
    a0 = b0 = Vec{};
    Vec a1 = {}, a2 = {}, a3 = {};
    Vec b1 = {}, b2 = {}, b3 = {};
    for (std::size_t i = 0; i < rp::full; i += rp::lanes) {
        Vec x0, x1, x2, x3;
        load_chunk<T, In>(x, i, x0, x1, x2, x3);
        add_chunk<T, In>(w0, x0, x1, x2, x3, i, a0, a1, a2, a3);
        add_chunk<T, In>(w1, x0, x1, x2, x3, i, b0, b1, b2, b3);
    }
    finish_row<T, In>(w0, x, a0, a1, a2, a3);
    finish_row<T, In>(w1, x, b0, b1, b2, b3);
}

// four_row_lanes(w, x, o, a, b, c, d): the partial sums of rows o..o+3
// (without the bias), each folded to one native vector. A function, not a
// lambda: GCC leaves a lambda out of line in a large caller (train_step),
// where the vectors then go through memory. Where four rows' parts would
// take more than the accumulator registers (four parts a row in 16-byte
// vectors: all 16 of SSE2's, twice Helium's 8), the rows go two at a time,
// their parts in registers; the sums are the same.
template <class T, std::size_t In, class Vec>
[[gnu::always_inline]] inline void four_row_lanes(T const* __restrict w, T const* __restrict x, std::size_t o,
                                                  Vec& a0, Vec& b0, Vec& c0, Vec& d0) noexcept
{
    using rp = row_parts<T, In>;
    T const* const w0 = w + o * In;
    T const* const w1 = w0 + In;
    T const* const w2 = w1 + In;
    T const* const w3 = w2 + In;
    if constexpr (4 * rp::parts > accumulator_registers) {
        two_row_lanes<T, In>(w0, w1, x, a0, b0);
        two_row_lanes<T, In>(w2, w3, x, c0, d0);
    } else {
        a0 = b0 = c0 = d0 = Vec{}; // row 0's parts, and so on
        Vec a1 = {}, a2 = {}, a3 = {};
        Vec b1 = {}, b2 = {}, b3 = {};
        Vec c1 = {}, c2 = {}, c3 = {};
        Vec d1 = {}, d2 = {}, d3 = {};
        for (std::size_t i = 0; i < rp::full; i += rp::lanes) {
            Vec x0, x1, x2, x3;
            load_chunk<T, In>(x, i, x0, x1, x2, x3);
            add_chunk<T, In>(w0, x0, x1, x2, x3, i, a0, a1, a2, a3);
            add_chunk<T, In>(w1, x0, x1, x2, x3, i, b0, b1, b2, b3);
            add_chunk<T, In>(w2, x0, x1, x2, x3, i, c0, c1, c2, c3);
            add_chunk<T, In>(w3, x0, x1, x2, x3, i, d0, d1, d2, d3);
        }
        finish_row<T, In>(w0, x, a0, a1, a2, a3);
        finish_row<T, In>(w1, x, b0, b1, b2, b3);
        finish_row<T, In>(w2, x, c0, c1, c2, c3);
        finish_row<T, In>(w3, x, d0, d1, d2, d3);
    }
}

// four_row_groups(w, x, o, d): rows o..o+3 as 4 groups of width/4 partial
// sums (width >= 4), the first two pairwise steps of each row done.
template <class T, std::size_t In>
[[gnu::always_inline]] inline void four_row_groups(T const* __restrict w, T const* __restrict x, std::size_t o,
                                                   typename row_parts<T, In>::vec& d) noexcept
{
    typename row_parts<T, In>::vec a, b, c, e;
    four_row_lanes<T, In>(w, x, o, a, b, c, e);
    combine_four<T, row_parts<T, In>::width>(a, b, c, e, d);
}

// four_rows(w, x, o, sums): the sums of rows o..o+3 (without the bias),
// each in dot_row_scalar's order.
template <class T, std::size_t In>
[[gnu::always_inline]] inline void four_rows(T const* __restrict w, T const* __restrict x, std::size_t o,
                                             vector_t<T, 4>& sums) noexcept
{
    using rp = row_parts<T, In>;
    using vec = typename rp::vec;
    if constexpr (rp::width >= 4) {
        vec d;
        four_row_groups<T, In>(w, x, o, d);
        fold_groups<T, rp::width, 4, rp::width / 4>(d, sums);
    } else {
        vec a, b, c, d;
        four_row_lanes<T, In>(w, x, o, a, b, c, d);
        T s0, s1, s2, s3;
        reduce_pairwise<T, rp::width>(a, s0);
        reduce_pairwise<T, rp::width>(b, s1);
        reduce_pairwise<T, rp::width>(c, s2);
        reduce_pairwise<T, rp::width>(d, s3);
        sums = vector_t<T, 4>{s0, s1, s2, s3};
    }
}

// eight_row_groups(w, x, o, e): rows o..o+7 as 8 groups of width/8 partial
// sums (width >= 8): the four-row groups combined once more, pairwise.
template <class T, std::size_t In>
[[gnu::always_inline]] inline void eight_row_groups(T const* __restrict w, T const* __restrict x, std::size_t o,
                                                    typename row_parts<T, In>::vec& e) noexcept
{
    constexpr std::size_t width = row_parts<T, In>::width;
    typename row_parts<T, In>::vec d0, d1;
    four_row_groups<T, In>(w, x, o, d0);
    four_row_groups<T, In>(w, x, o + 4, d1);
    combine<T, width, 4, width / 4>(d0, d1, e);
}

// eight_rows(w, x, o, sums): the sums of rows o..o+7 (without the bias), in
// dot_row_scalar's order (width >= 8).
template <class T, std::size_t In>
[[gnu::always_inline]] inline void eight_rows(T const* __restrict w, T const* __restrict x, std::size_t o,
                                              vector_t<T, 8>& sums) noexcept
{
    constexpr std::size_t width = row_parts<T, In>::width;
    typename row_parts<T, In>::vec e;
    eight_row_groups<T, In>(w, x, o, e);
    fold_groups<T, width, 8, width / 8>(e, sums);
}

// packed_row_groups<T, In, K>(w, xx, o, v): for rows that are one chunk of
// In < 16 values (In a power of two), 16/In of them side by side in each
// vector of 16: rows o, o+1, ... (16/K of them) as 16/K groups of K partial
// sums, xx being x repeated 16/In times. The rows are contiguous, so each
// vector is one load; halving pairs lane l with lane l + K/2 of a group, as
// combine does: dot_row_scalar's order. Two rows of 8 per vector: 16 rows in
// 8 products and 7 additions of 14 shuffles, where a row per vector of 8
// takes 16 products and 14 additions of 28 shuffles.
template <class T, std::size_t In, std::size_t K>
[[gnu::always_inline]] inline void packed_row_groups(T const* __restrict w, vector_t<T, 16> const& xx, std::size_t o,
                                                     vector_t<T, 16>& v) noexcept
{
    if constexpr (K == In) {
        __builtin_memcpy(&v, w + o * In, sizeof v);
        v *= xx;
    } else {
        vector_t<T, 16> a, b;
        packed_row_groups<T, In, 2 * K>(w, xx, o, a);
        packed_row_groups<T, In, 2 * K>(w, xx, o + 8 / K, b);
        combine<T, 16, 8 / K, 2 * K>(a, b, v);
    }
}

template <class T, std::size_t In, std::size_t... I>
[[gnu::always_inline]] inline void repeat_input(T const* __restrict x, vector_t<T, 16>& xx,
                                                std::index_sequence<I...>) noexcept
{
    vector_t<T, In> chunk;
    __builtin_memcpy(&chunk, x, sizeof chunk);
    xx = __builtin_shufflevector(chunk, chunk, static_cast<int>(I % In)...);
}

// Rows that packed_row_groups takes: one chunk each (dot_lanes is a power of
// two, so such rows divide 16), several per vector.
template <class T, std::size_t In>
inline constexpr bool packed_rows = In == dot_lanes<T, In> && In < 16;

// Whether 16 values of T fit one native vector, on a target with vector
// registers: where the forward pass and the update take rows 16 at a time.
template <class T>
inline constexpr bool sixteen_per_vector = CTNN_DETAIL_SIMD_TARGET && 16 * sizeof(T) <= CTNN_DETAIL_NATIVE_VECTOR_BYTES;

// sixteen_rows(w, x, o, sums): the sums of rows o..o+15 (without the bias),
// in dot_row_scalar's order. Where a row's lanes fill 8 or 16 values, the
// groups of rows are combined pairwise until each row is one lane: 16 rows
// of 16 lanes in 15 vector additions of 30 shuffles (four rows at a time:
// 20 additions, 43 shuffles).
template <class T, std::size_t In>
[[gnu::always_inline]] inline void sixteen_rows(T const* __restrict w, T const* __restrict x, std::size_t o,
                                                vector_t<T, 16>& sums) noexcept
{
    using rp = row_parts<T, In>;
    if constexpr (packed_rows<T, In>) {
        vector_t<T, 16> xx;
        repeat_input<T, In>(x, xx, std::make_index_sequence<16>{});
        packed_row_groups<T, In, 1>(w, xx, o, sums);
        // A packed row's lanes each hold one product, not 0 + the product as
        // dot_row_scalar's do: the two differ only where the sum is −0, which
        // adding +0 makes +0, the definition's value (see dot_row_reference).
        sums += T(0);
    } else if constexpr (rp::width == 16) {
        typename rp::vec e0, e1;
        eight_row_groups<T, In>(w, x, o, e0);
        eight_row_groups<T, In>(w, x, o + 8, e1);
        combine<T, 16, 8, 2>(e0, e1, sums);
    } else if constexpr (rp::width == 8) {
        vector_t<T, 8> s0, s1;
        eight_rows<T, In>(w, x, o, s0);
        eight_rows<T, In>(w, x, o + 8, s1);
        sums = __builtin_shufflevector(s0, s1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    } else {
        vector_t<T, 4> s0, s1, s2, s3;
        four_rows<T, In>(w, x, o, s0);
        four_rows<T, In>(w, x, o + 4, s1);
        four_rows<T, In>(w, x, o + 8, s2);
        four_rows<T, In>(w, x, o + 12, s3);
        vector_t<T, 8> const s01 = __builtin_shufflevector(s0, s1, 0, 1, 2, 3, 4, 5, 6, 7);
        vector_t<T, 8> const s23 = __builtin_shufflevector(s2, s3, 0, 1, 2, 3, 4, 5, 6, 7);
        sums = __builtin_shufflevector(s01, s23, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    }
}

// Long rows are read two at a time on targets with 32- or 64-byte vectors,
// where a row's 64 lanes are 8 or 4 registers. With 16-byte vectors a row's
// partial sums take 16 registers (all of SSE2's, half of AArch64's): two
// rows' would not fit in the registers beside their operands.
template <class T, std::size_t In>
inline constexpr bool long_rows_paired =
    CTNN_DETAIL_SIMD_TARGET && dot_lanes<T, In> / update_lanes<T, In> <= paired_long_row_vectors;

// long_rows_bias<T, In, R>(rows, x, b, z): z[r] = b[r] + Σ rows[r In + i] x[i]
// for R consecutive long rows, each row's lanes as native vectors in
// registers (4 on AVX-512, 8 on AVX, 16 on 16-byte targets): dot_row_scalar's
// order for every row. Each vector of x, loaded once, serves the R rows:
// alone, a row takes two loads per multiply-add (its weights and x), two rows
// 1.5, which matters where loads, not multiply-adds, limit the loop.
template <class T, std::size_t In, std::size_t R>
[[gnu::always_inline]] inline void long_rows_bias(T const* __restrict rows, T const* __restrict x,
                                                  T const* __restrict b, T* __restrict z) noexcept
{
    constexpr std::size_t lanes = dot_lanes<T, In>;
    constexpr std::size_t width = update_lanes<T, In>;
    constexpr std::size_t parts = lanes / width;
    constexpr std::size_t full = In / lanes * lanes;
    constexpr std::size_t tail_parts = (In - full) / width; // whole vectors in the tail
    using vec = vector_t<T, width>;
    vec acc[R][parts] = {};
    auto const add = [&](std::size_t p, std::size_t i) __attribute__((always_inline)) {
        vec v;
        __builtin_memcpy(&v, x + i, sizeof v);
        CTNN_DETAIL_UNROLL
        for (std::size_t r = 0; r < R; ++r) {
            vec w;
            __builtin_memcpy(&w, rows + r * In + i, sizeof w);
            acc[r][p] += w * v;
        }
    };
    CTNN_DETAIL_NO_UNROLL
    for (std::size_t i = 0; i < full; i += lanes) {
        CTNN_DETAIL_UNROLL
        for (std::size_t p = 0; p < parts; ++p) {
            add(p, i + p * width);
        }
    }
    CTNN_DETAIL_UNROLL
    for (std::size_t p = 0; p < tail_parts; ++p) { // the tail: input full + l into lane l
        add(p, full + p * width);
    }
    CTNN_DETAIL_UNROLL
    for (std::size_t r = 0; r < R; ++r) {
        for (std::size_t i = full + tail_parts * width; i < In; ++i) {
            acc[r][tail_parts][i - full - tail_parts * width] += rows[r * In + i] * x[i];
        }
        reduce_lanes<T, width, parts>(acc[r]);
        T sum;
        reduce_pairwise<T, width>(acc[r][0], sum);
        z[r] = b[r] + sum;
    }
}

// row_lanes(row, x, a0): one row's partial sums (without the bias), folded to
// one native vector.
template <class T, std::size_t In, class Vec>
[[gnu::always_inline]] inline void row_lanes(T const* __restrict row, T const* __restrict x, Vec& a0) noexcept
{
    using rp = row_parts<T, In>;
    a0 = Vec{};
    Vec a1 = {}, a2 = {}, a3 = {};
    for (std::size_t i = 0; i < rp::full; i += rp::lanes) {
        Vec x0, x1, x2, x3;
        load_chunk<T, In>(x, i, x0, x1, x2, x3);
        add_chunk<T, In>(row, x0, x1, x2, x3, i, a0, a1, a2, a3);
    }
    finish_row<T, In>(row, x, a0, a1, a2, a3);
}

// store_biased(b, sums, z): z[0, N) = b[0, N) + sums, one vector store.
template <class T, std::size_t N>
[[gnu::always_inline]] inline void store_biased(T const* __restrict b, vector_t<T, N> const& sums,
                                                T* __restrict z) noexcept
{
    vector_t<T, N> bias;
    __builtin_memcpy(&bias, b, sizeof bias);
    vector_t<T, N> const result = bias + sums;
    __builtin_memcpy(z, &result, sizeof result);
}

// matvec_bias_rows: matvec_bias_vector for rows that are not long, at least
// four rows at a time: independent chains of additions.
template <class T, std::size_t In, std::size_t Out>
[[gnu::always_inline]] inline void matvec_bias_rows(T const* __restrict w, T const* __restrict x,
                                                    T const* __restrict b, T* __restrict z) noexcept
{
    using rp = row_parts<T, In>;
    using vec = typename rp::vec;
    constexpr std::size_t blocked = Out / 4 * 4;
    std::size_t o = 0;
    // Sixteen rows at a time where there are enough and 16 values fit one
    // native vector: their sums gathered in registers and stored as one
    // vector, so that the next loop over z (the activation, the next layer)
    // loads what one store wrote. (Four 16-byte stores read back by one wider
    // load defeat store-to-load forwarding: the load waits for the stores to
    // reach the cache.)
    constexpr std::size_t grouped = sixteen_per_vector<T> ? Out / 16 * 16 : 0;
    for (; o < grouped; o += 16) {
        vector_t<T, 16> sums;
        sixteen_rows<T, In>(w, x, o, sums);
        store_biased<T, 16>(b + o, sums, z + o);
    }
    // Then eight rows at a time where a row's lanes fill at least 8 values
    // (fewer shuffles than two blocks of four, see sixteen_rows).
    if constexpr (CTNN_DETAIL_SIMD_TARGET && rp::width >= 8) {
        for (; o < Out / 8 * 8; o += 8) {
            vector_t<T, 8> sums;
            eight_rows<T, In>(w, x, o, sums);
            store_biased<T, 8>(b + o, sums, z + o);
        }
    }
    for (; o < blocked; o += 4) {
        vector_t<T, 4> sums;
        four_rows<T, In>(w, x, o, sums);
        store_biased<T, 4>(b + o, sums, z + o);
    }
    if constexpr (CTNN_DETAIL_SIMD_TARGET && rp::width >= 2 && Out - blocked >= 2) {
        // Two of the rows left as one vector: their reductions share the
        // shuffles, and the two sums are one store (a later 8-byte load of
        // them, as when the output is copied, is not forwarded from two
        // 4-byte stores: it waits for them to reach the cache).
        vec a, c;
        row_lanes<T, In>(w + o * In, x, a);
        row_lanes<T, In>(w + (o + 1) * In, x, c);
        vec pair;
        combine<T, rp::width, 1, rp::width>(a, c, pair);
        vector_t<T, 2> sums;
        fold_groups<T, rp::width, 2, rp::width / 2>(pair, sums);
        store_biased<T, 2>(b + o, sums, z + o);
        o += 2;
    }
    for (; o < Out; ++o) {
        vec a;
        row_lanes<T, In>(w + o * In, x, a);
        T sum;
        reduce_pairwise<T, rp::width>(a, sum);
        z[o] = b[o] + sum;
    }
}

// matvec_bias_vector: matvec_bias with each row's lanes in vector registers.
// Each row's sum is dot_row_scalar's, whatever the blocking.
template <class T, std::size_t In, std::size_t Out>
[[gnu::always_inline]] inline void matvec_bias_vector(T const* __restrict w, T const* __restrict x,
                                                      T const* __restrict b, T* __restrict z) noexcept
{
    if constexpr (long_row<T, In>) {
        auto const rows = [&](T const* __restrict from) __attribute__((always_inline)) {
            constexpr std::size_t pairs = long_rows_paired<T, In> ? Out / 2 * 2 : 0;
            for (std::size_t o = 0; o < pairs; o += 2) {
                long_rows_bias<T, In, 2>(w + o * In, from, b + o, z + o);
            }
            for (std::size_t o = pairs; o < Out; ++o) {
                long_rows_bias<T, In, 1>(w + o * In, from, b + o, z + o);
            }
        };
        if constexpr (CTNN_DETAIL_SIMD_TARGET) {
            // Every row reads all of x: a copy aligned to a cache line, so
            // that no vector load of it is split across two lines (a sample
            // in a std::vector is aligned to 16 bytes at best). Not on
            // targets without vector registers: no cache lines to split, and
            // the stack is small.
            alignas(64) T aligned[In];
            __builtin_memcpy(aligned, x, sizeof aligned);
            rows(aligned);
        } else {
            rows(x);
        }
    } else {
        matvec_bias_rows<T, In, Out>(w, x, b, z);
    }
}

// add_row_chunk(m, u, i, s, o): s += m[o][i .. i + lanes) u[o] (a function,
// not a lambda: see four_rows).
template <class T, std::size_t In, class Vec>
[[gnu::always_inline]] inline void add_row_chunk(T const* __restrict m, T const* __restrict u, std::size_t i, Vec& s,
                                                 std::size_t o) noexcept
{
    Vec w;
    __builtin_memcpy(&w, m + o * In + i, sizeof w);
    s += w * u[o];
}

// transposed_matvec_vector: transposed_matvec_scalar's sums in its order,
// a chunk of `update_lanes` inputs at a time, the partial sums of the chunk in
// named vector accumulators (in registers; the form the compiler derives from
// the scalar loop keeps g in memory, a store and a reload per row on the chain
// of every sum). Inputs past the last full chunk go the scalar way.
template <class T, std::size_t In, std::size_t Out>
[[gnu::always_inline]] inline void transposed_matvec_vector(T const* __restrict m, T const* __restrict u,
                                                            T* __restrict g) noexcept
{
    constexpr std::size_t lanes = update_lanes<T, In>;
    constexpr std::size_t full = In / lanes * lanes;
    constexpr std::size_t partials = row_partials<Out>;
    constexpr std::size_t rows = Out / partials * partials;
    using vec = vector_t<T, lanes>;
    for (std::size_t i = 0; i < full; i += lanes) {
        vec s0 = {};
        [[maybe_unused]] vec s1 = {};
        [[maybe_unused]] vec s2 = {};
        [[maybe_unused]] vec s3 = {};
        for (std::size_t o = 0; o < rows; o += partials) {
            add_row_chunk<T, In>(m, u, i, s0, o);
            if constexpr (partials >= 2) {
                add_row_chunk<T, In>(m, u, i, s1, o + 1);
            }
            if constexpr (partials == 4) {
                add_row_chunk<T, In>(m, u, i, s2, o + 2);
                add_row_chunk<T, In>(m, u, i, s3, o + 3);
            }
        }
        if constexpr (rows < Out) { // at most 3 rows left: partial sums 0, 1, 2
            add_row_chunk<T, In>(m, u, i, s0, rows);
            if constexpr (rows + 1 < Out) {
                add_row_chunk<T, In>(m, u, i, s1, rows + 1);
            }
            if constexpr (rows + 2 < Out) {
                add_row_chunk<T, In>(m, u, i, s2, rows + 2);
            }
        }
        if constexpr (partials == 4) {
            s0 += s2;
            s1 += s3;
        }
        if constexpr (partials >= 2) {
            s0 += s1;
        }
        __builtin_memcpy(g + i, &s0, sizeof s0);
    }
    for (std::size_t i = full; i < In; ++i) {
        g[i] = transposed_column_scalar<T, In, Out>(m, u, i);
    }
}

// descend_row_vector(row, v, step): row −= step v, a native vector at a
// time. (Written out because compilers tuned for 256-bit vectors split the
// loop they derive into halves of a 64-byte vector.)
template <class T, std::size_t In>
[[gnu::always_inline]] inline void descend_row_vector(T* __restrict row, T const* __restrict v, T step) noexcept
{
    constexpr std::size_t lanes = update_lanes<T, In>;
    constexpr std::size_t full = In / lanes * lanes;
    using vec = vector_t<T, lanes>;
    CTNN_DETAIL_STREAM_UNROLL
    for (std::size_t i = 0; i < full; i += lanes) {
        vec r, x;
        __builtin_memcpy(&r, row + i, sizeof r);
        __builtin_memcpy(&x, v + i, sizeof x);
        r -= step * x;
        __builtin_memcpy(row + i, &r, sizeof r);
    }
    for (std::size_t i = full; i < In; ++i) {
        row[i] -= step * v[i];
    }
}

// descend_packed_rows<In, First>(rows, steps, xx): rows First, First + 1,
// ... of a block of 16, packed 16/In per vector of 16 values (rows of In =
// 4 or 8 values are contiguous), minus their steps times xx (the input
// repeated 16/In times): lane l takes the step of row First + l / In.
template <class T, std::size_t In, std::size_t First, std::size_t... L>
[[gnu::always_inline]] inline void descend_packed_rows(T* __restrict rows, vector_t<T, 16> const& steps,
                                                       vector_t<T, 16> const& xx, std::index_sequence<L...>) noexcept
{
    vector_t<T, 16> r;
    __builtin_memcpy(&r, rows + First * In, sizeof r);
    r -= __builtin_shufflevector(steps, steps, static_cast<int>(First + L / In)...) * xx;
    __builtin_memcpy(rows + First * In, &r, sizeof r);
}

// rank1_descent_vector: rank1_descent_scalar's values. With SkipIdle, rows
// (of at least skip_row_bytes) whose step is zero are not touched: a bit mask
// of the rows to update is built first, 64 rows at a time, without branches
// (a branch per row mispredicts on the random pattern of a ReLU layer's idle
// units; the compiler vectorises the mask's loop), then only the rows of its
// set bits are read and written.
template <class T, std::size_t In, std::size_t Out, bool SkipIdle>
[[gnu::always_inline]] inline void rank1_descent_vector(T* __restrict m, T const* __restrict u,
                                                        T const* __restrict v, T rate) noexcept
{
    if constexpr (SkipIdle && In * sizeof(T) >= skip_row_bytes) {
        for (std::size_t first = 0; first < Out; first += 64) {
            std::size_t const count = Out - first < 64 ? Out - first : 64;
            std::uint64_t active = 0;
            for (std::size_t k = 0; k < count; ++k) {
                active |= std::uint64_t{rate * u[first + k] != T(0)} << k;
            }
            for (; active != 0; active &= active - 1) {
                std::size_t const o = first + static_cast<std::size_t>(std::countr_zero(active));
                descend_row_vector<T, In>(m + o * In, v, rate * u[o]);
            }
        }
    } else {
        std::size_t o = 0;
        if constexpr (packed_rows<T, In> && sixteen_per_vector<T>) {
            // Rows of one chunk of fewer than 16 values (4 or 8: the caller's
            // rows have at least vector_row_min_lanes) in blocks of 16 rows,
            // several rows per vector as the forward pass reads them
            // (sixteen_rows): the same bytes in a half or a quarter of the
            // load and store instructions.
            vector_t<T, 16> xx;
            repeat_input<T, In>(v, xx, std::make_index_sequence<16>{});
            for (; o < Out / 16 * 16; o += 16) {
                vector_t<T, 16> steps;
                __builtin_memcpy(&steps, u + o, sizeof steps);
                steps = rate * steps; // rate · u[o], rounded once per row as in rank1_descent_scalar
                [&]<std::size_t... K>(std::index_sequence<K...>) {
                    (descend_packed_rows<T, In, K * 16 / In>(m + o * In, steps, xx, std::make_index_sequence<16>{}),
                     ...);
                }(std::make_index_sequence<In>{});
            }
        }
        for (; o < Out; ++o) {
            descend_row_vector<T, In>(m + o * In, v, rate * u[o]);
        }
    }
}

} // namespace ctnn::detail
#endif

#endif
