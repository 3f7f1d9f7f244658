#!/usr/bin/python3
"""PyTorch reference values for ctnn's oracle test (test/oracle/pytorch_oracle.cpp).

Usage: /usr/bin/python3 pytorch_reference.py <output header>

For every case (a topology, its activations and a loss) this draws random
parameters, an input and a target from a fixed seed, lets PyTorch compute in
float64 the network's output, the loss and, by autograd, the gradient of every
parameter, and writes them to a C++ header as one struct per case. Doubles are
printed with repr(), the shortest string that reads back to the same double, so
the C++ side sees exactly the values PyTorch used.

The parameter layout is ctnn's: for each dense layer in order, the weights
row-major [out][in] (torch.nn.Linear(in, out).weight) and then the biases.
"""

import math
import sys

import torch
import torch.nn.functional as F

SEED = 20240601

# ctnn activation name -> (torch function, has a kink at 0)
ACTIVATIONS = {
    "identity": (lambda z: z, False),
    "sigmoid": (torch.sigmoid, False),
    "tanh": (torch.tanh, False),
    "relu": (torch.relu, True),
    "leaky_relu": (lambda z: F.leaky_relu(z, 0.01), True),
    "softplus": (lambda z: F.softplus(z, beta=1, threshold=20), False),
    "swish": (F.silu, False),
    "gelu": (lambda z: F.gelu(z, approximate="tanh"), False),
    "elu": (lambda z: F.elu(z, alpha=1.0), True),
    "softmax": (lambda z: torch.softmax(z, dim=0), False),
}

ELEMENTWISE = [a for a in ACTIVATIONS if a != "softmax"]

# ctnn loss name -> target kind
LOSSES = {
    "mse": "vector",                    # ½ Σ (y − t)²
    "mean_squared_error": "vector",     # torch.nn.MSELoss()
    "binary_cross_entropy": "unit",     # torch.nn.BCELoss(), t in (0, 1)
    "cross_entropy": "probability",     # F.cross_entropy with probability targets, on the logits
    "sparse_cross_entropy": "index",    # F.cross_entropy with a class index, on the logits
}


def build_cases():
    """(name, widths, activations, loss, target variant) for every case."""
    cases = []
    # Every element-wise activation in a hidden layer and at the output of a 3-4-2 network.
    for i, act in enumerate(ELEMENTWISE):
        loss = "mse" if i % 2 == 0 else "mean_squared_error"
        cases.append((f"n342_{act}_{act}_{loss}", [3, 4, 2], [act, act], loss, None))
    cases += [
        ("n231_sigmoid_sigmoid_mse", [2, 3, 1], ["sigmoid", "sigmoid"], "mse", None),
        ("n231_tanh_sigmoid_binary_cross_entropy", [2, 3, 1], ["tanh", "sigmoid"], "binary_cross_entropy", None),
        ("n342_sigmoid_sigmoid_binary_cross_entropy", [3, 4, 2], ["sigmoid", "sigmoid"], "binary_cross_entropy",
         None),
        ("n4532_leaky_relu_softplus_swish_mean_squared_error", [4, 5, 3, 2], ["leaky_relu", "softplus", "swish"],
         "mean_squared_error", None),
        ("n4532_gelu_elu_sigmoid_binary_cross_entropy", [4, 5, 3, 2], ["gelu", "elu", "sigmoid"],
         "binary_cross_entropy", None),
        ("n4532_relu_tanh_elu_mse", [4, 5, 3, 2], ["relu", "tanh", "elu"], "mse", None),
        ("n1881_gelu_elu_identity_mse", [1, 8, 8, 1], ["gelu", "elu", "identity"], "mse", None),
        ("n1881_relu_swish_tanh_mean_squared_error", [1, 8, 8, 1], ["relu", "swish", "tanh"], "mean_squared_error",
         None),
        ("n1881_softplus_leaky_relu_gelu_mse", [1, 8, 8, 1], ["softplus", "leaky_relu", "gelu"], "mse", None),
        ("n5643_swish_gelu_softmax_cross_entropy", [5, 6, 4, 3], ["swish", "gelu", "softmax"], "cross_entropy", None),
        ("n5643_elu_relu_softmax_sparse_cross_entropy", [5, 6, 4, 3], ["elu", "relu", "softmax"],
         "sparse_cross_entropy", None),
        ("n5643_tanh_leaky_relu_softmax_mse", [5, 6, 4, 3], ["tanh", "leaky_relu", "softmax"], "mse", None),
        ("n5643_sigmoid_softplus_softmax_mean_squared_error", [5, 6, 4, 3], ["sigmoid", "softplus", "softmax"],
         "mean_squared_error", None),
        ("n342_identity_softmax_cross_entropy_one_hot", [3, 4, 2], ["identity", "softmax"], "cross_entropy",
         "one_hot"),
        ("n5643_gelu_sigmoid_softmax_cross_entropy_unnormalised", [5, 6, 4, 3], ["gelu", "sigmoid", "softmax"],
         "cross_entropy", "unnormalised"),
        ("n342_softplus_softmax_sparse_cross_entropy", [3, 4, 2], ["softplus", "softmax"], "sparse_cross_entropy",
         None),
    ]
    names = [c[0] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return cases


def forward(params, widths, acts, x):
    """Returns (logits of every layer, output)."""
    a = x
    zs = []
    for layer, act in enumerate(acts):
        w, b = params[2 * layer], params[2 * layer + 1]
        z = w @ a + b
        zs.append(z)
        a = ACTIVATIONS[act][0](z)
    return zs, a


def loss_of(loss, y, z, target):
    if loss == "mse":
        return 0.5 * ((y - target) ** 2).sum()
    if loss == "mean_squared_error":
        return torch.nn.MSELoss()(y, target)
    if loss == "binary_cross_entropy":
        return torch.nn.BCELoss()(y, target)
    if loss == "cross_entropy":
        return F.cross_entropy(z.unsqueeze(0), target.unsqueeze(0))
    if loss == "sparse_cross_entropy":
        return F.cross_entropy(z.unsqueeze(0), torch.tensor([target]))
    raise ValueError(loss)


def draw_target(loss, variant, outputs, gen):
    kind = LOSSES[loss]
    if kind == "vector":
        return torch.randn(outputs, dtype=torch.float64, generator=gen)
    if kind == "unit":
        return 0.05 + 0.9 * torch.rand(outputs, dtype=torch.float64, generator=gen)
    if kind == "probability":
        if variant == "one_hot":
            k = int(torch.randint(outputs, (1,), generator=gen))
            return F.one_hot(torch.tensor(k), outputs).to(torch.float64)
        if variant == "unnormalised":  # −Σ t log softmax(z) for t not summing to 1
            return torch.rand(outputs, dtype=torch.float64, generator=gen)
        return torch.softmax(2 * torch.randn(outputs, dtype=torch.float64, generator=gen), dim=0)
    if kind == "index":
        return int(torch.randint(outputs, (1,), generator=gen))
    raise ValueError(kind)


def usable(widths, acts, loss, zs, y, target):
    """Keeps the draw away from kinks, softplus's threshold and degenerate targets."""
    for z, act in zip(zs, acts):
        if ACTIVATIONS[act][1]:
            if bool((z.abs() < 1e-6).any()):
                return False
            # Both branches of a kinked activation, wherever the layer has room for both.
            if len(z) >= 2 and not (bool((z > 0).any()) and bool((z < 0).any())):
                return False
        if act == "softplus" and bool((z.abs() >= 15).any()):
            return False
    if loss == "binary_cross_entropy" and bool(((y - target).abs() < 0.05).any()):
        return False
    return True


def make_case(spec, gen):
    name, widths, acts, loss, variant = spec
    assert len(acts) == len(widths) - 1
    assert "softmax" not in acts[:-1], "softmax only at the output"
    assert LOSSES[loss] not in ("probability", "index") or acts[-1] == "softmax"
    assert loss != "binary_cross_entropy" or acts[-1] == "sigmoid"
    for _attempt in range(1000):
        params = []
        for n_in, n_out in zip(widths, widths[1:]):
            params.append((2 * torch.rand(n_out, n_in, dtype=torch.float64, generator=gen) - 1).requires_grad_())
            params.append((2 * torch.rand(n_out, dtype=torch.float64, generator=gen) - 1).requires_grad_())
        x = torch.randn(widths[0], dtype=torch.float64, generator=gen)
        with torch.no_grad():
            zs, y = forward(params, widths, acts, x)
        target = draw_target(loss, variant, widths[-1], gen)
        if not usable(widths, acts, loss, zs, y, target):
            continue
        zs, y = forward(params, widths, acts, x)
        value = loss_of(loss, y, zs[-1], target)
        value.backward()
        grad = torch.cat([p.grad.reshape(-1) for p in params])
        if not bool((grad != 0).any()):
            continue  # a network with no gradient at all tests nothing
        flat = torch.cat([p.detach().reshape(-1) for p in params])
        return {
            "name": name, "widths": widths, "acts": acts, "loss": loss,
            "parameters": flat.tolist(), "x": x.tolist(),
            "target": target if isinstance(target, int) else target.tolist(),
            "y": y.detach().tolist(), "loss_value": float(value.detach()), "gradient": grad.tolist(),
        }
    raise RuntimeError(f"{name}: no usable draw in 1000 attempts")


def literal(v):
    assert isinstance(v, float) and math.isfinite(v), v
    text = repr(v)
    assert float(text) == v
    return text


def array(values, per_line=4):
    items = [literal(float(v)) for v in values]
    if len(items) <= per_line:
        return "{" + ", ".join(items) + "}"
    rows = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "{\n        " + ",\n        ".join(rows) + "}"


def emit(case):
    widths, acts = case["widths"], case["acts"]
    layers = ", ".join(f"ctnn::dense<{n}, ctnn::{a}>" for n, a in zip(widths[1:], acts))
    net = f"ctnn::network<double, ctnn::input<{widths[0]}>, {layers}>"
    n_params = len(case["parameters"])
    if isinstance(case["target"], int):
        target = f"    static constexpr std::size_t target = {case['target']};\n"
    else:
        target = f"    static constexpr std::array<double, {widths[-1]}> target{array(case['target'])};\n"
    return (
        f"struct {case['name']} {{\n"
        f"    static constexpr char const* name = \"{case['name']}\";\n"
        f"    using network = {net};\n"
        f"    using loss = ctnn::loss::{case['loss']};\n"
        f"    static constexpr std::array<double, {n_params}> parameters{array(case['parameters'])};\n"
        f"    static constexpr std::array<double, {widths[0]}> x{array(case['x'])};\n"
        f"{target}"
        f"    static constexpr std::array<double, {widths[-1]}> y{array(case['y'])};\n"
        f"    static constexpr double loss_value = {literal(case['loss_value'])};\n"
        f"    static constexpr std::array<double, {n_params}> gradient{array(case['gradient'])};\n"
        f"}};\n"
    )


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pytorch_reference.py <output header>")
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    cases = [make_case(spec, gen) for spec in build_cases()]
    names = ",\n                             ".join(c["name"] for c in cases)
    text = (
        "// Generated by test/oracle/pytorch_reference.py with PyTorch "
        f"{torch.__version__}, seed {SEED}. Do not edit.\n"
        "#ifndef CTNN_TEST_ORACLE_PYTORCH_REFERENCE_HPP\n"
        "#define CTNN_TEST_ORACLE_PYTORCH_REFERENCE_HPP\n\n"
        "#include <ctnn/ctnn.hpp>\n\n"
        "#include <array>\n#include <cstddef>\n#include <tuple>\n\n"
        "namespace ctnn_oracle {\n\n"
        + "\n".join(emit(c) for c in cases)
        + f"\nusing all_cases = std::tuple<{names}>;\n\n"
        "} // namespace ctnn_oracle\n\n#endif\n"
    )
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(text)


if __name__ == "__main__":
    main()
