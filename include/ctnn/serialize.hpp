#ifndef CTNN_SERIALIZE_HPP
#define CTNN_SERIALIZE_HPP

/// \file
/// ctnn's binary model format, in the firmware subset: no heap, no exceptions,
/// everything `constexpr`. A model is
///
///     offset  size  field
///      0       4    magic "CTNN"
///      4       2    format version (1), little-endian
///      6       1    scalar type: 1 = IEEE binary32 (float), 2 = binary64 (double)
///      7       1    reserved, 0
///      8       4    topology signature (topology_signature_v<Net>), little-endian
///     12       4    parameter count, little-endian
///     16     n·s    the parameters in net.parameters() order, little-endian IEEE
///   16+n·s     4    CRC-32 (IEEE 802.3) of every byte before it, little-endian
///
/// `deserialize` checks all of it and leaves the network unchanged on any error.

#include <ctnn/activation.hpp>
#include <ctnn/detail/checksum.hpp>
#include <ctnn/detail/constant_evaluated.hpp>
#include <ctnn/network.hpp>
#include <ctnn/sym/node.hpp>
#include <ctnn/sym/ops.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace ctnn {

/// The stable name of an activation, part of a model's topology signature.
/// Built-in activations are named; specialise this for a custom activation to
/// give it a name (otherwise its expression's structure identifies it).
template <class Act>
struct activation_name {
    static constexpr std::string_view value{};
};
template <> struct activation_name<identity> { static constexpr std::string_view value = "identity"; };
template <> struct activation_name<sigmoid> { static constexpr std::string_view value = "sigmoid"; };
template <> struct activation_name<tanh> { static constexpr std::string_view value = "tanh"; };
template <> struct activation_name<relu> { static constexpr std::string_view value = "relu"; };
template <> struct activation_name<leaky_relu> { static constexpr std::string_view value = "leaky_relu"; };
template <> struct activation_name<softplus> { static constexpr std::string_view value = "softplus"; };
template <> struct activation_name<swish> { static constexpr std::string_view value = "swish"; };
template <> struct activation_name<gelu> { static constexpr std::string_view value = "gelu"; };
template <> struct activation_name<elu> { static constexpr std::string_view value = "elu"; };
template <> struct activation_name<softmax> { static constexpr std::string_view value = "softmax"; };

/// The built-in activations, as a list of types.
using builtin_activations = std::tuple<identity, sigmoid, tanh, relu, leaky_relu, softplus, swish, gelu, elu, softmax>;

/// Their names, for code that meets a network's activations as names (a
/// network described at run time, an imported model).
inline constexpr auto builtin_activation_names = []<class... Act>(std::tuple<Act...> const*) {
    return std::array<std::string_view, sizeof...(Act)>{activation_name<Act>::value...};
}(static_cast<builtin_activations const*>(nullptr));

namespace detail {

// op_name<Op>(): a stable spelling of an expression operation, for hashing.
template <class Op>
consteval std::string_view op_name()
{
    namespace op = sym::op;
    if constexpr (std::is_same_v<Op, op::plus>) return "+";
    else if constexpr (std::is_same_v<Op, op::minus>) return "-";
    else if constexpr (std::is_same_v<Op, op::negate>) return "neg";
    else if constexpr (std::is_same_v<Op, op::times>) return "*";
    else if constexpr (std::is_same_v<Op, op::divides>) return "/";
    else if constexpr (std::is_same_v<Op, op::exp>) return "exp";
    else if constexpr (std::is_same_v<Op, op::expm1>) return "expm1";
    else if constexpr (std::is_same_v<Op, op::log>) return "log";
    else if constexpr (std::is_same_v<Op, op::log1p>) return "log1p";
    else if constexpr (std::is_same_v<Op, op::tanh>) return "tanh";
    else if constexpr (std::is_same_v<Op, op::sqrt>) return "sqrt";
    else if constexpr (std::is_same_v<Op, op::sigmoid>) return "sigmoid";
    else if constexpr (std::is_same_v<Op, op::softplus>) return "softplus";
    else if constexpr (std::is_same_v<Op, op::greater>) return ">";
    else if constexpr (std::is_same_v<Op, op::less>) return "<";
    else if constexpr (std::is_same_v<Op, op::select>) return "select";
    else return "pow"; // op::power<N>; the exponent is hashed by expression_hash
}

// power_exponent<Op>: N for op::power<N>, 0 otherwise.
template <class Op>
inline constexpr int power_exponent = 0;
template <int N>
inline constexpr int power_exponent<sym::op::power<N>> = N;

// variable_index<E>: I for sym::variable<I>, -1 otherwise.
template <class E>
inline constexpr int variable_index = -1;
template <std::size_t I>
inline constexpr int variable_index<sym::variable<I>> = static_cast<int>(I);

// The structure of a custom activation's expression, hashed (FNV-1a): the
// operations, the variables and the bits of every constant.
template <class E>
constexpr std::uint32_t expression_hash(E const& e, std::uint32_t h) noexcept
{
    if constexpr (variable_index<E> >= 0) {
        return fnv1a(static_cast<std::uint32_t>(variable_index<E>), fnv1a("v", h));
    } else if constexpr (std::is_same_v<E, sym::zero>) {
        return fnv1a("0", h);
    } else if constexpr (std::is_same_v<E, sym::one>) {
        return fnv1a("1", h);
    } else if constexpr (std::is_same_v<E, sym::constant>) {
        auto const bits = std::bit_cast<std::uint64_t>(e.value);
        return fnv1a(static_cast<std::uint32_t>(bits >> 32), fnv1a(static_cast<std::uint32_t>(bits), fnv1a("c", h)));
    } else {
        using op_type = typename E::op_type;
        h = fnv1a(static_cast<std::uint32_t>(power_exponent<op_type>), fnv1a(op_name<op_type>(), fnv1a("(", h)));
        std::apply([&](auto const&... args) { ((h = expression_hash(args, h)), ...); }, e.args);
        return fnv1a(")", h);
    }
}

template <class Act>
constexpr std::uint32_t activation_id() noexcept
{
    if constexpr (!activation_name<Act>::value.empty()) {
        return fnv1a(activation_name<Act>::value);
    } else {
        return expression_hash(Act::expression, fnv1a("expression:"));
    }
}

// The topology signature is hashed in steps: the start (depth and input
// width), then one step per layer. The steps take values, not types, so that a
// network described at run time (io::network_description, an ONNX graph read by
// ctnn-import) hashes to the signature of the type it describes.
[[nodiscard]] constexpr std::uint32_t topology_hash_start(std::size_t depth, std::size_t inputs) noexcept
{
    return fnv1a(static_cast<std::uint32_t>(inputs), fnv1a(static_cast<std::uint32_t>(depth), fnv1a("ctnn.mlp")));
}
// A dense layer: its width and its activation's id.
[[nodiscard]] constexpr std::uint32_t dense_layer_hash(std::uint32_t h, std::size_t units,
                                                       std::uint32_t activation) noexcept
{
    return fnv1a(activation, fnv1a(static_cast<std::uint32_t>(units), h));
}
// A dropout layer: its tag and its rate num/den.
[[nodiscard]] constexpr std::uint32_t dropout_layer_hash(std::uint32_t h, std::intmax_t num,
                                                         std::intmax_t den) noexcept
{
    h = fnv1a("dropout", h);
    for (auto const part : {static_cast<std::uint64_t>(num), static_cast<std::uint64_t>(den)}) {
        h = fnv1a(static_cast<std::uint32_t>(part >> 32U), fnv1a(static_cast<std::uint32_t>(part), h));
    }
    return h;
}

// layer_hash<Layer>(h): the step of a layer type.
template <class Layer>
constexpr std::uint32_t layer_hash(std::uint32_t h) noexcept
{
    if constexpr (is_dropout_v<Layer>) {
        return dropout_layer_hash(h, Layer::rate::num, Layer::rate::den);
    } else {
        return dense_layer_hash(h, Layer::size, activation_id<typename Layer::activation_type>());
    }
}

template <class Net>
struct topology_signature;
template <class T, class Input, class... Layers>
struct topology_signature<network<T, Input, Layers...>> {
    static constexpr std::uint32_t value = [] {
        std::uint32_t h = topology_hash_start(sizeof...(Layers), Input::size);
        ((h = layer_hash<Layers>(h)), ...);
        return h;
    }();
};

template <class T>
inline constexpr std::uint8_t scalar_code = sizeof(T) == 4 ? 1 : 2;

template <class U>
constexpr void put_le(std::byte* out, U value) noexcept
{
    for (std::size_t i = 0; i < sizeof(U); ++i) {
        out[i] = static_cast<std::byte>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xFFU);
    }
}

template <class U>
[[nodiscard]] constexpr U get_le(std::byte const* in) noexcept
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) {
        value |= static_cast<std::uint64_t>(in[i]) << (8 * i);
    }
    return static_cast<U>(value);
}

// The unsigned integer type with T's size.
template <class T>
using bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

// parameter_crc32 in constant evaluation: four bytes a step from tables built
// once here. A generated header asserts the CRC of all its parameters, and
// bit by bit, eight steps per byte, a model of some tens of thousands of
// floats would exceed the compilers' default budgets of constant evaluation.
template <class T>
[[nodiscard]] constexpr std::uint32_t parameter_crc32_sliced(std::span<T const> values) noexcept
{
    crc32_slices const t = make_crc32_slices();
    std::uint32_t inverted = ~std::uint32_t{0};
    T const* const p = values.data(); // Clang counts each call of an iterator's operators
    for (std::size_t i = 0, n = values.size(); i < n; ++i) {
        auto const bits = std::bit_cast<bits_t<T>>(p[i]);
        for (std::size_t b = 0; b < sizeof(T); b += 4) {
            inverted = crc32_step(t, inverted, static_cast<std::uint32_t>((bits >> (8 * b)) & 0xFFFFFFFFU));
        }
    }
    return ~inverted;
}

// The CRC-32 of parameter values as serialize encodes them (little-endian
// IEEE), for a network's parameters or values held elsewhere. At run time bit
// by bit, with no table in flash.
template <class T>
[[nodiscard]] constexpr std::uint32_t parameter_crc32(std::span<T const> values) noexcept
{
    if (is_constant_evaluated()) {
        return parameter_crc32_sliced(values);
    }
    std::uint32_t crc = 0;
    for (T const p : values) {
        std::array<std::byte, sizeof(T)> bytes{};
        put_le(bytes.data(), std::bit_cast<bits_t<T>>(p));
        crc = crc32(bytes, crc);
    }
    return crc;
}

} // namespace detail

/// The activation's 32-bit identity in topology signatures: FNV-1a of its
/// name, or of its expression's structure when it has none.
template <class Act>
inline constexpr std::uint32_t activation_id_v = detail::activation_id<Act>();

/// A 32-bit FNV-1a hash of a network type's depth, widths and activation ids
/// (and dropout layers' rates);
/// independent of the scalar type (which the format records separately).
template <network_type Net>
inline constexpr std::uint32_t topology_signature_v = detail::topology_signature<std::remove_cvref_t<Net>>::value;

/// The version of the binary format that `serialize` writes.
inline constexpr std::uint16_t model_format_version = 1;
/// Bytes before the parameters.
inline constexpr std::size_t model_header_size = 16;

/// The size in bytes of a serialized `Net`.
template <network_type Net>
inline constexpr std::size_t serialized_size_v =
    model_header_size + Net::parameter_count * sizeof(typename Net::value_type) + 4;

/// Why a model could not be loaded. `ok` is zero, so `if (error != load_error::ok)`
/// and `if (to_underlying(error))` both work.
enum class load_error : std::uint8_t {
    ok = 0,
    truncated,           ///< fewer bytes than the header or the parameters need
    bad_magic,           ///< not a ctnn model ("CTNN" missing)
    unsupported_version, ///< a format version this ctnn does not read
    wrong_scalar_type,   ///< float model into a double network, or the reverse
    wrong_topology,      ///< the topology signature or parameter count differs from the network's
    bad_checksum,        ///< the CRC-32 does not match: corrupted data
    trailing_data,       ///< more bytes than one model
};

/// A short English description of an error, e.g. for a log line.
[[nodiscard]] constexpr std::string_view to_string(load_error e) noexcept
{
    switch (e) {
    case load_error::ok: return "ok";
    case load_error::truncated: return "truncated: fewer bytes than the model needs";
    case load_error::bad_magic: return "bad magic: not a ctnn model";
    case load_error::unsupported_version: return "unsupported format version";
    case load_error::wrong_scalar_type: return "wrong scalar type: float model for a double network or the reverse";
    case load_error::wrong_topology: return "wrong topology: the model was saved from a different network type";
    case load_error::bad_checksum: return "bad checksum: the model is corrupted";
    case load_error::trailing_data: return "trailing data after the model";
    }
    return "unknown error";
}

/// The CRC-32 of a network's parameters as `serialize` encodes them (the
/// parameter bytes only); generated headers `static_assert` it.
template <class T, class Input, class... Layers>
[[nodiscard]] constexpr std::uint32_t parameter_crc32(network<T, Input, Layers...> const& net) noexcept
{
    return detail::parameter_crc32(std::span<T const>(net.parameters()));
}

/// Writes `net` into `out`; returns the number of bytes written
/// (`serialized_size_v<Net>`), or 0, writing nothing, when `out` is too small.
template <class T, class Input, class... Layers>
constexpr std::size_t serialize(network<T, Input, Layers...> const& net, std::span<std::byte> out) noexcept
{
    using net_t = network<T, Input, Layers...>;
    static_assert(std::numeric_limits<T>::is_iec559, "ctnn::serialize: the format stores IEEE 754 scalars");
    constexpr std::size_t size = serialized_size_v<net_t>;
    if (out.size() < size) {
        return 0;
    }
    std::byte* p = out.data();
    p[0] = std::byte{'C'};
    p[1] = std::byte{'T'};
    p[2] = std::byte{'N'};
    p[3] = std::byte{'N'};
    detail::put_le(p + 4, model_format_version);
    p[6] = std::byte{detail::scalar_code<T>};
    p[7] = std::byte{0};
    detail::put_le(p + 8, topology_signature_v<net_t>);
    detail::put_le(p + 12, static_cast<std::uint32_t>(net_t::parameter_count));
    p += model_header_size;
    for (T const v : net.parameters()) {
        detail::put_le(p, std::bit_cast<detail::bits_t<T>>(v));
        p += sizeof(T);
    }
    detail::put_le(p, detail::crc32(out.first(size - 4)));
    return size;
}

/// `net` serialized into an array of exactly the right size (usable in
/// constant expressions: `constexpr auto blob = ctnn::serialize(model);`).
template <class T, class Input, class... Layers>
[[nodiscard]] constexpr auto serialize(network<T, Input, Layers...> const& net) noexcept
{
    std::array<std::byte, serialized_size_v<network<T, Input, Layers...>>> out{};
    serialize(net, std::span<std::byte>(out));
    return out;
}

/// Checks that `in` holds exactly one model of `net`'s type and, only if it
/// does, replaces `net`'s parameters with the model's. On any error `net` is
/// left unchanged and the first problem found is returned.
template <class T, class Input, class... Layers>
[[nodiscard]] constexpr load_error deserialize(network<T, Input, Layers...>& net, std::span<std::byte const> in) noexcept
{
    using net_t = network<T, Input, Layers...>;
    constexpr std::size_t size = serialized_size_v<net_t>;
    std::byte const* p = in.data();
    // Bytes that differ from the magic make a file "not a model" however short
    // it is; only a prefix of "CTNN" (or nothing) is a model cut short.
    constexpr std::array<std::byte, 4> magic{std::byte{'C'}, std::byte{'T'}, std::byte{'N'}, std::byte{'N'}};
    for (std::size_t i = 0; i < magic.size() && i < in.size(); ++i) {
        if (p[i] != magic[i]) {
            return load_error::bad_magic;
        }
    }
    if (in.size() < magic.size()) {
        return load_error::truncated;
    }
    if (in.size() < model_header_size) {
        return load_error::truncated;
    }
    if (detail::get_le<std::uint16_t>(p + 4) != model_format_version) {
        return load_error::unsupported_version;
    }
    if (p[6] != std::byte{detail::scalar_code<T>}) {
        return load_error::wrong_scalar_type;
    }
    if (detail::get_le<std::uint32_t>(p + 8) != topology_signature_v<net_t> ||
        detail::get_le<std::uint32_t>(p + 12) != net_t::parameter_count) {
        return load_error::wrong_topology;
    }
    if (in.size() < size) {
        return load_error::truncated;
    }
    if (in.size() > size) {
        return load_error::trailing_data;
    }
    if (detail::crc32(in.first(size - 4)) != detail::get_le<std::uint32_t>(p + size - 4)) {
        return load_error::bad_checksum;
    }
    p += model_header_size;
    for (T& v : net.parameters()) {
        v = std::bit_cast<T>(detail::get_le<detail::bits_t<T>>(p));
        p += sizeof(T);
    }
    return load_error::ok;
}

/// A network whose parameters are `values` (in `parameters()` order); how a
/// generated header builds its `constexpr` model.
template <network_type Net>
[[nodiscard]] constexpr Net from_parameters(std::array<typename Net::value_type, Net::parameter_count> const& values) noexcept
{
    Net net{};
    // Raw pointers: the compilers count each call of an operator[] against the
    // budget of constant evaluation, and a header's model is built by it.
    typename Net::value_type* const p = net.parameters().data();
    typename Net::value_type const* const v = values.data();
    for (std::size_t i = 0; i < Net::parameter_count; ++i) {
        p[i] = v[i];
    }
    return net;
}

} // namespace ctnn

#endif
