// Loss values and gradients against values worked by hand.

#define BOOST_TEST_MODULE loss
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>

namespace {

bool close(double a, double b, double tolerance = 1e-15)
{
    return std::abs(a - b) <= tolerance * std::max(std::abs(b), 1e-300);
}

constexpr std::array<double, 3> unused{};

} // namespace

BOOST_AUTO_TEST_CASE(squared_errors)
{
    std::array<double, 3> const y{1.0, 2.0, 4.0};
    std::array<double, 3> const t{0.5, 2.0, 1.0};
    // ½ (0.25 + 0 + 9) = 4.625; mean: 9.25 / 3.
    BOOST_TEST(ctnn::loss::mse::value(y, t, unused) == 4.625);
    BOOST_TEST(close(ctnn::loss::mean_squared_error::value(y, t, unused), 9.25 / 3));
    std::array<double, 3> g{};
    ctnn::loss::mse::output_gradient(y, t, g);
    BOOST_TEST(g == (std::array{0.5, 0.0, 3.0}), boost::test_tools::per_element()); // y − t
    ctnn::loss::mean_squared_error::output_gradient(y, t, g);
    BOOST_TEST(close(g[0], 2 * 0.5 / 3)); // 2 (y − t) / N
    BOOST_TEST(g[1] == 0.0);
    BOOST_TEST(close(g[2], 2 * 3.0 / 3));
}

BOOST_AUTO_TEST_CASE(binary_cross_entropy)
{
    std::array<double, 2> const y{0.8, 0.25};
    std::array<double, 2> const t{1.0, 0.5};
    // −½ [log 0.8 + (0.5 log 0.25 + 0.5 log 0.75)]
    double const expected = -0.5 * (std::log(0.8) + 0.5 * std::log(0.25) + 0.5 * std::log(0.75));
    BOOST_TEST(close(ctnn::loss::binary_cross_entropy::value(y, t, std::array<double, 2>{}), expected, 1e-14));
    std::array<double, 2> g{};
    ctnn::loss::binary_cross_entropy::output_gradient(y, t, g);
    // dL/dy = (y − t) / (y (1 − y)) / N
    BOOST_TEST(close(g[0], (0.8 - 1.0) / (0.8 * 0.2) / 2, 1e-14));
    BOOST_TEST(close(g[1], (0.25 - 0.5) / (0.25 * 0.75) / 2, 1e-14));
}

BOOST_AUTO_TEST_CASE(binary_cross_entropy_clamps_like_pytorch)
{
    // y = 0 with t = 1: log 0 is clamped to −100, so the loss is 100 (mean over
    // one output) and finite; the clamped branch has slope 0.
    std::array<double, 1> const y{0.0};
    std::array<double, 1> const t{1.0};
    BOOST_TEST(ctnn::loss::binary_cross_entropy::value(y, t, y) == 100.0);
    std::array<double, 1> g{};
    ctnn::loss::binary_cross_entropy::output_gradient(y, t, g);
    BOOST_TEST(std::isfinite(g[0]));
}

BOOST_AUTO_TEST_CASE(cross_entropy_from_logits)
{
    std::array<double, 3> const z{1.0, 2.0, 3.0};
    double const lse = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
    std::array<double, 3> y{};
    for (std::size_t i = 0; i < 3; ++i) {
        y[i] = std::exp(z[i] - lse);
    }
    BOOST_TEST(close(ctnn::loss::cross_entropy::value(y, std::array{0.0, 1.0, 0.0}, z), lse - 2.0));
    BOOST_TEST(close(ctnn::loss::sparse_cross_entropy::value(y, std::size_t{1}, z), lse - 2.0));
    // Huge logits: the shift by the maximum keeps it finite and exact.
    std::array<double, 3> const big{1000.0, 1001.0, 1002.0};
    BOOST_TEST(close(ctnn::loss::sparse_cross_entropy::value(y, std::size_t{1}, big), lse - 2.0, 1e-12));

    std::array<double, 3> g{};
    ctnn::loss::cross_entropy::logit_gradient(y, std::array{0.0, 1.0, 0.0}, g);
    BOOST_TEST(g[0] == y[0]);
    BOOST_TEST(g[1] == y[1] - 1.0);
    BOOST_TEST(g[2] == y[2]);
    ctnn::loss::sparse_cross_entropy::logit_gradient(y, std::size_t{1}, g);
    BOOST_TEST(g[1] == y[1] - 1.0);
}

BOOST_AUTO_TEST_CASE(sparse_cross_entropy_rejects_a_bad_label)
{
    std::array<double, 3> const z{1.0, 2.0, 3.0};
    BOOST_TEST(std::isnan(ctnn::loss::sparse_cross_entropy::value(z, std::size_t{3}, z)));
    std::array<double, 3> g{1.0, 1.0, 1.0};
    ctnn::loss::sparse_cross_entropy::logit_gradient(z, std::size_t{3}, g);
    BOOST_TEST(g == (std::array{0.0, 0.0, 0.0}), boost::test_tools::per_element());
}

// The loss derivatives are derived, and simplify to the textbook forms.
namespace {
using namespace ctnn::sym;
static_assert(ctnn::loss::mse::derivative == y - t);
static_assert(ctnn::loss::mean_squared_error::derivative == 2 * (y - t));
} // namespace
