// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below. A braced target shorter than the output
// would otherwise be padded with zeros.
// expect: the braced target's number of values differs from the network's output size

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<2>>;
[[maybe_unused]] float step(net_t& net, std::array<float, 2> const& x)
{
#ifndef CTNN_KO
    return ctnn::train_step(net, x, {1.0f, 0.0f}, ctnn::loss::mse{}, 0.1f);
#else
    return ctnn::train_step(net, x, {1.0f}, ctnn::loss::mse{}, 0.1f);
#endif
}
} // namespace
