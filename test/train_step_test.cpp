// ctnn::train_step (SGD fused into backpropagation) against the unfused path
// (ctnn::gradient, then θ −= η g), and the dense kernels' run-time (vector)
// path against their constant-evaluated (scalar) definition.

#define BOOST_TEST_MODULE train_step
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <cstddef>

namespace {

template <class Net, class Loss>
void check_against_unfused(Net net, typename Net::input_type const& x, ctnn::target_t<Net, Loss> const& t,
                           Loss const& loss, typename Net::value_type rate, double tolerance)
{
    Net fused = net;
    auto const [value, grad] = ctnn::gradient(net, x, t, loss);
    for (std::size_t i = 0; i < Net::parameter_count; ++i) {
        net.parameters()[i] -= rate * grad.parameters()[i];
    }
    auto const fused_value = ctnn::train_step(fused, x, t, loss, rate);
    BOOST_TEST(fused_value == value);
    for (std::size_t i = 0; i < Net::parameter_count; ++i) {
        double const a = double(fused.parameters()[i]);
        double const b = double(net.parameters()[i]);
        BOOST_TEST(std::abs(a - b) <= tolerance * std::fmax(1.0, std::abs(b)), "parameter " << i << ": " << a
                                                                                           << " vs " << b);
    }
}

template <class Net>
constexpr Net initialised(unsigned seed)
{
    Net net{};
    ctnn::init::xavier_uniform(net, seed);
    return net;
}

using deep_t = ctnn::network<double, ctnn::input<5>, ctnn::dense<7, ctnn::tanh>, ctnn::dense<6, ctnn::relu>,
                             ctnn::dense<3, ctnn::sigmoid>>;
using wide_t = ctnn::network<float, ctnn::input<70>, ctnn::dense<33, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>;

} // namespace

BOOST_AUTO_TEST_CASE(train_step_matches_gradient_then_sgd_double)
{
    std::array<double, 5> const x{0.3, -0.7, 0.1, 0.9, -0.2};
    std::array<double, 3> const t{0.1, 0.8, 0.4};
    // Fused: rate·δ is rounded once per row, so the last bits may differ.
    check_against_unfused(initialised<deep_t>(3u), x, t, ctnn::loss::mse{}, 0.05, 1e-14);
    check_against_unfused(initialised<deep_t>(4u), x, t, ctnn::loss::binary_cross_entropy{}, 0.5, 1e-14);
}

BOOST_AUTO_TEST_CASE(train_step_matches_gradient_then_sgd_float_softmax)
{
    std::array<float, 70> x{};
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = std::sin(float(i));
    }
    check_against_unfused(initialised<wide_t>(5u), x, std::size_t{3}, ctnn::loss::sparse_cross_entropy{}, 0.1f,
                          1e-6);
}

BOOST_AUTO_TEST_CASE(train_step_is_constexpr)
{
    using xor_t = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;
    constexpr auto trained = [] {
        xor_t net = initialised<xor_t>(42u);
        ctnn::train_step(net, {0.0, 1.0}, {1.0}, ctnn::loss::mse{}, 0.5);
        return net;
    }();
    auto net = initialised<xor_t>(42u);
    ctnn::train_step(net, {0.0, 1.0}, {1.0}, ctnn::loss::mse{}, 0.5);
    for (std::size_t i = 0; i < xor_t::parameter_count; ++i) {
        BOOST_TEST(std::abs(trained.parameters()[i] - net.parameters()[i]) <= 1e-15);
    }
}

// The forward pass's sums are defined by detail::dot_row_scalar (what constant
// evaluation runs); the vectorised run-time kernel must compute the same sums
// in the same order (up to fused multiply-adds: a few ulp, never a different
// summation).
BOOST_AUTO_TEST_CASE(vector_kernel_matches_constant_evaluation)
{
    using net_t = ctnn::network<float, ctnn::input<37>, ctnn::dense<13, ctnn::identity>, ctnn::dense<64, ctnn::relu>,
                                ctnn::dense<5, ctnn::identity>>;
    constexpr auto make = [] {
        net_t net{};
        ctnn::init::xavier_uniform(net, 11u);
        return net;
    };
    constexpr auto input = [] {
        std::array<float, 37> x{};
        for (std::size_t i = 0; i < x.size(); ++i) {
            x[i] = float(i % 7) * 0.25f - 0.7f;
        }
        return x;
    };
    constexpr auto at_compile_time = make()(input());
    auto const net = make();
    auto const at_run_time = net(input());
    for (std::size_t o = 0; o < at_run_time.size(); ++o) {
        BOOST_TEST(std::abs(at_run_time[o] - at_compile_time[o]) <= 1e-5f * std::fmax(1.0f, std::abs(at_compile_time[o])));
    }
}

// A ReLU unit idle on the sample (z < 0) has a zero delta: train_step leaves
// its weights and bias exactly as they were (long layers skip such rows
// altogether), while the active units' rows move.
BOOST_AUTO_TEST_CASE(train_step_leaves_idle_relu_units_alone)
{
    std::array<float, 70> x{};
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = std::cos(float(i) * 0.9f);
    }
    wide_t const before = initialised<wide_t>(6u);
    wide_t after = before;
    ctnn::train_step(after, x, std::size_t{2}, ctnn::loss::sparse_cross_entropy{}, 0.1f);

    auto const w0 = before.layer<0>();
    auto const w1 = after.layer<0>();
    std::size_t idle = 0;
    std::size_t active = 0;
    for (std::size_t o = 0; o < 33; ++o) {
        double z = double(w0.biases[o]);
        for (std::size_t i = 0; i < 70; ++i) {
            z += double(w0.weight(o, i)) * double(x[i]);
        }
        if (std::abs(z) < 1e-3) {
            continue; // too close to the kink to classify by a double sum
        }
        bool moved = w1.biases[o] != w0.biases[o];
        for (std::size_t i = 0; i < 70; ++i) {
            moved = moved || w1.weight(o, i) != w0.weight(o, i);
        }
        if (z < 0) {
            ++idle;
            BOOST_TEST(!moved, "idle unit " << o);
        } else {
            ++active;
        }
    }
    BOOST_TEST(idle >= 5u); // the sample must exercise both kinds of unit
    BOOST_TEST(active >= 5u);
}
