#ifndef CTNN_BENCHMARK_EIGEN_MLP_HPP
#define CTNN_BENCHMARK_EIGEN_MLP_HPP

// An MLP written by hand in Eigen 3.4, as a user of Eigen would write it:
// fixed-size matrices (sizes in the type, like ctnn; weights column-major,
// Eigen's default, or row-major, ctnn's layout) or dynamic ones (MatrixXf),
// backpropagation in Eigen's expressions; batches are matrix-matrix products.
// Every buffer is allocated once, outside the timing, and products use
// noalias(). What happens to a layer's gradient is the caller's: an update
// object (see descend_in_place) receives each layer's error term δ and input
// as soon as backpropagation has them.

// D's first layer (128 × 784 floats) exceeds Eigen's limit for fixed-size
// objects on the stack; here they live on the heap (make_unique), so lift it.
#define EIGEN_STACK_ALLOCATION_LIMIT 0

#include "common.hpp"

#include <Eigen/Core>

#include <tuple>
#include <type_traits>
#include <utility>

namespace bench {

template <int In, int Out, act F>
struct layer_spec {};

// Weights column-major (Eigen's default) or row-major (ctnn's public layout).
// A vector-shaped weight matrix takes the only order Eigen allows for it.
template <int Rows, int Cols, bool RowMajor>
inline constexpr int weight_order =
    Cols == 1 ? Eigen::ColMajor : (Rows == 1 ? Eigen::RowMajor : (RowMajor ? Eigen::RowMajor : Eigen::ColMajor));

template <bool Fixed, bool RowMajor, int In, int Out, act F>
struct eigen_layer {
    static constexpr int rows = Fixed ? Out : Eigen::Dynamic;
    static constexpr int cols = Fixed ? In : Eigen::Dynamic;
    static constexpr int infer_cols = Fixed ? int(batch_infer) : Eigen::Dynamic;
    static constexpr int train_cols = Fixed ? int(batch_train) : Eigen::Dynamic;
    static constexpr act f = F;
    using weights_type = Eigen::Matrix<float, rows, cols, weight_order<Out, In, RowMajor>>;
    using vector_type = Eigen::Matrix<float, rows, 1>;

    // (Brace-initialising a fixed-size vector with its size would set its
    // coefficients, so everything is resized here; a no-op when fixed.)
    eigen_layer()
    {
        w.resize(Out, In);
        for (auto* v : {&b, &z, &a, &delta}) {
            v->resize(Out);
        }
        zi.resize(Out, int(batch_infer));
        for (auto* m : {&zt, &at, &deltat}) {
            m->resize(Out, int(batch_train));
        }
    }

    weights_type w;
    vector_type b, z, a, delta;
    Eigen::Matrix<float, rows, infer_cols> zi;
    Eigen::Matrix<float, rows, train_cols> zt, at, deltat;
};

template <act F, class Z, class A>
void activate(Z const& z, A& a)
{
    if constexpr (F == act::identity) {
        a = z;
    } else if constexpr (F == act::sigmoid) {
        a = ((-z.array()).exp() + 1.0f).inverse().matrix();
    } else if constexpr (F == act::tanh) {
        a = z.array().tanh().matrix();
    } else {
        a = z.cwiseMax(0.0f);
    }
}

// delta = g ⊙ f'(z), with a = f(z).
template <act F, class G, class Z, class A, class D>
void times_slope(G const& g, Z const& z, A const& a, D& delta)
{
    if constexpr (F == act::identity) {
        delta = g;
    } else if constexpr (F == act::sigmoid) {
        delta = (g.array() * a.array() * (1.0f - a.array())).matrix();
    } else if constexpr (F == act::tanh) {
        delta = (g.array() * (1.0f - a.array().square())).matrix();
    } else {
        delta = (g.array() * (z.array() > 0.0f).template cast<float>()).matrix();
    }
}

// Plain SGD fused into backpropagation, the form Eigen makes natural: W −= (η δ) xᵀ,
// b −= η δ, for one sample (`sample`) or the mean over a batch's columns (`batch`).
// Layer I is the template argument of both, for updates that keep state per layer.
struct descend_in_place {
    template <std::size_t I, class Layer, class Delta, class X>
    void sample(Layer& ly, Delta const& delta, X const& x) const
    {
        ly.w.noalias() -= (learning_rate * delta) * x.transpose();
        ly.b -= learning_rate * delta;
    }
    template <std::size_t I, class Layer, class Delta, class X>
    void batch(Layer& ly, Delta const& delta, X const& x) const
    {
        float const rate = learning_rate / float(batch_train);
        ly.w.noalias() -= (rate * delta) * x.transpose();
        ly.b -= rate * delta.rowwise().sum();
    }
};

template <bool Fixed, bool RowMajor, class... Specs>
class eigen_net;

template <bool Fixed, bool RowMajor, int... In, int... Out, act... F>
class eigen_net<Fixed, RowMajor, layer_spec<In, Out, F>...> {
    static constexpr std::size_t depth = sizeof...(In);
    static constexpr int inputs = std::get<0>(std::tuple{In...});
    static constexpr int outputs = std::get<depth - 1>(std::tuple{Out...});
    static constexpr int fixed_or_dynamic(int n) { return Fixed ? n : Eigen::Dynamic; }

public:
    using layers_type = std::tuple<eigen_layer<Fixed, RowMajor, In, Out, F>...>;

    explicit eigen_net(problem const& p)
    {
        x_.resize(inputs, int(batch_infer));
        t_.resize(outputs, int(batch_infer));
        std::size_t offset = 0;
        for_each_layer([&](auto& ly) {
            int const in = int(ly.w.cols()), out = int(ly.w.rows());
            for (int o = 0; o < out; ++o) {
                for (int i = 0; i < in; ++i) {
                    ly.w(o, i) = p.parameters[offset + std::size_t(o * in + i)];
                }
            }
            offset += std::size_t(out * in);
            for (int o = 0; o < out; ++o) {
                ly.b(o) = p.parameters[offset + std::size_t(o)];
            }
            offset += std::size_t(out);
        });
        for (int s = 0; s < int(batch_infer); ++s) {
            for (int i = 0; i < inputs; ++i) {
                x_(i, s) = p.x(std::size_t(s))[i];
            }
            for (int o = 0; o < outputs; ++o) {
                t_(o, s) = p.t(std::size_t(s))[o];
            }
        }
    }

    float const* infer1(std::size_t s)
    {
        forward1<0>(x_.col(long(s)));
        return std::get<depth - 1>(layers_).a.data();
    }
    float const* infer_batch()
    {
        forward_infer<0>(x_);
        return std::get<depth - 1>(layers_).zi.data(); // column-major: sample after sample
    }
    void train1(std::size_t s) { train1(s, descend_in_place{}); }
    void train_batch() { train_batch(0, descend_in_place{}); }
    /// One step on sample s; `update.sample<I>(layer, δ, x)` updates layer I.
    template <class Update>
    void train1(std::size_t s, Update&& update)
    {
        forward1<0>(x_.col(long(s)));
        auto& last = std::get<depth - 1>(layers_);
        times_slope<std::remove_reference_t<decltype(last)>::f>(last.a - t_.col(long(s)), last.z, last.a, last.delta);
        backward1<depth - 1>(x_.col(long(s)), update);
    }
    /// One step on samples first, ..., first + batch_train − 1; `update.batch<I>(layer, δ, x)`
    /// updates layer I from its batch's δ and inputs (a column per sample).
    template <class Update>
    void train_batch(std::size_t first, Update&& update)
    {
        auto const x = x_.middleCols(long(first), int(batch_train));
        forward_train<0>(x);
        auto& last = std::get<depth - 1>(layers_);
        times_slope<std::remove_reference_t<decltype(last)>::f>(last.at - t_.middleCols(long(first), int(batch_train)),
                                                                last.zt, last.at, last.deltat);
        backward_batch<depth - 1>(x, update);
    }
    std::vector<float> parameters()
    {
        std::vector<float> out;
        for_each_layer([&](auto& ly) {
            for (long o = 0; o < ly.w.rows(); ++o) {
                for (long i = 0; i < ly.w.cols(); ++i) {
                    out.push_back(ly.w(o, i));
                }
            }
            for (long o = 0; o < ly.b.rows(); ++o) {
                out.push_back(ly.b(o));
            }
        });
        return out;
    }

private:
    template <class Fn>
    void for_each_layer(Fn fn)
    {
        std::apply([&](auto&... ly) { (fn(ly), ...); }, layers_);
    }

    template <std::size_t I, class X>
    void forward1(X const& x)
    {
        auto& ly = std::get<I>(layers_);
        ly.z.noalias() = ly.w * x;
        ly.z += ly.b;
        activate<std::remove_reference_t<decltype(ly)>::f>(ly.z, ly.a);
        if constexpr (I + 1 < depth) {
            forward1<I + 1>(ly.a);
        }
    }
    template <std::size_t I, class X>
    void forward_infer(X const& x)
    {
        auto& ly = std::get<I>(layers_);
        ly.zi.noalias() = ly.w * x;
        ly.zi.colwise() += ly.b;
        activate<std::remove_reference_t<decltype(ly)>::f>(ly.zi, ly.zi); // element-wise, in place
        if constexpr (I + 1 < depth) {
            forward_infer<I + 1>(ly.zi);
        }
    }
    template <std::size_t I, class X>
    void forward_train(X const& x)
    {
        auto& ly = std::get<I>(layers_);
        ly.zt.noalias() = ly.w * x;
        ly.zt.colwise() += ly.b;
        activate<std::remove_reference_t<decltype(ly)>::f>(ly.zt, ly.at);
        if constexpr (I + 1 < depth) {
            forward_train<I + 1>(ly.at);
        }
    }
    // Layer I's delta is set; propagate it down (with the weights before the
    // update), then update layer I.
    template <std::size_t I, class X, class Update>
    void backward1(X const& x, Update& update)
    {
        auto& ly = std::get<I>(layers_);
        if constexpr (I > 0) {
            auto& prev = std::get<I - 1>(layers_);
            prev.delta.noalias() = ly.w.transpose() * ly.delta;
            times_slope<std::remove_reference_t<decltype(prev)>::f>(prev.delta, prev.z, prev.a, prev.delta);
            update.template sample<I>(ly, ly.delta, prev.a);
            backward1<I - 1>(x, update);
        } else {
            update.template sample<I>(ly, ly.delta, x);
        }
    }
    template <std::size_t I, class X, class Update>
    void backward_batch(X const& x, Update& update)
    {
        auto& ly = std::get<I>(layers_);
        if constexpr (I > 0) {
            auto& prev = std::get<I - 1>(layers_);
            prev.deltat.noalias() = ly.w.transpose() * ly.deltat;
            times_slope<std::remove_reference_t<decltype(prev)>::f>(prev.deltat, prev.zt, prev.at, prev.deltat);
            update.template batch<I>(ly, ly.deltat, prev.at);
            backward_batch<I - 1>(x, update);
        } else {
            update.template batch<I>(ly, ly.deltat, x);
        }
    }

    layers_type layers_;
    Eigen::Matrix<float, fixed_or_dynamic(inputs), fixed_or_dynamic(int(batch_infer))> x_;
    Eigen::Matrix<float, fixed_or_dynamic(outputs), fixed_or_dynamic(int(batch_infer))> t_;
};

} // namespace bench

#endif
