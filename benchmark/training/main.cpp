// ctnn's training benchmark: steps of SGD, SGD with momentum and Adam, on one
// sample and on a batch, against a hand-written Eigen MLP, libtorch's
// optimizers and the textbook MLP. Every implementation is checked against
// ctnn's results first; any mismatch ends the program with status 1 before
// anything is timed.

#include "training.hpp"

namespace bench {

std::vector<spec> const& specs()
{
    static std::vector<spec> const all{
        {"B", {8, 32, 32, 4}, act::tanh, act::identity},
        {"C'", {64, 32, 32, 10}, act::relu, act::identity},
        {"D'", {784, 128, 64, 10}, act::relu, act::identity},
    };
    return all;
}

} // namespace bench

namespace {

void register_all()
{
    bench::register_training_ctnn();
    bench::register_training_textbook();
#ifdef CTNN_BENCH_HAVE_EIGEN
    bench::register_training_eigen();
#endif
#ifdef CTNN_BENCH_HAVE_TORCH
    bench::register_training_torch();
#endif
}

} // namespace

int main(int argc, char** argv)
{
    return bench::run_benchmarks(argc, argv, "ctnn_training_benchmark", register_all);
}
