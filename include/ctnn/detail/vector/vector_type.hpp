#ifndef CTNN_DETAIL_VECTOR_VECTOR_TYPE_HPP
#define CTNN_DETAIL_VECTOR_VECTOR_TYPE_HPP

/// \file
/// The generic vectors the vector kernels are written in (GCC and Clang, no
/// intrinsics, no target flags), and the pairwise sums of their lanes in the
/// order of detail/reference/dense.hpp.

#include <ctnn/detail/config.hpp>
#include <ctnn/detail/reference/dense.hpp>

#include <array>
#include <cstddef>
#include <utility>

#if CTNN_DETAIL_GENERIC_VECTORS
namespace ctnn::detail {

/// Values of T per vector in those kernels, for rows of `In` values: the
/// largest power of two not above In that fits the native width.
template <class T, std::size_t In>
inline constexpr std::size_t update_lanes = lanes_within<T, In, CTNN_DETAIL_NATIVE_VECTOR_BYTES>;

// vector_t<T, N>: N lanes of T (wider than the target's vectors, it is split
// by the compiler). Vectors are passed by reference only: by value their
// calling convention depends on the target flags (-Wpsabi).
template <class T, std::size_t N>
struct vector_of {
    typedef T type __attribute__((vector_size(N * sizeof(T))));
};
template <class T, std::size_t N>
using vector_t = typename vector_of<T, N>::type;

// out = Σ lanes of v, pairwise: lanes [0, N/2) plus lanes [N/2, N), halving
// until one is left (the order of dot_row_scalar). Shuffles, not memcpy:
// taking a vector's address would keep it in memory.
template <class T, std::size_t N>
[[gnu::always_inline]] inline void reduce_pairwise(vector_t<T, N> const& v, T& out) noexcept;

template <class T, std::size_t N, std::size_t... I>
[[gnu::always_inline]] inline void reduce_halves(vector_t<T, N> const& v, T& out, std::index_sequence<I...>) noexcept
{
    vector_t<T, N / 2> const sum = __builtin_shufflevector(v, v, I...) + __builtin_shufflevector(v, v, (I + N / 2)...);
    reduce_pairwise<T, N / 2>(sum, out);
}

template <class T, std::size_t N>
[[gnu::always_inline]] inline void reduce_pairwise(vector_t<T, N> const& v, T& out) noexcept
{
    if constexpr (N == 2) {
        out = v[0] + v[1];
    } else {
        reduce_halves<T, N>(v, out, std::make_index_sequence<N / 2>{});
    }
}

// Reducing four rows at once. Each step is one vector addition of two
// shuffles that pair, for every row, lane l with lane l + k/2 of that row's k
// partial sums: the pairwise order of dot_row_scalar, for four rows at the
// cost of one. `groups_of<N, G, K>` maps output lane p (2G groups of K/2) to
// its source lanes in (a, b), each holding G groups of K lanes.
template <std::size_t N, std::size_t G, std::size_t K, bool High>
inline constexpr auto groups_of = [] {
    std::array<int, N> index{};
    for (std::size_t p = 0; p < N; ++p) {
        std::size_t const group = p / (K / 2);
        std::size_t const lane = p % (K / 2);
        std::size_t const source = (group < G ? 0 : G * K) + (group % G) * K + lane + (High ? K / 2 : 0);
        index[p] = static_cast<int>(source);
    }
    return index;
}();

template <class T, std::size_t N, std::size_t M, auto const& Lo, auto const& Hi, std::size_t... I>
[[gnu::always_inline]] inline void add_shuffled(vector_t<T, N> const& a, vector_t<T, N> const& b,
                                                vector_t<T, M>& out, std::index_sequence<I...>) noexcept
{
    out = __builtin_shufflevector(a, b, Lo[I]...) + __builtin_shufflevector(a, b, Hi[I]...);
}

// (a, b), G groups of K partial sums each -> out, 2G groups of K/2.
template <class T, std::size_t N, std::size_t G, std::size_t K>
[[gnu::always_inline]] inline void combine(vector_t<T, N> const& a, vector_t<T, N> const& b,
                                           vector_t<T, N>& out) noexcept
{
    add_shuffled<T, N, N, groups_of<N, G, K, false>, groups_of<N, G, K, true>>(a, b, out,
                                                                              std::make_index_sequence<N>{});
}

// v, G groups of K partial sums (N = GK) -> the G row sums.
template <class T, std::size_t N, std::size_t G, std::size_t K>
[[gnu::always_inline]] inline void fold_groups(vector_t<T, N> const& v, vector_t<T, G>& sums) noexcept
{
    if constexpr (K == 1) {
        sums = v;
    } else {
        // One vector: lanes of the first half of each group plus the second.
        vector_t<T, N / 2> half;
        add_shuffled<T, N, N / 2, groups_of<N / 2, G, K, false>, groups_of<N / 2, G, K, true>>(
            v, v, half, std::make_index_sequence<N / 2>{});
        fold_groups<T, N / 2, G, K / 2>(half, sums);
    }
}

// a0..a3 (N lanes each, N >= 4) -> d, 4 groups of N/4: each row's lanes
// halved twice.
template <class T, std::size_t N>
[[gnu::always_inline]] inline void combine_four(vector_t<T, N> const& a0, vector_t<T, N> const& a1,
                                                vector_t<T, N> const& a2, vector_t<T, N> const& a3,
                                                vector_t<T, N>& d) noexcept
{
    vector_t<T, N> c01;
    vector_t<T, N> c23;
    combine<T, N, 1, N>(a0, a1, c01);
    combine<T, N, 1, N>(a2, a3, c23);
    combine<T, N, 2, N / 2>(c01, c23, d);
}

// reduce_lanes<T, S, Lanes>(acc): acc[l] += acc[l + h] for l < h, h = Lanes/2,
// Lanes/4, ..., 1: the pairwise order, every index a constant.
template <class T, std::size_t S, std::size_t Half, std::size_t N, std::size_t... L>
[[gnu::always_inline]] inline void add_upper_half(vector_t<T, S> (&acc)[N], std::index_sequence<L...>) noexcept
{
    ((acc[L] += acc[L + Half]), ...);
}
template <class T, std::size_t S, std::size_t Lanes, std::size_t N>
[[gnu::always_inline]] inline void reduce_lanes(vector_t<T, S> (&acc)[N]) noexcept
{
    if constexpr (Lanes > 1) {
        add_upper_half<T, S, Lanes / 2>(acc, std::make_index_sequence<Lanes / 2>{});
        reduce_lanes<T, S, Lanes / 2>(acc);
    }
}

} // namespace ctnn::detail
#endif

#endif
