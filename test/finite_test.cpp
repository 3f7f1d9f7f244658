// What NaN and infinity do: they propagate without undefined behaviour, and
// all_finite detects them.

#define BOOST_TEST_MODULE finite
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cmath>
#include <bit>
#include <cstdint>
#include <limits>
#include <tuple>
#include <type_traits>
#include <span>
#include <vector>

namespace {
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<4, ctnn::relu>, ctnn::dense<3, ctnn::softmax>>;
constexpr float not_a_number = std::numeric_limits<float>::quiet_NaN();
constexpr float infinity = std::numeric_limits<float>::infinity();

net_t make_net()
{
    net_t net{};
    ctnn::init::xavier_uniform(net, 3u);
    return net;
}
} // namespace

BOOST_AUTO_TEST_CASE(all_finite_detects_nan_and_infinity)
{
    BOOST_TEST(ctnn::all_finite((std::array{1.0f, -2.0f, 0.0f})));
    BOOST_TEST(!ctnn::all_finite((std::array{1.0f, not_a_number, 0.0f})));
    BOOST_TEST(!ctnn::all_finite((std::array{infinity, 1.0f})));
    BOOST_TEST(!ctnn::all_finite((std::array{1.0, -std::numeric_limits<double>::infinity()})));
    auto net = make_net();
    BOOST_TEST(ctnn::all_finite(net));
    net.layer<1>().biases[2] = not_a_number;
    BOOST_TEST(!ctnn::all_finite(net));
}

BOOST_AUTO_TEST_CASE(nan_input_gives_nan_output_not_a_crash)
{
    auto const net = make_net();
    auto const y = net({not_a_number, 1.0f});
    BOOST_TEST(!ctnn::all_finite(y));
    auto const [loss, grad] = ctnn::gradient(net, {not_a_number, 1.0f}, std::size_t{0}, ctnn::loss::sparse_cross_entropy{});
    BOOST_TEST(std::isnan(loss));
    BOOST_TEST(!ctnn::all_finite(grad));
}

BOOST_AUTO_TEST_CASE(huge_finite_input_stays_finite_through_softmax)
{
    // Softmax and the fused loss shift by the largest logit, so a large but
    // finite input does not overflow.
    auto const net = make_net();
    auto const y = net({1e30f, -1e30f});
    BOOST_TEST(ctnn::all_finite(y));
}

BOOST_AUTO_TEST_CASE(all_finite_checks_every_value_of_a_data_set)
{
    // As the guide recommends before training: every sample, every value.
    std::vector<std::array<float, 2>> samples{{1.0f, 2.0f}, {3.0f, 4.0f}, {5.0f, 6.0f}};
    BOOST_TEST(ctnn::all_finite(samples));
    BOOST_TEST(ctnn::all_finite(std::span<std::array<float, 2> const>(samples)));
    samples[2][1] = not_a_number;
    BOOST_TEST(!ctnn::all_finite(samples));
    samples[2][1] = 6.0f;
    samples[0][0] = -infinity;
    BOOST_TEST(!ctnn::all_finite(std::span<std::array<float, 2>>(samples)));
    std::array<std::array<double, 1>, 2> const fixed{{{1.0}, {std::numeric_limits<double>::quiet_NaN()}}};
    BOOST_TEST(!ctnn::all_finite(fixed));
    // Class indices are integers: always finite.
    std::vector<std::size_t> const labels{0, 3, 9};
    BOOST_TEST(ctnn::all_finite(labels));
    static_assert(ctnn::all_finite(std::array{std::array{1.0f}, std::array{2.0f}}));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(all_finite_agrees_with_std_isfinite, T, decltype(std::tuple<float, double>{}))
{
    // all_finite reads the bits of contiguous floats and doubles; std::isfinite
    // is the oracle. One special value (NaN, ±infinity, or a finite extreme)
    // at every position of every length up to 40, so that it falls in the
    // unrolled part and in the tail; then random bit patterns.
    using limits = std::numeric_limits<T>;
    for (T const special : {limits::quiet_NaN(), -limits::quiet_NaN(), limits::signaling_NaN(), limits::infinity(),
                            -limits::infinity(), limits::max(), limits::lowest(), limits::denorm_min(), T(-0.0)}) {
        for (std::size_t n = 1; n <= 40; ++n) {
            for (std::size_t at = 0; at < n; ++at) {
                std::vector<T> values(n, T(1.5));
                values[at] = special;
                BOOST_TEST(ctnn::all_finite(values) == static_cast<bool>(std::isfinite(special)),
                           "value " << special << " at " << at << " of " << n);
            }
        }
    }
    using bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    bits const exponent = std::bit_cast<bits>(limits::infinity());
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    std::size_t non_finite_sets = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        std::vector<T> values(static_cast<std::size_t>(trial % 37));
        bool expected = true;
        for (T& v : values) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            // One value in 16 gets an exponent of all ones (NaN or infinity),
            // the others lose its top bit (finite): both answers occur.
            auto raw = static_cast<bits>(state >> (64 - 8 * sizeof(T)));
            raw = (state & 0xF0ULL) == 0 ? raw | exponent : raw & ~(exponent & ~(exponent >> 1));
            v = std::bit_cast<T>(raw);
            expected = expected && std::isfinite(v);
        }
        non_finite_sets += expected ? 0U : 1U;
        BOOST_TEST(ctnn::all_finite(values) == expected);
        BOOST_TEST(ctnn::all_finite(std::span<T const>(values)) == expected);
    }
    BOOST_TEST(non_finite_sets > 500U);
    BOOST_TEST(non_finite_sets < 1500U);
    static_assert(!ctnn::all_finite(std::array{T(1), T(2), limits::quiet_NaN()}));
    static_assert(ctnn::all_finite(std::array{T(1), limits::max(), limits::lowest()}));
}
