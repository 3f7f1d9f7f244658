// ctnn::metrics::accuracy: hand-worked values, and every form of data set
// that fit takes.

#define BOOST_TEST_MODULE metrics
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace {
// y = x: the identity weights make the prediction the input itself.
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<2>>;

net_t identity_net()
{
    net_t net{};
    net.layer<0>().weights[0] = 1.0f; // row 0, column 0
    net.layer<0>().weights[3] = 1.0f; // row 1, column 1
    return net;
}
} // namespace

BOOST_AUTO_TEST_CASE(accuracy_takes_every_form_of_data_set)
{
    auto const net = identity_net();
    // argmax of the inputs: 0, 1, 1; the labels 0, 0, 1: two of three right.
    std::vector<std::array<float, 2>> xs{{1.0f, 0.0f}, {0.0f, 1.0f}, {2.0f, 3.0f}};
    std::vector<std::size_t> labels{0, 0, 1};
    std::array<std::size_t, 3> label_array{0, 0, 1};
    std::vector<std::array<float, 2>> one_hot{{1.0f, 0.0f}, {1.0f, 0.0f}, {0.0f, 1.0f}};
    float const expected = 2.0f / 3.0f;
    BOOST_TEST(ctnn::metrics::accuracy(net, xs, labels) == expected);
    BOOST_TEST(ctnn::metrics::accuracy(net, xs, label_array) == expected);
    BOOST_TEST(ctnn::metrics::accuracy(net, xs, std::span<std::size_t>(labels)) == expected);
    BOOST_TEST(ctnn::metrics::accuracy(net, xs, std::span<std::size_t const>(labels)) == expected);
    BOOST_TEST(ctnn::metrics::accuracy(net, std::span<std::array<float, 2>>(xs), one_hot) == expected);
    std::vector<std::array<float, 2>> const& const_one_hot = one_hot;
    BOOST_TEST(ctnn::metrics::accuracy(net, xs, const_one_hot) == expected);
}
