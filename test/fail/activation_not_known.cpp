// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: Act must be a ctnn::activation<expression> or ctnn::softmax

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<2, ctnn::gelu>> net{};
#else
struct my_activation {};
[[maybe_unused]] ctnn::network<float, ctnn::input<2>, ctnn::dense<2, my_activation>> net{};
#endif
} // namespace
