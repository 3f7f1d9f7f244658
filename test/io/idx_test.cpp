// The IDX reader on files written by the test: good files (plain and gzip),
// and every kind of bad file, each reported with the file, the position and
// what was expected.

#define BOOST_TEST_MODULE io_idx
#include <boost/test/unit_test.hpp>

#include <ctnn/io/idx.hpp>

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

struct scratch {
    fs::path dir = fs::temp_directory_path() / ("ctnn_idx_test_" + std::to_string(::getpid()));
    scratch() { fs::create_directories(dir); }
    ~scratch() { fs::remove_all(dir); }
    std::string path(char const* name) const { return (dir / name).string(); }
};

std::vector<unsigned char> idx_bytes(std::vector<std::uint32_t> const& dims, std::vector<unsigned char> const& data,
                                     unsigned char type = 0x08)
{
    std::vector<unsigned char> out{0, 0, type, static_cast<unsigned char>(dims.size())};
    for (auto d : dims) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.push_back(static_cast<unsigned char>((d >> static_cast<unsigned>(shift)) & 0xffU));
        }
    }
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

void write_plain(std::string const& path, std::vector<unsigned char> const& bytes)
{
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_gzip(std::string const& path, std::vector<unsigned char> const& bytes)
{
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
}

std::vector<unsigned char> read_all(std::string const& path)
{
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

bool mentions(std::string const& error, std::string const& part)
{
    return error.find(part) != std::string::npos;
}

// Three 2×2 "images" with values 0, 51, 102, ... and their labels.
std::vector<unsigned char> const pixels{0, 51, 102, 153, 204, 255, 0, 0, 1, 2, 3, 4};

} // namespace

BOOST_AUTO_TEST_CASE(reads_plain_and_gzip_files)
{
    scratch s;
    write_plain(s.path("plain.idx"), idx_bytes({3, 2, 2}, pixels));
    write_gzip(s.path("packed.idx.gz"), idx_bytes({3, 2, 2}, pixels));
    for (char const* name : {"plain.idx", "packed.idx.gz"}) {
        auto const r = ctnn::io::read_idx_samples<float, 4>(s.path(name));
        BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.error);
        BOOST_TEST(r.data.size() == 3U);
        BOOST_TEST(r.data[0][1] == 51.0f * (1.0f / 255.0f)); // value · scale, scale = 1/255
        BOOST_TEST(r.data[1][1] == 1.0f);
        BOOST_TEST(r.data[2][3] == 4.0f * (1.0f / 255.0f));
    }
    write_gzip(s.path("labels.gz"), idx_bytes({4}, {0, 9, 3, 1}));
    auto const labels = ctnn::io::read_idx_labels(s.path("labels.gz"), 10);
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(labels), labels.error);
    BOOST_TEST(labels.data == (std::vector<std::size_t>{0, 9, 3, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(missing_file)
{
    auto const r = ctnn::io::read_idx("/nonexistent/ctnn/file.idx");
    BOOST_TEST(!r);
    BOOST_TEST(mentions(r.error, "/nonexistent/ctnn/file.idx"));
    BOOST_TEST(mentions(r.error, "cannot open"));
}

BOOST_AUTO_TEST_CASE(wrong_magic_number)
{
    scratch s;
    write_plain(s.path("text.idx"), {'h', 'e', 'l', 'l', 'o', '\n'});
    auto const r = ctnn::io::read_idx(s.path("text.idx"));
    BOOST_TEST(!r);
    BOOST_TEST(mentions(r.error, "text.idx: byte 0: wrong magic number"), r.error);
    write_plain(s.path("floats.idx"), idx_bytes({1}, {0, 0, 0, 0}, 0x0d));
    auto const f = ctnn::io::read_idx(s.path("floats.idx"));
    BOOST_TEST(mentions(f.error, "byte 2: unsupported element type: expected 0x08 (unsigned byte), found 0x0d"),
               f.error);
}

BOOST_AUTO_TEST_CASE(truncated_files)
{
    scratch s;
    auto bytes = idx_bytes({3, 2, 2}, pixels);
    bytes.resize(bytes.size() - 5);
    write_gzip(s.path("short.gz"), bytes);
    auto const r = ctnn::io::read_idx(s.path("short.gz"));
    BOOST_TEST(!r);
    BOOST_TEST(mentions(r.error, "truncated: expected 12 data bytes after the header, found 7"), r.error);
    BOOST_TEST(mentions(r.error, "byte 23"), r.error); // 16 header bytes + 7

    write_plain(s.path("header.idx"), {0, 0, 8, 3, 0, 0});
    auto const h = ctnn::io::read_idx(s.path("header.idx"));
    BOOST_TEST(mentions(h.error, "truncated: expected dimension 1 of 3"), h.error);

    // A gzip stream cut short: the compressed bytes end mid-stream.
    write_gzip(s.path("cut.gz"), idx_bytes({3, 2, 2}, pixels));
    auto packed = read_all(s.path("cut.gz"));
    packed.resize(packed.size() / 2);
    write_plain(s.path("cut.gz"), packed);
    auto const c = ctnn::io::read_idx(s.path("cut.gz"));
    BOOST_TEST(!c);
    BOOST_TEST(mentions(c.error, "cut.gz"), c.error);
}

BOOST_AUTO_TEST_CASE(corrupt_compressed_data)
{
    scratch s;
    std::vector<unsigned char> big(4096);
    for (std::size_t i = 0; i < big.size(); ++i) {
        big[i] = static_cast<unsigned char>((i * 7919U) % 251U);
    }
    write_gzip(s.path("bad.gz"), idx_bytes({16, 256}, big));
    auto packed = read_all(s.path("bad.gz"));
    for (std::size_t i = 20; i < packed.size() - 10; i += 7) {
        packed[i] = static_cast<unsigned char>(packed[i] ^ 0x5aU);
    }
    write_plain(s.path("bad.gz"), packed);
    auto const r = ctnn::io::read_idx(s.path("bad.gz"));
    BOOST_TEST(!r);
    BOOST_TEST(mentions(r.error, "bad.gz"), r.error);
}

BOOST_AUTO_TEST_CASE(trailing_data)
{
    scratch s;
    auto bytes = idx_bytes({2}, {1, 2});
    bytes.push_back(3);
    write_plain(s.path("long.idx"), bytes);
    auto const r = ctnn::io::read_idx(s.path("long.idx"));
    BOOST_TEST(mentions(r.error, "byte 10: expected end of file after 2 data bytes"), r.error);
}

BOOST_AUTO_TEST_CASE(dimensions_must_fit_the_network)
{
    scratch s;
    write_plain(s.path("images.idx"), idx_bytes({3, 2, 2}, pixels));
    auto const r = ctnn::io::read_idx_samples<float, 784>(s.path("images.idx"));
    BOOST_TEST(!r);
    BOOST_TEST(mentions(r.error, "wrong dimensions for the network's input size: expected 784 values per sample, "
                                 "found 2×2 = 4"),
               r.error);
}

BOOST_AUTO_TEST_CASE(labels_must_be_classes)
{
    scratch s;
    write_plain(s.path("labels.idx"), idx_bytes({3}, {1, 12, 2}));
    auto const r = ctnn::io::read_idx_labels(s.path("labels.idx"), 10);
    BOOST_TEST(mentions(r.error, "byte 9 (label 1): expected a class below 10, found 12"), r.error);
    write_plain(s.path("matrix.idx"), idx_bytes({1, 2}, {1, 2}));
    auto const m = ctnn::io::read_idx_labels(s.path("matrix.idx"), 10);
    BOOST_TEST(mentions(m.error, "expected a one-dimensional label file, found 2 dimensions"), m.error);
}

BOOST_AUTO_TEST_CASE(headers_promising_more_than_the_file_holds)
{
    // A 20-byte file whose header promises 0xFFFFFFFF×3×1 bytes, and a 12-byte
    // label file promising 4·10⁹ labels: refused when the data runs out,
    // having read only what the file holds (plain and gzip alike).
    scratch s;
    write_plain(s.path("images.idx"), idx_bytes({0xFFFFFFFFU, 3, 1}, {1, 2, 3, 4}));
    write_gzip(s.path("images.gz"), idx_bytes({0xFFFFFFFFU, 3, 1}, {1, 2, 3, 4}));
    for (char const* name : {"images.idx", "images.gz"}) {
        auto const r = ctnn::io::read_idx(s.path(name));
        BOOST_TEST(!r);
        BOOST_TEST(mentions(r.error, std::string(name) +
                                         ": byte 20: truncated: expected 12884901885 data bytes after the header, "
                                         "found 4"),
                   r.error);
        auto const samples = ctnn::io::read_idx_samples<float, 3>(s.path(name));
        BOOST_TEST(samples.error == r.error);
    }
    write_plain(s.path("labels.idx"), idx_bytes({4000000000U}, {1, 2, 3, 4}));
    write_gzip(s.path("labels.gz"), idx_bytes({4000000000U}, {1, 2, 3, 4}));
    for (char const* name : {"labels.idx", "labels.gz"}) {
        auto const r = ctnn::io::read_idx_labels(s.path(name), 10);
        BOOST_TEST(!r);
        BOOST_TEST(mentions(r.error, std::string(name) +
                                         ": byte 12: truncated: expected 4000000000 data bytes after the header, "
                                         "found 4"),
                   r.error);
    }
}

BOOST_AUTO_TEST_CASE(dimensions_whose_product_overflows)
{
    // 65536⁴ = 2⁶⁴ wraps to 0 in 64 bits, and 0xFFFFFFFF³ is beyond them.
    scratch s;
    write_plain(s.path("wraps.idx"), idx_bytes({65536, 65536, 65536, 65536}, {}));
    auto const w = ctnn::io::read_idx(s.path("wraps.idx"));
    BOOST_TEST(!w);
    BOOST_TEST(mentions(w.error, "wraps.idx: header: dimensions 65536×65536×65536×65536 describe more elements "
                                 "than memory can address"),
               w.error);
    write_gzip(s.path("huge.gz"), idx_bytes({0xFFFFFFFFU, 0xFFFFFFFFU, 0xFFFFFFFFU}, {1}));
    auto const h = ctnn::io::read_idx(s.path("huge.gz"));
    BOOST_TEST(mentions(h.error, "huge.gz: header: dimensions 4294967295×4294967295×4294967295 describe more "
                                 "elements than memory can address"),
               h.error);

    // No samples, so the file is consistent, but a sample's size overflows:
    // it must not wrap around to the network's input size.
    write_plain(s.path("empty.idx"), idx_bytes({0, 65536, 65536, 65536, 65536}, {}));
    auto const raw = ctnn::io::read_idx(s.path("empty.idx"));
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(raw), raw.error);
    BOOST_TEST(raw.data.values.empty());
    auto const samples = ctnn::io::read_idx_samples<float, 4>(s.path("empty.idx"));
    BOOST_TEST(!samples);
    BOOST_TEST(mentions(samples.error, "expected 4 values per sample, found 65536×65536×65536×65536 = more than "
                                       "memory can address"),
               samples.error);
}
