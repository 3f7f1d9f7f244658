#ifndef CTNN_DETAIL_DENSE_KERNELS_HPP
#define CTNN_DETAIL_DENSE_KERNELS_HPP

/// \file
/// The dense layer's kernels for one sample, as the passes call them: the
/// forward product z = W x + b, the transposed product of the backward pass
/// and the SGD updates. Each chooses the backend's kernel at run time (the
/// vector kernels of detail/vector/dense.hpp or the reference kernels of
/// detail/reference/dense.hpp, see detail/config.hpp) and the definition in
/// constant evaluation: the same sums in the same order.

#include <ctnn/detail/config.hpp>
#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/detail/reference/dense.hpp>
#include <ctnn/detail/vector/dense.hpp>

#include <array>
#include <cstddef>

namespace ctnn::detail {

/// m −= (rate u) vᵀ for m row-major [Out][In], rate·u rounded once per row:
/// at run time the backend's kernel (the vector one for rows of at least
/// vector_row_min_lanes values), the scalar definition otherwise. With
/// SkipIdle (for layers whose units are often idle, ReLU's), rows whose step
/// rate·u[o] is exactly zero are left untouched at run time;
/// m − 0·v equals m except where v holds an infinity or a NaN (and for a
/// weight of −0, which may become +0).
template <class T, std::size_t In, std::size_t Out, bool SkipIdle = false>
constexpr void rank1_descent(T* CTNN_DETAIL_RESTRICT m, T const* CTNN_DETAIL_RESTRICT u,
                             T const* CTNN_DETAIL_RESTRICT v, T rate) noexcept
{
#if CTNN_DETAIL_VECTOR_KERNELS
    if constexpr (dot_lanes<T, In> >= vector_row_min_lanes) {
        if (!is_constant_evaluated()) {
            rank1_descent_vector<T, In, Out, SkipIdle>(m, u, v, rate);
            return;
        }
    }
#else
    if (!is_constant_evaluated()) {
        rank1_descent_reference<T, In, Out, SkipIdle>(m, u, v, rate);
        return;
    }
#endif
    rank1_descent_scalar<T, In, Out>(m, u, v, rate);
}

/// g = Wᵀ u for W row-major [Out][In]: with the vector kernels, their form at
/// run time for rows of at least vector_row_min_lanes values; the scalar
/// definition otherwise. RowAlign: an alignment in bytes every row of W has
/// (see matvec_bias).
template <class T, std::size_t In, std::size_t Out, std::size_t RowAlign = alignof(T)>
constexpr void transposed_matvec(T const* CTNN_DETAIL_RESTRICT m, T const* CTNN_DETAIL_RESTRICT u,
                                 T* CTNN_DETAIL_RESTRICT g) noexcept
{
#if CTNN_DETAIL_VECTOR_KERNELS
    if constexpr (dot_lanes<T, In> >= vector_row_min_lanes) {
        if (!is_constant_evaluated()) {
            transposed_matvec_vector<T, In, Out>(static_cast<T const*>(__builtin_assume_aligned(m, RowAlign)), u, g);
            return;
        }
    }
#endif
    transposed_matvec_scalar<T, In, Out>(m, u, g);
}

/// z = W x + b for W row-major [Out][In]: at run time the backend's kernel
/// (the vector one for rows of at least vector_row_min_lanes values), the
/// scalar definition otherwise. RowAlign: an alignment in bytes every row of
/// W has (weight_row_alignment for a network's layer). Told it, the compiler
/// reads rows with aligned loads, which instruction sets without VEX
/// encoding (x86-64 before AVX) fold into the multiplication, one
/// instruction fewer per vector of a row.
template <class T, std::size_t In, std::size_t Out, std::size_t RowAlign = alignof(T)>
constexpr void matvec_bias(T const* w, std::array<T, In> const& x, T const* b, std::array<T, Out>& z) noexcept
{
#if CTNN_DETAIL_VECTOR_KERNELS
    if constexpr (dot_lanes<T, In> >= vector_row_min_lanes) {
        if (!is_constant_evaluated()) {
            matvec_bias_vector<T, In, Out>(static_cast<T const*>(__builtin_assume_aligned(w, RowAlign)), x.data(), b,
                                           z.data());
            return;
        }
    }
#else
    if (!is_constant_evaluated()) {
        matvec_bias_reference<T, In, Out>(w, x.data(), b, z.data());
        return;
    }
#endif
    // Short rows (fewer than vector_row_min_lanes inputs) are left to the
    // compiler, which vectorises this loop across rows.
    for (std::size_t o = 0; o < Out; ++o) {
        z[o] = dot_row_scalar<T, In>(w + o * In, x.data(), b[o]);
    }
}

} // namespace ctnn::detail

#endif