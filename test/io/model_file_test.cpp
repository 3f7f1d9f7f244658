// ctnn::io::save and load: files on disk, and the errors a file can cause.

#define BOOST_TEST_MODULE model_file
#include <boost/test/unit_test.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/io/model_file.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {
namespace fs = std::filesystem;
using ctnn::io::file_error;
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<4, ctnn::sigmoid>, ctnn::dense<1, ctnn::identity>>;
using net_wide = ctnn::network<float, ctnn::input<2>, ctnn::dense<5, ctnn::sigmoid>, ctnn::dense<1, ctnn::identity>>;

// A fresh directory per test case, removed afterwards.
struct temp_dir {
    fs::path path;
    temp_dir()
        : path(fs::temp_directory_path() /
               ("ctnn_model_file_" + std::to_string(::getpid()) + "_" +
                boost::unit_test::framework::current_test_case().p_name.get()))
    {
        fs::create_directories(path);
    }
    ~temp_dir() { fs::remove_all(path); }
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;
};

net_t trained()
{
    net_t n{};
    ctnn::init::xavier_uniform(n, 5u);
    return n;
}

std::vector<char> read_all(fs::path const& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(fs::path const& p, std::vector<char> const& bytes)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
} // namespace

BOOST_AUTO_TEST_CASE(save_then_load)
{
    temp_dir dir;
    auto const file = dir.path / "model.ctnn";
    net_t const a = trained();
    auto const saved = ctnn::io::save(a, file);
    BOOST_TEST(static_cast<bool>(saved), saved.message);
    BOOST_TEST(fs::file_size(file) == ctnn::serialized_size_v<net_t>);
    net_t b{};
    auto const loaded = ctnn::io::load(b, file);
    BOOST_TEST(static_cast<bool>(loaded), loaded.message);
    BOOST_TEST((a == b));
}

BOOST_AUTO_TEST_CASE(missing_file)
{
    temp_dir dir;
    net_t n = trained();
    auto const r = ctnn::io::load(n, dir.path / "absent.ctnn");
    BOOST_TEST(!r);
    BOOST_TEST((r.error == file_error::cannot_open));
    BOOST_TEST(r.message.find("absent.ctnn") != std::string::npos);
    BOOST_TEST((n == trained()));
}

BOOST_AUTO_TEST_CASE(unwritable_path)
{
    temp_dir dir;
    auto const r = ctnn::io::save(trained(), dir.path / "no_such_dir" / "model.ctnn");
    BOOST_TEST((r.error == file_error::cannot_open));
    BOOST_TEST(!r.message.empty());
}

BOOST_AUTO_TEST_CASE(wrong_topology_names_both_signatures)
{
    temp_dir dir;
    auto const file = dir.path / "model.ctnn";
    BOOST_TEST(static_cast<bool>(ctnn::io::save(trained(), file)));
    net_wide w{};
    auto const r = ctnn::io::load(w, file);
    BOOST_TEST((r.error == file_error::bad_model));
    BOOST_TEST((r.model == ctnn::load_error::wrong_topology));
    BOOST_TEST(r.message.find("wrong topology") != std::string::npos, r.message);
    BOOST_TEST(r.message.find("17 parameters") != std::string::npos, r.message);
    BOOST_TEST((w == net_wide{}));
}

BOOST_AUTO_TEST_CASE(truncated_and_too_long_files)
{
    temp_dir dir;
    auto const file = dir.path / "model.ctnn";
    BOOST_TEST(static_cast<bool>(ctnn::io::save(trained(), file)));
    auto bytes = read_all(file);

    auto shorter = bytes;
    shorter.pop_back();
    write_all(file, shorter);
    net_t n{};
    auto r = ctnn::io::load(n, file);
    BOOST_TEST((r.model == ctnn::load_error::truncated));
    BOOST_TEST(r.message.find("truncated") != std::string::npos, r.message);

    auto longer = bytes;
    longer.resize(longer.size() + 100, 'x');
    write_all(file, longer);
    r = ctnn::io::load(n, file);
    BOOST_TEST((r.model == ctnn::load_error::trailing_data));

    write_all(file, {});
    r = ctnn::io::load(n, file);
    BOOST_TEST((r.model == ctnn::load_error::truncated));
    BOOST_TEST((n == net_t{}));
}

BOOST_AUTO_TEST_CASE(corrupted_and_foreign_files)
{
    temp_dir dir;
    auto const file = dir.path / "model.ctnn";
    BOOST_TEST(static_cast<bool>(ctnn::io::save(trained(), file)));
    auto bytes = read_all(file);
    bytes[20] = static_cast<char>(bytes[20] ^ 1);
    write_all(file, bytes);
    net_t n{};
    auto r = ctnn::io::load(n, file);
    BOOST_TEST((r.model == ctnn::load_error::bad_checksum));
    BOOST_TEST(r.message.find("checksum") != std::string::npos, r.message);

    std::string const text = "x,y\n1,2\n";
    write_all(file, std::vector<char>(text.begin(), text.end()));
    r = ctnn::io::load(n, file);
    BOOST_TEST((r.model == ctnn::load_error::bad_magic));
    BOOST_TEST((n == net_t{}));
}

BOOST_AUTO_TEST_CASE(short_foreign_files_are_not_models)
{
    // Two bytes of text are "not a ctnn model", not a model cut short.
    temp_dir dir;
    auto const file = dir.path / "note.txt";
    write_all(file, {'h', 'i'});
    net_t n{};
    auto const r = ctnn::io::load(n, file);
    BOOST_TEST((r.model == ctnn::load_error::bad_magic));
    BOOST_TEST(r.message.find("not a ctnn model") != std::string::npos, r.message);
    BOOST_TEST((n == net_t{}));
}

BOOST_AUTO_TEST_CASE(wrong_scalar_type_names_both_types)
{
    using net_double = ctnn::network<double, ctnn::input<2>, ctnn::dense<4, ctnn::sigmoid>, ctnn::dense<1, ctnn::identity>>;
    temp_dir dir;
    auto const file = dir.path / "model.ctnn";
    BOOST_TEST(static_cast<bool>(ctnn::io::save(net_double{}, file)));
    net_t n{};
    auto r = ctnn::io::load(n, file);
    BOOST_TEST((r.model == ctnn::load_error::wrong_scalar_type));
    BOOST_TEST(r.message.find("(file: double; network: float)") != std::string::npos, r.message);

    BOOST_TEST(static_cast<bool>(ctnn::io::save(trained(), file)));
    auto bytes = read_all(file);
    bytes[6] = 7;
    write_all(file, bytes);
    net_double d{};
    r = ctnn::io::load(d, file);
    BOOST_TEST((r.model == ctnn::load_error::wrong_scalar_type));
    BOOST_TEST(r.message.find("(file: unknown scalar type code 7; network: double)") != std::string::npos, r.message);
}
