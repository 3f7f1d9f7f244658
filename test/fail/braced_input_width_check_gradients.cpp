// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below. A braced input too long, the target a
// class index.
// expect: the braced input's number of values differs from the network's input size

#include <ctnn/ctnn.hpp>

#include <cstddef>

namespace {
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::softmax>>;
constexpr std::size_t label = 2;
#ifndef CTNN_KO
[[maybe_unused]] auto const result =
    ctnn::check_gradients(net_t{}, {1.0f, 2.0f}, label, ctnn::loss::sparse_cross_entropy{}, 1e-3f);
#else
[[maybe_unused]] auto const result =
    ctnn::check_gradients(net_t{}, {1.0f, 2.0f, 3.0f}, label, ctnn::loss::sparse_cross_entropy{}, 1e-3f);
#endif
} // namespace
