#ifndef CTNN_OPTIM_CLIP_HPP
#define CTNN_OPTIM_CLIP_HPP

/// \file
/// Gradient clipping, applied to a gradient before the optimizer's step.

#include <ctnn/math.hpp>
#include <ctnn/network.hpp>

namespace ctnn::optim {

/// Clamps every component of `grad` into [−limit, limit]
/// (`torch.nn.utils.clip_grad_value_`).
template <class T, class Input, class... Layers>
constexpr void clip_by_value(parameter_set<T, Input, Layers...>& grad, T limit) noexcept
{
    for (T& g : grad.parameters()) {
        g = g > limit ? limit : (g < -limit ? -limit : g);
    }
}

/// Scales `grad` so that its Euclidean norm is at most `max_norm` and returns
/// the norm it had (`torch.nn.utils.clip_grad_norm_`, including its 1e-6 in
/// the scale max_norm / (norm + 1e-6)).
template <class T, class Input, class... Layers>
constexpr T clip_by_global_norm(parameter_set<T, Input, Layers...>& grad, T max_norm) noexcept
{
    T sum_of_squares = T(0);
    for (T const g : grad.parameters()) {
        sum_of_squares += g * g;
    }
    T const norm = math::sqrt(sum_of_squares);
    T const scale = max_norm / (norm + T(1e-6));
    if (scale < T(1)) {
        for (T& g : grad.parameters()) {
            g *= scale;
        }
    }
    return norm;
}

} // namespace ctnn::optim

#endif
