// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below. A braced list shorter than the input
// would otherwise be padded with zeros.
// expect: the braced input's number of values differs from the network's input size

#include <ctnn/ctnn.hpp>

namespace {
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<1>>;
#ifndef CTNN_KO
[[maybe_unused]] auto const y = net_t{}({1.0f, 2.0f});
#else
//! [mistake]
[[maybe_unused]] auto const y = net_t{}({1.0f});   // net_t has two inputs
//! [mistake]
#endif
} // namespace
