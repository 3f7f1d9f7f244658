// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below: CTNN_KERNELS names one of the two kernel
// backends (detail/config.hpp), and a misspelt one is an error, not a silent
// default.
// expect: CTNN_KERNELS must be `reference` or `vector`

#ifndef CTNN_KO
#define CTNN_KERNELS reference
#else
#define CTNN_KERNELS scalar
#endif

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
[[maybe_unused]] ctnn::network<float, ctnn::input<4>, ctnn::dense<4>> net{};
static_assert(CTNN_DETAIL_VECTOR_KERNELS == 0);
} // namespace
