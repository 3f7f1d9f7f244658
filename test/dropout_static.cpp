// Dropout at compile time: the layer's shape and constants, inference mode
// as the identity, and backpropagation through dropout masks checked against
// central finite differences with the same masks, all as static_asserts.

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <ratio>

namespace {

using half = ctnn::dropout<std::ratio<1, 2>>;
using fifth = ctnn::dropout<std::ratio<1, 5>>;

using with_dropout = ctnn::network<double, ctnn::input<3>, ctnn::dense<6, ctnn::tanh>, half,
                                   ctnn::dense<2, ctnn::sigmoid>>;
using without = ctnn::network<double, ctnn::input<3>, ctnn::dense<6, ctnn::tanh>, ctnn::dense<2, ctnn::sigmoid>>;
// Dropout on the input, and two dropout layers in a row.
using on_input = ctnn::network<double, ctnn::input<4>, fifth, ctnn::dense<5, ctnn::relu>, half, fifth,
                               ctnn::dense<3, ctnn::identity>>;

// Shape: a dropout layer has the width of the layer before it and no parameters.
static_assert(with_dropout::depth == 3 && with_dropout::widths == std::array<std::size_t, 4>{3, 6, 6, 2});
static_assert(with_dropout::parameter_count == without::parameter_count);
static_assert(with_dropout::has_dropout && !without::has_dropout);
static_assert(with_dropout::is_dense == std::array{true, false, true});
static_assert(on_input::widths == std::array<std::size_t, 6>{4, 4, 5, 5, 5, 3});
static_assert(on_input::parameter_count == 5 * 5 + 3 * 6);

// The drop threshold is ⌊p · 2³²⌋, here against the direct formula (exact in
// 64 bits for these numerators), and the keep factor is 1 / (1 − p).
template <std::intmax_t N, std::intmax_t D>
constexpr bool threshold_is_floor()
{
    using layer = ctnn::dropout<std::ratio<N, D>>;
    return layer::drop_threshold == (std::uint64_t{N} << 32U) / std::uint64_t{D};
}
static_assert(half::drop_threshold == 0x80000000U);
static_assert(ctnn::dropout<std::ratio<0, 1>>::drop_threshold == 0);
static_assert(threshold_is_floor<1, 5>() && threshold_is_floor<1, 3>() && threshold_is_floor<999, 1000>() &&
              threshold_is_floor<7, 9>() && threshold_is_floor<1, 1000000007>());
static_assert(ctnn::dropout<std::ratio<4294967295, 4294967296>>::drop_threshold == 0xffffffffU);
static_assert(fifth::keep_scale<double> == 1.25 && half::keep_scale<float> == 2.0f);
static_assert(ctnn::dropout<std::ratio<2, 3>>::keep_scale<double> == 3.0);

template <class Net>
constexpr Net seeded(std::uint64_t seed)
{
    Net net{};
    ctnn::pcg32 rng(seed);
    for (auto& p : net.parameters()) {
        p = 2 * rng.uniform01<double>() - 1;
    }
    return net;
}

// Inference mode is the identity: the same outputs, bit for bit, as the
// network without the dropout layer and with the same parameters.
constexpr bool inference_is_identity()
{
    auto const net = seeded<with_dropout>(3);
    without plain{};
    for (std::size_t i = 0; i < without::parameter_count; ++i) {
        plain.parameters()[i] = net.parameters()[i];
    }
    for (double const v : {-1.5, -0.2, 0.4, 2.0}) {
        std::array const x{v, 0.5 * v, 1.0 - v};
        if (net(x) != plain(x)) {
            return false;
        }
    }
    return true;
}
static_assert(inference_is_identity());

// How many units of layer I's mask are dropped and kept in a training pass
// from `rng` (so that the checks below are not vacuous).
template <std::size_t I, class Net>
constexpr std::array<std::size_t, 2> mask_counts(Net const& net, typename Net::input_type const& x,
                                                 ctnn::pcg32 rng)
{
    typename Net::trace tr{};
    net.forward(x, tr, rng);
    std::array<std::size_t, 2> counts{};
    for (auto const m : boost::hana::at_c<I>(tr.z)) {
        ++counts[m == 0 ? 0 : 1];
    }
    return counts;
}

constexpr std::array x3{0.7, -1.3, 0.4};
constexpr std::array t2{0.25, 0.75};
constexpr std::array x4{0.7, -1.3, 0.4, 0.9};
constexpr std::array t3{0.5, -0.25, 1.0};

// The masks drawn from these generators drop some units and keep others.
static_assert(mask_counts<1>(seeded<with_dropout>(5), x3, ctnn::pcg32(11))[0] > 0);
static_assert(mask_counts<1>(seeded<with_dropout>(5), x3, ctnn::pcg32(11))[1] > 0);
static_assert(mask_counts<0>(seeded<on_input>(6), x4, ctnn::pcg32(12))[0] > 0);
static_assert(mask_counts<2>(seeded<on_input>(6), x4, ctnn::pcg32(12))[0] > 0);
static_assert(mask_counts<2>(seeded<on_input>(6), x4, ctnn::pcg32(12))[1] > 0);

// Backpropagation through the masks agrees with finite differences of the
// loss under the same masks.
static_assert(ctnn::check_gradients(seeded<with_dropout>(5), x3, t2, ctnn::loss::mse{}, 1e-6, ctnn::pcg32(11)));
static_assert(ctnn::check_gradients(seeded<with_dropout>(7), x3, t2, ctnn::loss::binary_cross_entropy{}, 1e-6,
                                    ctnn::pcg32(13)));
static_assert(ctnn::check_gradients(seeded<on_input>(6), x4, t3, ctnn::loss::mse{}, 1e-6, ctnn::pcg32(12)));
// And in inference mode, through the identity.
static_assert(ctnn::check_gradients(seeded<on_input>(6), x4, t3, ctnn::loss::mse{}, 1e-6));

// A dropped unit contributes nothing: with every hidden unit dropped, only
// the last layer's biases receive a gradient.
constexpr bool all_dropped_leaves_only_output_bias()
{
    using net_t = ctnn::network<double, ctnn::input<3>, ctnn::dense<4, ctnn::tanh>,
                                ctnn::dropout<std::ratio<4294967295, 4294967296>>, ctnn::dense<2>>;
    auto const net = seeded<net_t>(8);
    struct zeros { // a generator whose every word is 0: below any threshold, so every unit drops
        using result_type = std::uint32_t;
        static constexpr result_type min() { return 0; }
        static constexpr result_type max() { return 0xffffffffU; }
        constexpr result_type operator()() { return 0; }
    } rng;
    auto const [loss, grad] = ctnn::gradient(net, x3, t2, ctnn::loss::mse{}, rng);
    static_cast<void>(loss);
    auto const output = grad.layer<2>();
    bool ok = output.biases[0] != 0 && output.biases[1] != 0;
    for (double const g : output.weights) {
        ok = ok && g == 0;
    }
    for (double const g : grad.layer<0>().weights) {
        ok = ok && g == 0;
    }
    return ok;
}
static_assert(all_dropped_leaves_only_output_bias());

// The topology signature tells dropout rates apart.
static_assert(ctnn::topology_signature_v<with_dropout> != ctnn::topology_signature_v<without>);
static_assert(ctnn::topology_signature_v<with_dropout> !=
              ctnn::topology_signature_v<ctnn::network<double, ctnn::input<3>, ctnn::dense<6, ctnn::tanh>, fifth,
                                                       ctnn::dense<2, ctnn::sigmoid>>>);

} // namespace
