// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: E must be an expression of ctnn::sym::x alone

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
constexpr auto shape = ctnn::sym::x * ctnn::sym::tanh(ctnn::sym::x);
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<2, ctnn::activation<shape>>> net{};
#else
constexpr auto shape = ctnn::sym::x * ctnn::sym::y;
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<2, ctnn::activation<shape>>> net{};
#endif
} // namespace
