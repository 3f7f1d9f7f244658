#ifndef CTNN_SYM_OPS_HPP
#define CTNN_SYM_OPS_HPP

/// \file
/// Operation tags: what each node kind computes numerically. Their
/// simplifying constructors are in `construct.hpp`, their derivatives in
/// `derivative.hpp`.

#include <ctnn/math.hpp>

#include <type_traits>

namespace ctnn::sym::op {

struct plus {
    template <class T>
    static constexpr T apply(T a, T b) noexcept { return a + b; }
};
struct minus {
    template <class T>
    static constexpr T apply(T a, T b) noexcept { return a - b; }
};
struct negate {
    template <class T>
    static constexpr T apply(T a) noexcept { return -a; }
};
struct times {
    template <class T>
    static constexpr T apply(T a, T b) noexcept { return a * b; }
};
struct divides {
    template <class T>
    static constexpr T apply(T a, T b) noexcept { return a / b; }
};

/// Integer power u^N, N >= 2 (smaller exponents are folded away when built).
template <int N>
struct power {
    static_assert(N >= 2, "ctnn::sym::pow<N>: exponents below 2 are simplified before a node is built");
    template <class T>
    static constexpr T apply(T a) noexcept
    {
        // Square-and-multiply: exact for N = 2, 3 and few roundings otherwise.
        return square_and_multiply<N>(unit<T>(), a);
    }

private:
    // 1, also in every lane of a vector T (GCC and Clang convert the scalar
    // operand of a vector operation; see detail/lane_evaluate.hpp).
    template <class T>
    static constexpr T unit() noexcept
    {
        if constexpr (std::is_arithmetic_v<T>) {
            return T(1);
        } else {
            return T{} + 1;
        }
    }

    // Unrolled by the template rather than a loop over the bits of N: a loop
    // with a branch inside another loop (an activation over a layer) keeps
    // GCC from vectorising the outer one.
    template <int M, class T>
    static constexpr T square_and_multiply(T result, T base) noexcept
    {
        if constexpr (M == 0) {
            return result;
        } else {
            if constexpr ((M & 1) != 0) {
                result *= base;
            }
            return square_and_multiply<(M >> 1)>(result, base * base);
        }
    }
};

// The elementary functions evaluate through ctnn::math, which is constexpr and
// vectorisable, so the code a static_assert checks is the code that runs.
struct exp {
    template <class T>
    static constexpr T apply(T a) noexcept { return math::exp(a); }
};
struct expm1 {
    template <class T>
    static constexpr T apply(T a) noexcept { return math::expm1(a); }
};
struct log {
    template <class T>
    static constexpr T apply(T a) noexcept { return math::log(a); }
};
struct log1p {
    template <class T>
    static constexpr T apply(T a) noexcept { return math::log1p(a); }
};
struct tanh {
    template <class T>
    static constexpr T apply(T a) noexcept { return math::tanh(a); }
};
struct sqrt {
    template <class T>
    static constexpr T apply(T a) noexcept { return math::sqrt(a); }
};
struct sigmoid {
    template <class T>
    static constexpr T apply(T a) noexcept { return math::sigmoid(a); }
};
struct softplus {
    template <class T>
    static constexpr T apply(T a) noexcept { return math::softplus(a); }
};

/// Comparisons: conditions for `select`, never values of their own.
struct greater {
    template <class T>
    static constexpr bool apply(T a, T b) noexcept { return a > b; }
};
struct less {
    template <class T>
    static constexpr bool apply(T a, T b) noexcept { return a < b; }
};

/// `select(c, a, b)`: a where the condition holds, b elsewhere. Evaluated
/// lazily, so the branch not taken cannot overflow in constant evaluation.
struct select {};

// is_comparison_v<Op>
template <class Op>
inline constexpr bool is_comparison_v = false;
template <>
inline constexpr bool is_comparison_v<greater> = true;
template <>
inline constexpr bool is_comparison_v<less> = true;

} // namespace ctnn::sym::op

#endif
