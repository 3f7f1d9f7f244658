#ifndef CTNN_BENCHMARK_TRAINING_TRAINING_HPP
#define CTNN_BENCHMARK_TRAINING_TRAINING_HPP

// What every implementation in the training benchmark shares: its three
// optimizers, with hyperparameters the same for every implementation; the
// reference results computed with ctnn; the check that an implementation
// reproduces them; and the registration of its timed tasks.
//
// An implementation of one network and one optimizer owns its weights, the
// optimizer's state and a copy of the problem's data in its own format
// (converted once, outside the timing):
//   float const* infer1(s)   output of sample s
//   void train1(s)           one step of its optimizer on sample s
//   void train_batch(first)  one step on the mean gradient of samples first, ..., first + 31
//   std::vector<float> parameters() in ctnn's layout

#include "../common.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace bench {

enum class optimizer { sgd, momentum, adam };

// SGD with momentum μ as torch.optim.SGD: b ← μb + g (b = g on the first step), θ ← θ − ηb.
inline constexpr float momentum = 0.9f;
// Adam with PyTorch's defaults but the learning rate, which is bench::learning_rate as for SGD.
inline constexpr float beta1 = 0.9f;
inline constexpr float beta2 = 0.999f;
inline constexpr float epsilon = 1e-8f;
// Adam's ε in the check before the timing (see register_training).
inline constexpr float check_epsilon = 1e-3f;

inline std::string optimizer_name(optimizer o)
{
    switch (o) {
    case optimizer::sgd: return "sgd";
    case optimizer::momentum: return "momentum";
    case optimizer::adam: return "adam";
    }
    return "?";
}

template <optimizer O>
using optimizer_constant = std::integral_constant<optimizer, O>;

/// What ctnn computes (gradient, then the optimizer's step; Adam with
/// check_epsilon), which every other implementation must reproduce. Two
/// steps, because the first step of SGD with momentum is plain SGD's (b = g)
/// and Adam's first step is about η·sign(g): the second is where the moments
/// and bias corrections show.
struct training_reference {
    std::vector<float> outputs;                          // 64 × out
    std::array<std::vector<float>, 3> after_two_steps;   // per optimizer: after steps on sample 0, then 1
    std::array<std::vector<float>, 3> after_two_batches; // per optimizer: after steps on samples 0..31, then 32..63
};

training_reference const& get_training_reference(std::string const& name);

// Each implementation's translation unit registers its benchmarks.
void register_training_ctnn();
void register_training_textbook();
void register_training_eigen();
void register_training_torch();

// Calls fn(optimizer_constant<O>{}) for every optimizer.
template <class Fn>
void for_each_optimizer(Fn&& fn)
{
    fn(optimizer_constant<optimizer::sgd>{});
    fn(optimizer_constant<optimizer::momentum>{});
    fn(optimizer_constant<optimizer::adam>{});
}

// How many steps a timed implementation takes from its initial state before it is made
// anew (outside the timing): one sample at a time, 128 passes over samples 0..31; a batch
// at a time, 128 passes over the 64 samples. What a step costs can change as training
// proceeds (ctnn skips the rows of ReLU units idle on the sample, for one), so every
// implementation is timed over the same steps from the same weights, however many steps
// the timing takes; and the periods are long enough for the pause in the timing to be
// lost in them.
inline constexpr std::size_t steps_per_start = 128 * batch_train;
inline constexpr std::size_t batch_steps_per_start = 128 * batch_infer / batch_train;

// Registers the timed steps `name`: step(impl, k) takes step k (from 0) of impl, made by
// start() and made anew every `period` steps.
template <class Start, class Step>
void register_steps(std::string const& name, Start start, std::size_t period, Step step)
{
    struct started {
        decltype(start()) impl;
        std::size_t steps;
    };
    auto const state = std::make_shared<started>(started{start(), 0});
    benchmark::RegisterBenchmark(name.c_str(), [state, start, period, step](benchmark::State& st) {
        auto& [impl, steps] = *state;
        for (auto _ : st) {
            if (steps == period) {
                st.PauseTiming();
                impl = start();
                steps = 0;
                st.ResumeTiming();
            }
            step(*impl, steps);
            benchmark::ClobberMemory();
            ++steps;
        }
    });
}

/// Checks, then registers, the tasks of `peer` on network p: infer1 (unless
/// `with_inference` is false), and for each optimizer its single-sample step
/// (`sgd1`, ...) and its batch step (`sgd32`, ...). `make(optimizer_constant<O>{}, ε)`
/// returns a new implementation stepping with optimizer O (Adam with that ε).
///
/// Outputs are compared as in the run-time benchmark (1e-4 relative). Parameters
/// are compared through (θ₀ − θ₂)/η after two steps (check_step: 2e-3, relative
/// to at least 1). For SGD and momentum that is a sum of gradients, which the
/// implementations compute with different roundings, far below 2e-3 in absolute
/// terms. Adam's step η·m̂/(√v̂ + ε) normalises the gradient instead: where a
/// gradient is small from cancellation (a batch's terms summing to a thousandth
/// of their magnitudes, say) its rounding is large relative to it, and so is the
/// change in Adam's step: with ε = 1e-8, implementations that differ only in
/// rounding can take steps further apart than a tolerance that would still
/// catch a wrong rule. So Adam is checked with ε = check_epsilon, where a
/// gradient difference Δg moves the step by at most about 2|Δg|/ε·η: 2e-3 admits
/// differences of 1e-6, many float roundings (6e-8 relative) of gradients whose
/// terms are below 1 in magnitude, while a wrong rule (a bias correction missing,
/// a β wrong, ε inside the square root) moves most parameters by O(η). The timed
/// runs use PyTorch's ε; the arithmetic is the same.
template <class Make>
void register_training(std::string const& peer, problem const& p, training_reference const& ref, Make make,
                       bool with_inference = true)
{
    std::string const id = p.net.name + "/" + peer;
    bool ok = true;
    if (with_inference) {
        ok = check_inference(id, *make(optimizer_constant<optimizer::sgd>{}, epsilon), ref.outputs, p.net.outputs());
    }
    for_each_optimizer([&](auto o) {
        std::size_t const k = std::size_t(o.value);
        auto one = make(o, check_epsilon);
        one->train1(0);
        one->train1(1);
        ok = ok && check_step(id + " " + optimizer_name(o) + ", two steps", p.parameters, one->parameters(),
                              ref.after_two_steps[k]);
        auto batch = make(o, check_epsilon);
        batch->train_batch(0);
        batch->train_batch(batch_train);
        ok = ok && check_step(id + " " + optimizer_name(o) + ", two batch steps", p.parameters, batch->parameters(),
                              ref.after_two_batches[k]);
    });
    if (!ok) {
        return; // not timed: main reports the failure and exits non-zero
    }
    auto const name = [&](std::string const& task) { return p.net.name + "/" + task + "/" + peer; };
    if (with_inference) {
        register_inference(name("infer1"), std::shared_ptr(make(optimizer_constant<optimizer::sgd>{}, epsilon)));
    }
    for_each_optimizer([&](auto o) {
        register_steps(name(optimizer_name(o) + "1"), [make, o] { return make(o, epsilon); }, steps_per_start,
                       [](auto& impl, std::size_t step) { impl.train1(step % batch_train); });
        register_steps(name(optimizer_name(o) + std::to_string(batch_train)), [make, o] { return make(o, epsilon); },
                       batch_steps_per_start, [](auto& impl, std::size_t step) {
                           impl.train_batch(step % (batch_infer / batch_train) * batch_train);
                       });
    });
}

} // namespace bench

#endif
