// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: the input array's size differs from the network's input size

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
#ifndef CTNN_KO
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<1>>;
[[maybe_unused]] auto const y = net_t{}(std::array{1.0f, 2.0f});
#else
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<1>>;
[[maybe_unused]] auto const y = net_t{}(std::array{1.0f, 2.0f, 3.0f});
#endif
} // namespace
