// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: E is a comparison. wrap it in select

#include <ctnn/ctnn.hpp>

namespace {
#ifndef CTNN_KO
constexpr auto step = ctnn::sym::select(ctnn::sym::x > 0, ctnn::sym::one{}, ctnn::sym::zero{});
#else
constexpr auto step = ctnn::sym::x > 0;
#endif
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<2, ctnn::activation<step>>> net{};
} // namespace
