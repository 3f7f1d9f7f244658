#ifndef CTNN_DETAIL_REFERENCE_BLOCK_HPP
#define CTNN_DETAIL_REFERENCE_BLOCK_HPP

/// \file
/// The dense layer's forward sums over a block of S samples stored side by
/// side, unit-major (`[unit][sample]`), as a plain loop: for each sample, the
/// sum of detail/reference/dense.hpp in its order.

#include <ctnn/detail/config.hpp>
#include <ctnn/detail/reference/dense.hpp>

#include <cstddef>

namespace ctnn::detail {

// affine_row<In, S>(row, x, bias, z): z[s] = bias + Σ_i row[i] x[i][s] for
// the S samples of a block, each sum in dot_row_scalar's order (input i into
// lane i mod L of L partial sums, the tail into lanes 0, 1, ..., then the
// lanes pairwise). The definition, used in constant evaluation.
template <class T, std::size_t In, std::size_t S>
constexpr void affine_row(T const* CTNN_DETAIL_RESTRICT row, T const* CTNN_DETAIL_RESTRICT x, T bias,
                          T* CTNN_DETAIL_RESTRICT z) noexcept
{
    constexpr std::size_t lanes = dot_lanes<T, In>;
    constexpr std::size_t full = In / lanes * lanes;
    T acc[lanes][S] = {};
    for (std::size_t i = 0; i < In; ++i) {
        std::size_t const lane = i < full ? i % lanes : i - full;
        for (std::size_t s = 0; s < S; ++s) {
            acc[lane][s] += row[i] * x[i * S + s];
        }
    }
    for (std::size_t half = lanes / 2; half > 0; half /= 2) {
        for (std::size_t l = 0; l < half; ++l) {
            for (std::size_t s = 0; s < S; ++s) {
                acc[l][s] += acc[l + half][s];
            }
        }
    }
    for (std::size_t s = 0; s < S; ++s) {
        z[s] = bias + acc[0][s];
    }
}

} // namespace ctnn::detail

#endif
