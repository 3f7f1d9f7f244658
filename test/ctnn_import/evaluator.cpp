// ctnn-import's evaluation of ONNX graphs (graph_evaluator.hpp) against PyTorch, and the
// tolerances of its golden checks (golden.hpp) against PyTorch's rounding errors: every model
// of test/io/onnx's onnx_models.py.

#define BOOST_TEST_MODULE ctnn_import_evaluator
#include <boost/test/unit_test.hpp>

#include <onnx_models.hpp>

#include "golden.hpp"
#include "graph_evaluator.hpp"

#include <ctnn/io/onnx.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <string>
#include <vector>

namespace {

ctnn::io::detail::onnx_pb::ModelProto parsed(char const* path)
{
    std::string bytes;
    BOOST_REQUIRE(static_cast<bool>(ctnn::io::detail::read_file(path, bytes)));
    ctnn::io::detail::onnx_pb::ModelProto model;
    BOOST_REQUIRE(model.ParseFromString(bytes));
    return model;
}

} // namespace

// PyTorch in float64 with the constants the graph holds: the evaluator computes the same
// operations in double, in other orders and with other elementary functions.
BOOST_AUTO_TEST_CASE_TEMPLATE(graph_outputs_are_pytorchs, Case, onnx_models::all_cases)
{
    auto const model = parsed(Case::path);
    for (std::size_t s = 0; s < Case::x.size(); ++s) {
        ctnn_import::tensor y;
        std::string const why =
            ctnn_import::evaluate(model, std::vector<double>(Case::x[s].begin(), Case::x[s].end()), y);
        BOOST_REQUIRE_MESSAGE(why.empty(), Case::name << ": " << why);
        BOOST_REQUIRE(y.values.size() >= Case::y_graph64[s].size());
        for (std::size_t i = 0; i < Case::y_graph64[s].size(); ++i) {
            double const want = Case::y_graph64[s][i];
            BOOST_CHECK_MESSAGE(std::abs(y.values[i] - want) <= 1e-12 * std::max(1.0, std::abs(want)),
                                Case::name << ", sample " << s << ", output " << i << ": evaluator "
                                           << std::setprecision(17) << y.values[i] << ", PyTorch " << want);
        }
    }
}

// The tolerance bounds any evaluation of the graph in the model's scalar type: it holds
// PyTorch's own (another order of the sums, other elementary functions) against the graph's
// values in float64, and it is not so wide that it would hold a wrong import: below 2^-12 of
// the outputs' size. (That it holds ctnn's is what the headers' golden checks assert:
// ctnn_import.headers_compile.)
BOOST_AUTO_TEST_CASE_TEMPLATE(tolerances_hold_pytorchs_error, Case, onnx_models::all_cases)
{
    using T = typename Case::network::value_type;
    ctnn::io::onnx_mlp m;
    BOOST_REQUIRE(static_cast<bool>(ctnn::io::read_onnx(Case::path, m)));
    for (std::size_t s = 0; s < Case::x.size(); ++s) {
        std::vector<double> const x(Case::x[s].begin(), Case::x[s].end());
        auto const tolerance = ctnn_import::golden_tolerance<T>(m.network, x);
        for (std::size_t i = 0; i < tolerance.size(); ++i) {
            double const want = Case::y_graph64[s][i];
            double const error = std::abs(Case::y_model[s][i] - want);
            BOOST_CHECK_MESSAGE(error <= tolerance[i], Case::name << ", sample " << s << ", output " << i << ": error "
                                                                  << error << ", tolerance " << tolerance[i]);
            BOOST_CHECK_MESSAGE(tolerance[i] <= 0x1p-12 * std::max(1.0, std::abs(want)),
                                Case::name << ": tolerance " << tolerance[i] << " for an output of " << want);
        }
    }
}

BOOST_AUTO_TEST_CASE(golden_inputs_are_fixed_multiples_of_a_sixteenth)
{
    auto const a = ctnn_import::golden_inputs(4, 7);
    BOOST_TEST(a == ctnn_import::golden_inputs(4, 7));
    BOOST_REQUIRE(a.size() == 4U);
    double lowest = 0.0;
    double highest = 0.0;
    for (auto const& input : a) {
        BOOST_REQUIRE(input.size() == 7U);
        for (double const v : input) {
            BOOST_TEST(v * 16 == std::round(v * 16));
            lowest = std::min(lowest, v);
            highest = std::max(highest, v);
        }
    }
    BOOST_TEST(lowest >= -2.0);
    BOOST_TEST(highest <= 2.0);
    BOOST_TEST(highest - lowest >= 2.0); // spread over the range, not one value
}
