// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: the last layer must be dense<N, ctnn::softmax>

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
using net_t = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::softmax>>;
[[maybe_unused]] auto const result = ctnn::gradient(net_t{}, {1.0, 2.0}, {0.0, 1.0, 0.0}, ctnn::loss::cross_entropy{});
#else
using net_t = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>>;
[[maybe_unused]] auto const result = ctnn::gradient(net_t{}, {1.0, 2.0}, {0.0, 1.0, 0.0}, ctnn::loss::cross_entropy{});
#endif
} // namespace
