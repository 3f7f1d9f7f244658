#ifndef CTNN_DETAIL_CONSTANT_EVALUATED_HPP
#define CTNN_DETAIL_CONSTANT_EVALUATED_HPP

/// \file
/// The one switch between compile-time and run-time code paths.

namespace ctnn::detail {

/// True while the call is being constant-evaluated.
///
/// `std::is_constant_evaluated` is not usable with clang 14 over libstdc++ 12
/// in every context, so the builtin (which both compilers provide) is used.
/// Branch on it with a plain `if`, never `if constexpr`: the latter is always
/// true inside the condition.
[[nodiscard]] constexpr bool is_constant_evaluated() noexcept
{
    return __builtin_is_constant_evaluated();
}

} // namespace ctnn::detail

#endif
