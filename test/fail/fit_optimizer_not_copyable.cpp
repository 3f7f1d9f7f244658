// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below. fit copies the optimizer at the start of
// each epoch, to undo an update that diverges.
// expect: the optimizer must be copyable, so that training that diverges can be undone

#include <ctnn/ctnn.hpp>

#include <array>

namespace {
using net_t = ctnn::network<float, ctnn::input<1>, ctnn::dense<1>>;

struct plain_sgd {
#ifdef CTNN_KO
    plain_sgd() = default;
    plain_sgd(plain_sgd const&) = delete;
    plain_sgd& operator=(plain_sgd const&) = delete;
#endif
    void step(net_t& net, net_t::gradient_type const& grad) const noexcept
    {
        for (std::size_t i = 0; i < net_t::parameter_count; ++i) {
            net.parameters()[i] -= 0.1f * grad.parameters()[i];
        }
    }
};

[[maybe_unused]] void train(net_t& net, plain_sgd& opt)
{
    std::array<std::array<float, 1>, 2> const xs{{{0.0f}, {1.0f}}};
    std::array<std::array<float, 1>, 2> const ts{{{1.0f}, {3.0f}}};
    static_cast<void>(ctnn::fit(net, xs, ts, ctnn::loss::mse{}, opt));
}
} // namespace
