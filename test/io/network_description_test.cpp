// ctnn::io::network_description: a network type and its parameters as values,
// hashed and checksummed as the type is, and the descriptions that name no
// network type.

#define BOOST_TEST_MODULE network_description
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/io/network_description.hpp>

#include <algorithm>
#include <ratio>
#include <string>

namespace {
using with_dropout = ctnn::network<float, ctnn::input<3>, ctnn::dense<4, ctnn::tanh>, ctnn::dropout<std::ratio<1, 4>>,
                                   ctnn::dense<2, ctnn::softmax>>;
using every_activation =
    ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::identity>, ctnn::dense<3, ctnn::sigmoid>,
                  ctnn::dense<3, ctnn::tanh>, ctnn::dense<3, ctnn::relu>, ctnn::dense<3, ctnn::leaky_relu>,
                  ctnn::dense<3, ctnn::softplus>, ctnn::dense<3, ctnn::swish>, ctnn::dense<3, ctnn::gelu>,
                  ctnn::dense<3, ctnn::elu>, ctnn::dense<2, ctnn::softmax>>;

template <class Net>
Net initialised(unsigned seed)
{
    Net n{};
    ctnn::init::xavier_uniform(n, seed);
    return n;
}

bool mentions(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}
} // namespace

BOOST_AUTO_TEST_CASE(describes_layers_widths_and_parameters)
{
    auto const net = initialised<with_dropout>(7u);
    auto const d = ctnn::io::describe(net);
    BOOST_TEST(d.inputs == 3U);
    BOOST_REQUIRE(d.layers.size() == 3U);
    BOOST_TEST((d.layers[0] == ctnn::io::layer_description{4, "tanh", 0, 0}));
    BOOST_TEST((d.layers[1] == ctnn::io::layer_description{4, "", 1, 4})); // dropout: its input's width
    BOOST_TEST((d.layers[2] == ctnn::io::layer_description{2, "softmax", 0, 0}));
    BOOST_TEST(d.input_width(2) == 4U);
    BOOST_TEST(d.parameter_count() == with_dropout::parameter_count);
    BOOST_TEST(std::ranges::equal(d.parameters, net.parameters()));
    BOOST_TEST(ctnn::io::check_description(d).empty());
    BOOST_TEST(ctnn::io::describe_type<with_dropout>().parameters.empty());
}

BOOST_AUTO_TEST_CASE(signature_and_checksum_are_the_types)
{
    auto const a = initialised<with_dropout>(1u);
    auto const b = initialised<every_activation>(2u);
    BOOST_TEST(ctnn::io::topology_signature(ctnn::io::describe(a)) == ctnn::topology_signature_v<with_dropout>);
    BOOST_TEST(ctnn::io::topology_signature(ctnn::io::describe(b)) == ctnn::topology_signature_v<every_activation>);
    BOOST_TEST(ctnn::io::parameter_crc32(ctnn::io::describe(a)) == ctnn::parameter_crc32(a));
    BOOST_TEST(ctnn::io::parameter_crc32(ctnn::io::describe(b)) == ctnn::parameter_crc32(b));
    // Every built-in name, in the description of a type that uses them all.
    auto const d = ctnn::io::describe_type<every_activation>();
    for (auto const name : ctnn::builtin_activation_names) {
        BOOST_TEST(std::ranges::any_of(d.layers, [&](auto const& l) { return l.activation == name; }), name);
    }
}

BOOST_AUTO_TEST_CASE(descriptions_of_no_network_type)
{
    auto const good = ctnn::io::describe(initialised<with_dropout>(3u));
    auto problem = [&](auto change) {
        auto d = good;
        change(d);
        return ctnn::io::check_description(d);
    };
    BOOST_TEST(mentions(problem([](auto& d) { d.inputs = 0; }), "input"));
    BOOST_TEST(mentions(problem([](auto& d) { d.layers.clear(); }), "no layer"));
    BOOST_TEST(mentions(problem([](auto& d) { d.layers[0].units = 0; }), "layer 0 has no units"));
    BOOST_TEST(mentions(problem([](auto& d) { d.layers[0].activation = "mish"; }), "\"mish\" is not a built-in"));
    BOOST_TEST(mentions(problem([](auto& d) { d.layers[0].activation = "softmax"; }), "only as the last"));
    BOOST_TEST(mentions(problem([](auto& d) { d.layers[1].drop_num = 4; }), "below 1"));
    BOOST_TEST(mentions(problem([](auto& d) { d.layers[1].units = 5; }), "its input's width"));
    BOOST_TEST(mentions(problem([](auto& d) { d.layers.pop_back(); }), "dropout cannot be the last"));
    // 4 (3 + 1) + 2 (4 + 1) = 26
    BOOST_TEST(mentions(problem([](auto& d) { d.parameters.pop_back(); }), "25 parameters for layers that have 26"));
}
