// The textbook MLP (textbook.hpp) with its optimizers written as plain loops
// over each weight and bias vector.

#include "../textbook.hpp"
#include "training.hpp"

#include <cmath>

namespace bench {
namespace {

template <optimizer O>
class textbook_training {
public:
    textbook_training(problem const& p, float adam_epsilon)
        : mlp_(p), first_(p.parameters.size(), 0.0f), second_(p.parameters.size(), 0.0f), epsilon_(adam_epsilon)
    {
    }

    float const* infer1(std::size_t s) { return mlp_.infer1(s); }
    void train1(std::size_t s)
    {
        start_step();
        mlp_.train1(s, update());
    }
    void train_batch(std::size_t first)
    {
        start_step();
        mlp_.train_batch(first, update());
    }
    std::vector<float> parameters() const { return mlp_.parameters(); }

private:
    void start_step()
    {
        if constexpr (O == optimizer::adam) {
            ++steps_;
            step_size_ = learning_rate / (1.0f - std::pow(beta1, float(steps_)));
            correction2_ = 1.0f - std::pow(beta2, float(steps_));
        }
    }
    // The update of a weight or bias vector p from its gradient scale·g; offset: p's place in ctnn's layout.
    auto update()
    {
        if constexpr (O == optimizer::sgd) {
            return textbook_mlp::descend{};
        } else if constexpr (O == optimizer::momentum) {
            // b = μ b + g (b starts at 0, so b = g on the first step), p −= η b
            return [this](std::vector<float>& p, std::vector<float> const& g, float scale, std::size_t offset) {
                float* const b = first_.data() + offset;
                for (std::size_t k = 0; k < p.size(); ++k) {
                    b[k] = momentum * b[k] + scale * g[k];
                    p[k] -= learning_rate * b[k];
                }
            };
        } else {
            // m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; p −= (η/c₁) m / (√(v/c₂) + ε)
            return [this](std::vector<float>& p, std::vector<float> const& g, float scale, std::size_t offset) {
                float* const m = first_.data() + offset;
                float* const v = second_.data() + offset;
                for (std::size_t k = 0; k < p.size(); ++k) {
                    float const gk = scale * g[k];
                    m[k] = beta1 * m[k] + (1.0f - beta1) * gk;
                    v[k] = beta2 * v[k] + (1.0f - beta2) * gk * gk;
                    p[k] -= step_size_ * m[k] / (std::sqrt(v[k] / correction2_) + epsilon_);
                }
            };
        }
    }

    textbook_mlp mlp_;
    std::vector<float> first_;  // momentum's b, Adam's m
    std::vector<float> second_; // Adam's v
    float epsilon_;
    std::size_t steps_ = 0;
    float step_size_ = 0.0f;   // η / c₁, c₁ = 1 − β₁ᵗ
    float correction2_ = 0.0f; // c₂ = 1 − β₂ᵗ
};

} // namespace

void register_training_textbook()
{
    for (spec const& s : specs()) {
        problem const& p = get_problem(s.name);
        register_training("textbook", p, get_training_reference(s.name),
                          [&p](auto o, float adam_epsilon) {
                              return std::make_unique<textbook_training<o.value>>(p, adam_epsilon);
                          });
    }
}

} // namespace bench
