#!/usr/bin/python3
"""Fits the minimax polynomials of ctnn::math's float kernels (include/ctnn/detail/math_float.hpp).

  exp_float_coefficients   Q with e^r = 1 + r + r^2 Q(r) for |r| <= ln2/2: exp's kernel
                           (so sigmoid's and softplus's) and tanh's upper branch
  tanh_small_coefficients  P with tanh(x) = x + x^3 P(x^2) for |x| < 0.7: tanh's lower branch

Each is a weighted minimax fit (Lawson's iteratively reweighted least squares) of the
relative error of the quantity it approximates: e^r for Q, tanh for P. Prints the
coefficients as C++ hex-float literals, rounded to float, and the relative error of the
fit before that rounding. The error of the float evaluation is measured over every float
by test/math_exhaustive_test.cpp, not here.

Needs numpy: run with Debian's /usr/bin/python3 (python3-numpy).
"""
import numpy as np

SPLIT = 0.7
SMALL_TERMS = 5  # coefficients of P
EXP_TERMS = 6    # coefficients of Q


def lawson(basis, target, weight, iterations=300):
    """Coefficients c minimising max |weight * (basis @ c - target)|."""
    lw = np.full(len(target), 1.0 / len(target))
    best = (np.inf, None)
    for _ in range(iterations):
        w = np.sqrt(lw) * weight
        c, *_ = np.linalg.lstsq(basis * w[:, None], target * w, rcond=None)
        err = weight * (basis @ c - target)
        worst = np.max(np.abs(err))
        if worst < best[0]:
            best = (worst, c)
        lw = np.maximum(lw * np.abs(err), 1e-300)
        lw /= lw.sum()
    return best[1], best[0]


def fit_small():
    x = np.linspace(1e-3, SPLIT, 40001)
    z = x * x
    target = (np.tanh(x) - x) / (x * z)
    weight = x * z / np.tanh(x)  # an error d in P is an error x^3 d in tanh
    return lawson(np.vander(z, SMALL_TERMS, increasing=True), target, weight)


def fit_exp():
    half_ln2 = np.log(2) / 2 * 1.0001  # the reduction's |r| bound, with a margin
    r = np.linspace(-half_ln2, half_ln2, 40001)
    r = r[np.abs(r) > 1e-6]
    target = (np.expm1(r) - r) / (r * r)
    weight = r * r / np.exp(r)
    return lawson(np.vander(r, EXP_TERMS, increasing=True), target, weight)


def hexfloat(c):
    mantissa, exponent = float(np.float32(c)).hex().split("p")
    return mantissa.rstrip("0").rstrip(".") + "p" + exponent + "f"


if __name__ == "__main__":
    for name, (c, err) in (("exp_float_coefficients", fit_exp()), ("tanh_small_coefficients", fit_small())):
        print(f"// relative error of the fit: {err:.3g} ({err / 2**-24:.3f} x 2^-24)")
        print(f"inline constexpr std::array<float, {len(c)}> {name} = {{")
        print("    " + ", ".join(hexfloat(v) for v in c) + "};")
