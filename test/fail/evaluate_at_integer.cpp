// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: evaluate expressions at a float or a double

#include <ctnn/sym.hpp>

namespace {
using namespace ctnn::sym;
#ifndef CTNN_KO
[[maybe_unused]] constexpr float v = (x * x)(2.0f);
#else
[[maybe_unused]] constexpr int v = (x * x)(2);
#endif
} // namespace
