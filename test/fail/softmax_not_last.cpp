// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: softmax is allowed only as the activation of the last layer

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::relu>, ctnn::dense<2, ctnn::softmax>> net{};
#else
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::softmax>, ctnn::dense<2, ctnn::relu>> net{};
#endif
} // namespace
