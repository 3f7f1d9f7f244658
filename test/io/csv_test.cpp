// The CSV reader: good files, and each bad input reported with the file, the
// line and column, and what was expected.

#define BOOST_TEST_MODULE io_csv
#include <boost/test/unit_test.hpp>

#include <ctnn/io/csv.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

struct scratch {
    fs::path dir = fs::temp_directory_path() / ("ctnn_csv_test_" + std::to_string(::getpid()));
    scratch() { fs::create_directories(dir); }
    ~scratch() { fs::remove_all(dir); }
    std::string write(char const* name, std::string const& text) const
    {
        auto const p = (dir / name).string();
        std::ofstream(p) << text;
        return p;
    }
};

bool mentions(std::string const& error, std::string const& part)
{
    return error.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_CASE(reads_numbers_with_a_header)
{
    scratch s;
    auto const path = s.write("good.csv", "a,b,target\n1, 2.5 ,-3e2\n\n0.125,-0,4\r\n");
    auto const r = ctnn::io::read_csv<double, 3>(path, {.header = true});
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.error);
    BOOST_TEST(r.data.size() == 2U);
    BOOST_TEST(r.data[0][1] == 2.5);
    BOOST_TEST(r.data[0][2] == -300.0);
    BOOST_TEST(r.data[1][0] == 0.125);
    BOOST_TEST(r.data[1][2] == 4.0);

    auto const [x, t] = ctnn::io::split_columns<2, 1>(std::span<std::array<double, 3> const>(r.data));
    BOOST_TEST(x[1][0] == 0.125);
    BOOST_TEST(t[0][0] == -300.0);
}

BOOST_AUTO_TEST_CASE(other_delimiters)
{
    scratch s;
    auto const r = ctnn::io::read_csv<float, 2>(s.write("semi.csv", "1;2\n3;4\n"), {.delimiter = ';'});
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.error);
    BOOST_TEST(r.data[1][1] == 4.0f);
}

BOOST_AUTO_TEST_CASE(missing_file)
{
    auto const r = ctnn::io::read_csv<float, 2>("/nonexistent/ctnn/data.csv");
    BOOST_TEST(!r);
    BOOST_TEST(mentions(r.error, "/nonexistent/ctnn/data.csv: cannot open"), r.error);
}

BOOST_AUTO_TEST_CASE(non_numeric_cell)
{
    scratch s;
    auto const r = ctnn::io::read_csv<float, 3>(s.write("words.csv", "1,2,3\n4,five,6\n"));
    BOOST_TEST(!r);
    BOOST_TEST(mentions(r.error, "words.csv: line 2, column 2: expected a number, found 'five'"), r.error);
    auto const partial = ctnn::io::read_csv<float, 2>(s.write("partial.csv", "1,2x\n"));
    BOOST_TEST(mentions(partial.error, "line 1, column 2: expected a number, found '2x'"), partial.error);
    auto const empty = ctnn::io::read_csv<float, 2>(s.write("empty_cell.csv", "1,\n"));
    BOOST_TEST(mentions(empty.error, "line 1, column 2: expected a number, found ''"), empty.error);
}

BOOST_AUTO_TEST_CASE(wrong_number_of_columns)
{
    scratch s;
    auto const few = ctnn::io::read_csv<float, 3>(s.write("few.csv", "1,2,3\n4,5\n"));
    BOOST_TEST(mentions(few.error, "few.csv: line 2: expected 3 columns, found 2"), few.error);
    auto const many = ctnn::io::read_csv<float, 2>(s.write("many.csv", "1,2,3\n"));
    BOOST_TEST(mentions(many.error, "many.csv: line 1: expected 2 columns, found more"), many.error);
}

BOOST_AUTO_TEST_CASE(header_is_data_unless_declared)
{
    scratch s;
    auto const r = ctnn::io::read_csv<float, 2>(s.write("named.csv", "x,y\n1,2\n"));
    BOOST_TEST(mentions(r.error, "line 1, column 1: expected a number, found 'x'"), r.error);
}
