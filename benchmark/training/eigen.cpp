// The fixed-size Eigen MLP (eigen_mlp.hpp, column-major weights: what a user of
// Eigen writes) with its optimizers written by hand. Plain SGD is fused into
// backpropagation (W −= (η δ) xᵀ), the form Eigen makes natural; SGD with
// momentum and Adam first store a layer's gradient, then apply their rule to
// W and to b, each formula its own Eigen expression.

#include "../eigen_mlp.hpp"
#include "training.hpp"

#include <cmath>
#include <tuple>

namespace bench {
namespace {

// A layer's gradient or one of an optimizer's states: its parameters' shapes, zero.
template <class Layer>
struct like_parameters {
    typename Layer::weights_type w = Layer::weights_type::Zero();
    typename Layer::vector_type b = Layer::vector_type::Zero();
};

template <class Layers>
struct per_layer;
template <class... Layer>
struct per_layer<std::tuple<Layer...>> {
    using type = std::tuple<like_parameters<Layer>...>;
};

template <optimizer O, class... Specs>
class eigen_training {
    using net_type = eigen_net<true, false, Specs...>;
    using state_type = typename per_layer<typename net_type::layers_type>::type;

public:
    eigen_training(problem const& p, float adam_epsilon) : net_(p), epsilon_(adam_epsilon) {}

    float const* infer1(std::size_t s) { return net_.infer1(s); }
    void train1(std::size_t s)
    {
        if constexpr (O == optimizer::sgd) {
            net_.train1(s, descend_in_place{});
        } else {
            start_step();
            net_.train1(s, with_rule{*this});
        }
    }
    void train_batch(std::size_t first)
    {
        if constexpr (O == optimizer::sgd) {
            net_.train_batch(first, descend_in_place{});
        } else {
            start_step();
            net_.train_batch(first, with_rule{*this});
        }
    }
    std::vector<float> parameters() { return net_.parameters(); }

private:
    // Stores layer I's gradient (the mean over a batch's columns), then updates the layer.
    struct with_rule {
        eigen_training& self;

        template <std::size_t I, class Layer, class Delta, class X>
        void sample(Layer& ly, Delta const& delta, X const& x) const
        {
            auto& g = std::get<I>(self.gradient_);
            g.w.noalias() = delta * x.transpose();
            g.b = delta;
            self.update<I>(ly);
        }
        template <std::size_t I, class Layer, class Delta, class X>
        void batch(Layer& ly, Delta const& delta, X const& x) const
        {
            float const scale = 1.0f / float(batch_train);
            auto& g = std::get<I>(self.gradient_);
            g.w.noalias() = (scale * delta) * x.transpose();
            g.b = scale * delta.rowwise().sum();
            self.update<I>(ly);
        }
    };

    void start_step()
    {
        ++steps_;
        if constexpr (O == optimizer::adam) {
            step_size_ = learning_rate / (1.0f - std::pow(beta1, float(steps_)));
            correction2_ = 1.0f - std::pow(beta2, float(steps_));
        }
    }
    template <std::size_t I, class Layer>
    void update(Layer& ly)
    {
        auto const& g = std::get<I>(gradient_);
        auto& s1 = std::get<I>(first_);
        auto& s2 = std::get<I>(second_);
        rule(ly.w, g.w, s1.w, s2.w);
        rule(ly.b, g.b, s1.b, s2.b);
    }
    // Momentum: b = μ b + g (b starts at 0, so b = g on the first step), p −= η b.
    // Adam: m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; p −= (η/c₁) m / (√(v/c₂) + ε).
    template <class P>
    void rule(P& p, P const& g, P& m, P& v) const
    {
        if constexpr (O == optimizer::momentum) {
            m = momentum * m + g;
            p -= learning_rate * m;
        } else {
            m = beta1 * m + (1.0f - beta1) * g;
            v = beta2 * v + (1.0f - beta2) * g.cwiseAbs2();
            p.array() -= step_size_ * m.array() / ((v.array() / correction2_).sqrt() + epsilon_);
        }
    }

    net_type net_;
    state_type gradient_;
    state_type first_;  // momentum's b, Adam's m
    state_type second_; // Adam's v
    float epsilon_;
    std::size_t steps_ = 0;
    float step_size_ = 0.0f;   // η / c₁, c₁ = 1 − β₁ᵗ
    float correction2_ = 0.0f; // c₂ = 1 − β₂ᵗ
};

template <class... Specs>
void add(std::string const& name)
{
    problem const& p = get_problem(name);
    register_training("eigen", p, get_training_reference(name),
                      [&p](auto o, float adam_epsilon) {
        return std::make_unique<eigen_training<o.value, Specs...>>(p, adam_epsilon);
    });
}

} // namespace

void register_training_eigen()
{
    add<layer_spec<8, 32, act::tanh>, layer_spec<32, 32, act::tanh>, layer_spec<32, 4, act::identity>>("B");
    add<layer_spec<64, 32, act::relu>, layer_spec<32, 32, act::relu>, layer_spec<32, 10, act::identity>>("C'");
    add<layer_spec<784, 128, act::relu>, layer_spec<128, 64, act::relu>, layer_spec<64, 10, act::identity>>("D'");
}

} // namespace bench
