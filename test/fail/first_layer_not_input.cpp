// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: the first layer must be ctnn::input<N>

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] ctnn::network<float, ctnn::input<4>, ctnn::dense<4>> net{};
#else
[[maybe_unused]] ctnn::network<float, ctnn::dense<4>, ctnn::dense<4>> net{};
#endif
} // namespace
