// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below.
// expect: layer I is a dropout layer, which has no parameters

#include <ctnn/ctnn.hpp>

#include <ratio>

namespace {
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::relu>, ctnn::dropout<std::ratio<1, 2>>,
                            ctnn::dense<1>>;
[[maybe_unused]] float first_weight(net_t const& net)
{
#ifndef CTNN_KO
    return net.layer<2>().weights[0];
#else
    return net.layer<1>().weights[0];
#endif
}
} // namespace
