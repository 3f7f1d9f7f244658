// libtorch (torch_mlp.hpp), one thread, with torch::optim::SGD (with and
// without momentum) and torch::optim::Adam.

#include "../torch_mlp.hpp"
#include "training.hpp"

namespace bench {
namespace {

template <optimizer O>
torch_mlp::make_optimizer torch_optimizer(float adam_epsilon)
{
    return [adam_epsilon](std::vector<torch::Tensor> params) -> std::unique_ptr<torch::optim::Optimizer> {
        if constexpr (O == optimizer::adam) {
            return std::make_unique<torch::optim::Adam>(
                params, torch::optim::AdamOptions(learning_rate).betas({beta1, beta2}).eps(adam_epsilon));
        } else {
            return std::make_unique<torch::optim::SGD>(
                params, torch::optim::SGDOptions(learning_rate).momentum(O == optimizer::momentum ? momentum : 0.0f));
        }
    };
}

} // namespace

void register_training_torch()
{
    for (spec const& s : specs()) {
        problem const& p = get_problem(s.name);
        register_training("libtorch", p, get_training_reference(s.name),
                          [&p](auto o, float adam_epsilon) {
                              return std::make_unique<torch_mlp>(p, torch_optimizer<o.value>(adam_epsilon));
                          });
    }
}

} // namespace bench
