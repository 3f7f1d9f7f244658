// ctnn's benchmark against dynamic libraries: the problems, then every
// implementation's check against ctnn's results, then the timing. Any
// mismatch ends the program with status 1 before anything is timed.

#include "common.hpp"

namespace bench {

std::vector<spec> const& specs()
{
    static std::vector<spec> const all{
        {"A", {2, 3, 1}, act::sigmoid, act::sigmoid},
        {"B", {8, 32, 32, 4}, act::tanh, act::identity},
        {"C", {64, 32, 10}, act::relu, act::identity},
        {"D", {784, 128, 10}, act::relu, act::identity},
        {"E", {1, 16, 16, 1}, act::relu, act::identity},
    };
    return all;
}

} // namespace bench

namespace {

void register_all()
{
    bench::register_ctnn();
    bench::register_textbook();
#ifdef CTNN_BENCH_HAVE_EIGEN
    bench::register_eigen();
#endif
#ifdef CTNN_BENCH_HAVE_FANN
    bench::register_fann();
#endif
#ifdef CTNN_BENCH_HAVE_TORCH
    bench::register_torch();
#endif
}

} // namespace

int main(int argc, char** argv)
{
    return bench::run_benchmarks(argc, argv, "ctnn_benchmark", register_all);
}
