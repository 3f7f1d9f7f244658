#ifndef CTNN_DETAIL_BRACED_ARGUMENTS_HPP
#define CTNN_DETAIL_BRACED_ARGUMENTS_HPP

/// \file
/// Braced inputs and targets of the wrong length are compile errors.
///
/// A sample or target parameter is a `std::array`, an aggregate: a braced
/// list initialises it even when it is too short (`net({1.f})` on a network
/// of two inputs would pad with zeros). A parameter `T const (&)[N]` takes a
/// braced list by an identity conversion, which overload resolution prefers
/// to the aggregate initialisation, and it deduces N, the list's length. So
/// an overload with such a parameter, viable only when N is wrong, is chosen
/// exactly for the lists of the wrong length, and reports them with one
/// `static_assert` naming both lengths (in its template arguments: the
/// network's width first, the list's second). Lists of the right length never
/// reach it: they initialise the `std::array` parameters as before.

#include <ctnn/detail/data_set.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

// check_braced_input<NetworkInputs, BracedValues>(): the error for an input.
template <std::size_t NetworkInputs, std::size_t BracedValues>
constexpr void check_braced_input() noexcept
{
    static_assert(BracedValues == NetworkInputs,
                  "ctnn: the braced input's number of values differs from the network's input size");
}

// check_braced_target<NetworkOutputs, BracedValues>(): the error for a target.
template <std::size_t NetworkOutputs, std::size_t BracedValues>
constexpr void check_braced_target() noexcept
{
    static_assert(BracedValues == NetworkOutputs,
                  "ctnn: the braced target's number of values differs from the network's output size");
}

// check_braced<Net, NX, NT>(): the first of the two errors, for a call
// where both are braced (one error per mistake).
template <class Net, std::size_t NX, std::size_t NT>
constexpr void check_braced() noexcept
{
    if constexpr (NX != Net::inputs) {
        check_braced_input<Net::inputs, NX>();
    } else {
        check_braced_target<Net::outputs, NT>();
    }
}

// net_of<N>: the network type of a forwarded network argument; input_of<N>
// and target_of<N, Loss> its sample and target types (target_t's).
template <class N>
using net_of = std::remove_cvref_t<N>;
template <class N>
using input_of = typename net_of<N>::input_type;
template <class N, class Loss>
using target_of = typename Loss::template target_type<typename net_of<N>::value_type, net_of<N>::outputs>;

} // namespace ctnn::detail

/// CTNN_DETAIL_REFUSE_WRONG_BRACED_WIDTHS(function): for the public function
/// templates `function(net, x, target, loss, rest...)` of namespace ctnn
/// (every single-sample entry point has that shape), three overloads that
/// catch a braced `x` of the wrong length (with any target), a braced target
/// of the wrong length (with any `x`), and both braced, one of them wrong.
/// Each returns what `function` returns, so the call's use adds no error of
/// its own; each is viable only when `function` is for the right lengths
/// (the return type says so). The network is forwarded so that its
/// reference binding ranks as the real overload's does, `Net&` or
/// `Net const&`. Targets that are class indices (`std::size_t`) take no
/// braced list of values.
// clang-format off
#define CTNN_DETAIL_REFUSE_WRONG_BRACED_WIDTHS(function)                                                               \
    template <class N, class Loss, std::size_t NX,                                                                     \
              class Target = ::ctnn::detail::target_of<N, Loss>, class... Rest>                                        \
        requires(::ctnn::network_type<::ctnn::detail::net_of<N>> && NX != ::ctnn::detail::net_of<N>::inputs)           \
    constexpr auto function(N&&, typename ::ctnn::detail::net_of<N>::value_type const (&)[NX], Target const&,          \
                            Loss const&, Rest&&...) noexcept                                                           \
        -> decltype(function(std::declval<N>(), std::declval<::ctnn::detail::input_of<N> const&>(),                    \
                             std::declval<Target const&>(), std::declval<Loss const&>(), std::declval<Rest>()...))     \
    {                                                                                                                  \
        ::ctnn::detail::check_braced_input<::ctnn::detail::net_of<N>::inputs, NX>();                                   \
        return {};                                                                                                     \
    }                                                                                                                  \
    template <class N, class Loss, class X = ::ctnn::detail::input_of<N>, std::size_t NT, class... Rest>               \
        requires(::ctnn::network_type<::ctnn::detail::net_of<N>> &&                                                    \
                 ::ctnn::detail::is_std_array_v<::ctnn::detail::target_of<N, Loss>> &&                                 \
                 NT != ::ctnn::detail::net_of<N>::outputs)                                                             \
    constexpr auto function(N&&, X const&, typename ::ctnn::detail::net_of<N>::value_type const (&)[NT], Loss const&,  \
                            Rest&&...) noexcept                                                                        \
        -> decltype(function(std::declval<N>(), std::declval<X const&>(),                                              \
                             std::declval<::ctnn::detail::target_of<N, Loss> const&>(), std::declval<Loss const&>(),   \
                             std::declval<Rest>()...))                                                                 \
    {                                                                                                                  \
        ::ctnn::detail::check_braced_target<::ctnn::detail::net_of<N>::outputs, NT>();                                 \
        return {};                                                                                                     \
    }                                                                                                                  \
    template <class N, class Loss, std::size_t NX, std::size_t NT, class... Rest>                                      \
        requires(::ctnn::network_type<::ctnn::detail::net_of<N>> &&                                                    \
                 ::ctnn::detail::is_std_array_v<::ctnn::detail::target_of<N, Loss>> &&                                 \
                 (NX != ::ctnn::detail::net_of<N>::inputs || NT != ::ctnn::detail::net_of<N>::outputs))                \
    constexpr auto function(N&&, typename ::ctnn::detail::net_of<N>::value_type const (&)[NX],                         \
                            typename ::ctnn::detail::net_of<N>::value_type const (&)[NT], Loss const&,                 \
                            Rest&&...) noexcept                                                                        \
        -> decltype(function(std::declval<N>(), std::declval<::ctnn::detail::input_of<N> const&>(),                    \
                             std::declval<::ctnn::detail::target_of<N, Loss> const&>(), std::declval<Loss const&>(),   \
                             std::declval<Rest>()...))                                                                 \
    {                                                                                                                  \
        ::ctnn::detail::check_braced<::ctnn::detail::net_of<N>, NX, NT>();                                             \
        return {};                                                                                                     \
    }
// clang-format on

#endif
