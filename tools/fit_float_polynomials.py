#!/usr/bin/python3
"""Fits the minimax polynomials of ctnn::math's float kernels (include/ctnn/detail/math_float.hpp).

  exp_float_coefficients   Q with e^r = 1 + r + r^2 Q(r) for |r| <= ln2/2: exp's kernel
                           (so softplus's) and tanh's upper branch
  tanh_small_coefficients  P with tanh(x) = x + x^3 P(x^2) for |x| < 0.7: tanh's lower branch
  exp_sixteenths_coefficients
                           Q with e^r = 1 + r + r^2 Q(r) for |r| <= ln2/32: sigmoid's exp,
                           which takes 2^(j/16) from a table
  exp2_sixteenths, exp2_sixteenths_rest
                           that table: 2^(j/16) = h (1 + rho), h rounded to float, rho the
                           relative rest rounded to float
  sixteenth_ln2_lo         ln2/16 minus its 12-bit head 0x1.62ep-5 (the reduction's two parts)

Each is a weighted minimax fit (Lawson's iteratively reweighted least squares) of the
relative error of the quantity it approximates: e^r for Q, tanh for P. Prints the
coefficients as C++ hex-float literals, rounded to float, and the relative error of the
fit before that rounding. The error of the float evaluation is measured over every float
by test/math_exhaustive_test.cpp, not here.

Needs numpy: run with Debian's /usr/bin/python3 (python3-numpy). The table is computed with
Python's decimal module at 60 digits.
"""
from decimal import Decimal, getcontext

import numpy as np

SPLIT = 0.7
SMALL_TERMS = 5  # coefficients of P
EXP_TERMS = 6    # coefficients of Q
SIXTEENTHS_TERMS = 2  # coefficients of sigmoid's Q
SIXTEENTH_LN2_HI = "0x1.62ep-5"


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


def fit_exp(bound=np.log(2) / 2 * 1.0001, terms=EXP_TERMS, smallest=1e-6):
    """Q for |r| <= bound (the reduction's, with a margin), sampled from |r| > smallest."""
    r = np.linspace(-bound, bound, 40001)
    r = r[np.abs(r) > smallest]
    target = (np.expm1(r) - r) / (r * r)
    weight = r * r / np.exp(r)
    return lawson(np.vander(r, terms, increasing=True), target, weight)


def nearest_float(d):
    """The float nearest the Decimal d: its conversion through double, corrected if that
    rounding twice landed on a neighbour."""
    f = np.float32(float(d))
    candidates = (np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf)))
    return min(candidates, key=lambda c: abs(Decimal(float(c)) - d))


def sixteenths_table():
    """h[j] (2^(j/16) rounded to float) and rho[j] (2^(j/16) / h[j] - 1, rounded)."""
    getcontext().prec = 60
    ln2 = Decimal(2).ln()
    heads, rests = [], []
    for j in range(16):
        exact = (ln2 * j / 16).exp()
        head = nearest_float(exact)
        heads.append(head)
        rests.append(nearest_float(exact / Decimal(float(head)) - 1))
    return heads, rests, nearest_float(ln2 / 16 - Decimal(float.fromhex(SIXTEENTH_LN2_HI)))


def hexfloat(c):
    if c == 0:
        return "0.0f"
    mantissa, exponent = float(np.float32(c)).hex().split("p")
    return mantissa.rstrip("0").rstrip(".") + "p" + exponent + "f"


if __name__ == "__main__":
    fits = (("exp_float_coefficients", fit_exp()), ("tanh_small_coefficients", fit_small()),
            ("exp_sixteenths_coefficients", fit_exp(np.log(2) / 32 * 1.001, SIXTEENTHS_TERMS, 1e-7)))
    for name, (c, err) in fits:
        print(f"// relative error of the fit: {err:.3g} ({err / 2**-24:.3f} x 2^-24)")
        print(f"inline constexpr std::array<float, {len(c)}> {name} = {{")
        print("    " + ", ".join(hexfloat(v) for v in c) + "};")
    heads, rests, ln2_lo = sixteenths_table()
    for name, values in (("exp2_sixteenths", heads), ("exp2_sixteenths_rest", rests)):
        print(f"inline constexpr std::array<float, 16> {name} = {{")
        print("    " + ", ".join(hexfloat(v) for v in values) + "};")
    print(f"inline constexpr float sixteenth_ln2_hi = {SIXTEENTH_LN2_HI}f;")
    print(f"inline constexpr float sixteenth_ln2_lo = {hexfloat(ln2_lo)};")
