#ifndef CTNN_OPTIM_RMSPROP_HPP
#define CTNN_OPTIM_RMSPROP_HPP

/// \file
/// RMSProp with PyTorch's defaults and update rule (`torch.optim.RMSprop`).

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

#include <array>
#include <cstddef>

namespace ctnn::optim {

/// v ← αv + (1−α)g²; with `centered`, ḡ ← αḡ + (1−α)g and the denominator uses
/// v − ḡ²; then θ ← θ − η g / (√v + ε), or with momentum μ,
/// b ← μb + g / (√v + ε), θ ← θ − η b. `weight_decay` adds λθ to g.
template <class Net>
struct rmsprop {
    using value_type = typename Net::value_type;

    value_type learning_rate = value_type(1e-2);
    value_type alpha = value_type(0.99);
    value_type epsilon = value_type(1e-8);
    value_type weight_decay = value_type(0);
    value_type momentum = value_type(0);
    bool centered = false;

    std::array<value_type, Net::parameter_count> square_average{};
    std::array<value_type, Net::parameter_count> gradient_average{};
    std::array<value_type, Net::parameter_count> velocity{};

    constexpr void step(typename Net::gradient_type& net, typename Net::gradient_type const& grad) noexcept
    {
        using T = value_type;
        auto p = net.parameters();
        auto const g = grad.parameters();
        for (std::size_t i = 0; i < p.size(); ++i) {
            T const gi = g[i] + weight_decay * p[i];
            square_average[i] = alpha * square_average[i] + (T(1) - alpha) * gi * gi;
            T variance = square_average[i];
            if (centered) {
                gradient_average[i] = alpha * gradient_average[i] + (T(1) - alpha) * gi;
                variance -= gradient_average[i] * gradient_average[i];
            }
            T const scaled = gi / (math::sqrt(variance) + epsilon);
            if (momentum > T(0)) {
                velocity[i] = momentum * velocity[i] + scaled;
                p[i] -= learning_rate * velocity[i];
            } else {
                p[i] -= learning_rate * scaled;
            }
        }
    }
};

} // namespace ctnn::optim

#endif
