// math::sqrt over the lanes of a generic vector (detail/vector_sqrt.hpp): every lane bit for bit
// the scalar sqrt's, for vectors of 16 bytes up to the target's width (built again at x86-64-v3
// and v4, the width variants of this test, for 32 and 64 bytes), over special values and a sweep
// of bit patterns.

#define BOOST_TEST_MODULE vector_sqrt
#include <boost/test/unit_test.hpp>

#include <ctnn/detail/dense_kernels.hpp>
#include <ctnn/math.hpp>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace {

template <class T>
std::vector<T> values()
{
    using limits = std::numeric_limits<T>;
    std::vector<T> v{T(0),
                     -T(0),
                     T(1),
                     T(2),
                     T(4),
                     T(0.25),
                     -T(1),
                     -T(0.5),
                     limits::infinity(),
                     -limits::infinity(),
                     limits::quiet_NaN(),
                     -limits::quiet_NaN(),
                     limits::min(),
                     limits::denorm_min(),
                     T(3) * limits::denorm_min(),
                     limits::max(),
                     limits::epsilon(),
                     T(1) + limits::epsilon(),
                     T(1) - limits::epsilon() / 2};
    using bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    std::uint64_t state = 0x9e3779b97f4a7c15u;
    for (int k = 0; k < 100000; ++k) { // bit patterns of every exponent, either sign
        state = state * 6364136223846793005u + 1442695040888963407u;
        v.push_back(std::bit_cast<T>(static_cast<bits>(state >> (64 - 8 * sizeof(T)))));
    }
    return v;
}

template <class T>
bool same_bits_or_both_nan(T a, T b)
{
    return (a != a && b != b) || std::memcmp(&a, &b, sizeof a) == 0;
}

template <class T, std::size_t Bytes>
void check_width()
{
    constexpr std::size_t lanes = Bytes / sizeof(T);
    using vec = ctnn::detail::vector_t<T, lanes>;
    auto const v = values<T>();
    std::size_t mismatches = 0;
    for (std::size_t start = 0; start + lanes <= v.size(); start += lanes) {
        vec x;
        std::memcpy(&x, v.data() + start, sizeof x);
        vec const r = ctnn::math::sqrt(x);
        for (std::size_t l = 0; l < lanes; ++l) {
            T const want = ctnn::math::sqrt(v[start + l]);
            if (!same_bits_or_both_nan(T(r[l]), want)) {
                ++mismatches;
                BOOST_TEST_MESSAGE("sqrt(" << v[start + l] << "): lane " << T(r[l]) << ", scalar " << want);
            }
        }
    }
    BOOST_TEST(mismatches == 0U, Bytes << "-byte vectors of " << sizeof(T) << "-byte values");
}

} // namespace

BOOST_AUTO_TEST_CASE(every_lane_is_the_scalar_sqrt)
{
    check_width<float, 16>();
    check_width<double, 16>();
#if CTNN_DETAIL_NATIVE_VECTOR_BYTES >= 32
    check_width<float, 32>();
    check_width<double, 32>();
#endif
#if CTNN_DETAIL_NATIVE_VECTOR_BYTES >= 64
    check_width<float, 64>();
    check_width<double, 64>();
#endif
}

BOOST_AUTO_TEST_CASE(negative_lanes_are_nan_and_signed_zero_kept)
{
    using vec = ctnn::detail::vector_t<float, 4>;
    vec const r = ctnn::math::sqrt(vec{-4.0f, -0.0f, 9.0f, -std::numeric_limits<float>::infinity()});
    BOOST_TEST(r[0] != r[0]);
    BOOST_TEST(r[1] == 0.0f);
    BOOST_TEST(std::signbit(r[1]));
    BOOST_TEST(r[2] == 3.0f);
    BOOST_TEST(r[3] != r[3]);
}
