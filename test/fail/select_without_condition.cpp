// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: the first argument must be a comparison

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] constexpr auto e = ctnn::sym::select(ctnn::sym::x > 0, ctnn::sym::x, 0 * ctnn::sym::x);
#else
[[maybe_unused]] constexpr auto e = ctnn::sym::select(ctnn::sym::x, ctnn::sym::x, 0 * ctnn::sym::x);
#endif
} // namespace
