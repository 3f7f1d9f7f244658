// The lane form of the math (detail/math_float.hpp's lane_traits): the one
// definition of sigmoid (float, double) and of tanh (float) evaluated over
// generic vectors, as the dense layers' activation does at run time, against
// the same definition evaluated one scalar at a time, bit for
// bit: special values (NaN of both signs, infinities, signed zeros,
// subnormals, the ends of exp's range, tanh's branch point and saturation), a
// sweep over the whole float range, and the layer-level path for every width
// up to past three 16-byte vectors (every padding remainder) and around one,
// two and three of the target's widest vectors, at run time and in
// constant evaluation. The sweep runs over 16-byte vectors, the target's
// widest, and 32-byte ones where the widest are 64: float's table lookup
// takes a different path at each width (detail::lookup_sixteen). Built with
// -ffp-contract=off (as predict_test): the equality is claimed under one
// contraction setting for both paths.

#define BOOST_TEST_MODULE activation_lanes
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

// An activation with a lane form (Fn: its lane and scalar forms, and the
// layer activation that uses them), for value type T.
template <class Fn, class T>
struct lane_case {
    using fn = Fn;
    using value_type = T;
};
struct sigmoid_fn {
    using activation = ctnn::sigmoid;
    static constexpr auto lanes = [](auto v) { return ctnn::detail::sigmoid_lanes(v); };
    static constexpr auto scalar = [](auto x) { return ctnn::math::sigmoid(x); };
};
struct tanh_fn {
    using activation = ctnn::tanh;
    static constexpr auto lanes = [](auto v) { return ctnn::detail::tanh_float_lanes(v); };
    static constexpr auto scalar = [](auto x) { return ctnn::math::tanh(x); };
};
using cases = std::tuple<lane_case<sigmoid_fn, float>, lane_case<sigmoid_fn, double>, lane_case<tanh_fn, float>>;

template <class T>
using bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
bool same_bits(T a, T b)
{
    return std::bit_cast<bits_t<T>>(a) == std::bit_cast<bits_t<T>>(b);
}

template <class T>
std::vector<T> special_values()
{
    using lim = std::numeric_limits<T>;
    using fmt = ctnn::detail::float_format<T>;
    std::vector<T> v = {T(0),
                        -T(0),
                        T(1),
                        -T(1),
                        T(0.5),
                        -T(0.5),
                        T(4),
                        -T(4),
                        T(20),
                        -T(20),
                        T(40),
                        -T(40),
                        lim::denorm_min(),
                        -lim::denorm_min(),
                        lim::min(),
                        -lim::min(),
                        lim::epsilon(),
                        -lim::epsilon(),
                        lim::max(),
                        -lim::max(),
                        lim::infinity(),
                        -lim::infinity(),
                        lim::quiet_NaN(),
                        -lim::quiet_NaN(),
                        std::bit_cast<T>(std::bit_cast<bits_t<T>>(lim::quiet_NaN()) | 1)}; // a payload
    // exp's clamp bounds (where sigmoid's select switches), tanh's saturation
    // and float tanh's branch point, and their neighbours.
    std::vector<T> edges = {fmt::exp_lo, -fmt::exp_lo, fmt::exp_hi, -fmt::exp_hi, fmt::tanh_saturation,
                            -fmt::tanh_saturation};
    if constexpr (std::is_same_v<T, float>) {
        edges.push_back(ctnn::detail::tanh_split);
        edges.push_back(-ctnn::detail::tanh_split);
    }
    for (T const edge : edges) {
        v.push_back(edge);
        T up = edge;
        T down = edge;
        for (int i = 0; i < 3; ++i) {
            up = std::nextafter(up, lim::infinity());
            down = std::nextafter(down, -lim::infinity());
            v.push_back(up);
            v.push_back(down);
        }
    }
    return v;
}

#if CTNN_DETAIL_GENERIC_VECTORS
// Counts the lanes of Fn's lane form over xs (a vector of `Bytes` at a time,
// the last one padded) that differ from its scalar form in any bit. 16 bytes,
// and the target's widest vectors: their table lookups take other paths.
template <class Fn, class T, std::size_t Bytes = 16>
std::size_t lane_mismatches(std::vector<T> const& xs)
{
    constexpr std::size_t lanes = Bytes / sizeof(T);
    using vec = ctnn::detail::vector_t<T, lanes>;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < xs.size(); i += lanes) {
        vec v{};
        for (std::size_t l = 0; l < lanes; ++l) {
            v[l] = xs[i + l < xs.size() ? i + l : xs.size() - 1];
        }
        vec const y = Fn::lanes(v);
        for (std::size_t l = 0; l < lanes && i + l < xs.size(); ++l) {
            T const expected = Fn::scalar(T(v[l]));
            if (!same_bits(T(y[l]), expected)) {
                if (bad++ < 5) {
                    BOOST_TEST_MESSAGE("x = " << v[l] << ": lanes " << y[l] << ", scalar " << expected);
                }
            }
        }
    }
    return bad;
}
#endif

} // namespace

#if CTNN_DETAIL_GENERIC_VECTORS
BOOST_AUTO_TEST_CASE_TEMPLATE(lanes_special_values, Case, cases)
{
    using T = typename Case::value_type;
    using Fn = typename Case::fn;
    auto const xs = special_values<T>();
    BOOST_TEST(lane_mismatches<Fn>(xs) == 0u);
    // Each value in every lane position too (the others NaN, inf: no cross-lane effect).
    std::vector<T> shifted;
    for (T const x : xs) {
        for (std::size_t l = 0; l < 16 / sizeof(T); ++l) {
            for (std::size_t k = 0; k < 16 / sizeof(T); ++k) {
                shifted.push_back(k == l ? x : (k % 2 == 0 ? std::numeric_limits<T>::quiet_NaN()
                                                           : -std::numeric_limits<T>::infinity()));
            }
        }
    }
    BOOST_TEST(lane_mismatches<Fn>(shifted) == 0u);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(lanes_sweep, Case, cases)
{
    using T = typename Case::value_type;
    using Fn = typename Case::fn;
    // Every 97th representable value from -inf to +inf (float), an evenly spaced
    // sample of the same range (double).
    using bits = bits_t<T>;
    constexpr bits sign = bits{1} << (sizeof(T) * 8 - 1);
    auto const ordered = [](T x) {
        bits const b = std::bit_cast<bits>(x);
        return (b & sign) != 0 ? static_cast<bits>(~b) : static_cast<bits>(b | sign);
    };
    auto const unordered = [](bits k) {
        return std::bit_cast<T>((k & sign) != 0 ? static_cast<bits>(k & ~sign) : static_cast<bits>(~k));
    };
    bits const klo = ordered(-std::numeric_limits<T>::infinity());
    bits const khi = ordered(std::numeric_limits<T>::infinity());
    std::uint64_t const stride = sizeof(T) == 4 ? 97 : (std::uint64_t{1} << 42) + 97;
    std::vector<T> xs;
    for (std::uint64_t i = 0; i <= static_cast<std::uint64_t>(khi - klo); i += stride) {
        xs.push_back(unordered(static_cast<bits>(klo + i)));
    }
    BOOST_TEST(lane_mismatches<Fn>(xs) == 0u);
    BOOST_TEST((lane_mismatches<Fn, T, CTNN_DETAIL_NATIVE_VECTOR_BYTES>(xs)) == 0u);
    if constexpr (CTNN_DETAIL_NATIVE_VECTOR_BYTES > 32) {
        BOOST_TEST((lane_mismatches<Fn, T, 32>(xs)) == 0u);
    }
}
#endif

namespace {

// activate<Act> over N values (the layer-level path: vectors at run time)
// against Act::value one at a time.
template <class Act, class T, std::size_t N>
constexpr std::array<T, N> layer_values(std::array<T, N> const& z)
{
    std::array<T, N> a{};
    ctnn::detail::activate<Act>(z, a);
    return a;
}

template <class T, std::size_t N>
constexpr std::array<T, N> inputs(std::size_t offset)
{
    std::array<T, N> z{};
    for (std::size_t i = 0; i < N; ++i) {
        z[i] = T(-9.75) + T(2.375) * T((i + offset) % 9); // both signs, exact
    }
    return z;
}

template <class Act, class T, std::size_t N>
void check_layer_width()
{
    auto const specials = special_values<T>();
    for (std::size_t start = 0; start < specials.size(); ++start) {
        std::array<T, N> z{};
        for (std::size_t i = 0; i < N; ++i) {
            z[i] = specials[(start + i) % specials.size()];
        }
        std::array<T, N> in_place = z;
        auto const a = layer_values<Act>(z);
        ctnn::detail::activate<Act>(in_place, in_place); // an inference pass's aliasing
        for (std::size_t i = 0; i < N; ++i) {
            T const expected = Act::value(z[i]);
            BOOST_TEST(same_bits(a[i], expected), "width " << N << ", x = " << z[i]);
            BOOST_TEST(same_bits(in_place[i], expected), "width " << N << " in place, x = " << z[i]);
        }
    }
    // Constant evaluation (the scalar definition) against run time.
    constexpr auto compile_time = layer_values<Act>(inputs<T, N>(N));
    auto const run_time = layer_values<Act>(inputs<T, N>(N));
    for (std::size_t i = 0; i < N; ++i) {
        BOOST_TEST(same_bits(run_time[i], compile_time[i]), "width " << N << ", element " << i);
    }
}

template <class Act, class T, std::size_t... N>
void check_layer_widths(std::index_sequence<N...>)
{
    (check_layer_width<Act, T, N + 1>(), ...);
}

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(layer_every_width, Case, cases)
{
    using T = typename Case::value_type;
    // Every width up to three 16-byte vectors and one more (every padding
    // remainder, the vector growing from 16 bytes to the native width), then
    // around one, two and three of the target's widest vectors (whole vectors
    // followed by a padded one). Each width costs compile time (its constant
    // evaluation), so not every width up to three native vectors.
    constexpr std::size_t lanes = CTNN_DETAIL_NATIVE_VECTOR_BYTES / sizeof(T);
    using activation = typename Case::fn::activation;
    check_layer_widths<activation, T>(std::make_index_sequence<3 * 16 / sizeof(T) + 1>{});
    check_layer_width<activation, T, lanes - 1>();
    check_layer_width<activation, T, lanes>();
    check_layer_width<activation, T, lanes + 1>();
    check_layer_width<activation, T, 2 * lanes + 1>();
    check_layer_width<activation, T, 3 * lanes - 1>();
    check_layer_width<activation, T, 3 * lanes + 1>();
}

// Activations built on sigmoid and tanh, whose expressions are evaluated over
// lanes (detail/lane_evaluate.hpp) in the layers and, where the slope has a
// sigmoid, in the backward pass too: the same bits as one scalar evaluation at
// a time, forward and slopes, on each vector path. swish, and an expression
// of every node kind the lane form knows (gelu is tanh and arithmetic, as
// that one is; each activation instantiated costs compile time, its
// derivative built symbolically).
namespace {

using namespace ctnn::sym;
// Every node kind the lane form knows: constants, + - * /, negation, powers.
inline constexpr auto mixed_expression = -pow<3>(x) / (2 + sigmoid(x)) - 0.5 * tanh(x);
using mixed = ctnn::activation<mixed_expression>;
// Built on tanh alone (as gelu is): its layers take the lane form, its slope does not.
inline constexpr auto tanh_only_expression = x * tanh(x) + pow<2>(x) / 4;
using tanh_only = ctnn::activation<tanh_only_expression>;

static_assert(ctnn::detail::has_lane_activation<ctnn::swish, float>);
static_assert(ctnn::detail::has_lane_activation<ctnn::swish, double>);
static_assert(ctnn::detail::has_lane_activation<mixed, float>);
static_assert(!ctnn::detail::has_lane_activation<mixed, double>); // no lane form of double's tanh
static_assert(ctnn::detail::has_lane_activation<tanh_only, float>);
static_assert(!ctnn::detail::has_lane_slope<tanh_only, float>);
static_assert(!ctnn::detail::has_lane_activation<ctnn::elu, float>);  // select, exp
static_assert(!ctnn::detail::has_lane_activation<ctnn::relu, float>); // its own path
static_assert(ctnn::detail::has_lane_slope<ctnn::swish, float>);
static_assert(ctnn::detail::has_lane_slope<mixed, float>);
static_assert(!ctnn::detail::has_lane_slope<ctnn::sigmoid, float>); // y (1 - y): arithmetic
static_assert(!ctnn::detail::has_lane_slope<ctnn::tanh, float>);    // 1 - y^2

template <class Act, class T>
struct expression_case {
    using activation = Act;
    using value_type = T;
};
using expression_cases = std::tuple<expression_case<ctnn::swish, float>, expression_case<ctnn::swish, double>,
                                    expression_case<mixed, float>, expression_case<tanh_only, float>>;

// activation_slopes<Act, N> (lanes at run time) against g Act'(z) one value at
// a time, for z from special values and a spread, a = Act(z).
template <class Act, class T, std::size_t N>
void check_slopes()
{
    auto const specials = special_values<T>();
    std::array<T, N> z{}, a{}, g{}, delta{};
    for (std::size_t i = 0; i < N; ++i) {
        z[i] = i % 3 == 0 ? specials[(7 * i) % specials.size()] : T(-6) + T(0.37) * T(i);
        a[i] = Act::value(z[i]);
        g[i] = T(0.75) - T(0.125) * T(i % 11);
    }
    ctnn::detail::activation_slopes<Act, N>(z.data(), a.data(), g.data(), delta.data());
    for (std::size_t i = 0; i < N; ++i) {
        T const expected = g[i] * Act::slope(z[i], a[i]);
        BOOST_TEST(same_bits(delta[i], expected), "width " << N << ", z = " << z[i]);
    }
}

template <class Act, class T, std::size_t... N>
void check_slope_widths(std::index_sequence<N...>)
{
    (check_slopes<Act, T, N>(), ...);
}

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(expression_activations_every_path, Case, expression_cases)
{
    // Widths that take each path once (each width costs compile time: its
    // constant evaluation): a padded 16-byte vector, a padded 32-byte one,
    // whole native vectors and a padded one; slopes below one vector, at
    // 16 and 32 bytes with and without a rest, and native vectors.
    using T = typename Case::value_type;
    using Act = typename Case::activation;
    constexpr std::size_t lanes = CTNN_DETAIL_NATIVE_VECTOR_BYTES / sizeof(T);
    check_layer_width<Act, T, 3>();
    check_layer_width<Act, T, 32 / sizeof(T) - 1>();
    check_layer_width<Act, T, lanes + 1>();
    check_layer_width<Act, T, 2 * lanes + 3>();
    check_slope_widths<Act, T>(std::index_sequence<1, 16 / sizeof(T), 16 / sizeof(T) + 1, 32 / sizeof(T) + 3, lanes,
                                                    3 * lanes + 5>{});
}

namespace {

// Arguments across the whole reach of float sigmoid's exp reduction (n = round(16 |x| log2e)
// from 0 down to -2401, 2^(m + 64) from 2^64 down to 2^-87), where the layer inputs of
// check_layer_width do not go.
constexpr std::array<float, 12> far_inputs = {-103.97f, -103.9f, -95.5f, -87.5f, -87.3f, -50.25f,
                                              -20.0f,   -3.3f,   0.01f,  7.5f,   60.0f,  103.9f};

template <class Act>
constexpr std::array<float, far_inputs.size()> far_slopes()
{
    auto const a = layer_values<Act>(far_inputs);
    std::array<float, far_inputs.size()> g{}, delta{};
    for (std::size_t i = 0; i < g.size(); ++i) {
        g[i] = 0.5f + 0.25f * static_cast<float>(i % 3);
    }
    ctnn::detail::activation_slopes<Act, far_inputs.size()>(far_inputs.data(), a.data(), g.data(), delta.data());
    return delta;
}

} // namespace

BOOST_AUTO_TEST_CASE(constant_evaluation_across_the_exp_range)
{
    // Constant evaluation (the scalar definition) against run time (the lanes), bit for bit.
    constexpr auto sigmoid_ct = layer_values<ctnn::sigmoid>(far_inputs);
    constexpr auto swish_ct = layer_values<ctnn::swish>(far_inputs);
    constexpr auto swish_slopes_ct = far_slopes<ctnn::swish>();
    auto const sigmoid_rt = layer_values<ctnn::sigmoid>(far_inputs);
    auto const swish_rt = layer_values<ctnn::swish>(far_inputs);
    auto const swish_slopes_rt = far_slopes<ctnn::swish>();
    for (std::size_t i = 0; i < far_inputs.size(); ++i) {
        BOOST_TEST(same_bits(sigmoid_rt[i], sigmoid_ct[i]), "sigmoid at " << far_inputs[i]);
        BOOST_TEST(same_bits(swish_rt[i], swish_ct[i]), "swish at " << far_inputs[i]);
        BOOST_TEST(same_bits(swish_slopes_rt[i], swish_slopes_ct[i]), "swish's slope at " << far_inputs[i]);
    }
}
