// The binary model format at compile time: the CRC-32 check value, a constexpr
// round trip, stable activation ids and topology signatures.

#include <ctnn/serialize.hpp>

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstddef>
#include <string_view>

namespace {
using ctnn::load_error;

// The standard check value of CRC-32/ISO-HDLC (IEEE 802.3).
static_assert(ctnn::detail::crc32(std::string_view("123456789")) == 0xCBF43926U);
static_assert(ctnn::detail::crc32(std::string_view("")) == 0U);
// A running CRC over two pieces equals the CRC of the whole.
static_assert(ctnn::detail::crc32(std::string_view("56789"), ctnn::detail::crc32(std::string_view("1234"))) ==
              0xCBF43926U);
// FNV-1a test vectors (32-bit): "" and "a".
static_assert(ctnn::detail::fnv1a(std::string_view("")) == 0x811C9DC5U);
static_assert(ctnn::detail::fnv1a(std::string_view("a")) == 0xE40C292CU);

using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>>;
using net_d = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>>;
using other_act = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::relu>, ctnn::dense<1, ctnn::sigmoid>>;
using other_width = ctnn::network<float, ctnn::input<2>, ctnn::dense<4, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>>;

static_assert(ctnn::serialized_size_v<net_t> == 16 + 13 * 4 + 4);
static_assert(ctnn::serialized_size_v<net_d> == 16 + 13 * 8 + 4);

// The scalar type is not part of the signature; widths and activations are.
static_assert(ctnn::topology_signature_v<net_t> == ctnn::topology_signature_v<net_d>);
static_assert(ctnn::topology_signature_v<net_t> != ctnn::topology_signature_v<other_act>);
static_assert(ctnn::topology_signature_v<net_t> != ctnn::topology_signature_v<other_width>);

// Built-in activations are identified by name: these values are part of the
// file format and must never change.
static_assert(ctnn::activation_id_v<ctnn::relu> == ctnn::detail::fnv1a(std::string_view("relu")));
static_assert(ctnn::activation_id_v<ctnn::identity> == 0xA945349BU); // FNV-1a("identity")

// Custom activations are identified by their expression's structure.
using namespace ctnn::sym;
inline constexpr auto my_swish = x / (1 + exp(-x));
inline constexpr auto my_swish_again = x / (1 + exp(-x));
inline constexpr auto my_swish_2 = x / (2 + exp(-x));
static_assert(ctnn::activation_id_v<ctnn::activation<my_swish>> ==
              ctnn::activation_id_v<ctnn::activation<my_swish_again>>);
static_assert(ctnn::activation_id_v<ctnn::activation<my_swish>> != ctnn::activation_id_v<ctnn::activation<my_swish_2>>);
static_assert(ctnn::activation_id_v<ctnn::activation<my_swish>> != ctnn::activation_id_v<ctnn::swish>);

constexpr net_t model = [] {
    net_t n{};
    ctnn::init::xavier_uniform(n, 7u);
    n.parameters()[11] = -0.0f;
    return n;
}();
constexpr auto blob = ctnn::serialize(model);

// Round trip, in constant evaluation.
static_assert([] {
    net_t n{};
    return ctnn::deserialize(n, blob) == load_error::ok && n == model;
}());

// The header, byte by byte.
static_assert(blob[0] == std::byte{'C'} && blob[3] == std::byte{'N'});
static_assert(blob[4] == std::byte{1} && blob[5] == std::byte{0}); // version 1, little-endian
static_assert(blob[6] == std::byte{1});                             // float
static_assert(blob[12] == std::byte{13} && blob[13] == std::byte{0});

// A flipped bit anywhere is caught, and the network is left as it was.
static_assert([] {
    for (std::size_t i = 0; i < blob.size(); ++i) {
        auto copy = blob;
        copy[i] ^= std::byte{0x10};
        net_t n{};
        if (ctnn::deserialize(n, copy) == load_error::ok || n != net_t{}) {
            return false;
        }
    }
    return true;
}());

// from_parameters builds a constexpr network from an array.
static_assert(ctnn::from_parameters<net_t>({1.f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f, 8.f, 9.f, 10.f, 11.f, 12.f, 13.f})
                  .parameters()[12] == 13.f);
} // namespace
