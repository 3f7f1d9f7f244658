#ifndef CTNN_IO_DETAIL_ONNX_ACTIVATION_HPP
#define CTNN_IO_DETAIL_ONNX_ACTIVATION_HPP

/// \file
/// Host-only, for `ctnn/io/onnx.hpp`: activations as expressions in ONNX's
/// operators. ONNX has an operator for some of ctnn's activations (Relu,
/// Tanh, ...); the others are written as small graphs (SiLU as
/// Mul(x, Sigmoid(x)), the tanh form of GELU as nine operators), which are
/// translated here from the activation's own ctnn::sym expression, so their
/// constants are ctnn's. Reading a model compares what a layer computes after
/// its linear operator with these forms; writing one emits them.

#include <ctnn/activation.hpp>
#include <ctnn/math.hpp>
#include <ctnn/serialize.hpp>
#include <ctnn/sym/node.hpp>
#include <ctnn/sym/ops.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn::io::detail {

/// An expression of a layer's pre-activation `x` in ONNX operators.
struct onnx_expr {
    std::string op; ///< "x", "const", or an ONNX operator type ("Relu", "Mul", ...)
    std::vector<onnx_expr> args;
    double value = 0.0;          ///< a constant's value
    bool is_double = false;      ///< a constant of a DOUBLE tensor (otherwise FLOAT)
    std::optional<double> alpha; ///< the alpha attribute of LeakyRelu and Elu
};

inline onnx_expr onnx_x() { return {"x", {}, 0.0, false, {}}; }
inline onnx_expr onnx_const(double v, bool is_double = false) { return {"const", {}, v, is_double, {}}; }
inline onnx_expr onnx_op(std::string op, std::vector<onnx_expr> args, std::optional<double> alpha = {})
{
    return {std::move(op), std::move(args), 0.0, false, alpha};
}

/// How an expression reads in a message: "Mul(x, Sigmoid(x))", "LeakyRelu[alpha=0.2](x)".
inline std::string spell(onnx_expr const& e)
{
    if (e.op == "x") {
        return "x";
    }
    if (e.op == "const") {
        std::array<char, 32> text{};
        std::snprintf(text.data(), text.size(), "%.9g", e.value);
        return text.data();
    }
    std::string s = e.op;
    if (e.alpha) {
        std::array<char, 32> text{};
        std::snprintf(text.data(), text.size(), "%.9g", *e.alpha);
        s += std::string("[alpha=") + text.data() + "]";
    }
    s += "(";
    for (std::size_t i = 0; i < e.args.size(); ++i) {
        s += (i == 0 ? "" : ", ") + spell(e.args[i]);
    }
    return s + ")";
}

// The canonical form: products and sums flattened into one node of all their
// terms in a fixed order, and Pow(e, n) for a small whole n written as the
// product of n times e, so that two ways of writing the same computation (an
// exporter's order of operands, x*x*x or Pow(x, 3)) compare equal.
namespace onnx_canonical {

// The order of terms: by spelling, constants' values aside, so that a
// float constant sorts where the double it rounds from does.
inline std::string order_key(onnx_expr const& e)
{
    if (e.op == "const") {
        return "c";
    }
    std::string s = e.op + "(";
    for (auto const& a : e.args) {
        s += order_key(a) + ",";
    }
    return s + ")";
}

} // namespace onnx_canonical

inline onnx_expr canonical(onnx_expr e)
{
    for (auto& a : e.args) {
        a = canonical(std::move(a));
    }
    if (e.op == "Pow" && e.args.size() == 2 && e.args[1].op == "const") {
        double const n = e.args[1].value;
        if (n == 2.0 || n == 3.0 || n == 4.0) {
            onnx_expr const base = e.args[0];
            e = onnx_op("Mul", std::vector<onnx_expr>(static_cast<std::size_t>(n), base));
        }
    }
    if (e.op == "Mul" || e.op == "Add") {
        std::vector<onnx_expr> terms;
        for (auto& a : e.args) {
            if (a.op == e.op) {
                std::move(a.args.begin(), a.args.end(), std::back_inserter(terms));
            } else {
                terms.push_back(std::move(a));
            }
        }
        std::vector<std::pair<std::string, onnx_expr>> keyed;
        for (auto& t : terms) {
            keyed.emplace_back(onnx_canonical::order_key(t), std::move(t));
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](auto const& a, auto const& b) {
            return a.first != b.first ? a.first < b.first
                                      : (a.second.op == "const" && b.second.op == "const" && a.second.value < b.second.value);
        });
        e.args.clear();
        for (auto& k : keyed) {
            e.args.push_back(std::move(k.second));
        }
    }
    return e;
}

/// Whether `model` (canonical, from a graph) computes `form` (canonical, one
/// of ctnn's). A constant matches when it is ctnn's rounded to the model
/// constant's type; an alpha when it is the same float (ONNX's float
/// attributes are 32-bit). `ignore_alpha` compares the structure alone.
inline bool same_form(onnx_expr const& model, onnx_expr const& form, bool ignore_alpha = false)
{
    if (model.op != form.op || model.args.size() != form.args.size()) {
        return false;
    }
    if (form.op == "const") {
        return model.is_double ? model.value == form.value
                               : model.value == static_cast<double>(static_cast<float>(form.value));
    }
    if (!ignore_alpha && form.alpha &&
        (!model.alpha || static_cast<float>(*model.alpha) != static_cast<float>(*form.alpha))) {
        return false;
    }
    for (std::size_t i = 0; i < form.args.size(); ++i) {
        if (!same_form(model.args[i], form.args[i], ignore_alpha)) {
            return false;
        }
    }
    return true;
}

// onnx_op_name<Op>(): the ONNX operator of a ctnn::sym operation, or empty
// when ONNX has none (expm1, log1p, comparisons and select).
template <class Op>
constexpr std::string_view onnx_op_name()
{
    namespace op = sym::op;
    if constexpr (std::is_same_v<Op, op::plus>) return "Add";
    else if constexpr (std::is_same_v<Op, op::minus>) return "Sub";
    else if constexpr (std::is_same_v<Op, op::negate>) return "Neg";
    else if constexpr (std::is_same_v<Op, op::times>) return "Mul";
    else if constexpr (std::is_same_v<Op, op::divides>) return "Div";
    else if constexpr (std::is_same_v<Op, op::exp>) return "Exp";
    else if constexpr (std::is_same_v<Op, op::log>) return "Log";
    else if constexpr (std::is_same_v<Op, op::tanh>) return "Tanh";
    else if constexpr (std::is_same_v<Op, op::sqrt>) return "Sqrt";
    else if constexpr (std::is_same_v<Op, op::sigmoid>) return "Sigmoid";
    else if constexpr (std::is_same_v<Op, op::softplus>) return "Softplus";
    else if constexpr (ctnn::detail::power_exponent<Op> != 0) return "Pow";
    else return {};
}

// onnx_expressible_v<E>: every operation of expression type E has an ONNX operator.
template <class E>
inline constexpr bool onnx_expressible_v = sym::is_expression<E>::value;
template <class Op, class... Args>
inline constexpr bool onnx_expressible_v<sym::node<Op, Args...>> =
    !onnx_op_name<Op>().empty() && (onnx_expressible_v<Args> && ...);

// An expression of x in ONNX operators, in the order it is written in ctnn.
template <class E>
onnx_expr onnx_translation(E const& e)
{
    if constexpr (std::is_same_v<E, sym::variable<0>>) {
        return onnx_x();
    } else if constexpr (sym::is_constant_like_v<E>) {
        return onnx_const(sym::value_of(e));
    } else {
        using op = typename E::op_type;
        std::vector<onnx_expr> args;
        std::apply([&](auto const&... a) { (args.push_back(onnx_translation(a)), ...); }, e.args);
        if constexpr (ctnn::detail::power_exponent<op> != 0) {
            args.push_back(onnx_const(ctnn::detail::power_exponent<op>));
        }
        return onnx_op(std::string(onnx_op_name<op>()), std::move(args));
    }
}

// What ONNX's operators assume of the activations they stand for.
static_assert(leaky_relu::value(-1.0) == -0.01 && leaky_relu::value(2.0) == 2.0,
              "ctnn::io: ONNX's LeakyRelu is written with alpha 0.01, leaky_relu's slope");
static_assert(elu::value(-1.0) == math::expm1(-1.0) && elu::value(2.0) == 2.0,
              "ctnn::io: ONNX's Elu is written with alpha 1, elu's");
static_assert(relu::value(-1.0) == 0.0 && relu::value(2.0) == 2.0, "ctnn::io: ONNX's Relu is relu");

/// Activation `Act` in ONNX operators, in the order ctnn writes it (before
/// `canonical`). The activations that ONNX has an operator for and ctnn
/// writes with a comparison (relu, leaky_relu, elu) or over a whole layer
/// (softmax) are named; the others are their expression, translated.
template <class Act>
onnx_expr onnx_form()
{
    if constexpr (std::is_same_v<Act, relu>) {
        return onnx_op("Relu", {onnx_x()});
    } else if constexpr (std::is_same_v<Act, leaky_relu>) {
        return onnx_op("LeakyRelu", {onnx_x()}, 0.01);
    } else if constexpr (std::is_same_v<Act, elu>) {
        return onnx_op("Elu", {onnx_x()}, 1.0);
    } else if constexpr (std::is_same_v<Act, softmax>) {
        return onnx_op("Softmax", {onnx_x()});
    } else {
        static_assert(onnx_expressible_v<typename Act::expression_type>,
                      "ctnn::io: an activation without an ONNX operator of its own must be written in ONNX's");
        return onnx_translation(Act::expression);
    }
}

/// A built-in activation's name and its form in ONNX.
struct onnx_activation_form {
    std::string_view name;
    onnx_expr form;
};

/// Every built-in activation's form (as `onnx_form` writes it).
inline std::vector<onnx_activation_form> const& onnx_activation_forms()
{
    static std::vector<onnx_activation_form> const forms = []<class... Act>(std::tuple<Act...> const*) {
        return std::vector<onnx_activation_form>{{activation_name<Act>::value, onnx_form<Act>()}...};
    }(static_cast<builtin_activations const*>(nullptr));
    return forms;
}

/// The same forms, canonical (what models are compared with).
inline std::vector<onnx_activation_form> const& canonical_activation_forms()
{
    static std::vector<onnx_activation_form> const forms = [] {
        auto f = onnx_activation_forms();
        for (auto& a : f) {
            a.form = canonical(std::move(a.form));
        }
        return f;
    }();
    return forms;
}

/// The form of the built-in activation named `name` (which must be one).
inline onnx_expr const& onnx_form_of(std::string_view name)
{
    auto const& forms = onnx_activation_forms();
    return std::find_if(forms.begin(), forms.end(), [&](auto const& f) { return f.name == name; })->form;
}

/// How a built-in activation looks in a model, for messages ("Relu", "no
/// activation", "x * Sigmoid(x) (SiLU)").
inline std::string onnx_description(std::string_view name)
{
    if (name == activation_name<identity>::value) {
        return "no activation";
    }
    if (name == activation_name<swish>::value) {
        return "x * Sigmoid(x) (SiLU)";
    }
    if (name == activation_name<gelu>::value) {
        return "GELU (tanh form)";
    }
    return onnx_form_of(name).op;
}

/// The built-in activation a model's expression computes: its name, or an
/// empty name and why none does.
struct onnx_activation_match {
    std::string_view name;
    std::string why_not;
};

inline onnx_activation_match match_activation(onnx_expr const& model)
{
    onnx_expr const m = canonical(model);
    for (auto const& f : canonical_activation_forms()) {
        onnx_expr const& form = f.form;
        if (same_form(m, form)) {
            return {f.name, {}};
        }
        if (form.alpha && same_form(m, form, true)) {
            char text[96];
            std::snprintf(text, sizeof text, "%s with alpha %.9g (ctnn's %s has alpha %.9g)", m.op.c_str(),
                          *m.alpha, std::string(f.name).c_str(), *form.alpha);
            return {{}, text};
        }
    }
    std::string const spelt = spell(m);
    if (m.op == "LogSoftmax") {
        return {{}, "LogSoftmax: ctnn has no log-softmax activation (export the model with Softmax, or without "
                    "an activation after the last layer)"};
    }
    if (spelt.find("Erf(") != std::string::npos) {
        return {{}, spelt + ", the erf form of GELU: ctnn's gelu is the tanh approximation "
                            "(torch.nn.GELU(approximate='tanh'))"};
    }
    return {{}, spelt + ", which is none of ctnn's activations"};
}

} // namespace ctnn::io::detail

#endif
