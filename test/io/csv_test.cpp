// The CSV reader: good files, and each bad input reported with the file, the
// line and column, and what was expected.

#define BOOST_TEST_MODULE io_csv
#include <boost/test/unit_test.hpp>

#include <ctnn/io/csv.hpp>

#include <cmath>
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

    auto const [x, t] = ctnn::io::split_columns<2, 1>(r.data);
    BOOST_TEST(x[1][0] == 0.125);
    BOOST_TEST(t[0][0] == -300.0);
    // Any form of data set, as fit takes: here a mutable span and an array.
    auto rows = r.data;
    auto const [xs, ts] = ctnn::io::split_columns<1, 2>(std::span<std::array<double, 3>>(rows));
    BOOST_TEST(xs[0][0] == 1.0);
    BOOST_TEST(ts[1][1] == 4.0);
    std::array<std::array<float, 2>, 1> const one{{{5.0f, 6.0f}}};
    BOOST_TEST((ctnn::io::split_columns<1, 1>(one).second[0][0] == 6.0f));
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

BOOST_AUTO_TEST_CASE(non_finite_values_are_refused_unless_allowed)
{
    scratch s;
    for (char const* cell : {"nan", "NaN", "inf", "-inf", "Infinity"}) {
        auto const path = s.write("special.csv", std::string("1,2\n3,") + cell + "\n");
        auto const r = ctnn::io::read_csv<float, 2>(path);
        BOOST_TEST(!r);
        BOOST_TEST(mentions(r.error, "special.csv: line 2, column 2: expected a finite number, found '" +
                                         std::string(cell) + "' (csv_options::allow_non_finite"),
                   r.error);
        auto const allowed = ctnn::io::read_csv<float, 2>(path, {.allow_non_finite = true});
        BOOST_REQUIRE_MESSAGE(static_cast<bool>(allowed), allowed.error);
        BOOST_TEST(!std::isfinite(allowed.data[1][1]));
    }
}

BOOST_AUTO_TEST_CASE(numbers_out_of_the_scalar_range)
{
    scratch s;
    auto const path = s.write("large.csv", "1,1e999\n");
    auto const d = ctnn::io::read_csv<double, 2>(path);
    BOOST_TEST(mentions(d.error, "large.csv: line 1, column 2: number out of the range of double: '1e999'"), d.error);
    // Beyond float's largest finite value (3.4028235e38), within double's.
    auto const f = ctnn::io::read_csv<float, 2>(s.write("float.csv", "3.4e38,-3.5e38\n"));
    BOOST_TEST(mentions(f.error, "line 1, column 2: number out of the range of float: '-3.5e38'"), f.error);
    auto const ok = ctnn::io::read_csv<double, 2>(s.write("double.csv", "3.4e38,-3.5e38\n"));
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(ok), ok.error);
    BOOST_TEST(ok.data[0][1] == -3.5e38);
}

BOOST_AUTO_TEST_CASE(a_file_without_data_is_an_error)
{
    scratch s;
    auto const empty = ctnn::io::read_csv<float, 2>(s.write("empty.csv", ""));
    BOOST_TEST(!empty);
    BOOST_TEST(mentions(empty.error, "empty.csv: expected at least one row of 2 numbers, found an empty file"),
               empty.error);
    auto const header = ctnn::io::read_csv<float, 2>(s.write("header.csv", "x,y\n\n"), {.header = true});
    BOOST_TEST(!header);
    BOOST_TEST(mentions(header.error, "header.csv: expected at least one row of 2 numbers, found only the header"),
               header.error);
    auto const blank = ctnn::io::read_csv<float, 2>(s.write("blank.csv", "\n  \n"));
    BOOST_TEST(mentions(blank.error, "found only blank lines"), blank.error);
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_skipped)
{
    scratch s;
    auto const r = ctnn::io::read_csv<float, 2>(s.write("bom.csv", "\xEF\xBB\xBF" "1,2\n3,4\n"));
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.error);
    BOOST_TEST(r.data[0][0] == 1.0f);
    auto const named = ctnn::io::read_csv<float, 2>(s.write("bom_header.csv", "\xEF\xBB\xBF" "x,y\n1,2\n"),
                                                    {.header = true});
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(named), named.error);
    BOOST_TEST(named.data.size() == 1U);
}

BOOST_AUTO_TEST_CASE(invisible_characters_are_shown_in_messages)
{
    scratch s;
    // A byte-order mark in the middle of the file, and a non-breaking space.
    auto const r = ctnn::io::read_csv<float, 2>(s.write("odd.csv", "1,2\n\xEF\xBB\xBF" "3,4\n"));
    BOOST_TEST(mentions(r.error, "line 2, column 1: expected a number, found '\\xef\\xbb\\xbf3'"), r.error);
    auto const n = ctnn::io::read_csv<float, 2>(s.write("nbsp.csv", "1,\xC2\xA0" "2\n"));
    BOOST_TEST(mentions(n.error, "line 1, column 2: expected a number, found '\\xc2\\xa02'"), n.error);
}
