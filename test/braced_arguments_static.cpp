// Braced inputs and targets of the right length still work in every
// position and mix (the overloads that refuse wrong lengths must never be
// chosen for them): each call equals the same call with std::arrays.

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstddef>

namespace {

using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<2, ctnn::tanh>, ctnn::dense<2>>;
using classifier = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::softmax>>;

constexpr net_t make_net()
{
    net_t net{};
    ctnn::init::xavier_uniform(net, 3u);
    return net;
}

constexpr std::array<float, 2> x{0.5f, -1.0f};
constexpr std::array<float, 2> t{1.0f, 0.0f};
constexpr ctnn::loss::mse mse{};

static_assert(make_net()({0.5f, -1.0f}) == make_net()(x));
static_assert(make_net()({0.5, -1}) == make_net()(x)); // elements converted, as for a std::array
static_assert(ctnn::loss_value(make_net(), {0.5f, -1.0f}, {1.0f, 0.0f}, mse) == ctnn::loss_value(make_net(), x, t, mse));
static_assert(ctnn::loss_value(make_net(), {0.5f, -1.0f}, t, mse) == ctnn::loss_value(make_net(), x, t, mse));
static_assert(ctnn::loss_value(make_net(), x, {1.0f, 0.0f}, mse) == ctnn::loss_value(make_net(), x, t, mse));
static_assert(ctnn::gradient(make_net(), {0.5f, -1.0f}, {1.0f, 0.0f}, mse).grad ==
              ctnn::gradient(make_net(), x, t, mse).grad);
static_assert(ctnn::check_gradients(make_net(), {0.5f, -1.0f}, {1.0f, 0.0f}, mse, 1e-2f));

// A class-index target takes a braced index, beside a braced input.
static_assert(ctnn::loss_value(classifier{}, {0.5f, -1.0f}, {2}, ctnn::loss::sparse_cross_entropy{}) ==
              ctnn::loss_value(classifier{}, x, std::size_t{2}, ctnn::loss::sparse_cross_entropy{}));

constexpr bool train_step_and_forward_take_braces()
{
    net_t a = make_net();
    net_t b = make_net();
    float const la = ctnn::train_step(a, {0.5f, -1.0f}, {1.0f, 0.0f}, mse, 0.1f);
    float const lb = ctnn::train_step(b, x, t, mse, 0.1f);
    net_t::trace ta{};
    net_t::trace tb{};
    a.forward({0.5f, -1.0f}, ta);
    b.forward(x, tb);
    net_t::gradient_type ga{};
    net_t::gradient_type gb{};
    float const aa = ctnn::accumulate_gradient(a, {0.5f, -1.0f}, t, mse, ga);
    float const ab = ctnn::accumulate_gradient(b, x, t, mse, gb);
    return la == lb && a == b && ta.output() == tb.output() && aa == ab && ga == gb;
}
static_assert(train_step_and_forward_take_braces());

} // namespace
