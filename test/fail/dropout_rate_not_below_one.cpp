// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: the drop probability Rate must be at least 0 and below 1

#include <ctnn/ctnn.hpp>

#include <ratio>

namespace {
#ifndef CTNN_KO
using rate = std::ratio<99, 100>;
#else
using rate = std::ratio<1, 1>;
#endif
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::relu>, ctnn::dropout<rate>,
                               ctnn::dense<1>> net{};
} // namespace
