// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: the input needs at least one value

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] ctnn::network<float, ctnn::input<1>, ctnn::dense<1>> net{};
#else
[[maybe_unused]] ctnn::network<float, ctnn::input<0>, ctnn::dense<1>> net{};
#endif
} // namespace
