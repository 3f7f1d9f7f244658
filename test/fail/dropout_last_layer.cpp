// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: dropout cannot be the last layer

#include <ctnn/ctnn.hpp>

#include <ratio>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::relu>, ctnn::dropout<std::ratio<1, 2>>,
                               ctnn::dense<1>> net{};
#else
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::relu>, ctnn::dropout<std::ratio<1, 2>>> net{};
#endif
} // namespace
