// ctnn::metrics::accuracy: hand-worked values, and every form of data set
// that fit takes.

#define BOOST_TEST_MODULE metrics
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
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

BOOST_AUTO_TEST_CASE(no_samples_measure_nan_not_zero)
{
    auto const net = identity_net();
    std::vector<std::array<float, 2>> const none;
    std::vector<std::size_t> const no_labels;
    BOOST_TEST(std::isnan(ctnn::metrics::accuracy(net, none, no_labels)));
    auto const e = ctnn::metrics::evaluate(net, std::span(none), std::span(no_labels),
                                           ctnn::loss::sparse_cross_entropy{});
    BOOST_TEST(std::isnan(e.mean_loss()));
    BOOST_TEST(std::isnan(e.accuracy()));
    BOOST_TEST(std::isnan(e.mean_squared_error()));
    BOOST_TEST(std::isnan(e.mean_absolute_error()));
}

BOOST_AUTO_TEST_CASE(accuracy_needs_class_labels)
{
    // Targets of 0 and 1 (one-hot, or one output's class) are labels; a
    // regression's are not, and its accuracy is NaN rather than the share
    // of predictions on the same side of 0.5 as the target.
    ctnn::metrics::accumulator<float> classes{};
    classes.add(0.0f, std::array{0.9f}, std::array{1.0f});
    classes.add(0.0f, std::array{0.7f}, std::array{0.0f});
    BOOST_TEST(classes.accuracy() == 0.5f);
    ctnn::metrics::accumulator<float> one_hot{};
    one_hot.add(0.0f, std::array{0.2f, 0.8f}, std::array{0.0f, 1.0f});
    BOOST_TEST(one_hot.accuracy() == 1.0f);
    ctnn::metrics::accumulator<float> regression{};
    regression.add(0.0f, std::array{0.9f}, std::array{1.0f});
    regression.add(0.0f, std::array{0.7f}, std::array{0.75f});
    BOOST_TEST(std::isnan(regression.accuracy()));
    BOOST_TEST(std::abs(regression.mean_absolute_error() - 0.075f) < 1e-7f); // (0.1 + 0.05) / 2
    static_assert(ctnn::metrics::is_label(std::size_t{7}));
    static_assert(!ctnn::metrics::is_label(std::array{0.0f, 0.5f}));
}
