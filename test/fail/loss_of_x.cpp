// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: a loss is an expression of ctnn::sym::y

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
constexpr auto absolute = ctnn::sym::pow<4>(ctnn::sym::y - ctnn::sym::t);
[[maybe_unused]] constexpr auto d = ctnn::loss::elementwise<absolute, ctnn::loss::reduction::sum>::derivative;
#else
constexpr auto absolute = ctnn::sym::pow<4>(ctnn::sym::x - ctnn::sym::t);
[[maybe_unused]] constexpr auto d = ctnn::loss::elementwise<absolute, ctnn::loss::reduction::sum>::derivative;
#endif
} // namespace
