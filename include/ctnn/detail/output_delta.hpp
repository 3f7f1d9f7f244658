#ifndef CTNN_DETAIL_OUTPUT_DELTA_HPP
#define CTNN_DETAIL_OUTPUT_DELTA_HPP

/// \file
/// Where backpropagation starts: the loss of one sample and dL/dz of the
/// output layer, and the target type a loss expects.

#include <ctnn/activation.hpp>
#include <ctnn/layer/dense.hpp>

#include <boost/hana/at.hpp>

#include <type_traits>

namespace ctnn {

/// The target type a loss expects for network `Net`: an array of outputs, or
/// a class index for `loss::sparse_cross_entropy`.
template <class Net, class Loss>
using target_t = typename Loss::template target_type<typename Net::value_type, Net::outputs>;

namespace detail {

template <class Net, class Loss>
consteval bool loss_fits_network()
{
    constexpr bool softmax_last = std::is_same_v<typename Net::output_activation, softmax>;
    static_assert(!Loss::fuses_softmax || softmax_last,
                  "ctnn: loss::cross_entropy and loss::sparse_cross_entropy include the softmax: the last layer "
                  "must be dense<N, ctnn::softmax> (for one sigmoid output use loss::binary_cross_entropy)");
    return true;
}

// output_delta<Net, Loss>(y, z, target, delta): dL/dz of the last layer for
// a sample whose output is y and pre-activation z (the fused closed form for
// the cross-entropies, dL/dy through the activation's derivative otherwise),
// and the sample's loss.
template <class Net, class Loss>
constexpr typename Net::value_type output_delta(typename Net::output_type const& y,
                                                typename Net::output_type const& z,
                                                target_t<Net, Loss> const& target,
                                                typename Net::output_type& delta) noexcept
{
    static_assert(loss_fits_network<Net, Loss>());
    if constexpr (Loss::fuses_softmax) {
        Loss::logit_gradient(y, target, delta);
    } else {
        typename Net::output_type dl_dy{};
        Loss::output_gradient(y, target, dl_dy);
        activation_delta<typename Net::output_activation>(z, y, dl_dy, delta);
    }
    return Loss::value(y, target, z);
}

// output_delta<Net, Loss>(tr, target, delta): the same for the sample whose
// forward pass is `tr`.
template <class Net, class Loss>
constexpr typename Net::value_type output_delta(typename Net::trace const& tr, target_t<Net, Loss> const& target,
                                                typename Net::output_type& delta) noexcept
{
    static_assert(loss_fits_network<Net, Loss>());
    return output_delta<Net, Loss>(tr.output(), boost::hana::at_c<Net::depth - 1>(tr.z), target, delta);
}

} // namespace detail

} // namespace ctnn

#endif
