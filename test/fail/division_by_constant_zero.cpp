// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: division by a constant zero

#include <ctnn/sym.hpp>

namespace {
using namespace ctnn::sym;
#ifndef CTNN_KO
[[maybe_unused]] constexpr auto e = x / d(x);
#else
[[maybe_unused]] constexpr auto e = x / d(y);
#endif
} // namespace
