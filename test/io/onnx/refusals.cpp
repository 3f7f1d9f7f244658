// Every model ctnn::io::load_onnx refuses, with what the result says, and the network left
// unchanged: models that differ from the network's type (widths, activations, depth), models
// ctnn cannot represent (onnx_models.py lists them), and files that are no model at all
// (missing, empty, not ONNX, truncated at every length).

#define BOOST_TEST_MODULE onnx_refusals
#include <boost/test/unit_test.hpp>

#include <onnx_models.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/io/onnx.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

namespace {
namespace fs = std::filesystem;
using ctnn::io::file_error;

template <class Net>
Net initialised()
{
    Net n{};
    ctnn::init::xavier_uniform(n, 11u);
    return n;
}

bool mentions(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}

std::string read_all(fs::path const& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct temp_dir {
    fs::path path = fs::temp_directory_path() / ("ctnn_onnx_refusals_" + std::to_string(::getpid()));
    temp_dir() { fs::create_directories(path); }
    ~temp_dir() { fs::remove_all(path); }
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;
};

using small_net = onnx_models::mix_a_float::network;
} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(refused_with_the_network_unchanged, Case, onnx_models::all_refusals)
{
    using net_t = typename Case::network;
    auto const before = initialised<net_t>();
    net_t net = before;
    auto const r = ctnn::io::load_onnx(net, Case::path);
    BOOST_TEST(!r, Case::name);
    BOOST_TEST((r.error == Case::error), Case::name << ": error " << static_cast<int>(r.error) << ": " << r.message);
    BOOST_TEST(mentions(r.message, Case::message), Case::name << ": " << r.message);
    BOOST_TEST(mentions(r.message, Case::path), r.message);
    BOOST_TEST((net == before), Case::name);
    if (r.error == file_error::bad_model) {
        BOOST_TEST((r.model == ctnn::load_error::wrong_topology));
    }
}

BOOST_AUTO_TEST_CASE(files_that_are_no_model)
{
    temp_dir dir;
    auto const before = initialised<small_net>();
    small_net net = before;
    auto const missing = ctnn::io::load_onnx(net, dir.path / "missing.onnx");
    BOOST_TEST((missing.error == file_error::cannot_open));
    BOOST_TEST(mentions(missing.message, "missing.onnx"));

    std::ofstream(dir.path / "empty.onnx").flush();
    auto const empty = ctnn::io::load_onnx(net, dir.path / "empty.onnx");
    BOOST_TEST((empty.error == file_error::malformed));
    BOOST_TEST(mentions(empty.message, "is empty"), empty.message);

    std::ofstream(dir.path / "text.onnx") << "This is a text file, not a model.\n";
    auto const text = ctnn::io::load_onnx(net, dir.path / "text.onnx");
    BOOST_TEST((text.error == file_error::malformed));
    BOOST_TEST(mentions(text.message, "is not an ONNX model"), text.message);

    // A directory opens but cannot be read.
    auto const directory = ctnn::io::load_onnx(net, dir.path);
    BOOST_TEST(!directory);
    BOOST_TEST((net == before));
}

// Every proper prefix of a valid model is refused: protobuf fails inside a field or a nested
// message, and a cut between the model's own fields leaves the graph or the operator set out.
BOOST_AUTO_TEST_CASE(truncated_at_every_length)
{
    std::string const whole = read_all(onnx_models::mix_a_float::path);
    BOOST_REQUIRE(whole.size() > 100U);
    auto const before = initialised<small_net>();
    small_net net = before;
    BOOST_REQUIRE(static_cast<bool>(ctnn::io::detail::load_onnx_bytes(net, whole, "whole")));
    net = before;
    for (std::size_t n = 0; n < whole.size(); ++n) {
        auto const r = ctnn::io::detail::load_onnx_bytes(net, whole.substr(0, n), "prefix");
        BOOST_TEST(!r, n << " of " << whole.size() << " bytes");
        BOOST_TEST((r.error == file_error::malformed), n << " bytes: " << r.message);
    }
    BOOST_TEST((net == before));
    // Through a file, once.
    temp_dir dir;
    std::ofstream(dir.path / "cut.onnx", std::ios::binary) << whole.substr(0, whole.size() / 2);
    auto const r = ctnn::io::load_onnx(net, dir.path / "cut.onnx");
    BOOST_TEST((r.error == file_error::malformed), r.message);
    BOOST_TEST((net == before));
}
