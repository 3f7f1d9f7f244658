#ifndef CTNN_IO_PROGRESS_HPP
#define CTNN_IO_PROGRESS_HPP

/// \file
/// Progress reporting for long `fit` runs. Host-only.
///
/// On a terminal, one line per epoch that redraws itself after every batch:
///
///     epoch 2/5 [===========>          ] 1100/1875  loss 0.4213  acc 0.851  52,310 samples/s  ETA 14s
///
/// When the output is not a terminal (a log file, CI), one plain line per
/// epoch, so logs stay readable.
///
/// The accuracy is shown when the targets are class labels; otherwise (a
/// regression, where `fit` reports the accuracy as NaN) the mean absolute
/// error is shown in its place. Times and rates count from the bar's
/// construction for the first epoch and from the previous epoch's line after
/// that: construct the bar just before calling `fit`.

#include <ctnn/train.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace ctnn::io {

/// A callback for `ctnn::fit` that prints progress to `out` (stdout by
/// default). Pass it by reference: `fit(..., options, progress)`.
class progress_bar {
public:
    explicit progress_bar(std::FILE* out = stdout, int width = 24)
        : out_(out), width_(width), terminal_(isatty(fileno(out)) != 0)
    {
    }

    /// Forces plain lines (true) or the redrawn bar (false).
    void set_plain(bool plain) noexcept { terminal_ = !plain; }

    void operator()(batch_report const& b)
    {
        samples_ = b.samples;
        if (!terminal_) {
            return;
        }
        double const elapsed = seconds_since(epoch_start_);
        double const rate = elapsed > 0 ? static_cast<double>(b.samples) / elapsed : 0.0;
        double const eta = b.batch > 0 ? elapsed * static_cast<double>(b.batches - b.batch) / static_cast<double>(b.batch)
                                       : 0.0;
        int const filled = static_cast<int>(static_cast<double>(width_) * static_cast<double>(b.batch) /
                                            static_cast<double>(b.batches));
        std::string bar(static_cast<std::size_t>(width_), ' ');
        for (int i = 0; i < filled; ++i) {
            bar[static_cast<std::size_t>(i)] = '=';
        }
        if (filled < width_) {
            bar[static_cast<std::size_t>(filled)] = '>';
        }
        std::fprintf(out_, "\r\033[2Kepoch %zu [%s] %zu/%zu  loss %.4f  %s  %.0f samples/s  ETA %.0fs", b.epoch,
                     bar.c_str(), b.batch, b.batches, b.loss, metric(b.accuracy, b.mean_absolute_error, 3).c_str(),
                     rate, eta);
        std::fflush(out_);
    }

    template <class T>
    void operator()(epoch_report<T> const& r)
    {
        double const elapsed = seconds_since(epoch_start_);
        double const rate = elapsed > 0 ? static_cast<double>(samples_) / elapsed : 0.0;
        if (terminal_) {
            std::fprintf(out_, "\r\033[2K");
        }
        std::fprintf(out_, "epoch %zu/%zu  loss %.4f  %s", r.epoch, r.epochs, static_cast<double>(r.loss),
                     metric(static_cast<double>(r.accuracy), static_cast<double>(r.mean_absolute_error), 4).c_str());
        if (!std::isnan(static_cast<double>(r.validation_loss))) {
            std::fprintf(out_, "  val_loss %.4f", static_cast<double>(r.validation_loss));
        }
        if (!std::isnan(static_cast<double>(r.validation_accuracy))) {
            std::fprintf(out_, "  val_acc %.4f", static_cast<double>(r.validation_accuracy));
        }
        std::fprintf(out_, "  %.1fs  %.0f samples/s\n", elapsed, rate);
        std::fflush(out_);
        epoch_start_ = clock::now();
    }

private:
    using clock = std::chrono::steady_clock;
    static double seconds_since(clock::time_point start)
    {
        return std::chrono::duration<double>(clock::now() - start).count();
    }

    // "acc 0.851", or "mae 0.1234" when the accuracy is NaN (not class labels).
    static std::string metric(double accuracy, double mean_absolute_error, int digits)
    {
        std::array<char, 48> text{};
        if (std::isnan(accuracy)) {
            std::snprintf(text.data(), text.size(), "mae %.4f", mean_absolute_error);
        } else {
            std::snprintf(text.data(), text.size(), "acc %.*f", digits, accuracy);
        }
        return text.data();
    }

    std::FILE* out_;
    int width_;
    bool terminal_;
    clock::time_point epoch_start_ = clock::now();
    std::size_t samples_ = 0;
};

} // namespace ctnn::io

#endif
