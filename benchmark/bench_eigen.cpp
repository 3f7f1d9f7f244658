// Eigen 3.4 (eigen_mlp.hpp): the same networks with fixed-size matrices,
// weights column-major (Eigen's default) and row-major (ctnn's layout), and
// with dynamic ones (MatrixXf); SGD fused into backpropagation.

#include "eigen_mlp.hpp"

namespace bench {
namespace {

template <class... Specs>
void add(std::string const& name)
{
    problem const& p = get_problem(name);
    reference const& ref = get_reference(name);
    register_impl<eigen_net<true, false, Specs...>>(
        "eigen_fixed", p, ref, [&p] { return std::make_unique<eigen_net<true, false, Specs...>>(p); });
    register_impl<eigen_net<true, true, Specs...>>(
        "eigen_rowmajor", p, ref, [&p] { return std::make_unique<eigen_net<true, true, Specs...>>(p); });
    register_impl<eigen_net<false, false, Specs...>>(
        "eigen_dynamic", p, ref, [&p] { return std::make_unique<eigen_net<false, false, Specs...>>(p); });
}

} // namespace

void register_eigen()
{
    add<layer_spec<2, 3, act::sigmoid>, layer_spec<3, 1, act::sigmoid>>("A");
    add<layer_spec<8, 32, act::tanh>, layer_spec<32, 32, act::tanh>, layer_spec<32, 4, act::identity>>("B");
    add<layer_spec<64, 32, act::relu>, layer_spec<32, 10, act::identity>>("C");
    add<layer_spec<784, 128, act::relu>, layer_spec<128, 10, act::identity>>("D");
    add<layer_spec<1, 16, act::relu>, layer_spec<16, 16, act::relu>, layer_spec<16, 1, act::identity>>("E");
}

} // namespace bench
