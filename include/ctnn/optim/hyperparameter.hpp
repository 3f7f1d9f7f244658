#ifndef CTNN_OPTIM_HYPERPARAMETER_HPP
#define CTNN_OPTIM_HYPERPARAMETER_HPP

/// \file
/// `ctnn::optim::hyperparameter`: a real-valued setting of an optimizer that
/// serves `float` and `double` networks alike (`optim::sgd` has no network
/// type to take its scalar type from).

#include <concepts>
#include <type_traits>

namespace ctnn::optim {

/// A real number as it was given, as a `float` or a `double`, readable in
/// either precision. A `float` network's step reads it as a `float`: the
/// `float` given, or the `float` nearest to the `double` given, converted when
/// the value was set. So a `float` network trained with a value set from a
/// `float` does no `double` arithmetic, which a microcontroller with a
/// single-precision FPU (or none) would do in software. A `double` network
/// reads the `double` given, or the `float` given widened (exactly).
///
///     ctnn::optim::sgd opt{.learning_rate = 0.1f};   // float, or 0.1 (double)
///     opt.learning_rate = 0.05f;
///     double const rate = opt.learning_rate;          // converts to double
class hyperparameter {
public:
    // Not explicit: it is set like the number it holds.
    constexpr hyperparameter(double value) noexcept : double_(value), float_(static_cast<float>(value)) {}
    constexpr hyperparameter(float value) noexcept : float_(value), given_as_float_(true) {}
    template <std::integral I>
    constexpr hyperparameter(I value) noexcept : hyperparameter(static_cast<double>(value))
    {
    }

    /// The value as a T (float, double or long double).
    template <class T>
    [[nodiscard]] constexpr T as() const noexcept
    {
        static_assert(std::is_floating_point_v<T>, "ctnn::optim::hyperparameter::as<T>: T must be float or double");
        if constexpr (std::is_same_v<T, float>) {
            return float_;
        } else {
            return given_as_float_ ? static_cast<T>(float_) : static_cast<T>(double_);
        }
    }

    /// The value as a double.
    constexpr operator double() const noexcept { return as<double>(); }

private:
    double double_ = 0.0; // the value, when given as a double
    float float_;
    bool given_as_float_ = false;
};

} // namespace ctnn::optim

#endif
