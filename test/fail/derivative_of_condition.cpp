// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: a comparison has no derivative

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] constexpr auto slope = ctnn::sym::d(ctnn::sym::max(ctnn::sym::x, 0));
#else
[[maybe_unused]] constexpr auto slope = ctnn::sym::d(ctnn::sym::x > 0);
#endif
} // namespace
