// The binary model format at run time: round trips, and every load_error, each
// leaving the network unchanged.

#define BOOST_TEST_MODULE serialize
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/serialize.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ostream>
#include <ratio>
#include <span>
#include <vector>

namespace ctnn {
// Lets BOOST_TEST print a load_error it reports.
std::ostream& boost_test_print_type(std::ostream& os, load_error e)
{
    return os << to_string(e);
}
} // namespace ctnn

namespace {
using ctnn::load_error;
using net_t = ctnn::network<float, ctnn::input<3>, ctnn::dense<5, ctnn::relu>, ctnn::dense<2, ctnn::identity>>;
using net_d = ctnn::network<double, ctnn::input<3>, ctnn::dense<5, ctnn::relu>, ctnn::dense<2, ctnn::identity>>;
using net_other = ctnn::network<float, ctnn::input<3>, ctnn::dense<5, ctnn::tanh>, ctnn::dense<2, ctnn::identity>>;

template <class Net>
Net trained(unsigned seed)
{
    Net n{};
    ctnn::init::xavier_uniform(n, seed);
    for (std::size_t i = 0; i < Net::parameter_count; i += 3) {
        n.parameters()[i] += static_cast<typename Net::value_type>(0.25);
    }
    return n;
}

// Rewrites the trailing CRC so that a deliberate change is seen by the later checks.
void fix_crc(std::span<std::byte> blob)
{
    std::uint32_t const crc = ctnn::detail::crc32(blob.first(blob.size() - 4));
    ctnn::detail::put_le(blob.data() + blob.size() - 4, crc);
}

template <class Net>
load_error load_into_fresh(std::span<std::byte const> bytes, bool& unchanged)
{
    Net n = trained<Net>(99u);
    Net const before = n;
    load_error const e = ctnn::deserialize(n, bytes);
    unchanged = n == before;
    return e;
}
} // namespace

BOOST_AUTO_TEST_CASE(round_trip_float_and_double)
{
    auto const a = trained<net_t>(1u);
    auto const blob = ctnn::serialize(a);
    net_t b{};
    BOOST_TEST(ctnn::deserialize(b, blob) == load_error::ok);
    BOOST_TEST((a == b));

    auto const c = trained<net_d>(2u);
    std::vector<std::byte> buffer(ctnn::serialized_size_v<net_d>);
    BOOST_TEST(ctnn::serialize(c, buffer) == buffer.size());
    net_d d{};
    BOOST_TEST(ctnn::deserialize(d, buffer) == load_error::ok);
    BOOST_TEST((c == d));
}

BOOST_AUTO_TEST_CASE(special_values_round_trip_bit_exactly)
{
    net_t a{};
    auto p = a.parameters();
    p[0] = -0.0f;
    p[1] = std::numeric_limits<float>::infinity();
    p[2] = std::numeric_limits<float>::denorm_min();
    p[3] = std::numeric_limits<float>::quiet_NaN();
    p[4] = std::numeric_limits<float>::max();
    auto const blob = ctnn::serialize(a);
    net_t b{};
    BOOST_TEST(ctnn::deserialize(b, blob) == load_error::ok);
    for (std::size_t i = 0; i < net_t::parameter_count; ++i) {
        BOOST_TEST(std::bit_cast<std::uint32_t>(a.parameters()[i]) == std::bit_cast<std::uint32_t>(b.parameters()[i]));
    }
}

BOOST_AUTO_TEST_CASE(serialize_into_a_small_buffer_writes_nothing)
{
    std::vector<std::byte> buffer(ctnn::serialized_size_v<net_t> - 1, std::byte{0x5A});
    BOOST_TEST(ctnn::serialize(trained<net_t>(1u), buffer) == 0U);
    for (std::byte b : buffer) {
        BOOST_TEST((b == std::byte{0x5A}));
    }
}

BOOST_AUTO_TEST_CASE(truncated)
{
    auto const blob = ctnn::serialize(trained<net_t>(1u));
    bool unchanged = false;
    for (std::size_t size : {std::size_t{0}, std::size_t{3}, std::size_t{4}, std::size_t{15}, std::size_t{16},
                             blob.size() - 1}) {
        BOOST_TEST_CONTEXT("size " << size)
        {
            BOOST_TEST(load_into_fresh<net_t>(std::span(blob).first(size), unchanged) == load_error::truncated);
            BOOST_TEST(unchanged);
        }
    }
}

BOOST_AUTO_TEST_CASE(trailing_data)
{
    auto const blob = ctnn::serialize(trained<net_t>(1u));
    std::vector<std::byte> longer(blob.begin(), blob.end());
    longer.push_back(std::byte{0});
    bool unchanged = false;
    BOOST_TEST(load_into_fresh<net_t>(longer, unchanged) == load_error::trailing_data);
    BOOST_TEST(unchanged);
}

BOOST_AUTO_TEST_CASE(bad_magic)
{
    auto blob = ctnn::serialize(trained<net_t>(1u));
    blob[1] = std::byte{'X'};
    fix_crc(blob);
    bool unchanged = false;
    BOOST_TEST(load_into_fresh<net_t>(blob, unchanged) == load_error::bad_magic);
    BOOST_TEST(unchanged);
    // A short non-model is a bad magic, not truncated, however short it is.
    std::array<std::byte, 4> const png{std::byte{0x89}, std::byte{'P'}, std::byte{'N'}, std::byte{'G'}};
    for (std::size_t size = 1; size <= png.size(); ++size) {
        BOOST_TEST(load_into_fresh<net_t>(std::span(png).first(size), unchanged) == load_error::bad_magic);
    }
    std::array<std::byte, 3> const near{std::byte{'C'}, std::byte{'T'}, std::byte{'X'}};
    BOOST_TEST(load_into_fresh<net_t>(near, unchanged) == load_error::bad_magic);
}

BOOST_AUTO_TEST_CASE(unsupported_version)
{
    auto blob = ctnn::serialize(trained<net_t>(1u));
    blob[4] = std::byte{2};
    fix_crc(blob);
    bool unchanged = false;
    BOOST_TEST(load_into_fresh<net_t>(blob, unchanged) == load_error::unsupported_version);
    BOOST_TEST(unchanged);
}

BOOST_AUTO_TEST_CASE(wrong_scalar_type)
{
    auto const blob = ctnn::serialize(trained<net_t>(1u));
    bool unchanged = false;
    BOOST_TEST(load_into_fresh<net_d>(blob, unchanged) == load_error::wrong_scalar_type);
    BOOST_TEST(unchanged);
    auto const blob_d = ctnn::serialize(trained<net_d>(1u));
    BOOST_TEST(load_into_fresh<net_t>(blob_d, unchanged) == load_error::wrong_scalar_type);
    BOOST_TEST(unchanged);
}

BOOST_AUTO_TEST_CASE(wrong_topology)
{
    // Same sizes, another activation: only the signature tells them apart.
    static_assert(ctnn::serialized_size_v<net_t> == ctnn::serialized_size_v<net_other>);
    auto const blob = ctnn::serialize(trained<net_other>(1u));
    bool unchanged = false;
    BOOST_TEST(load_into_fresh<net_t>(blob, unchanged) == load_error::wrong_topology);
    BOOST_TEST(unchanged);
    // The right signature with a wrong parameter count.
    auto edited = ctnn::serialize(trained<net_t>(1u));
    edited[12] = std::byte{1};
    fix_crc(edited);
    BOOST_TEST(load_into_fresh<net_t>(edited, unchanged) == load_error::wrong_topology);
    BOOST_TEST(unchanged);
}

BOOST_AUTO_TEST_CASE(dropout_layers_round_trip_and_their_rate_is_part_of_the_topology)
{
    using half = ctnn::network<float, ctnn::input<3>, ctnn::dense<5, ctnn::relu>, ctnn::dropout<std::ratio<1, 2>>,
                               ctnn::dense<2, ctnn::identity>>;
    using fifth = ctnn::network<float, ctnn::input<3>, ctnn::dense<5, ctnn::relu>, ctnn::dropout<std::ratio<1, 5>>,
                                ctnn::dense<2, ctnn::identity>>;
    // No parameters of its own: the same blob size as without dropout.
    static_assert(ctnn::serialized_size_v<half> == ctnn::serialized_size_v<net_t>);
    auto const a = trained<half>(3u);
    auto const blob = ctnn::serialize(a);
    half b{};
    BOOST_TEST(ctnn::deserialize(b, blob) == load_error::ok);
    BOOST_TEST((a == b));
    bool unchanged = false;
    BOOST_TEST(load_into_fresh<fifth>(blob, unchanged) == load_error::wrong_topology);
    BOOST_TEST(unchanged);
    BOOST_TEST(load_into_fresh<net_t>(blob, unchanged) == load_error::wrong_topology);
    BOOST_TEST(unchanged);
}

BOOST_AUTO_TEST_CASE(bad_checksum)
{
    auto const blob = ctnn::serialize(trained<net_t>(1u));
    bool unchanged = false;
    // Every single-bit flip in the parameters or the CRC itself.
    for (std::size_t i = ctnn::model_header_size; i < blob.size(); ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            auto copy = blob;
            copy[i] ^= std::byte{static_cast<unsigned char>(1U << bit)};
            load_error const e = load_into_fresh<net_t>(copy, unchanged);
            BOOST_TEST_REQUIRE((e == load_error::bad_checksum && unchanged));
        }
    }
}

BOOST_AUTO_TEST_CASE(every_error_has_a_message)
{
    for (auto e : {load_error::ok, load_error::truncated, load_error::bad_magic, load_error::unsupported_version,
                   load_error::wrong_scalar_type, load_error::wrong_topology, load_error::bad_checksum,
                   load_error::trailing_data}) {
        BOOST_TEST(!ctnn::to_string(e).empty());
        BOOST_TEST(ctnn::to_string(e) != "unknown error");
    }
}
