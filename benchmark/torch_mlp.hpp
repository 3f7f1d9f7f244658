#ifndef CTNN_BENCHMARK_TORCH_MLP_HPP
#define CTNN_BENCHMARK_TORCH_MLP_HPP

// libtorch (C++ API of PyTorch, Debian's libtorch-dev), one thread: a stack of
// torch::nn::Linear, inference under NoGradGuard, training with autograd and a
// torch::optim optimizer (SGD unless the caller makes another), loss
// ½Σ(y − t)² (divided by the batch size for a batch).

#include "common.hpp"

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <vector>

namespace bench {

class torch_mlp {
public:
    using make_optimizer = std::function<std::unique_ptr<torch::optim::Optimizer>(std::vector<torch::Tensor>)>;

    explicit torch_mlp(problem const& p, make_optimizer const& make = {}) : spec_(p.net)
    {
        torch::set_num_threads(1);
        torch::NoGradGuard no_grad;
        std::size_t offset = 0;
        std::vector<torch::Tensor> params;
        for (std::size_t l = 0; l < spec_.layers(); ++l) {
            long const in = spec_.widths[l], out = spec_.widths[l + 1];
            torch::nn::Linear lin(in, out);
            lin->weight.copy_(torch::from_blob(const_cast<float*>(p.parameters.data() + offset), {out, in}));
            offset += std::size_t(in * out);
            lin->bias.copy_(torch::from_blob(const_cast<float*>(p.parameters.data() + offset), {out}));
            offset += std::size_t(out);
            params.push_back(lin->weight);
            params.push_back(lin->bias);
            layers_.push_back(lin);
        }
        long const in = long(p.net.inputs()), out = long(p.net.outputs());
        x_ = torch::from_blob(const_cast<float*>(p.inputs.data()), {long(batch_infer), in}).clone();
        t_ = torch::from_blob(const_cast<float*>(p.targets.data()), {long(batch_infer), out}).clone();
        for (std::size_t s = 0; s < batch_infer; ++s) {
            xs_.push_back(x_.slice(0, long(s), long(s) + 1).clone());
            ts_.push_back(t_.slice(0, long(s), long(s) + 1).clone());
        }
        for (std::size_t first = 0; first + batch_train <= batch_infer; first += batch_train) {
            xb_.push_back(x_.slice(0, long(first), long(first + batch_train)).clone());
            tb_.push_back(t_.slice(0, long(first), long(first + batch_train)).clone());
        }
        optimizer_ = make ? make(params)
                          : std::make_unique<torch::optim::SGD>(params, torch::optim::SGDOptions(learning_rate));
    }

    float const* infer1(std::size_t s)
    {
        torch::NoGradGuard no_grad;
        y_ = forward(xs_[s]);
        return y_.data_ptr<float>();
    }
    float const* infer_batch()
    {
        torch::NoGradGuard no_grad;
        y_ = forward(x_);
        return y_.data_ptr<float>();
    }
    void train1(std::size_t s) { step(xs_[s], ts_[s], 0.5); }
    void train_batch() { train_batch(0); }
    /// One step on samples first, ..., first + batch_train − 1 (first a multiple of batch_train).
    void train_batch(std::size_t first)
    {
        step(xb_[first / batch_train], tb_[first / batch_train], 0.5 / double(batch_train));
    }
    std::vector<float> parameters() const
    {
        std::vector<float> out;
        for (auto const& lin : layers_) {
            for (auto const& t : {lin->weight, lin->bias}) {
                auto c = t.detach().contiguous();
                out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
            }
        }
        return out;
    }

private:
    torch::Tensor forward(torch::Tensor h)
    {
        for (std::size_t l = 0; l < layers_.size(); ++l) {
            h = layers_[l]->forward(h);
            switch (spec_.activation(l)) {
            case act::sigmoid: h = torch::sigmoid(h); break;
            case act::tanh: h = torch::tanh(h); break;
            case act::relu: h = torch::relu(h); break;
            default: break;
            }
        }
        return h;
    }
    void step(torch::Tensor const& x, torch::Tensor const& t, double scale)
    {
        optimizer_->zero_grad();
        auto loss = (forward(x) - t).pow(2).sum() * scale;
        loss.backward();
        optimizer_->step();
    }

    spec spec_;
    std::vector<torch::nn::Linear> layers_;
    torch::Tensor x_, t_, y_;
    std::vector<torch::Tensor> xs_, ts_, xb_, tb_;
    std::unique_ptr<torch::optim::Optimizer> optimizer_;
};

} // namespace bench

#endif
