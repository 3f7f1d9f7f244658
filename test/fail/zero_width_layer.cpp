// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: a dense layer needs at least one unit

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::relu>, ctnn::dense<1>> net{};
#else
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<0, ctnn::relu>, ctnn::dense<1>> net{};
#endif
} // namespace
