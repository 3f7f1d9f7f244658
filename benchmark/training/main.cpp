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

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    bench::register_training_ctnn();
    bench::register_training_textbook();
#ifdef CTNN_BENCH_HAVE_EIGEN
    bench::register_training_eigen();
#endif
#ifdef CTNN_BENCH_HAVE_TORCH
    bench::register_training_torch();
#endif
    if (bench::failures() != 0) {
        std::fprintf(stderr, "ctnn_training_benchmark: %d implementation(s) disagree with ctnn; nothing timed\n",
                     bench::failures());
        return 1;
    }
    std::fprintf(stderr, "ctnn_training_benchmark: every implementation agrees with ctnn (outputs and steps)\n");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
