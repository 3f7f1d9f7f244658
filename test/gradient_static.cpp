// Gradient checks as static_asserts: for every built-in activation and every
// loss, backpropagation agrees with central finite differences during
// constant evaluation. A wrong derivative rule is a compile error here.

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstdint>

namespace {

template <class Net>
constexpr Net seeded(std::uint64_t seed)
{
    Net net{};
    ctnn::init::pcg32 rng(seed);
    for (auto& p : net.parameters()) {
        p = 2 * rng.uniform01<typename Net::value_type>() - 1; // biases too, so no unit sits at a kink
    }
    return net;
}

template <class Hidden, class Output>
using small = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, Hidden>, ctnn::dense<2, Output>>;

constexpr std::array x{0.7, -1.3};
constexpr std::array target{0.25, 0.75};
constexpr double tolerance = 1e-6;

template <class Act>
constexpr bool activation_checks()
{
    // Act in the hidden layer, then at the output.
    return static_cast<bool>(ctnn::check_gradients(seeded<small<Act, ctnn::identity>>(1), x, target,
                                                   ctnn::loss::mse{}, tolerance))
        && static_cast<bool>(ctnn::check_gradients(seeded<small<ctnn::tanh, Act>>(2), x, target,
                                                   ctnn::loss::mse{}, tolerance));
}

static_assert(activation_checks<ctnn::identity>());
static_assert(activation_checks<ctnn::sigmoid>());
static_assert(activation_checks<ctnn::tanh>());
static_assert(activation_checks<ctnn::relu>());
static_assert(activation_checks<ctnn::leaky_relu>());
static_assert(activation_checks<ctnn::softplus>());
static_assert(activation_checks<ctnn::swish>());
static_assert(activation_checks<ctnn::gelu>());
static_assert(activation_checks<ctnn::elu>());

// A user-defined activation gets its derivative from d() too.
inline constexpr auto swish_by_hand = ctnn::sym::x / (1 + ctnn::sym::exp(-ctnn::sym::x));
using custom = ctnn::activation<swish_by_hand>;
static_assert(activation_checks<custom>());

// Every loss.
static_assert(ctnn::check_gradients(seeded<small<ctnn::elu, ctnn::identity>>(3), x, target,
                                    ctnn::loss::mean_squared_error{}, tolerance));
static_assert(ctnn::check_gradients(seeded<small<ctnn::relu, ctnn::sigmoid>>(4), x, target,
                                    ctnn::loss::binary_cross_entropy{}, tolerance));
static_assert(ctnn::check_gradients(seeded<small<ctnn::gelu, ctnn::softmax>>(5), x, std::array{0.0, 1.0},
                                    ctnn::loss::cross_entropy{}, tolerance));
static_assert(ctnn::check_gradients(seeded<small<ctnn::swish, ctnn::softmax>>(6), x, std::size_t{1},
                                    ctnn::loss::sparse_cross_entropy{}, tolerance));
static_assert(ctnn::check_gradients(seeded<small<ctnn::softplus, ctnn::softmax>>(7), x, target,
                                    ctnn::loss::mse{}, tolerance));

// float networks check at float's tolerance.
static_assert(ctnn::check_gradients(
    seeded<ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>>(8),
    std::array{1.0f, 0.0f}, std::array{1.0f}, ctnn::loss::mse{}, 2e-3f));

// What backward uses: derivatives rewritten in the activation's output need
// no input, so sigmoid and tanh evaluate no exponential going backwards.
static_assert(!ctnn::sigmoid::slope_needs_input);
static_assert(!ctnn::tanh::slope_needs_input);
static_assert(ctnn::swish::slope_needs_input);

} // namespace
