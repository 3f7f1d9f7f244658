// The C++ blocks of docs/training.md (each between two `//! [name]` lines), built and run by
// the tests; tools/check_snippets.py checks that the page shows them as they are here.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/csv.hpp>

#include "expect.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <ratio>
#include <vector>

//! [dropout-network]
using mnist_net = ctnn::network<float, ctnn::input<784>,
                                ctnn::dense<128, ctnn::relu>,
                                ctnn::dropout<std::ratio<1, 5>>,   // drops 20% of the 128 units
                                ctnn::dense<10, ctnn::softmax>>;
//! [dropout-network]
static_assert(mnist_net::parameter_count == 784 * 128 + 128 + 128 * 10 + 10 && mnist_net::widths[2] == 128);

namespace {

// Three classes of points in the plane, around three centres.
using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<16, ctnn::relu>, ctnn::dense<3, ctnn::softmax>>;

bool train_a_classifier()
{
    std::vector<net_t::input_type> samples;
    std::vector<std::size_t> targets;
    ctnn::pcg32 rng(3);
    std::array<std::array<float, 2>, 3> const centres{{{-1.f, 0.f}, {1.f, 0.f}, {0.f, 1.5f}}};
    for (std::size_t k = 0; k < 300; ++k) {
        std::size_t const c = k % 3;
        samples.push_back({centres[c][0] + rng.normal<float>() / 2, centres[c][1] + rng.normal<float>() / 2});
        targets.push_back(c);
    }
    net_t net{};
    ctnn::init::he_uniform(net, 1u);
    auto const before = ctnn::metrics::evaluate(net, samples, targets, ctnn::loss::sparse_cross_entropy{});

    //! [fit]
    ctnn::optim::adam<net_t> opt{.learning_rate = 1e-2f};
    auto const on_epoch = [](ctnn::epoch_report<float> const& r) {
        std::printf("epoch %zu of %zu: loss %.4f, accuracy %.3f\n", r.epoch, r.epochs, double(r.loss),
                    double(r.accuracy));
    };
    auto const result = ctnn::fit(net, samples, targets, ctnn::loss::sparse_cross_entropy{}, opt,
                                  {.epochs = 5, .batch_size = 32, .seed = 1}, on_epoch);
    if (result.reason == ctnn::stop_reason::invalid_input || result.reason == ctnn::stop_reason::diverged) {
        return false;   // the data cannot be trained on, or training diverged: see below
    }
    //! [fit]

    auto const after = ctnn::metrics::evaluate(net, samples, targets, ctnn::loss::sparse_cross_entropy{});
    expect(result.reason == ctnn::stop_reason::epochs_done && result.epochs == 5, "five epochs");
    expect(std::isfinite(result.loss) && after.mean_loss() < before.mean_loss() / 2, "the loss falls");
    expect(after.accuracy() > 0.8f, "most points classified");
    return true;
}

// Returns 1 when data.csv cannot be read, else 0 (2 if what was read is not what was written).
int read_data()
{
    //! [read-csv]
    auto const rows = ctnn::io::read_csv<float, 3>("data.csv", {.header = true});
    if (!rows) {
        std::fprintf(stderr, "%s\n", rows.error.c_str());   // the file, the position, what was expected
        return 1;
    }
    auto const [xs, ts] = ctnn::io::split_columns<2, 1>(rows.data);   // two input columns, one target
    //! [read-csv]
    return xs.size() == 2 && xs[1][1] == 5.f && ts[1][0] == 6.f ? 0 : 2;
}

void write(char const* text)
{
    std::ofstream("data.csv") << text;
}

} // namespace

int main()
{
    expect(train_a_classifier(), "fit trained");
    write("x,y,t\n1,2,3\n4,five,6\n");
    expect(read_data() == 1, "a cell that is not a number is reported");
    write("x,y,t\n1,2,3\n4,5,6\n");
    expect(read_data() == 0, "the rows, split into inputs and targets");
}
