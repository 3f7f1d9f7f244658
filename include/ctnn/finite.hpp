#ifndef CTNN_FINITE_HPP
#define CTNN_FINITE_HPP

/// \file
/// Cheap finiteness checks. ctnn does not test for NaN or infinity on its
/// inference and gradient paths: IEEE arithmetic propagates them without
/// undefined behaviour, so a NaN in the data yields NaN outputs, losses and
/// gradients (and an optimizer step then spreads it into the parameters).
/// Check inputs, outputs or parameters with these where data can be bad;
/// `fit` checks every batch's loss, gradient and update with them.

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ranges>
#include <type_traits>

namespace ctnn {

namespace detail {

// all_finite_ieee(values, n): whether n IEEE floats or doubles are all
// finite, from their bits. A value is finite when its exponent field is not
// all ones; adding the field's lowest bit to the field carries into the sign
// bit exactly when it is. Integer and-add-or needs no branch and no
// floating-point comparison, and eight independent accumulators let the
// compiler vectorise the loop at -O2 (a running `bool` updated with && keeps
// a branch per value): fit runs this on the gradient and the parameters of
// every batch.
template <class T>
constexpr bool all_finite_ieee(T const* values, std::size_t n) noexcept
{
    using bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    // +infinity: the exponent field all ones, nothing else.
    constexpr bits exponent = std::bit_cast<bits>(std::numeric_limits<T>::infinity());
    constexpr bits exponent_unit = exponent & (~exponent + 1);
    constexpr bits sign = exponent + exponent_unit;
    constexpr std::size_t lanes = 8;
    std::array<bits, lanes> carries{};
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        for (std::size_t k = 0; k < lanes; ++k) {
            carries[k] |= (std::bit_cast<bits>(values[i + k]) & exponent) + exponent_unit;
        }
    }
    bits carry = 0;
    for (; i < n; ++i) {
        carry |= (std::bit_cast<bits>(values[i]) & exponent) + exponent_unit;
    }
    for (bits const c : carries) {
        carry |= c;
    }
    return (carry & sign) == 0;
}

template <class T>
inline constexpr bool is_ieee_float_v =
    (std::is_same_v<T, float> || std::is_same_v<T, double>) && std::numeric_limits<T>::is_iec559;

} // namespace detail

/// True when every value in `values` is finite (not NaN, not ±infinity).
/// One pass, no early exit. `values` may be a data
/// set (a range of samples, each a range of values: every value of every
/// sample is checked); integers, such as class indices, are always finite.
template <std::ranges::input_range R>
[[nodiscard]] constexpr bool all_finite(R const& values) noexcept
{
    using value = std::remove_cvref_t<std::ranges::range_reference_t<R const>>;
    if constexpr (std::ranges::contiguous_range<R const> && std::ranges::sized_range<R const> &&
                  detail::is_ieee_float_v<value>) {
        return detail::all_finite_ieee(std::ranges::data(values), std::ranges::size(values));
    }
    bool finite = true;
    for (auto const& v : values) {
        if constexpr (std::ranges::input_range<value>) {
            finite = all_finite(v) && finite;
        } else if constexpr (!std::is_integral_v<value>) {
            finite = finite && math::isfinite(v);
        }
    }
    return finite;
}

/// True when every parameter of the network (or gradient) is finite.
template <class T, class Input, class... Layers>
[[nodiscard]] constexpr bool all_finite(parameter_set<T, Input, Layers...> const& p) noexcept
{
    return all_finite(p.parameters());
}

} // namespace ctnn

#endif
