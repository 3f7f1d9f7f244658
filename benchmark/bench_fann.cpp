// FANN 2.2 (libfann-dev, float). FANN 2.2 has no ReLU: the ReLU networks (C,
// D, E) use FANN_LINEAR_PIECE (max(0, min(1, x)), whose derivative FANN takes
// as 1 everywhere), the cheapest piecewise-linear unit it has. Those are
// checked against the textbook MLP run with the same activation (the textbook
// MLP itself being checked against ctnn); A and B are checked against ctnn.

#include "textbook.hpp"

#include <floatfann.h>

namespace bench {
namespace {

fann_activationfunc_enum fann_function(act a)
{
    switch (a) {
    case act::sigmoid: return FANN_SIGMOID;
    case act::tanh: return FANN_SIGMOID_SYMMETRIC;
    case act::relu:
    case act::linear_piece: return FANN_LINEAR_PIECE;
    case act::identity: break;
    }
    return FANN_LINEAR;
}

// FANN computes f(steepness · z): sigmoid is 1/(1 + e^(−2sz)), tanh tanh(sz).
fann_type fann_steepness(act a)
{
    return a == act::sigmoid ? 0.5f : 1.0f;
}

class fann_impl {
public:
    explicit fann_impl(problem const& p) : data_(&p)
    {
        spec const& s = p.net;
        std::vector<unsigned> widths(s.widths.begin(), s.widths.end());
        ann_ = fann_create_standard_array(unsigned(widths.size()), widths.data());
        for (std::size_t l = 0; l < s.layers(); ++l) {
            fann_set_activation_function_layer(ann_, fann_function(s.activation(l)), int(l + 1));
            fann_set_activation_steepness_layer(ann_, fann_steepness(s.activation(l)), int(l + 1));
        }
        fann_set_train_error_function(ann_, FANN_ERRORFUNC_LINEAR); // default TANH would reshape the error
        fann_set_learning_rate(ann_, learning_rate);
        fann_set_learning_momentum(ann_, 0.0f);
        fann_set_training_algorithm(ann_, FANN_TRAIN_BATCH);
        set_parameters(p.parameters);
        train_ = fann_create_train(unsigned(batch_train), unsigned(s.inputs()), unsigned(s.outputs()));
        for (std::size_t k = 0; k < batch_train; ++k) {
            std::copy(p.x(k), p.x(k) + s.inputs(), train_->input[k]);
            std::copy(p.t(k), p.t(k) + s.outputs(), train_->output[k]);
        }
        inputs_.assign(p.inputs.begin(), p.inputs.end());
        targets_.assign(p.targets.begin(), p.targets.end());
        batch_out_.resize(batch_infer * s.outputs());
    }
    fann_impl(fann_impl const&) = delete;
    fann_impl& operator=(fann_impl const&) = delete;
    ~fann_impl()
    {
        fann_destroy_train(train_);
        fann_destroy(ann_);
    }

    float const* infer1(std::size_t s) { return fann_run(ann_, inputs_.data() + s * data_->net.inputs()); }
    float const* infer_batch()
    {
        std::size_t const n = data_->net.outputs();
        for (std::size_t s = 0; s < batch_infer; ++s) {
            float const* y = fann_run(ann_, inputs_.data() + s * data_->net.inputs());
            std::copy(y, y + n, batch_out_.begin() + long(s * n));
        }
        return batch_out_.data();
    }
    void train1(std::size_t s)
    {
        fann_train(ann_, inputs_.data() + s * data_->net.inputs(), targets_.data() + s * data_->net.outputs());
    }
    void train_batch() { fann_train_epoch(ann_, train_); }

    std::vector<float> parameters() const
    {
        std::vector<float> out(data_->net.parameter_count());
        walk([&](std::size_t k, float& w) { out[k] = w; });
        return out;
    }

private:
    void set_parameters(std::vector<float> const& p)
    {
        walk([&](std::size_t k, float& w) { w = p[k]; });
    }
    // Visits every weight with its index in ctnn's layout. FANN keeps, per
    // neuron, its incoming connections (the previous layer's neurons, then
    // that layer's bias neuron); the connection tells which is which.
    template <class F>
    void walk(F f) const
    {
        spec const& s = data_->net;
        std::size_t offset = 0;
        fann_layer* layer = ann_->first_layer + 1;
        for (std::size_t l = 0; l < s.layers(); ++l, ++layer) {
            std::size_t const in = std::size_t(s.widths[l]);
            std::size_t const out = std::size_t(s.widths[l + 1]);
            fann_neuron* const prev = (layer - 1)->first_neuron;
            for (std::size_t o = 0; o < out; ++o) {
                fann_neuron const& n = layer->first_neuron[o];
                for (unsigned c = n.first_con; c < n.last_con; ++c) {
                    std::size_t const i = std::size_t(ann_->connections[c] - prev);
                    f(i == in ? offset + out * in + o : offset + o * in + i, ann_->weights[c]);
                }
            }
            offset += out * (in + 1);
        }
    }

    problem const* data_;
    fann* ann_ = nullptr;
    fann_train_data* train_ = nullptr;
    std::vector<float> inputs_, targets_, batch_out_;
};

// The reference for FANN's stand-in activations: the textbook MLP with them.
reference textbook_reference(problem const& p, std::vector<act> const& acts)
{
    reference r;
    textbook_mlp m(p, acts);
    float const* y = m.infer_batch();
    r.outputs.assign(y, y + batch_infer * p.net.outputs());
    m.train1(0);
    r.after_step = m.parameters();
    textbook_mlp b(p, acts);
    b.train_batch();
    r.after_batch = b.parameters();
    return r;
}

} // namespace

void register_fann()
{
    static std::vector<reference> substitutes(specs().size());
    for (std::size_t k = 0; k < specs().size(); ++k) {
        spec const& s = specs()[k];
        problem const& p = get_problem(s.name);
        reference const* ref = &get_reference(s.name);
        if (s.hidden == act::relu) {
            std::vector<act> acts;
            for (std::size_t l = 0; l < s.layers(); ++l) {
                acts.push_back(s.activation(l) == act::relu ? act::linear_piece : s.activation(l));
            }
            substitutes[k] = textbook_reference(p, acts);
            ref = &substitutes[k];
        }
        register_impl<fann_impl>("fann", p, *ref, [&p] { return std::make_unique<fann_impl>(p); });
    }
}

} // namespace bench
