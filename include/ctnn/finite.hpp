#ifndef CTNN_FINITE_HPP
#define CTNN_FINITE_HPP

/// \file
/// Cheap finiteness checks. ctnn does not test for NaN or infinity on its hot
/// paths: IEEE arithmetic propagates them without undefined behaviour, so a
/// NaN in the data yields NaN outputs, losses and gradients (and an optimizer
/// step then spreads it into the parameters). Check inputs, outputs or
/// parameters with these where data can be bad.

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

#include <ranges>
#include <type_traits>

namespace ctnn {

/// True when every value in `values` is finite (not NaN, not ±infinity).
/// One pass, no early exit, so the loop vectorises. `values` may be a data
/// set (a range of samples, each a range of values: every value of every
/// sample is checked); integers, such as class indices, are always finite.
template <std::ranges::input_range R>
[[nodiscard]] constexpr bool all_finite(R const& values) noexcept
{
    using value = std::remove_cvref_t<std::ranges::range_reference_t<R const>>;
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
