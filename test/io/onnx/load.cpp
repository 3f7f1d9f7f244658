// ctnn::io::load_onnx against PyTorch: models built and trained in PyTorch, exported by
// torch.onnx.export (onnx_models.py), read into the network type of each and run; the outputs
// must be PyTorch's. Every activation, float and double, Gemm and MatMul (+ Add) in both weight
// orientations, with and without a Flatten or Reshape, operator sets 9 to 17.

#define BOOST_TEST_MODULE onnx_load
#include <boost/test/unit_test.hpp>

#include <onnx_models.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/io/onnx.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iomanip>

namespace {

// with_scalar_t<U, Net>: Net with scalar type U.
template <class U, class Net>
struct with_scalar;
template <class U, class T, class Input, class... Layers>
struct with_scalar<U, ctnn::network<T, Input, Layers...>> {
    using type = ctnn::network<U, Input, Layers...>;
};
template <class U, class Net>
using with_scalar_t = typename with_scalar<U, Net>::type;

// How far a network of scalar type T may lie from PyTorch's float64 outputs. double: the same
// weights and operations, summed in another order (1e-10, as the gradient oracle). float: about
// 30 roundings of 2^-24 reach an output of these networks (at most 3 layers of at most 6
// inputs), each on values of magnitude below 4 (|w| < 1.5 after training, inputs within 4):
// 30 · 4 · 6e-8 = 7e-6, so 1e-5 relative to max(1, |y|).
template <class T>
double tolerance(double reference)
{
    return (sizeof(T) == 8 ? 1e-10 : 1e-5) * std::max(1.0, std::abs(reference));
}

template <class Net, class Case>
void check_outputs(Net const& net, char const* what)
{
    using T = typename Net::value_type;
    for (std::size_t s = 0; s < Case::x.size(); ++s) {
        typename Net::input_type x{};
        std::ranges::transform(Case::x[s], x.begin(), [](double v) { return static_cast<T>(v); }); // exact
        auto const y = net(x);
        for (std::size_t i = 0; i < y.size(); ++i) {
            double const want = Case::y_torch64[s][i];
            BOOST_CHECK_MESSAGE(std::abs(static_cast<double>(y[i]) - want) <= tolerance<T>(want),
                                Case::name << " (" << what << "), sample " << s << ", output " << i << ": ctnn "
                                           << std::setprecision(17) << static_cast<double>(y[i]) << ", PyTorch "
                                           << want);
        }
    }
}

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(outputs_are_pytorchs, Case, onnx_models::all_cases)
{
    using net_t = typename Case::network;
    net_t net{};
    auto const r = ctnn::io::load_onnx(net, Case::path);
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.message);
    check_outputs<net_t, Case>(net, "the model's scalar type");
}

// FLOAT parameters read into a double network are exact, so its outputs are PyTorch's float64
// ones to double's precision; DOUBLE ones read into a float network are rounded once each.
BOOST_AUTO_TEST_CASE_TEMPLATE(the_other_scalar_type, Case, onnx_models::all_cases)
{
    using model_t = typename Case::network;
    using other_t = with_scalar_t<std::conditional_t<sizeof(typename model_t::value_type) == 4, double, float>,
                                  model_t>;
    other_t net{};
    auto const r = ctnn::io::load_onnx(net, Case::path);
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.message);
    check_outputs<other_t, Case>(net, "the other scalar type");
}

BOOST_AUTO_TEST_CASE(what_read_onnx_reports)
{
    ctnn::io::onnx_mlp m;
    auto const r = ctnn::io::read_onnx(onnx_models::matmul_transpose_float::path, m);
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.message);
    BOOST_TEST(m.opset == 14);
    BOOST_TEST(!m.is_double);
    BOOST_TEST(m.producer.starts_with("pytorch 1."));
    BOOST_TEST(m.network.inputs == 3U);
    BOOST_REQUIRE(m.sources.size() == 2U);
    BOOST_TEST(m.sources[0].linear.starts_with("MatMul + Add"));
    BOOST_TEST(m.sources[0].activation == "Elu[alpha=1](x)");
    BOOST_TEST(m.sources[1].activation == "Sigmoid(x)");
    BOOST_TEST((m.network.layers[1] == ctnn::io::layer_description{2, "sigmoid", 0, 0}));

    BOOST_REQUIRE(static_cast<bool>(ctnn::io::read_onnx(onnx_models::mix_c_double::path, m)));
    BOOST_TEST(m.is_double);
    BOOST_TEST(m.network.layers[0].activation == "gelu");
    BOOST_REQUIRE(static_cast<bool>(ctnn::io::read_onnx(onnx_models::flatten_opset9_float::path, m)));
    BOOST_TEST(m.opset == 9);
    BOOST_TEST(m.network.inputs == 6U);
}
