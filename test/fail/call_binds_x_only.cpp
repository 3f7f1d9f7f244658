// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: binds x only. evaluate expressions of y or t with evaluate

#include <ctnn/sym.hpp>

namespace {
using namespace ctnn::sym;
#ifndef CTNN_KO
[[maybe_unused]] constexpr double v = (x * x)(2.0);
#else
[[maybe_unused]] constexpr double v = (x * y)(2.0);
#endif
} // namespace
