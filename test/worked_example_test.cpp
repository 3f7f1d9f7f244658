// The classic worked example of backpropagation, with every value worked out
// by hand (docs/worked_example.md shows the arithmetic step by step; the
// digits below were computed with 40-digit decimal arithmetic, independently
// of ctnn).
//
// 2-3-1, sigmoid everywhere, hidden weights [[1,2],[3,4],[5,6]], output
// weights [1,2,3], zero biases, input [1,2], target 3, loss ½(y − t)².

#define BOOST_TEST_MODULE worked_example
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <limits>

namespace {

template <class T>
using classic_net = ctnn::network<T, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;

template <class T>
constexpr classic_net<T> make_classic()
{
    classic_net<T> net{};
    auto hidden = net.template layer<0>();
    for (std::size_t i = 0; i < 6; ++i) {
        hidden.weights[i] = static_cast<T>(i + 1); // [[1,2],[3,4],[5,6]]
    }
    auto output = net.template layer<1>();
    for (std::size_t i = 0; i < 3; ++i) {
        output.weights[i] = static_cast<T>(i + 1); // [1,2,3]
    }
    return net;
}

// Hidden pre-activations z = W x = [5, 11, 17]; their sigmoids.
constexpr std::array<double, 3> hidden_z{5.0, 11.0, 17.0};
constexpr std::array<double, 3> hidden_a{0.99330714907571514, 0.99998329857815190, 0.99999995860062453};
// Output: z = 1 σ(5) + 2 σ(11) + 3 σ(17), y = σ(z), loss = ½ (y − 3)².
constexpr double output_z = 5.9932736220338925;
constexpr double output_y = 0.99751073052451903;
constexpr double loss = 2.0049816371822227;
// δ = (y − t) y (1 − y); output weight gradients δ σ(z_j); bias gradient δ.
constexpr double output_delta = -0.0049723270637753728;
constexpr std::array<double, 3> output_weight_grad{-0.0049390480199907372, -0.0049722440188435140,
                                                   -0.0049723268579241377};
// Hidden deltas δ_j = δ w_j σ(z_j)(1 − σ(z_j)); weight gradients δ_j x_i.
constexpr std::array<double, 3> hidden_delta{-0.000033056312105682291, -1.6608708978074730e-7,
                                             -6.1755367971112238e-10};

bool close(double actual, double expected, double tolerance)
{
    return std::abs(actual - expected) <= tolerance * std::abs(expected);
}

} // namespace

BOOST_AUTO_TEST_CASE(forward_pass_matches_hand_values)
{
    auto const net = make_classic<double>();
    classic_net<double>::trace tr{};
    net.forward({1.0, 2.0}, tr);
    auto const& z1 = boost::hana::at_c<0>(tr.z);
    auto const& a1 = boost::hana::at_c<1>(tr.a);
    for (std::size_t j = 0; j < 3; ++j) {
        BOOST_TEST(z1[j] == hidden_z[j]); // exact: small integers
        BOOST_TEST(close(a1[j], hidden_a[j], 1e-15), "sigma(" << hidden_z[j] << ") = " << a1[j]);
    }
    BOOST_TEST(close(boost::hana::at_c<1>(tr.z)[0], output_z, 1e-15));
    BOOST_TEST(close(tr.output()[0], output_y, 1e-15));
    BOOST_TEST(close(net({1.0, 2.0})[0], output_y, 1e-15));
}

BOOST_AUTO_TEST_CASE(gradients_match_hand_values)
{
    auto const net = make_classic<double>();
    auto const [value, grad] = ctnn::gradient(net, {1.0, 2.0}, {3.0}, ctnn::loss::mse{});
    BOOST_TEST(close(value, loss, 1e-15));

    // σ'(z) is computed from the output as σ(1 − σ). Where σ(z) is close to 1,
    // 1 − σ(z) inherits the rounding of σ(z) (half an ulp of 1) relative to its
    // own small size, so the attainable relative accuracy of a delta is about
    // 2ε / (1 − σ(z)): 8.9e-14 at the output, and 3e-14, 1.3e-11 and 5.4e-9 at
    // the three hidden units. PyTorch computes sigmoid's backward the same way.
    constexpr double eps = std::numeric_limits<double>::epsilon();
    auto const out = grad.layer<1>();
    double const output_attainable = 2.0 * eps / (1.0 - output_y) + 1e-15;
    BOOST_TEST(close(out.biases[0], output_delta, output_attainable));
    for (std::size_t j = 0; j < 3; ++j) {
        BOOST_TEST(close(out.weights[j], output_weight_grad[j], output_attainable), "dL/dw2[" << j << "]");
    }

    auto const hidden = grad.layer<0>();
    constexpr std::array<double, 2> x{1.0, 2.0};
    for (std::size_t j = 0; j < 3; ++j) {
        double const attainable = output_attainable + 2.0 * eps / (1.0 - hidden_a[j]);
        BOOST_TEST(close(hidden.biases[j], hidden_delta[j], attainable), "dL/db1[" << j << "]");
        for (std::size_t i = 0; i < 2; ++i) {
            BOOST_TEST(close(hidden.weight(j, i), hidden_delta[j] * x[i], attainable),
                       "dL/dw1[" << j << "][" << i << "]");
        }
    }
}

BOOST_AUTO_TEST_CASE(float_network_agrees_within_float_rounding)
{
    auto const net = make_classic<float>();
    auto const [value, grad] = ctnn::gradient(net, {1.0f, 2.0f}, {3.0f}, ctnn::loss::mse{});
    // The same attainable accuracy as in double, with float's epsilon.
    constexpr double eps = std::numeric_limits<float>::epsilon();
    double const output_attainable = 2.0 * eps / (1.0 - output_y);
    BOOST_TEST(close(static_cast<double>(value), loss, 4.0 * eps));
    BOOST_TEST(close(static_cast<double>(grad.layer<1>().biases[0]), output_delta, output_attainable));
    BOOST_TEST(close(static_cast<double>(grad.layer<0>().biases[0]), hidden_delta[0],
                     output_attainable + 2.0 * eps / (1.0 - hidden_a[0])));
}

// The same forward pass, evaluated by the compiler.
static_assert([] {
    auto const y = make_classic<double>()({1.0, 2.0})[0];
    return y > 0.9975107305245 && y < 0.9975107305246;
}());
