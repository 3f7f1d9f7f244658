// Two regressions, each checked:
//  1. 2-3(sigmoid)-1(linear) fitting one sample, [1, 2] -> 3, with MSE and
//     SGD at learning rate 0.1 for 1000 epochs, the loss printed every 100.
//  2. 10-10(relu)-1 on a synthetic data set (256 samples from a fixed seed),
//     MSE, Adam at learning rate 0.01, 1000 full-batch epochs.

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstdio>

namespace {

bool single_sample()
{
    using net_t = ctnn::network<double, ctnn::input<2>, ctnn::dense<3, ctnn::sigmoid>, ctnn::dense<1>>;
    net_t net{};
    ctnn::init::xavier_uniform(net, 1u);
    std::array<std::array<double, 2>, 1> const x{{{1, 2}}};
    std::array<std::array<double, 1>, 1> const t{{{3}}};
    ctnn::optim::sgd opt{.learning_rate = 0.1};
    std::printf("2-3-1, one sample [1, 2] -> 3, SGD 0.1\n");
    auto const result = ctnn::fit(net, x, t, ctnn::loss::mse{}, opt, {.epochs = 1000, .batch_size = 1},
                                  [](ctnn::epoch_report<double> const& r) {
                                      if (r.epoch % 100 == 0) {
                                          std::printf("  epoch %4zu  loss %.3e\n", r.epoch, r.loss);
                                      }
                                  });
    double const y = net(x[0])[0];
    std::printf("  prediction %.6f (target 3)\n", y);
    return result.loss < 1e-6 && y > 2.99 && y < 3.01;
}

// 256 samples of 10 features in [-1, 1); the target mixes a linear part with
// a kink, which a ReLU layer can represent.
struct synthetic {
    std::array<std::array<float, 10>, 256> x{};
    std::array<std::array<float, 1>, 256> t{};

    synthetic()
    {
        ctnn::init::pcg32 rng(2024u);
        for (std::size_t s = 0; s < x.size(); ++s) {
            float sum = 0;
            for (std::size_t i = 0; i < 10; ++i) {
                x[s][i] = 2 * rng.uniform01<float>() - 1;
                sum += static_cast<float>(i % 3 == 0 ? 1 : -1) * 0.3f * x[s][i];
            }
            float const kink = x[s][0] + x[s][1] > 0 ? x[s][0] + x[s][1] : 0.0f;
            t[s][0] = sum + kink;
        }
    }
};

bool relu_network()
{
    using net_t = ctnn::network<float, ctnn::input<10>, ctnn::dense<10, ctnn::relu>, ctnn::dense<1>>;
    static synthetic const data;
    net_t net{};
    ctnn::init::he_uniform(net, 3u);
    ctnn::optim::adam<net_t> opt{.learning_rate = 0.01f};
    std::printf("10-10-1 relu, 256 synthetic samples, Adam 0.01, full batch\n");
    float first = 0;
    auto const result = ctnn::fit(net, data.x, data.t, ctnn::loss::mse{}, opt, {.epochs = 1000, .batch_size = 0},
                                  [&](ctnn::epoch_report<float> const& r) {
                                      if (r.epoch == 1) {
                                          first = r.loss;
                                      }
                                      if (r.epoch % 100 == 0) {
                                          std::printf("  epoch %4zu  loss %.3e  mean absolute error %.4f\n",
                                                      r.epoch, static_cast<double>(r.loss),
                                                      static_cast<double>(r.mean_absolute_error));
                                      }
                                  });
    std::printf("  loss fell from %.3e to %.3e (required: below 2e-3)\n", static_cast<double>(first),
                static_cast<double>(result.loss));
    return result.loss < 2e-3f;
}

} // namespace

int main()
{
    bool const first = single_sample();
    bool const second = relu_network();
    return first && second ? 0 : 1;
}
