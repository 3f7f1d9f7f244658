#ifndef CTNN_BENCHMARK_TEXTBOOK_HPP
#define CTNN_BENCHMARK_TEXTBOOK_HPP

// The "textbook" baseline: an MLP as a std::vector of layers, sizes known
// only at run time, each layer's weights a std::vector<float> row-major
// [out][in], plain loops, activations chosen by a switch.

#include "common.hpp"

#include <utility>

namespace bench {

class textbook_mlp {
public:
    explicit textbook_mlp(problem const& p, std::vector<act> activations = {}) : data_(&p)
    {
        spec const& s = p.net;
        std::size_t offset = 0;
        for (std::size_t l = 0; l < s.layers(); ++l) {
            layer ly;
            ly.in = std::size_t(s.widths[l]);
            ly.out = std::size_t(s.widths[l + 1]);
            ly.f = activations.empty() ? s.activation(l) : activations[l];
            ly.w.assign(p.parameters.begin() + long(offset), p.parameters.begin() + long(offset + ly.in * ly.out));
            offset += ly.in * ly.out;
            ly.b.assign(p.parameters.begin() + long(offset), p.parameters.begin() + long(offset + ly.out));
            offset += ly.out;
            ly.z.resize(ly.out);
            ly.a.resize(ly.out);
            ly.delta.resize(ly.out);
            ly.gw.resize(ly.w.size());
            ly.gb.resize(ly.out);
            layers_.push_back(std::move(ly));
        }
        batch_out_.resize(batch_infer * s.outputs());
    }

    float const* infer1(std::size_t s) { return forward(data_->x(s)); }
    float const* infer_batch()
    {
        std::size_t const n = data_->net.outputs();
        for (std::size_t s = 0; s < batch_infer; ++s) {
            float const* y = forward(data_->x(s));
            std::copy(y, y + n, batch_out_.begin() + long(s * n));
        }
        return batch_out_.data();
    }
    // Plain SGD, an update for train1 and train_batch: p −= η · scale · g.
    struct descend {
        void operator()(std::vector<float>& p, std::vector<float> const& g, float scale, std::size_t) const
        {
            float const rate = learning_rate * scale;
            for (std::size_t k = 0; k < p.size(); ++k) {
                p[k] -= rate * g[k];
            }
        }
    };

    void train1(std::size_t s) { train1(s, descend{}); }
    void train_batch() { train_batch(0, descend{}); }
    /// One step on sample s: `update(p, g, scale, offset)` updates each weight
    /// and bias vector p from its gradient g (scale 1), offset being p's place in
    /// ctnn's layout (for updates that keep state per parameter).
    template <class Update>
    void train1(std::size_t s, Update&& update)
    {
        zero_gradients();
        accumulate(s);
        apply_update(update, 1.0f);
    }
    /// One step on the mean gradient of samples first, ..., first + batch_train − 1:
    /// `update` as for train1, g the gradients' sum and scale 1/batch_train.
    template <class Update>
    void train_batch(std::size_t first, Update&& update)
    {
        zero_gradients();
        for (std::size_t s = first; s < first + batch_train; ++s) {
            accumulate(s);
        }
        apply_update(update, 1.0f / float(batch_train));
    }
    std::vector<float> parameters() const
    {
        std::vector<float> p;
        for (layer const& ly : layers_) {
            p.insert(p.end(), ly.w.begin(), ly.w.end());
            p.insert(p.end(), ly.b.begin(), ly.b.end());
        }
        return p;
    }

private:
    struct layer {
        std::size_t in = 0, out = 0;
        act f = act::identity;
        std::vector<float> w, b, z, a, delta, gw, gb;
    };

    float const* forward(float const* x)
    {
        for (layer& ly : layers_) {
            for (std::size_t o = 0; o < ly.out; ++o) {
                float sum = ly.b[o];
                for (std::size_t i = 0; i < ly.in; ++i) {
                    sum += ly.w[o * ly.in + i] * x[i];
                }
                ly.z[o] = sum;
                ly.a[o] = apply(ly.f, sum);
            }
            x = ly.a.data();
        }
        return x;
    }
    template <class Update>
    void apply_update(Update& update, float scale)
    {
        std::size_t offset = 0;
        for (layer& ly : layers_) {
            update(ly.w, std::as_const(ly.gw), scale, offset);
            offset += ly.w.size();
            update(ly.b, std::as_const(ly.gb), scale, offset);
            offset += ly.b.size();
        }
    }
    void zero_gradients()
    {
        for (layer& ly : layers_) {
            std::fill(ly.gw.begin(), ly.gw.end(), 0.0f);
            std::fill(ly.gb.begin(), ly.gb.end(), 0.0f);
        }
    }
    // Adds the gradient of ½Σ(y − t)² at sample s.
    void accumulate(std::size_t s)
    {
        forward(data_->x(s));
        float const* t = data_->t(s);
        layer& last = layers_.back();
        for (std::size_t o = 0; o < last.out; ++o) {
            last.delta[o] = (last.a[o] - t[o]) * slope(last.f, last.z[o], last.a[o]);
        }
        for (std::size_t l = layers_.size(); l-- > 0;) {
            layer& ly = layers_[l];
            float const* x = l == 0 ? data_->x(s) : layers_[l - 1].a.data();
            for (std::size_t o = 0; o < ly.out; ++o) {
                for (std::size_t i = 0; i < ly.in; ++i) {
                    ly.gw[o * ly.in + i] += ly.delta[o] * x[i];
                }
                ly.gb[o] += ly.delta[o];
            }
            if (l > 0) {
                layer& prev = layers_[l - 1];
                for (std::size_t i = 0; i < ly.in; ++i) {
                    float sum = 0.0f;
                    for (std::size_t o = 0; o < ly.out; ++o) {
                        sum += ly.w[o * ly.in + i] * ly.delta[o];
                    }
                    prev.delta[i] = sum * slope(prev.f, prev.z[i], prev.a[i]);
                }
            }
        }
    }

    problem const* data_;
    std::vector<layer> layers_;
    std::vector<float> batch_out_;
};

} // namespace bench

#endif
