// io::progress_bar: what its lines show, written to a temporary file.

#define BOOST_TEST_MODULE io_progress
#include <boost/test/unit_test.hpp>

#include <ctnn/io/progress.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// A progress bar writing to a temporary file, and what it wrote.
struct captured {
    std::FILE* file = std::tmpfile();
    ctnn::io::progress_bar bar{file};
    captured(bool plain) { bar.set_plain(plain); }
    ~captured() { std::fclose(file); }
    captured(captured const&) = delete;
    captured& operator=(captured const&) = delete;

    std::string text() const
    {
        std::string out;
        std::rewind(file);
        for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
            out += static_cast<char>(c);
        }
        return out;
    }
};

bool contains(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}

// The number before " samples/s" in the last line that has one.
double last_rate(std::string const& text)
{
    std::size_t const end = text.rfind(" samples/s");
    std::size_t const begin = text.rfind(' ', end - 1) + 1;
    return std::strtod(text.substr(begin, end - begin).c_str(), nullptr);
}

} // namespace

BOOST_AUTO_TEST_CASE(the_first_rate_counts_the_first_batch)
{
    // At least 50 ms pass between the bar's construction and the end of the
    // first batch of 32 samples: at most 640 samples/s, however the clock
    // falls (the first rate used to be measured over no time at all).
    captured c(false);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    c.bar(ctnn::batch_report{1, 1, 10, 32, 0.5, 0.75, 0.25});
    double const rate = last_rate(c.text());
    BOOST_TEST(rate > 0.0, c.text());
    BOOST_TEST(rate <= 640.0, c.text());

    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    c.bar(ctnn::epoch_report<float>{1, 1, 0.5f, 0.75f, 0.25f, 0.f, 0.f});
    BOOST_TEST(last_rate(c.text()) <= 320.0, c.text()); // 32 samples in at least 100 ms
}

BOOST_AUTO_TEST_CASE(a_regression_shows_its_error_not_an_accuracy)
{
    captured c(false);
    c.bar(ctnn::batch_report{1, 1, 2, 8, 0.5, not_a_number, 0.125});
    std::string const batch = c.text();
    BOOST_TEST(contains(batch, "loss 0.5000  mae 0.1250"), batch);
    BOOST_TEST(!contains(batch, "acc"), batch);

    captured plain(true);
    plain.bar(ctnn::epoch_report<float>{1, 3, 0.5f, std::numeric_limits<float>::quiet_NaN(), 0.25f,
                                        std::numeric_limits<float>::quiet_NaN(),
                                        std::numeric_limits<float>::quiet_NaN()});
    std::string const epoch = plain.text();
    BOOST_TEST(contains(epoch, "epoch 1/3  loss 0.5000  mae 0.2500  "), epoch);
    BOOST_TEST(!contains(epoch, "acc"), epoch);
}

BOOST_AUTO_TEST_CASE(a_classification_shows_its_accuracy)
{
    captured c(true);
    c.bar(ctnn::epoch_report<float>{2, 3, 0.5f, 0.75f, 0.25f, 0.625f, 0.5f});
    std::string const epoch = c.text();
    BOOST_TEST(contains(epoch, "epoch 2/3  loss 0.5000  acc 0.7500  val_loss 0.6250  val_acc 0.5000  "), epoch);
}
