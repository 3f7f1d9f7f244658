// Backpropagation against central finite differences at run time, in double:
// random networks of three topologies, every built-in activation in the hidden
// layers and at the output, every loss. Then float against double.

#define BOOST_TEST_MODULE gradient
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <tuple>

namespace {

using activations = std::tuple<ctnn::identity, ctnn::sigmoid, ctnn::tanh, ctnn::relu, ctnn::leaky_relu,
                               ctnn::softplus, ctnn::swish, ctnn::gelu, ctnn::elu>;

// Three topologies, each with hidden activation H and output activation O.
template <class T, class H, class O>
using narrow = ctnn::network<T, ctnn::input<3>, ctnn::dense<4, H>, ctnn::dense<2, O>>;
template <class T, class H, class O>
using deep = ctnn::network<T, ctnn::input<2>, ctnn::dense<5, H>, ctnn::dense<3, H>, ctnn::dense<1, O>>;
template <class T, class H, class O>
using wide = ctnn::network<T, ctnn::input<6>, ctnn::dense<7, H>, ctnn::dense<6, H>, ctnn::dense<4, O>>;

// Random parameters in [-1, 1) and inputs in [-2, 2): pre-activations of order
// one, where every activation is curved and no kink is hit.
template <class Net>
Net random_net(std::uint64_t seed)
{
    Net net{};
    ctnn::init::pcg32 rng(seed);
    for (auto& p : net.parameters()) {
        p = 2 * rng.template uniform01<typename Net::value_type>() - 1;
    }
    return net;
}

template <class T, std::size_t N>
std::array<T, N> random_array(std::uint64_t seed, T low, T high)
{
    ctnn::init::pcg32 rng(seed);
    std::array<T, N> a{};
    for (auto& v : a) {
        v = low + (high - low) * rng.template uniform01<T>();
    }
    return a;
}

constexpr double tolerance = 1e-6;

template <class Net, class Loss, class Target>
void check(Net const& net, typename Net::input_type const& x, Target const& target, Loss const& loss,
           char const* what)
{
    auto const result = ctnn::check_gradients(net, x, target, loss, tolerance);
    BOOST_TEST(static_cast<bool>(result), what << ": worst error " << result.worst_relative_error << " at parameter "
                                                << result.worst_index << " (backprop " << result.backprop_at_worst
                                                << ", finite difference " << result.finite_difference_at_worst
                                                << ")");
}

template <class Net>
void check_all_losses(std::uint64_t seed, char const* topology)
{
    auto const net = random_net<Net>(seed);
    auto const x = random_array<double, Net::inputs>(seed + 1, -2.0, 2.0);
    auto const t = random_array<double, Net::outputs>(seed + 2, -1.0, 1.0);
    check(net, x, t, ctnn::loss::mse{}, topology);
    check(net, x, t, ctnn::loss::mean_squared_error{}, topology);
}

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(every_activation_with_squared_errors, Act, activations)
{
    // Act in the hidden layers and, separately, at the output.
    check_all_losses<narrow<double, Act, ctnn::identity>>(11, "3-4-2 hidden");
    check_all_losses<narrow<double, ctnn::tanh, Act>>(12, "3-4-2 output");
    check_all_losses<deep<double, Act, ctnn::sigmoid>>(13, "2-5-3-1 hidden");
    check_all_losses<deep<double, ctnn::swish, Act>>(14, "2-5-3-1 output");
    check_all_losses<wide<double, Act, Act>>(15, "6-7-6-4 both");
}

BOOST_AUTO_TEST_CASE_TEMPLATE(every_activation_with_classification_losses, Act, activations)
{
    {
        auto const net = random_net<narrow<double, Act, ctnn::sigmoid>>(21);
        auto const x = random_array<double, 3>(22, -2.0, 2.0);
        check(net, x, std::array{0.25, 0.8}, ctnn::loss::binary_cross_entropy{}, "3-4-2 sigmoid + BCE");
    }
    {
        auto const net = random_net<deep<double, Act, ctnn::softmax>>(23);
        auto const x = random_array<double, 2>(24, -2.0, 2.0);
        check(net, x, std::array{1.0}, ctnn::loss::cross_entropy{}, "2-5-3-1 softmax + CE");
    }
    {
        auto const net = random_net<wide<double, Act, ctnn::softmax>>(25);
        auto const x = random_array<double, 6>(26, -2.0, 2.0);
        check(net, x, std::array{0.0, 0.0, 1.0, 0.0}, ctnn::loss::cross_entropy{}, "6-7-6-4 softmax + CE");
        check(net, x, std::array{0.1, 0.2, 0.3, 0.4}, ctnn::loss::cross_entropy{}, "6-7-6-4 softmax + soft CE");
        check(net, x, std::size_t{2}, ctnn::loss::sparse_cross_entropy{}, "6-7-6-4 softmax + sparse CE");
        check(net, x, random_array<double, 4>(27, 0.0, 1.0), ctnn::loss::mse{}, "6-7-6-4 softmax + MSE");
    }
}

namespace {

// mse with a deliberately wrong derivative (off by a factor 1.01), to show
// that check_gradients notices a wrong gradient.
struct miscalibrated_mse : ctnn::loss::mse {
    template <class T, std::size_t N>
    static constexpr void output_gradient(std::array<T, N> const& y, std::array<T, N> const& t,
                                          std::array<T, N>& dl_dy) noexcept
    {
        ctnn::loss::mse::output_gradient(y, t, dl_dy);
        for (auto& g : dl_dy) {
            g *= T(1.01);
        }
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(a_wrong_gradient_is_caught)
{
    auto const net = random_net<narrow<double, ctnn::tanh, ctnn::identity>>(31);
    auto const x = random_array<double, 3>(32, -2.0, 2.0);
    auto const t = random_array<double, 2>(33, -1.0, 1.0);
    BOOST_TEST(static_cast<bool>(ctnn::check_gradients(net, x, t, ctnn::loss::mse{}, tolerance)));
    auto const wrong = ctnn::check_gradients(net, x, t, miscalibrated_mse{}, tolerance);
    BOOST_TEST(!static_cast<bool>(wrong));
    BOOST_TEST(wrong.worst_relative_error > 1e-3);
}

BOOST_AUTO_TEST_CASE(mean_squared_error_is_mse_scaled_by_two_over_n)
{
    // (1/N) Σ d² = (2/N) · ½ Σ d², for the loss and every gradient component.
    auto const net = random_net<wide<double, ctnn::gelu, ctnn::identity>>(34);
    auto const x = random_array<double, 6>(35, -2.0, 2.0);
    auto const t = random_array<double, 4>(36, -1.0, 1.0);
    auto const [half_sum, half_sum_grad] = ctnn::gradient(net, x, t, ctnn::loss::mse{});
    auto const [mean, mean_grad] = ctnn::gradient(net, x, t, ctnn::loss::mean_squared_error{});
    BOOST_TEST(std::abs(mean - half_sum / 2.0) <= 1e-15 * mean);
    for (std::size_t p = 0; p < half_sum_grad.parameter_count; ++p) {
        BOOST_TEST(std::abs(mean_grad.parameters()[p] - half_sum_grad.parameters()[p] / 2.0) <= 1e-15,
                   "parameter " << p);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(float_agrees_with_double, Act, activations)
{
    using double_net = deep<double, Act, ctnn::identity>;
    using float_net = deep<float, Act, ctnn::identity>;
    auto const dnet = random_net<double_net>(41);
    float_net fnet{};
    for (std::size_t p = 0; p < double_net::parameter_count; ++p) {
        fnet.parameters()[p] = static_cast<float>(dnet.parameters()[p]);
        // Compare like with like: the double net gets the float-rounded values.
    }
    double_net rounded{};
    for (std::size_t p = 0; p < double_net::parameter_count; ++p) {
        rounded.parameters()[p] = static_cast<double>(fnet.parameters()[p]);
    }
    std::array<float, 2> const xf{0.75f, -1.25f};
    std::array<double, 2> const xd{0.75, -1.25};
    auto const [lf, gf] = ctnn::gradient(fnet, xf, {0.5f}, ctnn::loss::mse{});
    auto const [ld, gd] = ctnn::gradient(rounded, xd, {0.5}, ctnn::loss::mse{});
    // A few float roundings per operation, through three layers: 1e-5 relative
    // to the largest gradient component.
    double scale = 0.0;
    for (double g : gd.parameters()) {
        scale = std::max(scale, std::abs(g));
    }
    BOOST_TEST(std::abs(static_cast<double>(lf) - ld) <= 1e-5 * std::abs(ld) + 1e-7);
    for (std::size_t p = 0; p < double_net::parameter_count; ++p) {
        BOOST_TEST(std::abs(static_cast<double>(gf.parameters()[p]) - gd.parameters()[p]) <= 1e-5 * scale,
                   "parameter " << p);
    }
}
