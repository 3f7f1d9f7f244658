// An independent oracle: ctnn's outputs, losses and parameter gradients against
// PyTorch autograd, with the same weights, inputs and targets, in double.
//
// The reference values come from pytorch_reference.hpp, which
// test/oracle/pytorch_reference.py generates at build time (see
// test/oracle/CMakeLists.txt and docs/oracle.md). Each case is a struct with the
// ctnn network type, the loss type and PyTorch's numbers; the test below runs
// once per case.

#define BOOST_TEST_MODULE pytorch_oracle
#include <boost/test/unit_test.hpp>

#include <pytorch_reference.hpp>

#include <ctnn/ctnn.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <span>
#include <string>

namespace {

/// Largest accepted |ctnn − torch| / max(|torch|, floor).
constexpr double tolerance = 1e-10;
/// Only there to avoid 0/0: a component that is exactly 0 in both is an error
/// of 0, and one that is 0 in PyTorch only must be within 1e-310 of it.
constexpr double denominator_floor = 1e-300;

double relative_error(double ctnn_value, double torch_value)
{
    return std::abs(ctnn_value - torch_value) / std::max(std::abs(torch_value), denominator_floor);
}

/// Checks every component and returns the largest relative error (NaN if any
/// comparison involved a NaN).
double compare(std::string const& case_name, char const* what, std::span<double const> ctnn_values,
               std::span<double const> torch_values)
{
    BOOST_REQUIRE_EQUAL(ctnn_values.size(), torch_values.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < ctnn_values.size(); ++i) {
        double const error = relative_error(ctnn_values[i], torch_values[i]);
        BOOST_CHECK_MESSAGE(error <= tolerance, case_name << ": " << what << "[" << i << "]: ctnn "
                                                          << std::setprecision(17) << ctnn_values[i] << ", PyTorch "
                                                          << torch_values[i] << ", relative error " << error);
        worst = std::isnan(error) || std::isnan(worst) ? std::nan("") : std::max(worst, error);
    }
    return worst;
}

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(agrees_with_pytorch, Case, ctnn_oracle::all_cases)
{
    using net_t = typename Case::network;
    using loss_t = typename Case::loss;
    static_assert(Case::parameters.size() == net_t::parameter_count,
                  "the generated case does not have ctnn's parameter count for its topology");
    static_assert(Case::gradient.size() == net_t::parameter_count);

    std::string const name = Case::name;
    net_t net{};
    std::ranges::copy(Case::parameters, net.parameters().begin());

    auto const y = net(Case::x);
    double const worst_y = compare(name, "y", y, Case::y);

    auto const [loss, grad] = ctnn::gradient(net, Case::x, Case::target, loss_t{});
    double const loss_error = relative_error(loss, Case::loss_value);
    BOOST_CHECK_MESSAGE(loss_error <= tolerance, name << ": loss: ctnn " << std::setprecision(17) << loss
                                                      << ", PyTorch " << Case::loss_value << ", relative error "
                                                      << loss_error);
    double const worst_grad = compare(name, "gradient", grad.parameters(), Case::gradient);

    BOOST_TEST_MESSAGE(name << ": max relative error: y " << std::setprecision(3) << worst_y << ", loss "
                            << loss_error << ", gradient " << worst_grad);
}
