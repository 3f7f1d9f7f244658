#ifndef CTNN_SYM_SUBSTITUTE_HPP
#define CTNN_SYM_SUBSTITUTE_HPP

/// \file
/// Substitution of a whole subexpression by another, e.g. rewriting an
/// activation's derivative in terms of the activation's own output:
/// `d(sigmoid(x))` is `sigmoid(x) * (1 - sigmoid(x))`, which becomes
/// `y * (1 - y)` once `sigmoid(x)` is replaced by `y`, so the backward pass
/// reuses the forward output and evaluates no exponential.

#include <ctnn/sym/construct.hpp>
#include <ctnn/sym/node.hpp>

#include <tuple>
#include <type_traits>

namespace ctnn::sym {

/// `e` with every subexpression equal to `pattern` replaced by `replacement`,
/// simplified again as it is rebuilt. Only patterns whose type determines them
/// (no numeric constants inside) are matched, since matching happens on types;
/// other patterns leave `e` unchanged.
template <expression E, expression P, expression R>
[[nodiscard]] constexpr auto substitute(E const& e, P const& pattern, R const& replacement) noexcept
{
    if constexpr (same_type_only_v<E, P>) {
        return replacement;
    } else if constexpr (requires { typename E::op_type; }) {
        return std::apply(
            [&](auto const&... args) {
                return rebuild(typename E::op_type{}, substitute(args, pattern, replacement)...);
            },
            e.args);
    } else {
        return e;
    }
}

} // namespace ctnn::sym

#endif
