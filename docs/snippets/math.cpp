// The C++ block of docs/math.md: ctnn::math's functions, declared here again. A declaration
// that differed from the library's would be an error (another exception specification) or
// declare another template, and the calls below would then be ambiguous. Built and run by the
// tests; tools/check_snippets.py checks that the page shows the declarations as they are here.

#include <ctnn/math.hpp>

#include "expect.hpp"

#include <concepts>
#include <limits>

namespace ctnn::math {

//! [declarations]
template <std::floating_point T> constexpr T    exp(T x) noexcept;
template <std::floating_point T> constexpr T    expm1(T x) noexcept;
template <std::floating_point T> constexpr T    log(T x) noexcept;
template <std::floating_point T> constexpr T    log1p(T x) noexcept;
template <std::floating_point T> constexpr T    tanh(T x) noexcept;
template <std::floating_point T> constexpr T    sigmoid(T x) noexcept;   // 1 / (1 + e^-x)
template <std::floating_point T> constexpr T    softplus(T x) noexcept;  // log(1 + e^x)
template <std::floating_point T> constexpr T    sqrt(T x) noexcept;
template <std::floating_point T> constexpr T    abs(T x) noexcept;
template <std::floating_point T> constexpr bool isnan(T x) noexcept;
template <std::floating_point T> constexpr bool isinf(T x) noexcept;
template <std::floating_point T> constexpr bool isfinite(T x) noexcept;
//! [declarations]

} // namespace ctnn::math

namespace math = ctnn::math;

// Values that are exact (math.md, "Special values"), in constant evaluation and at run time.
template <class T>
constexpr bool special_values(T zero)
{
    T const inf = std::numeric_limits<T>::infinity();
    return math::exp(zero) == 1 && math::expm1(zero) == 0 && math::log(zero + 1) == 0 && math::log1p(zero) == 0 &&
           math::tanh(zero) == 0 && math::sigmoid(zero) == T(0.5) && math::softplus(-inf) == 0 &&
           math::sqrt(zero + 4) == 2 && math::abs(zero - 3) == 3 && math::isinf(math::exp(inf)) &&
           math::isnan(math::log(zero - 1)) && math::isfinite(math::tanh(inf));
}
static_assert(special_values(0.f) && special_values(0.0));

int main()
{
    volatile float zero_f = 0.f; // read at run time
    volatile double zero_d = 0.0;
    expect(special_values(float(zero_f)) && special_values(double(zero_d)), "the special values at run time");
}
