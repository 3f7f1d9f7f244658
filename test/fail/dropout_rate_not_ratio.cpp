// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: Rate is the drop probability as a std::ratio

#include <ctnn/ctnn.hpp>

#include <ratio>

namespace {
#ifndef CTNN_KO
using rate = std::ratio<1, 2>;
#else
using rate = float;
#endif
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::relu>, ctnn::dropout<rate>,
                               ctnn::dense<1>> net{};
} // namespace
