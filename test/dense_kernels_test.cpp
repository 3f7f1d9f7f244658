// The dense layer's kernels against their scalar definitions, bit for bit
// (this file is compiled with -ffp-contract=off, so neither side fuses a
// product into a sum): the forward product (detail::matvec_bias, whose
// vector form blocks rows in sixteens, eights, fours, pairs and singles,
// packs short rows several per vector, and reads long rows two at a time,
// and whose reference form sums subtrees of lanes from their first products)
// against detail::dot_row_scalar row by row, signed zeros included; the SGD
// update (detail::rank1_descent), and its skipping of idle rows: which
// activations enable it and what it leaves alone. Built twice: with the
// target's kernels (the vector ones on x86-64) and with
// -DCTNN_KERNELS=reference.

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

// The reference build is the reference kernels' (a wrong CTNN_KERNELS is a
// compile error: test/fail/kernels_unknown.cpp).
#if defined(CTNN_KERNELS)
static_assert(CTNN_DETAIL_VECTOR_KERNELS == 0);
#endif

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

// z = W x + b at run time (the backend's kernel) checked against each row's
// sum by the scalar definition; returns z.
template <std::size_t In, std::size_t Out>
std::array<float, Out> checked_matvec(std::array<float, Out * In> const& w, std::array<float, In> const& x,
                                      std::array<float, Out> const& b)
{
    std::array<float, Out> z{};
    ctnn::detail::matvec_bias<float, In, Out>(w.data(), x, b.data(), z);
    std::size_t mismatches = 0;
    for (std::size_t o = 0; o < Out; ++o) {
        float const expected = ctnn::detail::dot_row_scalar<float, In>(w.data() + o * In, x.data(), b[o]);
        mismatches += same_bits(z[o], expected) ? 0u : 1u;
    }
    BOOST_TEST(mismatches == 0u, "In " << In << ", Out " << Out);
    return z;
}

template <std::size_t In, std::size_t Out>
void check_matvec_shape()
{
    static_cast<void>(checked_matvec<In, Out>(values<Out * In>(6), values<In>(7), values<Out>(8)));
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

// z = W x + b where every product is −0 (positive weights, inputs −0) and
// every bias −0: each lane of the definition starts at +0, so its sums are +0
// and so is z (−0 + +0 = +0); a sum started at the first product would be −0.
// Also the other way round (negative weights, inputs +0), and with the
// products of a row −0 but one: the sum is that product.
template <std::size_t In, std::size_t Out>
void check_matvec_signed_zeros()
{
    auto w = values<Out * In>(9);
    for (float& v : w) {
        v = std::abs(v) + 0.5f;
    }
    std::array<float, In> x{};
    x.fill(-0.0f);
    std::array<float, Out> b{};
    b.fill(-0.0f);
    auto const run = [&](std::array<float, In> const& input) { return checked_matvec<In, Out>(w, input, b); };
    for (float const z : run(x)) {
        BOOST_TEST(same_bits(z, 0.0f), "In " << In << ": " << z);
    }
    for (float& v : w) {
        v = -v;
    }
    x.fill(0.0f);
    for (float const z : run(x)) {
        BOOST_TEST(same_bits(z, 0.0f), "In " << In << ": " << z);
    }
    x[In / 2] = 0.25f; // row o: −0, ..., w[o][In/2] / 4, ..., −0
    auto const z = run(x);
    for (std::size_t o = 0; o < Out; ++o) {
        BOOST_TEST(same_bits(z[o], w[o * In + In / 2] * 0.25f), "In " << In << ", row " << o);
    }
}

template <std::size_t Out, std::size_t... In>
void check_signed_zero_lengths(std::index_sequence<In...>)
{
    (check_matvec_signed_zeros<In, Out>(), ...);
}

// dot_row_reference against dot_row_scalar on values that mix finite
// numbers of both signs with ±0, ±inf and NaN, one row at a time.
template <std::size_t In>
void check_reference_row_specials()
{
    constexpr std::array<float, 8> specials{0.0f, -0.0f, 1.5f, -2.25f, std::numeric_limits<float>::infinity(),
                                            -std::numeric_limits<float>::infinity(),
                                            std::numeric_limits<float>::quiet_NaN(), 3e-39f};
    std::size_t mismatches = 0;
    for (std::size_t trial = 0; trial < 64; ++trial) {
        std::array<float, In> w{};
        std::array<float, In> x{};
        for (std::size_t i = 0; i < In; ++i) {
            // Mostly signed zeros, now and then something else.
            std::size_t const k = (i * 7 + trial * 13) % 23;
            w[i] = k < specials.size() ? specials[k] : value(i, trial);
            x[i] = (i + trial) % 3 == 0 ? -0.0f : ((i + trial) % 5 == 0 ? specials[trial % 8] : value(i, trial + 1));
        }
        float const b = trial % 2 == 0 ? -0.0f : specials[trial % 8];
        float const expected = ctnn::detail::dot_row_scalar<float, In>(w.data(), x.data(), b);
        float const actual = ctnn::detail::dot_row_reference<float, In>(w.data(), x.data(), b);
        bool const same = same_bits(actual, expected) || (std::isnan(actual) && std::isnan(expected));
        mismatches += same ? 0u : 1u;
    }
    BOOST_TEST(mismatches == 0u, "In " << In);
}

template <std::size_t... In>
void check_reference_rows(std::index_sequence<In...>)
{
    (check_reference_row_specials<In>(), ...);
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

// Signed zeros: the lanes of the definition start at +0 (see
// check_matvec_signed_zeros), whatever the blocking or the backend.
BOOST_AUTO_TEST_CASE(matvec_bias_keeps_the_definitions_signed_zeros)
{
    check_signed_zero_lengths<3>(matvec_lengths{});
    check_signed_zero_lengths<35>(std::index_sequence<1, 4, 16, 33, 300>{});
}

// The reference kernels' row (lanes started at their first products, one +0
// per row) is the definition's, with infinities, NaNs and signed zeros.
BOOST_AUTO_TEST_CASE(reference_row_matches_its_definition_at_special_values)
{
    check_reference_rows(matvec_lengths{});
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
