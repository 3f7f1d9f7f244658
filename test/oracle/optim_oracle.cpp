// An independent oracle for ctnn's optimizers: 20 steps of each configuration
// against torch.optim from the same initial parameters and the same gradients,
// in double; gradient clipping against torch.nn.utils.clip_grad_value_ /
// clip_grad_norm_; learning-rate schedules against torch's StepLR,
// ExponentialLR and CosineAnnealingLR.
//
// The reference values come from optim_reference.hpp, which
// test/oracle/optim_reference.py generates at build time (see
// test/oracle/CMakeLists.txt and docs/oracle.md).

#define BOOST_TEST_MODULE optim_oracle
#include <boost/test/unit_test.hpp>

#include <optim_reference.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/optim.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <span>
#include <string>

namespace {

namespace ref = ctnn_optim_oracle;
using net_t = ref::network;
using grad_t = net_t::gradient_type;

/// Largest accepted |ctnn − torch| / max(|torch|, floor).
constexpr double tolerance = 1e-6;
/// Only there to avoid 0/0 (see docs/oracle.md).
constexpr double denominator_floor = 1e-300;

static_assert(net_t::parameter_count == ref::parameter_count,
              "the generated data does not have ctnn's parameter count for its topology");

double relative_error(double ctnn_value, double torch_value)
{
    return std::abs(ctnn_value - torch_value) / std::max(std::abs(torch_value), denominator_floor);
}

double worse(double a, double b) { return std::isnan(a) || std::isnan(b) ? std::nan("") : std::max(a, b); }

/// Checks every component and returns the largest relative error (NaN if any
/// comparison involved a NaN). `where` names the configuration and step.
double compare(std::string const& where, std::span<double const> ctnn_values, std::span<double const> torch_values)
{
    BOOST_REQUIRE_EQUAL(ctnn_values.size(), torch_values.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < ctnn_values.size(); ++i) {
        double const error = relative_error(ctnn_values[i], torch_values[i]);
        BOOST_CHECK_MESSAGE(error <= tolerance, where << ", index " << i << ": ctnn " << std::setprecision(17)
                                                      << ctnn_values[i] << ", PyTorch " << torch_values[i]
                                                      << ", relative error " << error);
        worst = worse(worst, error);
    }
    return worst;
}

double compare_one(std::string const& where, double ctnn_value, double torch_value)
{
    return compare(where, std::span(&ctnn_value, 1), std::span(&torch_value, 1));
}

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(optimizer_agrees_with_pytorch, Config, ref::all_configurations)
{
    std::string const name = Config::name;
    net_t net{};
    std::ranges::copy(ref::initial_parameters, net.parameters().begin());
    auto opt = Config::make();

    double worst = 0.0;
    for (std::size_t k = 0; k < ref::steps; ++k) {
        std::string const where = name + ", step " + std::to_string(k + 1);
        grad_t grad{};
        if constexpr (Config::mse) {
            auto const result = ctnn::gradient(net, ref::x, ref::target, ctnn::loss::mse{});
            grad = result.grad;
            worst = worse(worst, compare_one(where + ", loss", result.loss, Config::losses[k]));
        } else if constexpr (Config::batch) {
            auto const result = ctnn::gradient(net, std::span(ref::batch_x), std::span(ref::batch_target),
                                               ctnn::loss::mse{});
            grad = result.grad;
            worst = worse(worst, compare_one(where + ", loss", result.loss, Config::losses[k]));
        } else {
            std::ranges::copy(ref::gradients[k], grad.parameters().begin());
        }
        if constexpr (Config::clip_value > 0) {
            ctnn::optim::clip_by_value(grad, Config::clip_value);
        }
        if constexpr (Config::clip_norm > 0) {
            static_cast<void>(ctnn::optim::clip_by_global_norm(grad, Config::clip_norm));
        }
        opt.step(net, grad);
        worst = worse(worst, compare(where + ", parameters", net.parameters(), Config::trajectory[k]));
    }
    BOOST_TEST_MESSAGE(name << ": max relative error over " << ref::steps << " steps: " << std::setprecision(3)
                            << worst);
}

// The same configurations through ctnn::train_step, the update fused into backpropagation
// (one sample, or the batch), wherever that applies: the gradient is computed (not given), and
// any clipping is by value (clipping by norm needs the whole gradient first).
BOOST_AUTO_TEST_CASE_TEMPLATE(fused_train_step_agrees_with_pytorch, Config, ref::all_configurations)
{
    if constexpr ((Config::mse || Config::batch) && Config::clip_norm == 0) {
        std::string const name = Config::name;
        net_t net{};
        std::ranges::copy(ref::initial_parameters, net.parameters().begin());
        auto opt = Config::make();
        double worst = 0.0;
        for (std::size_t k = 0; k < ref::steps; ++k) {
            std::string const where = name + " (fused), step " + std::to_string(k + 1);
            auto const step = [&](auto&& optimizer) {
                if constexpr (Config::batch) {
                    return ctnn::train_step(net, std::span(ref::batch_x), std::span(ref::batch_target),
                                            ctnn::loss::mse{}, optimizer);
                } else {
                    return ctnn::train_step(net, ref::x, ref::target, ctnn::loss::mse{}, optimizer);
                }
            };
            double const loss = Config::clip_value > 0 ? step(ctnn::optim::with_value_clipping(opt, Config::clip_value))
                                                       : step(opt);
            worst = worse(worst, compare_one(where + ", loss", loss, Config::losses[k]));
            worst = worse(worst, compare(where + ", parameters", net.parameters(), Config::trajectory[k]));
        }
        BOOST_TEST_MESSAGE(name << " (fused): max relative error over " << ref::steps << " steps: "
                                << std::setprecision(3) << worst);
    }
}

BOOST_AUTO_TEST_CASE(clip_by_value_agrees_with_pytorch)
{
    double worst = 0.0;
    for (std::size_t k = 0; k < ref::steps; ++k) {
        grad_t grad{};
        std::ranges::copy(ref::gradients[k], grad.parameters().begin());
        ctnn::optim::clip_by_value(grad, ref::clipping::limit);
        worst = worse(worst, compare("clip_by_value, gradient " + std::to_string(k), grad.parameters(),
                                     ref::clipping::by_value[k]));
    }
    BOOST_TEST_MESSAGE("clip_by_value: max relative error " << std::setprecision(3) << worst);
}

BOOST_AUTO_TEST_CASE(clip_by_global_norm_agrees_with_pytorch)
{
    double worst = 0.0;
    std::size_t clipped = 0;
    for (std::size_t k = 0; k < ref::steps; ++k) {
        std::string const where = "clip_by_global_norm, gradient " + std::to_string(k);
        grad_t grad{};
        std::ranges::copy(ref::gradients[k], grad.parameters().begin());
        double const norm = ctnn::optim::clip_by_global_norm(grad, ref::clipping::max_norm);
        worst = worse(worst, compare_one(where + ", norm", norm, ref::clipping::norms[k]));
        worst = worse(worst, compare(where, grad.parameters(), ref::clipping::by_norm[k]));
        clipped += ref::clipping::norms[k] > ref::clipping::max_norm ? 1U : 0U;
    }
    // The data must exercise both branches.
    BOOST_TEST(clipped > 0U);
    BOOST_TEST(clipped < ref::steps);
    BOOST_TEST_MESSAGE("clip_by_global_norm: max relative error " << std::setprecision(3) << worst << " ("
                                                                  << clipped << " of " << ref::steps
                                                                  << " gradients clipped)");
}

BOOST_AUTO_TEST_CASE_TEMPLATE(schedule_agrees_with_pytorch, Schedule, ref::all_schedules)
{
    std::string const name = Schedule::name;
    constexpr auto schedule = Schedule::make();
    double worst = 0.0;
    for (std::size_t epoch = 0; epoch <= Schedule::compared_epochs; ++epoch) {
        worst = worse(worst, compare_one(name + ", epoch " + std::to_string(epoch), schedule(epoch),
                                         Schedule::learning_rates[epoch]));
    }
    // Past the period ctnn's cosine annealing holds its minimum, where PyTorch's
    // CosineAnnealingLR (periodic, period 2 T_max) rises again: see docs/oracle.md.
    for (std::size_t epoch = Schedule::compared_epochs + 1; epoch < Schedule::learning_rates.size(); ++epoch) {
        if constexpr (requires { schedule.minimum; }) {
            BOOST_TEST(schedule(epoch) == schedule.minimum);
        }
    }
    BOOST_TEST_MESSAGE(name << ": max relative error over epochs 0.." << Schedule::compared_epochs << ": "
                            << std::setprecision(3) << worst);
}
