// The SGD update kernel of the dense layer (detail::rank1_descent): its
// run-time path against its scalar definition, bit for bit (this file is
// compiled with -ffp-contract=off, so neither side fuses m − s·v), and the
// skipping of idle rows: which activations enable it and what it leaves alone.

#define BOOST_TEST_MODULE dense_kernels
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

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

bool same_bits(float a, float b)
{
    return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

// m −= (rate u) vᵀ at run time (vector path where there is one) against the
// scalar definition; every third row's u is zero.
template <std::size_t In, std::size_t Out, bool SkipIdle>
void check_descent_shape()
{
    std::array<float, Out * In> m{};
    std::array<float, Out> u{};
    std::array<float, In> v{};
    for (std::size_t k = 0; k < m.size(); ++k) {
        m[k] = value(k, 1);
    }
    for (std::size_t o = 0; o < Out; ++o) {
        u[o] = o % 3 == 1 ? 0.0f : value(o, 2);
    }
    for (std::size_t i = 0; i < In; ++i) {
        v[i] = value(i, 3);
    }
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

template <std::size_t In, std::size_t Out>
void check_descent_both()
{
    check_descent_shape<In, Out, false>();
    check_descent_shape<In, Out, true>();
}

} // namespace

// Row lengths below, at and above one vector, with remainders, and long
// enough for skipping (at least detail::skip_row_bytes).
BOOST_AUTO_TEST_CASE(rank1_descent_matches_its_definition)
{
    check_descent_both<4, 3>();
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
    std::array<float, out * in> m{};
    for (std::size_t k = 0; k < m.size(); ++k) {
        m[k] = value(k, 4);
    }
    std::array<float, out> const u{0.5f, 0.0f, -0.25f, 0.0f};
    std::array<float, in> v{};
    for (std::size_t i = 0; i < in; ++i) {
        v[i] = value(i, 5);
    }
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
