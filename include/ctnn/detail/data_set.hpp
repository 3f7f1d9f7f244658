#ifndef CTNN_DETAIL_DATA_SET_HPP
#define CTNN_DETAIL_DATA_SET_HPP

/// \file
/// What the helpers that take a data set accept: what `fit` accepts, a
/// contiguous range of samples (a `std::vector`, a `std::array` of them, a
/// `std::span`, const or not), each sample a `std::array`.

#include <array>
#include <cstddef>
#include <ranges>
#include <span>
#include <type_traits>

namespace ctnn::detail {

// is_std_array_v<A>: whether A is a std::array.
template <class A>
inline constexpr bool is_std_array_v = false;
template <class T, std::size_t N>
inline constexpr bool is_std_array_v<std::array<T, N>> = true;

// data_set<R>: a contiguous range with a size (its elements may be anything:
// samples, targets, class indices).
template <class R>
concept data_set = std::ranges::contiguous_range<R const> && std::ranges::sized_range<R const>;

// sample_set<R>: a data set of std::array samples.
template <class R>
concept sample_set = data_set<R> && is_std_array_v<std::ranges::range_value_t<R const>>;

// element_t<R>: a data set's element type, without const.
template <data_set R>
using element_t = std::remove_cv_t<std::ranges::range_value_t<R const>>;

// as_span(r): a read-only view of a data set.
template <data_set R>
[[nodiscard]] constexpr std::span<element_t<R> const> as_span(R const& r) noexcept
{
    return {std::ranges::data(r), std::ranges::size(r)};
}

} // namespace ctnn::detail

#endif
