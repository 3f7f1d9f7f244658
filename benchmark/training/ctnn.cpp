// ctnn: the networks as types, the reference results every other
// implementation is checked against (the documented path: ctnn::gradient,
// then the optimizer's step), and ctnn's own timed tasks: the fused steps
// (ctnn::train_step) as `ctnn`, gradient-then-step as `ctnn_unfused`.

#include "training.hpp"

#include <ctnn/ctnn.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <span>

namespace bench {
namespace {

using net_b = ctnn::network<float, ctnn::input<8>, ctnn::dense<32, ctnn::tanh>, ctnn::dense<32, ctnn::tanh>,
                            ctnn::dense<4, ctnn::identity>>;
using net_c2 = ctnn::network<float, ctnn::input<64>, ctnn::dense<32, ctnn::relu>, ctnn::dense<32, ctnn::relu>,
                             ctnn::dense<10, ctnn::identity>>;
using net_d2 = ctnn::network<float, ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<64, ctnn::relu>,
                             ctnn::dense<10, ctnn::identity>>;

// ctnn's optimizer for O (Adam with ε = adam_epsilon), on the heap (Adam's moments of D' take 870 KB).
template <class Net, optimizer O>
auto make_optimizer(float adam_epsilon)
{
    if constexpr (O == optimizer::sgd) {
        return std::make_unique<ctnn::optim::sgd>(ctnn::optim::sgd{.learning_rate = learning_rate});
    } else if constexpr (O == optimizer::momentum) {
        return std::make_unique<ctnn::optim::sgd_momentum<Net>>(
            ctnn::optim::sgd_momentum<Net>{.learning_rate = learning_rate, .momentum = momentum});
    } else {
        return std::make_unique<ctnn::optim::adam<Net>>(ctnn::optim::adam<Net>{
            .learning_rate = learning_rate, .beta1 = beta1, .beta2 = beta2, .epsilon = adam_epsilon});
    }
}

// Fused: ctnn::train_step (plain SGD by its learning-rate overload, the others by
// the optimizer overloads); otherwise ctnn::gradient, then opt.step(net, grad).
template <class Net, optimizer O, bool Fused>
class ctnn_training {
    using input_t = typename Net::input_type;
    using output_t = typename Net::output_type;

public:
    ctnn_training(problem const& p, float adam_epsilon)
        : net_(std::make_unique<Net>()), opt_(make_optimizer<Net, O>(adam_epsilon))
    {
        std::copy(p.parameters.begin(), p.parameters.end(), net_->parameters().begin());
        for (std::size_t s = 0; s < batch_infer; ++s) {
            std::copy(p.x(s), p.x(s) + Net::inputs, xs_[s].begin());
            std::copy(p.t(s), p.t(s) + Net::outputs, ts_[s].begin());
        }
    }

    float const* infer1(std::size_t s)
    {
        y_ = (*net_)(xs_[s]);
        return y_.data();
    }
    void train1(std::size_t s)
    {
        if constexpr (!Fused) {
            auto const result = ctnn::gradient(*net_, xs_[s], ts_[s], ctnn::loss::mse{});
            opt_->step(*net_, result.grad);
        } else if constexpr (O == optimizer::sgd) {
            ctnn::train_step(*net_, xs_[s], ts_[s], ctnn::loss::mse{}, learning_rate);
        } else {
            ctnn::train_step(*net_, xs_[s], ts_[s], ctnn::loss::mse{}, *opt_);
        }
    }
    void train_batch(std::size_t first)
    {
        std::span<input_t const> const xs(xs_.data() + first, batch_train);
        std::span<output_t const> const ts(ts_.data() + first, batch_train);
        if constexpr (Fused) {
            ctnn::train_step(*net_, xs, ts, ctnn::loss::mse{}, *opt_);
        } else {
            auto const result = ctnn::gradient(*net_, xs, ts, ctnn::loss::mse{});
            opt_->step(*net_, result.grad);
        }
    }
    std::vector<float> parameters() const { return {net_->parameters().begin(), net_->parameters().end()}; }

private:
    std::unique_ptr<Net> net_;
    decltype(make_optimizer<Net, O>(epsilon)) opt_;
    std::array<input_t, batch_infer> xs_{};
    std::array<output_t, batch_infer> ts_{};
    output_t y_{};
};

template <class Net>
training_reference compute_reference(problem const& p)
{
    training_reference r;
    auto const model = std::make_unique<ctnn_training<Net, optimizer::sgd, false>>(p, epsilon);
    for (std::size_t s = 0; s < batch_infer; ++s) {
        float const* y = model->infer1(s);
        r.outputs.insert(r.outputs.end(), y, y + Net::outputs);
    }
    for_each_optimizer([&](auto o) {
        auto const one = std::make_unique<ctnn_training<Net, o.value, false>>(p, check_epsilon);
        one->train1(0);
        one->train1(1);
        r.after_two_steps[std::size_t(o.value)] = one->parameters();
        auto const batch = std::make_unique<ctnn_training<Net, o.value, false>>(p, check_epsilon);
        batch->train_batch(0);
        batch->train_batch(batch_train);
        r.after_two_batches[std::size_t(o.value)] = batch->parameters();
    });
    return r;
}

std::map<std::string, training_reference>& references()
{
    static std::map<std::string, training_reference> all;
    return all;
}

template <class Net>
void add(std::string const& name)
{
    problem const& p = get_problem(name);
    if (p.parameters.size() != Net::parameter_count) {
        std::fprintf(stderr, "training benchmark: network %s: ctnn type and spec disagree\n", name.c_str());
        std::abort();
    }
    training_reference const& ref = references()[name] = compute_reference<Net>(p);
    register_training("ctnn", p, ref, [&p](auto o, float adam_epsilon) {
        return std::make_unique<ctnn_training<Net, o.value, true>>(p, adam_epsilon);
    });
    register_training(
        "ctnn_unfused", p, ref,
        [&p](auto o, float adam_epsilon) {
            return std::make_unique<ctnn_training<Net, o.value, false>>(p, adam_epsilon);
        },
        /*with_inference=*/false);
}

} // namespace

training_reference const& get_training_reference(std::string const& name)
{
    return references().at(name);
}

void register_training_ctnn()
{
    add<net_b>("B");
    add<net_c2>("C'");
    add<net_d2>("D'");
}

} // namespace bench
