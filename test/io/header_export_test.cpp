// ctnn::io::write_header: what the generated header says, exact literals, and
// errors. (Compiling a generated header is examples/firmware's
// firmware.header_export test and the cross build of the sine model.)

#define BOOST_TEST_MODULE header_export
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/io/header_export.hpp>
#include <ctnn/version.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ratio>
#include <sstream>
#include <string>
#include <utility>

#include <unistd.h>

namespace {
namespace fs = std::filesystem;
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>>;
using net_d = ctnn::network<double, ctnn::input<2>, ctnn::dense<2, ctnn::gelu>, ctnn::dense<2, ctnn::softmax>>;

struct temp_dir {
    fs::path path = fs::temp_directory_path() /
                    ("ctnn_header_export_" + std::to_string(::getpid()) + "_" +
                     boost::unit_test::framework::current_test_case().p_name.get());
    temp_dir() { fs::create_directories(path); }
    ~temp_dir() { fs::remove_all(path); }
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;
};

std::string read_all(fs::path const& p)
{
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool contains(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}
} // namespace

BOOST_AUTO_TEST_CASE(header_names_type_version_signature_and_checksum)
{
    temp_dir dir;
    net_t net{};
    ctnn::init::xavier_uniform(net, 3u);
    auto const r = ctnn::io::write_header(net, dir.path / "m.hpp", "my_model");
    BOOST_TEST(static_cast<bool>(r), r.message);
    std::string const text = read_all(dir.path / "m.hpp");
    BOOST_TEST(contains(text, "using my_model_type = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, "
                              "ctnn::dense<1, ctnn::sigmoid>>;"));
    BOOST_TEST(contains(text, "inline constexpr my_model_type my_model = ctnn::from_parameters<my_model_type>({"));
    BOOST_TEST(contains(text, "static_assert(CTNN_VERSION_MAJOR == " + std::to_string(CTNN_VERSION_MAJOR) +
                                  " && CTNN_VERSION_MINOR == " + std::to_string(CTNN_VERSION_MINOR)));
    BOOST_TEST(contains(text, "#ifndef CTNN_MODEL_MY_MODEL_HPP"));
    BOOST_TEST(contains(text, "// topology: float, 2 -> 3 tanh -> 1 sigmoid"));
    BOOST_TEST(contains(text, ctnn::io::detail::hex32(ctnn::topology_signature_v<net_t>)));
    BOOST_TEST(contains(text, ctnn::io::detail::hex32(ctnn::parameter_crc32(net))));
}

BOOST_AUTO_TEST_CASE(literals_round_trip_exactly)
{
    for (float v : {0.1f, -0.0f, 1e-45f, std::numeric_limits<float>::max(), -3.5f, 1.0f / 3.0f}) {
        std::string const literal = ctnn::io::detail::exact_literal(v);
        BOOST_TEST_CONTEXT(literal)
        {
            BOOST_TEST(std::strtof(literal.c_str(), nullptr) == v);
            BOOST_TEST(std::signbit(std::strtof(literal.c_str(), nullptr)) == std::signbit(v));
            BOOST_TEST(literal.back() == 'f');
        }
    }
    double const third = 1.0 / 3.0;
    BOOST_TEST(std::strtod(ctnn::io::detail::exact_literal(third).c_str(), nullptr) == third);
    // No literal for infinities and NaNs: their bits.
    BOOST_TEST(ctnn::io::detail::exact_literal(std::numeric_limits<float>::infinity()) ==
               "std::bit_cast<float>(0x7f800000U)");
}

BOOST_AUTO_TEST_CASE(double_networks_and_softmax)
{
    temp_dir dir;
    net_d net{};
    ctnn::init::xavier_uniform(net, 4u);
    BOOST_TEST(static_cast<bool>(ctnn::io::write_header(net, dir.path / "d.hpp", "classifier")));
    std::string const text = read_all(dir.path / "d.hpp");
    BOOST_TEST(contains(text, "ctnn::network<double, ctnn::input<2>, ctnn::dense<2, ctnn::gelu>, "
                              "ctnn::dense<2, ctnn::softmax>>"));
}

BOOST_AUTO_TEST_CASE(dropout_layers_are_spelt_and_have_no_parameters)
{
    // The spelling the header must contain, written here as the type it names.
    using spelt = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, ctnn::dropout<std::ratio<1, 4>>,
                                ctnn::dense<1, ctnn::sigmoid>>;
    temp_dir dir;
    spelt net{};
    ctnn::init::xavier_uniform(net, 5u);
    BOOST_TEST(static_cast<bool>(ctnn::io::write_header(net, dir.path / "p.hpp", "dropped")));
    std::string const text = read_all(dir.path / "p.hpp");
    BOOST_TEST(contains(text, "using dropped_type = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, ctnn::tanh>, "
                              "ctnn::dropout<std::ratio<1, 4>>, ctnn::dense<1, ctnn::sigmoid>>;"));
    BOOST_TEST(contains(text, "// topology: float, 2 -> 3 tanh -> dropout 1/4 -> 1 sigmoid"));
    BOOST_TEST(contains(text, "// layer 0 weights [3][2]"));
    BOOST_TEST(contains(text, "// layer 2 weights [1][3]"));
    BOOST_TEST(!contains(text, "// layer 1"));
    BOOST_TEST(contains(text, ctnn::io::detail::hex32(ctnn::topology_signature_v<spelt>)));
}

BOOST_AUTO_TEST_CASE(errors)
{
    temp_dir dir;
    net_t const net{};
    for (char const* bad : {"", "2fast", "my-model", "a b"}) {
        auto const r = ctnn::io::write_header(net, dir.path / "x.hpp", bad);
        BOOST_TEST((r.error == ctnn::io::file_error::bad_argument), bad);
        BOOST_TEST(!fs::exists(dir.path / "x.hpp"));
    }
    // Identifiers the header cannot declare at namespace scope: keywords
    // (alternative tokens too), reserved names, the namespaces it uses.
    for (auto const& [bad, why] : {std::pair{"class", "is a C++ keyword"}, std::pair{"and", "is a C++ keyword"},
                                   std::pair{"co_await", "is a C++ keyword"},
                                   std::pair{"_Model", "is reserved for the implementation"},
                                   std::pair{"my__model", "is reserved for the implementation"},
                                   std::pair{"ctnn", "is a name the generated header uses itself"},
                                   std::pair{"std", "is a name the generated header uses itself"}}) {
        auto const r = ctnn::io::write_header(net, dir.path / "x.hpp", bad);
        BOOST_TEST((r.error == ctnn::io::file_error::bad_argument), bad);
        BOOST_TEST(contains(r.message, "write_header: the name \"" + std::string(bad) + "\" " + why), r.message);
        BOOST_TEST(!fs::exists(dir.path / "x.hpp"));
    }
    for (char const* good : {"class_", "model2", "Model", "final", "x"}) {
        auto const r = ctnn::io::write_header(net, dir.path / "x.hpp", good);
        BOOST_TEST(static_cast<bool>(r), good << ": " << r.message);
    }
    auto const r = ctnn::io::write_header(net, dir.path / "missing_dir" / "x.hpp", "ok_name");
    BOOST_TEST((r.error == ctnn::io::file_error::cannot_open));
    BOOST_TEST(contains(r.message, "missing_dir"));
}

BOOST_AUTO_TEST_CASE(golden_checks_and_the_generator_line)
{
    temp_dir dir;
    net_t net{};
    ctnn::init::xavier_uniform(net, 6u);
    ctnn::io::header_options<float> options;
    options.generator = "a test";
    options.golden = {{{0.5f, -2.0f}, {0.75}, {0x1p-20}}, {{0.0f, 1.0f}, {-0.25}, {0x1p-21}}};
    options.golden_note = {"first line", "second line"};
    auto const r = ctnn::io::write_header(ctnn::io::describe(net), dir.path / "g.hpp", "golden", options);
    BOOST_TEST(static_cast<bool>(r), r.message);
    std::string const text = read_all(dir.path / "g.hpp");
    BOOST_TEST(contains(text, "// Generated by a test (ctnn " + std::to_string(CTNN_VERSION_MAJOR) + "." +
                                  std::to_string(CTNN_VERSION_MINOR) + "." + std::to_string(CTNN_VERSION_PATCH) + ")"));
    BOOST_TEST(contains(text, "// first line\n// second line\nnamespace golden_golden {\n"));
    BOOST_TEST(contains(text, "inline constexpr golden_type::output_type y0 = golden({0x1p-1f, -0x1p+1f});"));
    BOOST_TEST(contains(text, "inline constexpr golden_type::output_type y1 = golden({0x0p+0f, 0x1p+0f});"));
    BOOST_TEST(contains(text, "static_assert(golden_golden::within(golden_golden::y0[0], 0x1.8p-1, 0x1p-20),"));
    BOOST_TEST(contains(text, "static_assert(golden_golden::within(golden_golden::y1[0], -0x1p-2, 0x1p-21),"));
    BOOST_TEST(contains(text, "\"golden: output 0 at golden input 1 is not -0.25 +- 4.76837158e-07"));
}

BOOST_AUTO_TEST_CASE(descriptions_and_golden_checks_that_do_not_fit)
{
    temp_dir dir;
    auto d = ctnn::io::describe(net_t{});
    d.layers[0].activation = "mish";
    auto const r = ctnn::io::write_header(d, dir.path / "x.hpp", "bad");
    BOOST_TEST((r.error == ctnn::io::file_error::bad_argument));
    BOOST_TEST(contains(r.message, "\"mish\" is not a built-in activation"));
    ctnn::io::header_options<float> options;
    options.golden = {{{0.5f}, {0.75}, {0x1p-20}}}; // one input for a network of two
    auto const g = ctnn::io::write_header(ctnn::io::describe(net_t{}), dir.path / "x.hpp", "bad", options);
    BOOST_TEST((g.error == ctnn::io::file_error::bad_argument));
    BOOST_TEST(contains(g.message, "golden check"));
    BOOST_TEST(!fs::exists(dir.path / "x.hpp"));
}
