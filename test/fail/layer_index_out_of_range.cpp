// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: I is past the last layer

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<1>>;
[[maybe_unused]] auto const w = net_t{}.layer<0>();
#else
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<1>>;
[[maybe_unused]] auto const w = net_t{}.layer<1>();
#endif
} // namespace
