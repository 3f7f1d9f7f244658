// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: write negative powers as 1 / pow<-N>

#include <ctnn/sym.hpp>

namespace {
using namespace ctnn::sym;
#ifndef CTNN_KO
[[maybe_unused]] constexpr auto e = 1 / pow<2>(x);
#else
[[maybe_unused]] constexpr auto e = pow<-2>(x);
#endif
} // namespace
