#ifndef CTNN_TOOLS_CTNN_IMPORT_GOLDEN_HPP
#define CTNN_TOOLS_CTNN_IMPORT_GOLDEN_HPP

// The golden check ctnn-import writes into a header: inputs, and for each
// output how far a correct import may lie from the graph's value. The
// tolerance is a bound on rounding errors (docs/import.md, "The golden
// check"), derived from the scalar types involved:
//
//   - a dense layer's sum of n products and the bias, computed in any order
//     (with or without fused multiply-adds), is off by at most
//     γ(n+1)·(Σ|w||x| + |b|), γ(k) = k·u / (1 − k·u), u the unit roundoff
//     (2^-24 for float, 2^-53 for double), plus Σ|w|·e where e bounds the
//     error of the layer's inputs;
//   - an activation f then passes the error of z on, multiplied by its
//     largest slope (1 for identity, relu, leaky_relu, tanh, softplus and
//     elu, 1/4 for sigmoid, 1.1 for swish (1.0998 at 2.40), 1.13 for gelu
//     (1.1290 at 1.42)), and adds its own: none for identity and relu (exact),
//     2·u·|f(z)| for leaky_relu (its slope rounded, one product), 8·u·|f(z)|
//     for the others (ctnn's functions are within 2.4 ulp, 4.8·u relative,
//     and swish's product adds one rounding), and for gelu 16·u·(|f(z)| + |z|)
//     (1 + tanh cancels for large negative z, an error relative to |z|); plus
//     the smallest normal number, for results that underflow;
//   - softmax's output i moves by at most 2·y_i times the largest error of z,
//     and its own error is (n + 8 + |z_i − max z|)·u·y_i (the exponentials,
//     the sum of n terms, the division; exp's error grows with its argument);
//   - ONNX stores LeakyRelu's alpha as a float: in a double network (0.01
//     exactly) the difference |0.01 − float(0.01)|·|z| (2·10⁻¹⁰·|z|) is added.
//
// The bound is evaluated along the network for the scalar type of the header
// (ctnn's computation) and for double (ctnn-import's own evaluation of the
// graph), and the tolerance is twice their sum: the factor covers the
// first-order reasoning above.

#include <ctnn/activation.hpp>
#include <ctnn/io/network_description.hpp>
#include <ctnn/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

namespace ctnn_import {

/// `count` inputs of `width` values: multiples of 1/16 in [−2, 2], exact in
/// float and double, from a fixed sequence (the same header every run).
inline std::vector<std::vector<double>> golden_inputs(std::size_t count, std::size_t width)
{
    std::vector<std::vector<double>> inputs(count, std::vector<double>(width));
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (auto& input : inputs) {
        for (double& v : input) {
            // splitmix64
            state += 0x9E3779B97F4A7C15ULL;
            std::uint64_t z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            z ^= z >> 31;
            v = static_cast<double>(static_cast<std::int64_t>(z % 65) - 32) / 16.0;
        }
    }
    return inputs;
}

namespace detail {

// An element-wise activation's value, by ctnn's name: ctnn's own function in
// double (the bound needs the values' magnitudes, not their last bits).
inline double activation_value(std::string const& name, double z)
{
    double a = z;
    [&]<class... Act>(std::tuple<Act...> const*) {
        auto value = [&]<class A>(A const*) {
            if constexpr (ctnn::is_activation_v<A>) {
                if (name == ctnn::activation_name<A>::value) {
                    a = A::value(z);
                }
            }
        };
        (value(static_cast<Act const*>(nullptr)), ...);
    }(static_cast<ctnn::builtin_activations const*>(nullptr));
    return a;
}

// The largest slope of an element-wise activation.
inline double largest_slope(std::string const& name)
{
    if (name == "sigmoid") return 0.25;
    if (name == "swish") return 1.1;
    if (name == "gelu") return 1.13;
    return 1.0;
}

// An element-wise activation's own error at z (a = f(z)) with unit roundoff u.
inline double own_error(std::string const& name, double a, double z, double u)
{
    if (name == "identity" || name == "relu") return 0.0;
    if (name == "leaky_relu") return 2 * u * std::abs(a);
    if (name == "gelu") return 16 * u * (std::abs(a) + std::abs(z));
    return 8 * u * std::abs(a);
}

inline double gamma(std::size_t k, double u)
{
    double const ku = static_cast<double>(k) * u;
    return ku / (1 - ku);
}

} // namespace detail

/// The network's outputs at `x`, evaluated in double, and a bound on the
/// rounding error of computing them with unit roundoff `u` and smallest
/// normal number `tiny` (see the top of this file).
struct bounded_outputs {
    std::vector<double> value;
    std::vector<double> error;
};

inline bounded_outputs bound_outputs(ctnn::io::network_description<double> const& net, std::vector<double> const& x,
                                     double u, double tiny, double leaky_slope_gap)
{
    std::vector<double> value = x;
    std::vector<double> error(x.size(), 0.0);
    std::size_t begin = 0;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        auto const& layer = net.layers[l];
        if (layer.is_dropout()) {
            continue;
        }
        std::size_t const in = value.size();
        std::size_t const units = layer.units;
        double const* w = net.parameters.data() + begin;
        double const* b = w + units * in;
        begin += units * (in + 1);
        std::vector<double> z(units);
        std::vector<double> ez(units);
        for (std::size_t o = 0; o < units; ++o) {
            double sum = b[o];
            double magnitude = std::abs(b[o]);
            double carried = 0.0;
            for (std::size_t i = 0; i < in; ++i) {
                sum += w[o * in + i] * value[i];
                magnitude += std::abs(w[o * in + i] * value[i]);
                carried += std::abs(w[o * in + i]) * error[i];
            }
            z[o] = sum;
            ez[o] = carried + detail::gamma(in + 1, u) * magnitude;
        }
        std::vector<double> a(units);
        std::vector<double> ea(units);
        if (layer.activation == "softmax") {
            double const top = *std::max_element(z.begin(), z.end());
            double const worst = *std::max_element(ez.begin(), ez.end());
            double total = 0.0;
            for (std::size_t o = 0; o < units; ++o) {
                total += std::exp(z[o] - top);
            }
            for (std::size_t o = 0; o < units; ++o) {
                a[o] = std::exp(z[o] - top) / total;
                ea[o] = 2 * a[o] * worst + (static_cast<double>(units) + 8 + (top - z[o])) * u * a[o] + tiny;
            }
        } else {
            for (std::size_t o = 0; o < units; ++o) {
                a[o] = detail::activation_value(layer.activation, z[o]);
                ea[o] = detail::largest_slope(layer.activation) * ez[o] +
                        detail::own_error(layer.activation, a[o], z[o], u) + tiny +
                        (layer.activation == "leaky_relu" && z[o] < 0 ? leaky_slope_gap * -z[o] : 0.0);
            }
        }
        value = std::move(a);
        error = std::move(ea);
    }
    return {value, error};
}

/// The tolerance of each output at `x` for a header of scalar type T.
template <class T>
std::vector<double> golden_tolerance(ctnn::io::network_description<double> const& net, std::vector<double> const& x)
{
    // ctnn's leaky_relu slope in T, against the float that ONNX's LeakyRelu holds.
    double const slope = -ctnn::leaky_relu::value(-1.0);
    double const gap = std::abs(static_cast<double>(static_cast<T>(slope)) - static_cast<double>(static_cast<float>(slope)));
    auto const header = bound_outputs(net, x, std::numeric_limits<T>::epsilon() / 2, std::numeric_limits<T>::min(), gap);
    auto const graph = bound_outputs(net, x, std::numeric_limits<double>::epsilon() / 2,
                                     std::numeric_limits<double>::min(), 0.0);
    std::vector<double> tolerance(header.error.size());
    for (std::size_t i = 0; i < tolerance.size(); ++i) {
        tolerance[i] = 2 * (header.error[i] + graph.error[i]);
    }
    return tolerance;
}

} // namespace ctnn_import

#endif
