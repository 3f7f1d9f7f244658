// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: a network needs at least one dense layer after its input

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] ctnn::network<double, ctnn::input<4>, ctnn::dense<4>> net{};
#else
[[maybe_unused]] ctnn::network<double, ctnn::input<4>> net{};
#endif
} // namespace
