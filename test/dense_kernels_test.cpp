// The dense layer's kernels against their scalar definitions, bit for bit
// (this file is compiled with -ffp-contract=off, so neither side fuses a
// product into a sum): the forward product (detail::matvec_bias, whose
// run-time form blocks rows in sixteens, eights, fours, pairs and singles,
// packs short rows several per vector, and reads long rows two at a time)
// against detail::dot_row_scalar row by row; the SGD update
// (detail::rank1_descent), and its skipping of idle rows: which activations
// enable it and what it leaves alone.

#define BOOST_TEST_MODULE dense_kernels
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>

namespace {

namespace sym = ctnn::sym;

// Clipped to [-1, 1]: zero slope beyond the limits, like ReLU below 0.
inline constexpr auto hard_tanh_expr =
    sym::select(sym::x > 1, 1 + 0 * sym::x, sym::select(sym::x < -1, -1 + 0 * sym::x, sym::x));
using hard_tanh = ctnn::activation<hard_tanh_expr>;

static_assert(ctnn::detail::often_idle<ctnn::relu, float>);
static_assert(ctnn::detail::often_idle<hard_tanh, double>);
static_assert(!ctnn::detail::often_idle<ctnn::leaky_relu, float>);
static_assert(!ctnn::detail::often_idle<ctnn::identity, float>);
static_assert(!ctnn::detail::often_idle<ctnn::sigmoid, float>);
static_assert(!ctnn::detail::often_idle<ctnn::tanh, float>);
static_assert(!ctnn::detail::often_idle<ctnn::elu, float>);
static_assert(!ctnn::detail::often_idle<ctnn::softmax, float>);
// Defined only for x >= 0: not probed (its slope has no select), so asking
// does not evaluate it at negative inputs, which would end constant
// evaluation with NaN arithmetic.
inline constexpr auto root_expr = sym::sqrt(sym::x);
using root = ctnn::activation<root_expr>;
static_assert(!ctnn::detail::often_idle<root, float>);
static_assert(!ctnn::detail::often_idle<root, double>);

// Deterministic values in [-1, 1) without a generator.
float value(std::size_t i, std::size_t salt)
{
    return std::sin(float(i) * 0.731f + float(salt) * 1.37f);
}

// An array of value(i, salt).
template <std::size_t N>
std::array<float, N> values(std::size_t salt)
{
    std::array<float, N> a{};
    for (std::size_t i = 0; i < N; ++i) {
        a[i] = value(i, salt);
    }
    return a;
}

bool same_bits(float a, float b)
{
    return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

// m −= (rate u) vᵀ at run time (vector path where there is one) against the
// scalar definition; every third row's u is zero.
template <std::size_t In, std::size_t Out, bool SkipIdle>
void check_descent_shape()
{
    auto const m = values<Out * In>(1);
    auto u = values<Out>(2);
    for (std::size_t o = 1; o < Out; o += 3) {
        u[o] = 0.0f;
    }
    auto const v = values<In>(3);
    auto expected = m;
    ctnn::detail::rank1_descent_scalar<float, In, Out>(expected.data(), u.data(), v.data(), 0.3f);
    auto actual = m;
    ctnn::detail::rank1_descent<float, In, Out, SkipIdle>(actual.data(), u.data(), v.data(), 0.3f);
    std::size_t mismatches = 0;
    std::size_t changed = 0;
    for (std::size_t k = 0; k < m.size(); ++k) {
        mismatches += same_bits(actual[k], expected[k]) ? 0u : 1u;
        changed += actual[k] != m[k] ? 1u : 0u;
    }
    BOOST_TEST(mismatches == 0u, "In " << In << ", Out " << Out << ", skip " << SkipIdle);
    BOOST_TEST(changed > 0u); // the update did something
}

// z = W x + b at run time (the vector path where there is one) against each
// row's sum by the scalar definition.
template <std::size_t In, std::size_t Out>
void check_matvec_shape()
{
    auto const w = values<Out * In>(6);
    auto const x = values<In>(7);
    auto const b = values<Out>(8);
    std::array<float, Out> z{};
    ctnn::detail::matvec_bias<float, In, Out>(w.data(), x, b.data(), z);
    std::size_t mismatches = 0;
    for (std::size_t o = 0; o < Out; ++o) {
        float const expected = ctnn::detail::dot_row_scalar<float, In>(w.data() + o * In, x.data(), b[o]);
        mismatches += same_bits(z[o], expected) ? 0u : 1u;
    }
    BOOST_TEST(mismatches == 0u, "In " << In << ", Out " << Out);
}

// Every row length In against Out rows.
template <std::size_t Out, std::size_t... In>
void check_matvec_lengths(std::index_sequence<In...>)
{
    (check_matvec_shape<In, Out>(), ...);
}

// Rows of 1 to 3 (the compiler's loop), 4 and 8 (packed several per vector in
// blocks of 16 rows), 5 and 12 (a tail after the lanes), 16, 32 and 33 (one to
// two vectors), 64, and long rows, read two at a time on AVX and AVX-512: 256
// (four-vector lanes), 300 (a tail of whole vectors, then single values, at
// every vector width) and 784 (D's rows: one vector of tail).
using matvec_lengths = std::index_sequence<1, 2, 3, 4, 5, 8, 12, 16, 32, 33, 64, 256, 300, 784>;

template <std::size_t... Out>
void check_matvec_rows()
{
    (check_matvec_lengths<Out>(matvec_lengths{}), ...);
}

template <std::size_t In, std::size_t Out>
void check_descent_both()
{
    check_descent_shape<In, Out, false>();
    check_descent_shape<In, Out, true>();
}

} // namespace

// Row counts that exercise each blocking: a pair and a single (3); 16, 8, 4,
// 2 and 1 rows (31); two blocks of 16, a pair and a single (35).
BOOST_AUTO_TEST_CASE(matvec_bias_matches_its_definition)
{
    check_matvec_rows<3, 31, 35>();
}

// Row lengths below, at and above one vector, with remainders, and long
// enough for skipping (at least detail::skip_row_bytes).
BOOST_AUTO_TEST_CASE(rank1_descent_matches_its_definition)
{
    check_descent_both<4, 3>();
    check_descent_both<4, 35>(); // packed four rows per vector of 16, in blocks of 16 rows, then 3 rows
    check_descent_both<8, 35>(); // packed two rows per vector
    check_descent_both<16, 5>();
    check_descent_both<37, 6>();
    check_descent_both<64, 33>();
    check_descent_both<70, 9>();
    check_descent_both<784, 4>();
    check_descent_both<64, 130>(); // rows to update: masks of 64, 64 and 2 rows
}

// An idle row (step exactly zero) is left as it is, even where v holds an
// infinity (0·inf would make it NaN); without skipping it becomes NaN, which
// shows that the skipping path is the one exercised.
BOOST_AUTO_TEST_CASE(idle_rows_are_not_touched)
{
    constexpr std::size_t in = 64;
    constexpr std::size_t out = 4;
    static_assert(in * sizeof(float) >= ctnn::detail::skip_row_bytes);
    auto const m = values<out * in>(4);
    std::array<float, out> const u{0.5f, 0.0f, -0.25f, 0.0f};
    auto v = values<in>(5);
    v[7] = std::numeric_limits<float>::infinity();

    auto skipped = m;
    ctnn::detail::rank1_descent<float, in, out, true>(skipped.data(), u.data(), v.data(), 0.1f);
    auto full = m;
    ctnn::detail::rank1_descent<float, in, out, false>(full.data(), u.data(), v.data(), 0.1f);
    for (std::size_t o = 0; o < out; ++o) {
        for (std::size_t i = 0; i < in; ++i) {
            std::size_t const k = o * in + i;
            if (u[o] == 0.0f) {
                BOOST_TEST(same_bits(skipped[k], m[k]), "row " << o << ", input " << i);
            } else {
                BOOST_TEST(same_bits(skipped[k], full[k]), "row " << o << ", input " << i);
            }
        }
    }
    BOOST_TEST(std::isnan(full[1 * in + 7])); // 0·inf without skipping
    BOOST_TEST(std::isinf(skipped[0 * in + 7])); // an active row still takes the infinity
}
