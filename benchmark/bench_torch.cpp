// libtorch (torch_mlp.hpp), one thread, training with torch::optim::SGD.

#include "torch_mlp.hpp"

namespace bench {

void register_torch()
{
    for (spec const& s : specs()) {
        problem const& p = get_problem(s.name);
        register_impl<torch_mlp>("libtorch", p, get_reference(s.name),
                                 [&p] { return std::make_unique<torch_mlp>(p); });
    }
}

} // namespace bench
