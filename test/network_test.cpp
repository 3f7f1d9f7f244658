// The parameter layout, the layer views and the trace.

#define BOOST_TEST_MODULE network
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <boost/hana/length.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace {
using net_t = ctnn::network<float, ctnn::input<3>, ctnn::dense<4, ctnn::relu>, ctnn::dense<2, ctnn::identity>>;

static_assert(net_t::inputs == 3 && net_t::outputs == 2 && net_t::depth == 2);
static_assert(net_t::parameter_count == 3 * 4 + 4 + 4 * 2 + 2);
static_assert(decltype(boost::hana::length(net_t::layer_types))::value == 2);
static_assert(std::is_same_v<net_t::layer_t<1>, ctnn::dense<2, ctnn::identity>>);
static_assert(std::is_same_v<net_t::output_activation, ctnn::identity>);
// Nothing but the parameters: no hidden state, no pointers; at most the
// padding of an alignment of up to one cache line.
static_assert(sizeof(net_t) >= net_t::parameter_count * sizeof(float));
static_assert(sizeof(net_t) - net_t::parameter_count * sizeof(float) < alignof(net_t) && alignof(net_t) <= 64);
static_assert(std::is_trivially_copyable_v<net_t>);
// Where the kernels use vectors, parameters start on a cache line (the rows
// of a layer whose width is a multiple of 16 floats then never straddle two).
using wide_net_t = ctnn::network<float, ctnn::input<64>, ctnn::dense<16, ctnn::relu>>;
static_assert(!CTNN_DETAIL_SIMD_TARGET || alignof(wide_net_t) == 64);
} // namespace

// The alignment the kernels assume of each layer's weight rows
// (detail::weight_row_alignment), worked by hand where the parameters start
// on a cache line: it must hold for every row of a network wherever it lives.
namespace {
using bc_net_t = ctnn::network<float, ctnn::input<8>, ctnn::dense<32, ctnn::tanh>, ctnn::dense<32, ctnn::tanh>,
                               ctnn::dense<4, ctnn::identity>>;
using odd_net_t = ctnn::network<float, ctnn::input<3>, ctnn::dense<5, ctnn::relu>, ctnn::dense<2, ctnn::identity>>;
using double_net_t = ctnn::network<double, ctnn::input<6>, ctnn::dense<10, ctnn::relu>, ctnn::dense<3, ctnn::identity>>;
template <class Net, std::size_t I>
constexpr std::size_t row_alignment = ctnn::detail::weight_row_alignment<Net, I>;
#if CTNN_DETAIL_SIMD_TARGET
// 8-32-32-4: 1476 floats, aligned to 64 bytes. Layer 0's rows are 32 bytes;
// layer 1 starts at 288 floats (1152 bytes = 18 · 64), layer 2 at 1344 (5376
// bytes = 84 · 64), both with rows of 128 bytes.
static_assert(row_alignment<bc_net_t, 0> == 32 && row_alignment<bc_net_t, 1> == 64 && row_alignment<bc_net_t, 2> == 64);
// 3-5-2: 32 floats, aligned to 64 bytes; rows of 12 and 20 bytes.
static_assert(row_alignment<odd_net_t, 0> == 4 && row_alignment<odd_net_t, 1> == 4);
// double 6-10-3: 103 doubles (824 bytes), aligned to 64; layer 1 at 70
// doubles (560 bytes = 35 · 16), rows of 48 and 80 bytes.
static_assert(row_alignment<double_net_t, 0> == 16 && row_alignment<double_net_t, 1> == 16);
#else
static_assert(row_alignment<bc_net_t, 1> == alignof(float) && row_alignment<double_net_t, 1> == alignof(double));
#endif

template <class Net, std::size_t... I>
void check_row_alignment(Net const& net, std::index_sequence<I...>)
{
    (
        [&] {
            auto const layer = net.template layer<I>();
            constexpr std::size_t alignment = row_alignment<Net, I>;
            for (std::size_t o = 0; o < Net::widths[I + 1]; ++o) {
                auto const address = reinterpret_cast<std::uintptr_t>(layer.weights.data() + o * Net::widths[I]);
                BOOST_TEST(address % alignment == 0u, "layer " << I << ", row " << o);
            }
        }(),
        ...);
}

template <class Net>
void check_row_alignment_wherever()
{
    Net const on_stack{};
    check_row_alignment(on_stack, std::make_index_sequence<Net::depth>{});
    std::vector<Net> const in_vector(3);
    for (Net const& net : in_vector) {
        check_row_alignment(net, std::make_index_sequence<Net::depth>{});
    }
    auto const on_heap = std::make_unique<Net>();
    check_row_alignment(*on_heap, std::make_index_sequence<Net::depth>{});
}
} // namespace

BOOST_AUTO_TEST_CASE(weight_rows_have_the_alignment_the_kernels_assume)
{
    check_row_alignment_wherever<bc_net_t>();
    check_row_alignment_wherever<odd_net_t>();
    check_row_alignment_wherever<double_net_t>();
    check_row_alignment_wherever<wide_net_t>();
}

BOOST_AUTO_TEST_CASE(default_network_is_zero)
{
    net_t const net{};
    for (float p : net.parameters()) {
        BOOST_TEST(p == 0.0f);
    }
    BOOST_TEST(net({1.0f, 2.0f, 3.0f}) == (std::array{0.0f, 0.0f}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(layer_views_alias_the_contiguous_array)
{
    net_t net{};
    auto p = net.parameters();
    for (std::size_t i = 0; i < p.size(); ++i) {
        p[i] = static_cast<float>(i);
    }
    auto const l0 = net.layer<0>();
    BOOST_TEST(l0.weights.size() == 12u);
    BOOST_TEST(l0.weight(0, 0) == 0.0f);
    BOOST_TEST(l0.weight(1, 2) == 5.0f); // row-major [out][in]: 1 * 3 + 2
    BOOST_TEST(l0.biases[0] == 12.0f);   // biases follow the weights
    auto const l1 = net.layer<1>();
    BOOST_TEST(l1.weight(0, 0) == 16.0f);
    BOOST_TEST(l1.biases[1] == 25.0f);
    BOOST_TEST(&l1.biases[1] + 1 == p.data() + p.size()); // the last parameter
}

BOOST_AUTO_TEST_CASE(forward_computes_w_x_plus_b)
{
    net_t net{};
    // Unit o of layer 0 computes relu(x_o + o) for o < 3; unit 3 gets -10 (relu → 0).
    auto l0 = net.layer<0>();
    for (std::size_t o = 0; o < 3; ++o) {
        l0.weight(o, o) = 1.0f;
        l0.biases[o] = static_cast<float>(o);
    }
    l0.biases[3] = -10.0f;
    auto l1 = net.layer<1>();
    l1.weight(0, 0) = 1.0f; // y0 = h0 + h1
    l1.weight(0, 1) = 1.0f;
    l1.weight(1, 2) = 2.0f; // y1 = 2 h2 + h3 - 1
    l1.weight(1, 3) = 1.0f;
    l1.biases[1] = -1.0f;
    net_t::trace tr{};
    net.forward({-5.0f, 1.0f, 2.0f}, tr);
    // h = relu([-5, 2, 4, -10]) = [0, 2, 4, 0]; y = [2, 7].
    BOOST_TEST(boost::hana::at_c<0>(tr.z) == (std::array{-5.0f, 2.0f, 4.0f, -10.0f}),
               boost::test_tools::per_element());
    BOOST_TEST(boost::hana::at_c<1>(tr.a) == (std::array{0.0f, 2.0f, 4.0f, 0.0f}), boost::test_tools::per_element());
    BOOST_TEST(tr.output() == (std::array{2.0f, 7.0f}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(softmax_outputs_a_distribution)
{
    using classifier = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::softmax>>;
    classifier net{};
    net.layer<0>().biases[0] = std::log(1.0);
    net.layer<0>().biases[1] = std::log(2.0);
    net.layer<0>().biases[2] = std::log(5.0);
    auto const y = net({0.0, 0.0});
    BOOST_TEST(std::abs(y[0] - 0.125) < 1e-15);
    BOOST_TEST(std::abs(y[1] - 0.25) < 1e-15);
    BOOST_TEST(std::abs(y[2] - 0.625) < 1e-15);
}

BOOST_AUTO_TEST_CASE(batch_gradient_is_the_mean)
{
    using small = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<1>>;
    small net{};
    ctnn::init::xavier_uniform(net, 9u);
    std::array<std::array<double, 2>, 3> const xs{{{1, 2}, {-1, 0.5}, {0.25, -3}}};
    std::array<std::array<double, 1>, 3> const ts{{{1}, {-1}, {0.5}}};
    auto const batch = ctnn::gradient(net, std::span(xs), std::span(ts), ctnn::loss::mse{});
    double loss = 0;
    small::gradient_type sum{};
    for (std::size_t s = 0; s < 3; ++s) {
        loss += ctnn::accumulate_gradient(net, xs[s], ts[s], ctnn::loss::mse{}, sum);
    }
    BOOST_TEST(std::abs(batch.loss - loss / 3) <= 1e-15 * loss);
    for (std::size_t p = 0; p < small::parameter_count; ++p) {
        BOOST_TEST(std::abs(batch.grad.parameters()[p] - sum.parameters()[p] / 3) <= 1e-15);
    }
    // An empty batch: zero loss, zero gradient.
    auto const empty = ctnn::gradient(net, std::span<std::array<double, 2> const>{},
                                      std::span<std::array<double, 1> const>{}, ctnn::loss::mse{});
    BOOST_TEST(empty.loss == 0.0);
    BOOST_TEST(ctnn::all_finite(empty.grad));
}

BOOST_AUTO_TEST_CASE(backward_from_output_takes_a_custom_loss_gradient)
{
    // With dL/dy = y − t, backward_from_output gives exactly mse's gradient.
    using small = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<2, ctnn::sigmoid>>;
    small net{};
    ctnn::init::xavier_uniform(net, 12u);
    std::array<double, 2> const x{0.3, -0.8};
    std::array<double, 2> const t{0.1, 0.9};
    small::trace tr{};
    net.forward(x, tr);
    std::array<double, 2> dl_dy{};
    for (std::size_t i = 0; i < 2; ++i) {
        dl_dy[i] = tr.output()[i] - t[i];
    }
    small::gradient_type custom{};
    net.backward_from_output(tr, dl_dy, custom);
    auto const [loss, expected] = ctnn::gradient(net, x, t, ctnn::loss::mse{});
    BOOST_TEST(loss > 0.0);
    BOOST_TEST((custom == expected));
}
