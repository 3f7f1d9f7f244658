// d() of expressions, static_asserted to the forms worked out by hand.
// Each line fails to compile if a rule or a simplification changes.

#include <ctnn/activation.hpp>
#include <ctnn/sym.hpp>

namespace {

using namespace ctnn::sym;

// Leaves.
static_assert(d(x) == 1);
static_assert(d(constant{3.0}) == 0);
static_assert(d(y) == 0, "y is another variable: constant with respect to x");
static_assert(d(y * y, y) == 2 * y, "y y simplifies to y^2 before it is differentiated");

// Linear combinations: 1 e -> e, e + 0 -> e, constants folded.
static_assert(d(3 * x + 2) == 3);
static_assert(d(x - 5 * x) == -4, "1 - 5 x' folds to the constant -4");
static_assert(d(-(-x)) == 1, "-(-e) -> e");
static_assert(d(x * x) == 2 * x, "e e -> e^2, then the power rule");
static_assert(d(pow<3>(x)) == 3 * pow<2>(x));
static_assert(d(2 * pow<3>(x)) == 6 * pow<2>(x), "constants multiply through");

// Elementary functions: the chain rule and 0 e -> 0.
static_assert(d(exp(x)) == exp(x));
static_assert(d(exp(-x)) == -exp(-x));
static_assert(d(exp(2 * x)) == 2 * exp(2 * x));
static_assert(d(log(x)) == 1 / x);
static_assert(d(log1p(x)) == 1 / (1 + x));
static_assert(d(tanh(x)) == 1 - pow<2>(tanh(x)));
static_assert(d(sqrt(x)) == 1 / (2 * sqrt(x)));
static_assert(d(sigmoid(x)) == sigmoid(x) * (1 - sigmoid(x)));
static_assert(d(softplus(x)) == sigmoid(x));
static_assert(d(expm1(x)) == exp(x));

// Quotient rule, with 0 a' -> 0 and 0 - e -> -e.
static_assert(d(1 / x) == -1 / pow<2>(x));
static_assert(d(x / (1 + exp(-x))) == ((1 + exp(-x)) + x * exp(-x)) / pow<2>(1 + exp(-x)));

// Piecewise: each piece is differentiated, the condition kept.
static_assert(d(max(x, 0)) == select(x > 0, one{}, zero{}));
static_assert(d(select(x > 0, x, 0.01 * x)) == select(x > 0, one{}, constant{0.01}));

// Inverses cancel as they are built.
static_assert(log(exp(x)) == x);
static_assert(d(log(exp(x))) == 1);

// Structural equality is not numeric equality.
static_assert(!(x * x == 2 * x));
static_assert(!(d(exp(x)) == exp(2 * x)));

// Evaluation, at compile time, for float and double.
static_assert(d(x * x)(3.0) == 6.0);
static_assert(d(pow<3>(x))(2.0f) == 12.0f);
static_assert(d(max(x, 0))(0.0) == 0.0, "ReLU has slope 0 at the kink, as in PyTorch");
static_assert(d(max(x, 0))(1e-30) == 1.0);
static_assert(evaluate(pow<2>(y - t) / 2, bindings<double>{.y = 3.0, .t = 1.0}) == 2.0);

// Substitution: tanh' written with tanh's own output y.
static_assert(substitute(d(tanh(x)), tanh(x), y) == 1 - pow<2>(y));
static_assert(substitute(d(sigmoid(x)), sigmoid(x), y) == y * (1 - y));

// What the built-in activations' backward passes evaluate.
static_assert(ctnn::sigmoid::derivative_in_output == y * (1 - y), "no exponential going backwards");
static_assert(ctnn::tanh::derivative_in_output == 1 - pow<2>(y), "no tanh going backwards");
static_assert(ctnn::relu::derivative == select(x > 0, 1, 0));
static_assert(ctnn::elu::derivative == select(x > 0, 1, exp(x)));
static_assert(ctnn::softplus::derivative == sigmoid(x));
static_assert(ctnn::swish::derivative == sigmoid(x) + x * (sigmoid(x) * (1 - sigmoid(x))));

} // namespace
