// ctnn::io::save_onnx: the model it writes reads back into the same parameters, bit for bit,
// for every activation and both scalar types, and describes the network it came from.
// (io.onnx.saved_models_check runs ONNX's checker and numpy on such models.)

#define BOOST_TEST_MODULE onnx_save
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/io/onnx.hpp>
#include <ctnn/version.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <ratio>
#include <string>
#include <tuple>

#include <unistd.h>

namespace {
namespace fs = std::filesystem;

// A fresh directory per test case (numbered: the names of the template cases are too long
// for a file name).
struct temp_dir {
    static inline int made = 0;
    fs::path path = fs::temp_directory_path() /
                    ("ctnn_onnx_save_" + std::to_string(::getpid()) + "_" + std::to_string(made++));
    temp_dir() { fs::create_directories(path); }
    ~temp_dir() { fs::remove_all(path); }
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;
};

template <class T, class... Layers>
using net = ctnn::network<T, ctnn::input<3>, Layers...>;

// Every activation, in both scalar types, as a hidden layer and (softmax aside) as the last;
// few network types, as each costs compile time.
template <class T>
using every_activation = std::tuple<
    net<T, ctnn::dense<4, ctnn::identity>, ctnn::dense<4, ctnn::tanh>, ctnn::dense<5, ctnn::leaky_relu>,
        ctnn::dense<4, ctnn::swish>, ctnn::dense<3, ctnn::gelu>, ctnn::dense<2, ctnn::softmax>>,
    net<T, ctnn::dense<4, ctnn::relu>, ctnn::dense<4, ctnn::sigmoid>, ctnn::dense<3, ctnn::softplus>,
        ctnn::dense<3, ctnn::elu>, ctnn::dropout<std::ratio<1, 4>>, ctnn::dense<2, ctnn::gelu>>,
    net<T, ctnn::dense<4, ctnn::softplus>, ctnn::dense<4, ctnn::elu>, ctnn::dense<4, ctnn::gelu>,
        ctnn::dense<3, ctnn::identity>, ctnn::dense<2, ctnn::swish>>,
    net<T, ctnn::dense<4, ctnn::swish>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<2, ctnn::leaky_relu>>,
    net<T, ctnn::dense<4, ctnn::gelu>, ctnn::dense<2, ctnn::relu>>, net<T, ctnn::dense<4, ctnn::elu>, ctnn::dense<1, ctnn::sigmoid>>,
    net<T, ctnn::dense<1, ctnn::identity>>>;
using all_nets = decltype(std::tuple_cat(every_activation<float>{}, every_activation<double>{}));

template <class Net>
Net initialised(unsigned seed)
{
    Net n{};
    ctnn::init::xavier_uniform(n, seed);
    return n;
}

template <class Net>
bool same_bits(Net const& a, Net const& b)
{
    using bits = ctnn::detail::bits_t<typename Net::value_type>;
    return std::ranges::equal(a.parameters(), b.parameters(),
                              [](auto x, auto y) { return std::bit_cast<bits>(x) == std::bit_cast<bits>(y); });
}
} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(saved_then_loaded_bit_for_bit, Net, all_nets)
{
    temp_dir dir;
    auto const saved = initialised<Net>(21u);
    auto const w = ctnn::io::save_onnx(saved, dir.path / "m.onnx");
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(w), w.message);
    Net loaded{};
    auto const r = ctnn::io::load_onnx(loaded, dir.path / "m.onnx");
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.message);
    BOOST_TEST(same_bits(loaded, saved));

    // What the file says: the network's layers (its dropout layers aside), ctnn, operator set 14.
    ctnn::io::onnx_mlp m;
    BOOST_REQUIRE(static_cast<bool>(ctnn::io::read_onnx(dir.path / "m.onnx", m)));
    auto expected = ctnn::io::describe(saved);
    std::erase_if(expected.layers, [](auto const& l) { return l.is_dropout(); });
    BOOST_TEST((m.network.layers == expected.layers));
    BOOST_TEST(m.network.inputs == 3U);
    BOOST_TEST(m.is_double == (sizeof(typename Net::value_type) == 8));
    BOOST_TEST(m.opset == 14);
    BOOST_TEST(m.producer == "ctnn " + std::to_string(CTNN_VERSION_MAJOR) + "." + std::to_string(CTNN_VERSION_MINOR) +
                                 "." + std::to_string(CTNN_VERSION_PATCH));
}

// Parameters that are not finite or are subnormal or -0 are written as they are.
BOOST_AUTO_TEST_CASE(every_bit_pattern_of_the_parameters)
{
    temp_dir dir;
    using net_t = net<float, ctnn::dense<2, ctnn::tanh>>;
    net_t saved{};
    auto const p = saved.parameters();
    p[0] = -0.0f;
    p[1] = std::numeric_limits<float>::denorm_min();
    p[2] = std::numeric_limits<float>::infinity();
    p[3] = std::numeric_limits<float>::max();
    p[4] = std::numeric_limits<float>::quiet_NaN();
    p[5] = -std::numeric_limits<float>::min();
    BOOST_REQUIRE(static_cast<bool>(ctnn::io::save_onnx(saved, dir.path / "m.onnx")));
    net_t loaded{};
    BOOST_REQUIRE(static_cast<bool>(ctnn::io::load_onnx(loaded, dir.path / "m.onnx")));
    BOOST_TEST(same_bits(loaded, saved));
}

BOOST_AUTO_TEST_CASE(errors)
{
    temp_dir dir;
    auto const r = ctnn::io::save_onnx(net<float, ctnn::dense<2, ctnn::tanh>>{}, dir.path / "no_dir" / "m.onnx");
    BOOST_TEST((r.error == ctnn::io::file_error::cannot_open));
    BOOST_TEST(r.message.find("no_dir") != std::string::npos);
    // A saved model read into a network of another type: the first difference.
    BOOST_REQUIRE(static_cast<bool>(ctnn::io::save_onnx(initialised<net<float, ctnn::dense<4, ctnn::swish>,
                                                                         ctnn::dense<2, ctnn::gelu>>>(3u),
                                                        dir.path / "m.onnx")));
    auto other = initialised<net<float, ctnn::dense<4, ctnn::swish>, ctnn::dense<2, ctnn::elu>>>(4u);
    auto const before = other;
    auto const l = ctnn::io::load_onnx(other, dir.path / "m.onnx");
    BOOST_TEST(l.message.find("layer 1 is GELU (tanh form) in the model, elu in the network") != std::string::npos,
               l.message);
    BOOST_TEST((other == before));
}
