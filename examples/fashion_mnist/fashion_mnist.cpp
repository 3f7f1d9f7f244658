// The classic Keras tutorial model on Fashion-MNIST: 784-128(relu)-10(softmax),
// Adam, sparse cross-entropy, 5 epochs, batch 32. Reads the IDX files of
// Debian's dataset-fashion-mnist package (or a directory given as the first
// argument) and exits non-zero unless test accuracy reaches 0.87.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/idx.hpp>
#include <ctnn/io/progress.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

using model = ctnn::network<float, ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>;

int main(int argc, char** argv)
{
    std::string const dir = argc > 1 ? argv[1] : "/usr/share/datasets/fashion-mnist";
    auto const train_x = ctnn::io::read_idx_samples<float, 784>(dir + "/train-images-idx3-ubyte.gz");
    auto const train_y = ctnn::io::read_idx_labels(dir + "/train-labels-idx1-ubyte.gz", 10);
    auto const test_x = ctnn::io::read_idx_samples<float, 784>(dir + "/t10k-images-idx3-ubyte.gz");
    auto const test_y = ctnn::io::read_idx_labels(dir + "/t10k-labels-idx1-ubyte.gz", 10);
    for (auto const* error : {&train_x.error, &train_y.error, &test_x.error, &test_y.error}) {
        if (!error->empty()) {
            std::fprintf(stderr, "fashion_mnist: %s\n(install Debian's dataset-fashion-mnist package)\n",
                         error->c_str());
            return 2;
        }
    }
    std::printf("%zu training and %zu test images\n", train_x.data.size(), test_x.data.size());

    // 100,000 parameters and Adam's two moments: heap-allocated here only
    // because they are large for a stack; the library itself allocates nothing.
    auto net = std::make_unique<model>();
    ctnn::init::he_uniform(*net, 1u);
    auto opt = std::make_unique<ctnn::optim::adam<model>>();
    opt->learning_rate = 1e-3f;

    ctnn::io::progress_bar progress;
    // Wall time, and the process's CPU time, which on a shared machine counts only the time it ran.
    auto const start = std::chrono::steady_clock::now();
    std::clock_t const cpu_start = std::clock();
    auto const result = ctnn::fit(*net, train_x.data, train_y.data, ctnn::loss::sparse_cross_entropy{}, *opt,
                                  {.epochs = 5, .batch_size = 32, .seed = 1}, progress);
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double const cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;

    float const accuracy = ctnn::metrics::accuracy(*net, std::span(test_x.data), std::span(test_y.data));
    std::printf("trained %zu epochs in %.2f s, CPU time %.2f s (%.0f samples/s); final training loss %.4f\n",
                result.epochs, seconds, cpu_seconds, static_cast<double>(result.epochs * train_x.data.size()) / seconds,
                static_cast<double>(result.loss));
    std::printf("test accuracy %.4f (required: 0.87)\n", static_cast<double>(accuracy));
    return accuracy >= 0.87f ? 0 : 1;
}
