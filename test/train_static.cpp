// fit() and the optimizers run in constant evaluation: a few epochs of Adam on
// a tiny regression, and the shuffling permutation, checked by static_assert.
// 100 epochs of 4 samples fit within both compilers' default limits.

#include <ctnn/ctnn.hpp>

#include <array>

namespace {

using line = ctnn::network<double, ctnn::input<1>, ctnn::dense<1>>;
constexpr std::array<std::array<double, 1>, 4> xs{{{-1}, {0}, {1}, {2}}};
constexpr std::array<std::array<double, 1>, 4> ts{{{-1}, {1}, {3}, {5}}}; // y = 2x + 1

constexpr line fitted()
{
    line net{};
    ctnn::optim::adam<line> opt{.learning_rate = 0.3};
    static_cast<void>(ctnn::fit(net, xs, ts, ctnn::loss::mse{}, opt, {.epochs = 100, .batch_size = 2, .seed = 1}));
    return net;
}

constexpr line trained = fitted();
static_assert(trained.layer<0>().weights[0] > 1.9 && trained.layer<0>().weights[0] < 2.1, "slope 2");
static_assert(trained.layer<0>().biases[0] > 0.9 && trained.layer<0>().biases[0] < 1.1, "intercept 1");

constexpr bool permutes(std::size_t n)
{
    std::array<bool, 64> seen{};
    ctnn::detail::shuffled_index const order(n, 42);
    for (std::size_t i = 0; i < n; ++i) {
        if (seen[order(i)]) {
            return false;
        }
        seen[order(i)] = true;
    }
    return true;
}
static_assert(permutes(1) && permutes(5) && permutes(17) && permutes(64));

} // namespace
