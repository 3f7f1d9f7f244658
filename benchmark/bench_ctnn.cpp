// ctnn: the networks as types, the reference results every other
// implementation is checked against, and ctnn's own timed tasks.

#include "common.hpp"

#include <ctnn/ctnn.hpp>

#include <array>
#include <map>
#include <span>

namespace bench {
namespace {

using net_a = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1, ctnn::sigmoid>>;
using net_b = ctnn::network<float, ctnn::input<8>, ctnn::dense<32, ctnn::tanh>, ctnn::dense<32, ctnn::tanh>,
                            ctnn::dense<4, ctnn::identity>>;
using net_c = ctnn::network<float, ctnn::input<64>, ctnn::dense<32, ctnn::relu>, ctnn::dense<10, ctnn::identity>>;
using net_d = ctnn::network<float, ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<10, ctnn::identity>>;
using net_e = ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>, ctnn::dense<16, ctnn::relu>,
                            ctnn::dense<1, ctnn::identity>>;
// A and B without their activations: what the rest of their work costs (docs/benchmarks.md, "What
// bounds the missed targets"). Not a peer and not checked: its outputs differ by design.
using net_a_identity = ctnn::network<float, ctnn::input<2>, ctnn::dense<3>, ctnn::dense<1>>;
using net_b_identity = ctnn::network<float, ctnn::input<8>, ctnn::dense<32>, ctnn::dense<32>, ctnn::dense<4>>;

// Fused: train1 by ctnn::train_step; otherwise by ctnn::gradient and an SGD
// loop (the unfused path, reported as ctnn_unfused for comparison).
template <class Net, bool Fused = true>
struct ctnn_impl {
    using input_t = typename Net::input_type;
    using output_t = typename Net::output_type;

    explicit ctnn_impl(problem const& p) : net(std::make_unique<Net>())
    {
        std::copy(p.parameters.begin(), p.parameters.end(), net->parameters().begin());
        for (std::size_t s = 0; s < batch_infer; ++s) {
            std::copy(p.x(s), p.x(s) + Net::inputs, xs[s].begin());
            std::copy(p.t(s), p.t(s) + Net::outputs, ts[s].begin());
        }
    }

    float const* infer1(std::size_t s)
    {
        y[0] = (*net)(xs[s]);
        return y[0].data();
    }
    float const* infer_batch()
    {
        ctnn::predict(*net, std::span<input_t const>(xs), std::span(y));
        return y[0].data();
    }
    void train1(std::size_t s)
    {
        if constexpr (Fused) {
            ctnn::train_step(*net, xs[s], ts[s], ctnn::loss::mse{}, learning_rate);
        } else {
            auto const result = ctnn::gradient(*net, xs[s], ts[s], ctnn::loss::mse{});
            auto const g = result.grad.parameters();
            auto const w = net->parameters();
            for (std::size_t i = 0; i < Net::parameter_count; ++i) {
                w[i] -= learning_rate * g[i];
            }
        }
    }
    void train_batch()
    {
        auto const result = ctnn::gradient(*net, std::span<input_t const>(xs.data(), batch_train),
                                           std::span<output_t const>(ts.data(), batch_train), ctnn::loss::mse{});
        auto const g = result.grad.parameters();
        auto const w = net->parameters();
        for (std::size_t i = 0; i < Net::parameter_count; ++i) {
            w[i] -= learning_rate * g[i];
        }
    }
    std::vector<float> parameters() const
    {
        return {net->parameters().begin(), net->parameters().end()};
    }

    std::unique_ptr<Net> net;
    std::array<input_t, batch_infer> xs{};
    std::array<output_t, batch_infer> ts{};
    std::array<output_t, batch_infer> y{};
};

// The reference: the documented, unfused path (gradient, then an SGD loop).
template <class Net>
reference compute_reference(problem const& p)
{
    ctnn_impl<Net> impl(p);
    reference r;
    for (std::size_t s = 0; s < batch_infer; ++s) {
        auto const y = (*impl.net)(impl.xs[s]);
        r.outputs.insert(r.outputs.end(), y.begin(), y.end());
    }
    auto const [loss, grad] = ctnn::gradient(*impl.net, impl.xs[0], impl.ts[0], ctnn::loss::mse{});
    static_cast<void>(loss);
    r.after_step = p.parameters;
    for (std::size_t i = 0; i < Net::parameter_count; ++i) {
        r.after_step[i] -= learning_rate * grad.parameters()[i];
    }
    impl.train_batch();
    r.after_batch = impl.parameters();
    return r;
}

std::map<std::string, reference>& references()
{
    static std::map<std::string, reference> all;
    return all;
}

template <class Net>
void add(std::string const& name)
{
    problem const& p = get_problem(name);
    static_assert(Net::parameter_count > 0);
    if (p.parameters.size() != Net::parameter_count) {
        std::fprintf(stderr, "benchmark: network %s: ctnn type and spec disagree\n", name.c_str());
        std::abort();
    }
    references()[name] = compute_reference<Net>(p);
    register_impl<ctnn_impl<Net>>("ctnn", p, references()[name],
                                  [&p] { return std::make_unique<ctnn_impl<Net>>(p); });
    register_impl<ctnn_impl<Net, false>>("ctnn_unfused", p, references()[name],
                                         [&p] { return std::make_unique<ctnn_impl<Net, false>>(p); });
}

template <class Net>
void add_identity(std::string const& name)
{
    problem const& p = get_problem(name);
    if (p.parameters.size() != Net::parameter_count) {
        std::fprintf(stderr, "benchmark: network %s: the identity variant's type and spec disagree\n", name.c_str());
        std::abort();
    }
    register_impl<ctnn_impl<Net>>(
        "ctnn_identity", p, references().at(name), [&p] { return std::make_unique<ctnn_impl<Net>>(p); },
        /*check_against_ref=*/false);
}

} // namespace

reference const& get_reference(std::string const& name)
{
    return references().at(name);
}

void register_ctnn()
{
    add<net_a>("A");
    add<net_b>("B");
    add<net_c>("C");
    add<net_d>("D");
    add<net_e>("E");
    add_identity<net_a_identity>("A");
    add_identity<net_b_identity>("B");
}

} // namespace bench
