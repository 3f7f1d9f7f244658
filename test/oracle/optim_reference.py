#!/usr/bin/python3
"""PyTorch reference values for ctnn's optimizer oracle test (test/oracle/optim_oracle.cpp).

Usage: /usr/bin/python3 optim_reference.py <output header>

Every configuration starts a 3-4-2 tanh/identity network (float64) from the
same parameters and lets a torch.optim optimizer take 20 steps, recording the
parameters after every step. The gradients are either

  - "fixed": a precomputed random sequence (the same for every configuration
    and written to the header), assigned to .grad before each step, which
    isolates the optimizer; or
  - "mse": the gradient of 0.5 * ((y - t)**2).sum() on one fixed sample,
    recomputed by autograd at the current parameters before each step; or
  - "batch": the same loss averaged over a batch of BATCH fixed samples (the
    mean gradient of a batch, as ctnn's batch train_step and fit take it).

Optionally the gradient is clipped (clip_grad_value_ / clip_grad_norm_) before
the step. The header also holds torch.nn.utils' clipping of every fixed
gradient and the learning rates of StepLR, ExponentialLR and
CosineAnnealingLR over 30 epochs.

Doubles are printed with repr(), which reads back to the identical double. The
parameter layout is ctnn's: per layer, weight [out][in] row-major, then bias.
"""

import math
import sys

import torch

SEED = 20240917
STEPS = 20
EPOCHS = 30
BATCH = 11  # more than one block of samples at every vector width
WIDTHS = [3, 4, 2]
NETWORK = "ctnn::network<double, ctnn::input<3>, ctnn::dense<4, ctnn::tanh>, ctnn::dense<2, ctnn::identity>>"

# Field order of every ctnn optimizer aggregate (designated initialisers must follow it),
# with ctnn's defaults, which are PyTorch's (SGD's learning rate has no default in
# PyTorch; every configuration below sets it).
CTNN_FIELDS = {
    "sgd": [("learning_rate", 1e-3), ("weight_decay", 0.0)],
    "sgd_momentum": [("learning_rate", 1e-3), ("momentum", 0.9), ("dampening", 0.0), ("weight_decay", 0.0),
                     ("nesterov", False)],
    "rmsprop": [("learning_rate", 1e-2), ("alpha", 0.99), ("epsilon", 1e-8), ("weight_decay", 0.0),
                ("momentum", 0.0), ("centered", False)],
    "adam": [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8), ("weight_decay", 0.0)],
    "adamw": [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8),
              ("weight_decay", 1e-2)],
}


def configurations():
    """(name, optimizer, settings, gradient source, clip value, clip norm); 0 = no clipping."""
    return [
        ("sgd_plain", "sgd", {"learning_rate": 0.1}, "fixed", 0.0, 0.0),
        ("sgd_weight_decay", "sgd", {"learning_rate": 0.1, "weight_decay": 0.05}, "fixed", 0.0, 0.0),
        ("sgd_momentum_plain", "sgd_momentum", {"learning_rate": 0.05, "momentum": 0.9}, "fixed", 0.0, 0.0),
        ("sgd_momentum_dampening", "sgd_momentum", {"learning_rate": 0.05, "momentum": 0.9, "dampening": 0.1},
         "fixed", 0.0, 0.0),
        ("sgd_momentum_nesterov", "sgd_momentum", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True},
         "fixed", 0.0, 0.0),
        ("sgd_momentum_weight_decay", "sgd_momentum",
         {"learning_rate": 0.05, "momentum": 0.8, "weight_decay": 0.01}, "fixed", 0.0, 0.0),
        ("rmsprop_plain", "rmsprop", {}, "fixed", 0.0, 0.0),
        ("rmsprop_centered", "rmsprop", {"centered": True}, "fixed", 0.0, 0.0),
        ("rmsprop_momentum", "rmsprop", {"momentum": 0.9}, "fixed", 0.0, 0.0),
        ("rmsprop_weight_decay", "rmsprop", {"weight_decay": 0.01}, "fixed", 0.0, 0.0),
        ("rmsprop_centered_momentum_weight_decay", "rmsprop",
         {"learning_rate": 5e-3, "alpha": 0.9, "weight_decay": 0.02, "momentum": 0.5, "centered": True},
         "fixed", 0.0, 0.0),
        ("adam_defaults", "adam", {}, "fixed", 0.0, 0.0),
        ("adam_weight_decay", "adam", {"learning_rate": 1e-2, "weight_decay": 1e-2}, "fixed", 0.0, 0.0),
        ("adamw_defaults", "adamw", {}, "fixed", 0.0, 0.0),
        ("adamw_custom", "adamw", {"learning_rate": 1e-2, "beta1": 0.8, "beta2": 0.99, "weight_decay": 0.1},
         "fixed", 0.0, 0.0),
        # The gradient of an MSE loss, recomputed by each side at its own parameters.
        ("mse_sgd_plain", "sgd", {"learning_rate": 0.1}, "mse", 0.0, 0.0),
        ("mse_sgd_momentum", "sgd_momentum", {"learning_rate": 0.05, "momentum": 0.9}, "mse", 0.0, 0.0),
        ("mse_sgd_momentum_nesterov_weight_decay", "sgd_momentum",
         {"learning_rate": 0.05, "momentum": 0.9, "weight_decay": 0.01, "nesterov": True}, "mse", 0.0, 0.0),
        ("mse_rmsprop_centered_momentum", "rmsprop", {"momentum": 0.5, "centered": True}, "mse", 0.0, 0.0),
        ("mse_adam", "adam", {"learning_rate": 1e-2}, "mse", 0.0, 0.0),
        ("mse_adam_weight_decay", "adam", {"learning_rate": 1e-2, "weight_decay": 1e-2}, "mse", 0.0, 0.0),
        ("mse_adamw", "adamw", {"learning_rate": 1e-2}, "mse", 0.0, 0.0),
        # Clipping before the step.
        ("fixed_sgd_momentum_clip_value", "sgd_momentum", {"learning_rate": 0.05}, "fixed", 0.5, 0.0),
        ("fixed_adam_clip_norm", "adam", {"learning_rate": 1e-2}, "fixed", 0.0, 2.0),
        ("mse_sgd_momentum_clip_norm", "sgd_momentum", {"learning_rate": 0.1}, "mse", 0.0, 0.5),
        ("mse_adam_clip_value", "adam", {"learning_rate": 1e-2}, "mse", 0.2, 0.0),
        # The mean gradient of a batch.
        ("batch_sgd", "sgd", {"learning_rate": 0.1}, "batch", 0.0, 0.0),
        ("batch_sgd_momentum_nesterov", "sgd_momentum", {"learning_rate": 0.05, "nesterov": True}, "batch", 0.0,
         0.0),
        ("batch_rmsprop_centered_momentum", "rmsprop", {"momentum": 0.5, "centered": True}, "batch", 0.0, 0.0),
        ("batch_adam", "adam", {"learning_rate": 1e-2}, "batch", 0.0, 0.0),
        ("batch_adamw_clip_value", "adamw", {"learning_rate": 1e-2}, "batch", 0.05, 0.0),
    ]


def torch_optimizer(kind, s, params):
    o = torch.optim
    if kind == "sgd":
        return o.SGD(params, lr=s["learning_rate"], weight_decay=s["weight_decay"])
    if kind == "sgd_momentum":
        return o.SGD(params, lr=s["learning_rate"], momentum=s["momentum"], dampening=s["dampening"],
                     weight_decay=s["weight_decay"], nesterov=s["nesterov"])
    if kind == "rmsprop":
        return o.RMSprop(params, lr=s["learning_rate"], alpha=s["alpha"], eps=s["epsilon"],
                         weight_decay=s["weight_decay"], momentum=s["momentum"], centered=s["centered"])
    if kind == "adam":
        return o.Adam(params, lr=s["learning_rate"], betas=(s["beta1"], s["beta2"]), eps=s["epsilon"],
                      weight_decay=s["weight_decay"])
    if kind == "adamw":
        return o.AdamW(params, lr=s["learning_rate"], betas=(s["beta1"], s["beta2"]), eps=s["epsilon"],
                       weight_decay=s["weight_decay"])
    raise ValueError(kind)


def shapes():
    out = []
    for n_in, n_out in zip(WIDTHS, WIDTHS[1:]):
        out += [(n_out, n_in), (n_out,)]
    return out


def unflatten(flat):
    """ctnn's flat layout -> fresh leaf tensors [W1, b1, W2, b2]."""
    tensors, at = [], 0
    for shape in shapes():
        n = math.prod(shape)
        tensors.append(flat[at:at + n].clone().reshape(shape).requires_grad_())
        at += n
    assert at == len(flat)
    return tensors


def flatten(tensors, grads=False):
    return torch.cat([(t.grad if grads else t).detach().reshape(-1) for t in tensors])


def forward(params, x):
    w1, b1, w2, b2 = params
    return w2 @ torch.tanh(w1 @ x + b1) + b2


def run(config, data):
    name, kind, settings, source, clip_value, clip_norm = config
    s = dict(CTNN_FIELDS[kind])
    assert set(settings) <= set(s), name
    s.update(settings)
    params = unflatten(data["initial"])
    opt = torch_optimizer(kind, s, params)
    trajectory, losses = [], []
    for k in range(STEPS):
        opt.zero_grad(set_to_none=True)
        if source == "mse":
            loss = 0.5 * ((forward(params, data["x"]) - data["target"]) ** 2).sum()
            loss.backward()
            losses.append(float(loss.detach()))
        elif source == "batch":
            per_sample = [0.5 * ((forward(params, x) - t) ** 2).sum()
                          for x, t in zip(data["batch_x"], data["batch_target"])]
            loss = torch.stack(per_sample).mean()
            loss.backward()
            losses.append(float(loss.detach()))
        else:
            at = 0
            for p in params:
                p.grad = data["gradients"][k][at:at + p.numel()].clone().reshape(p.shape)
                at += p.numel()
        if clip_value > 0:
            torch.nn.utils.clip_grad_value_(params, clip_value)
        if clip_norm > 0:
            torch.nn.utils.clip_grad_norm_(params, clip_norm)
        opt.step()
        trajectory.append(flatten(params).tolist())
    return {"name": name, "kind": kind, "settings": s, "source": source, "clip_value": clip_value,
            "clip_norm": clip_norm, "trajectory": trajectory, "losses": losses}


def clipping(data, limit, max_norm):
    by_value, by_norm, norms = [], [], []
    for g in data["gradients"]:
        params = unflatten(torch.zeros_like(g))
        at = 0
        for p in params:
            p.grad = g[at:at + p.numel()].clone().reshape(p.shape)
            at += p.numel()
        torch.nn.utils.clip_grad_value_(params, limit)
        by_value.append(flatten(params, grads=True).tolist())
        at = 0
        for p in params:
            p.grad = g[at:at + p.numel()].clone().reshape(p.shape)
            at += p.numel()
        norms.append(float(torch.nn.utils.clip_grad_norm_(params, max_norm)))
        by_norm.append(flatten(params, grads=True).tolist())
    assert any(n > max_norm for n in norms) and any(n < max_norm for n in norms), "norms must straddle max_norm"
    assert any(abs(v) > limit for g in data["gradients"] for v in g.tolist())
    return {"limit": limit, "max_norm": max_norm, "by_value": by_value, "by_norm": by_norm, "norms": norms}


def schedules():
    """(name, ctnn expression, epochs compared, torch learning rates for epochs 0..EPOCHS)."""
    def rates(initial, make):
        p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([p], lr=initial)
        sched = make(opt)
        out = [sched.get_last_lr()[0]]
        for _ in range(EPOCHS):
            opt.step()
            sched.step()
            out.append(sched.get_last_lr()[0])
        return out

    s = torch.optim.lr_scheduler
    return [
        ("step_decay", "ctnn::optim::step_decay{.initial = 0.1, .step_size = 7, .gamma = 0.5}", EPOCHS,
         rates(0.1, lambda o: s.StepLR(o, step_size=7, gamma=0.5))),
        ("step_decay_default", "ctnn::optim::step_decay{.initial = 0.05, .step_size = 10, .gamma = 0.1}", EPOCHS,
         rates(0.05, lambda o: s.StepLR(o, step_size=10, gamma=0.1))),
        ("exponential_decay", "ctnn::optim::exponential_decay{.initial = 0.1, .gamma = 0.9}", EPOCHS,
         rates(0.1, lambda o: s.ExponentialLR(o, gamma=0.9))),
        ("cosine_annealing", "ctnn::optim::cosine_annealing{.initial = 0.1, .minimum = 0.001, .period = 30}",
         EPOCHS, rates(0.1, lambda o: s.CosineAnnealingLR(o, T_max=30, eta_min=0.001))),
        ("cosine_annealing_to_zero", "ctnn::optim::cosine_annealing{.initial = 0.2, .minimum = 0.0, .period = 30}",
         EPOCHS,  # both must reach exactly 0 at the end of the period
         rates(0.2, lambda o: s.CosineAnnealingLR(o, T_max=30, eta_min=0.0))),
        # ctnn holds the minimum after the period; torch's CosineAnnealingLR rises again
        # (it is periodic with period 2 T_max), so only epochs 0..period are compared.
        ("cosine_annealing_short", "ctnn::optim::cosine_annealing{.initial = 0.1, .minimum = 0.01, .period = 12}",
         12, rates(0.1, lambda o: s.CosineAnnealingLR(o, T_max=12, eta_min=0.01))),
    ]


def literal(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    v = float(v)
    assert math.isfinite(v), v
    text = repr(v)
    assert float(text) == v
    return text


def array(values, indent="        ", per_line=4):
    items = [literal(v) for v in values]
    rows = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "{\n" + indent + (",\n" + indent).join(rows) + "}"


def matrix(rows):
    return "{{\n" + ",\n".join("        " + array(r, indent="         ") for r in rows) + "}}"


def emit_config(c, n):
    fields = ", ".join(f".{k} = {literal(v)}" for k, v in c["settings"].items())
    template = "" if c["kind"] == "sgd" else "<network>"
    losses = (f"    static constexpr std::array<double, {STEPS}> losses{array(c['losses'])};\n"
              if c["source"] != "fixed" else "")
    return (
        f"struct {c['name']} {{\n"
        f"    static constexpr char const* name = \"{c['name']}\";\n"
        f"    static constexpr bool mse = {literal(c['source'] == 'mse')};\n"
        f"    static constexpr bool batch = {literal(c['source'] == 'batch')};\n"
        f"    static constexpr double clip_value = {literal(c['clip_value'])};\n"
        f"    static constexpr double clip_norm = {literal(c['clip_norm'])};\n"
        f"    static constexpr auto make() {{ return ctnn::optim::{c['kind']}{template}{{{fields}}}; }}\n"
        f"{losses}"
        f"    /// The parameters after each step.\n"
        f"    static constexpr std::array<std::array<double, {n}>, {STEPS}> trajectory{matrix(c['trajectory'])};\n"
        f"}};\n"
    )


def emit_schedule(name, expression, compared, lrs):
    return (
        f"struct {name} {{\n"
        f"    static constexpr char const* name = \"{name}\";\n"
        f"    static constexpr auto make() {{ return {expression}; }}\n"
        f"    static constexpr std::size_t compared_epochs = {compared}; // epochs 0..compared_epochs\n"
        f"    static constexpr std::array<double, {EPOCHS + 1}> learning_rates{array(lrs)};\n"
        f"}};\n"
    )


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: optim_reference.py <output header>")
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    n = sum(math.prod(s) for s in shapes())

    def u(*shape):
        return 2 * torch.rand(*shape, dtype=torch.float64, generator=gen) - 1

    # Gradients of varied size (norms from about 0.25 to 7), so clipping acts on some only.
    scales = 10 ** (-1.3 + 1.5 * torch.rand(STEPS, dtype=torch.float64, generator=gen))
    data = {
        "initial": u(n),
        "gradients": [scales[k] * torch.randn(n, dtype=torch.float64, generator=gen) for k in range(STEPS)],
        "x": torch.randn(WIDTHS[0], dtype=torch.float64, generator=gen),
        "target": torch.randn(WIDTHS[-1], dtype=torch.float64, generator=gen),
    }
    # Drawn after everything above, which therefore stays as it was.
    data["batch_x"] = torch.randn(BATCH, WIDTHS[0], dtype=torch.float64, generator=gen)
    data["batch_target"] = torch.randn(BATCH, WIDTHS[-1], dtype=torch.float64, generator=gen)
    configs = [run(c, data) for c in configurations()]
    names = [c["name"] for c in configs]
    assert len(names) == len(set(names)), "duplicate configuration names"
    clip = clipping(data, limit=0.5, max_norm=2.0)
    scheds = schedules()

    text = (
        "// Generated by test/oracle/optim_reference.py with PyTorch "
        f"{torch.__version__}, seed {SEED}. Do not edit.\n"
        "#ifndef CTNN_TEST_ORACLE_OPTIM_REFERENCE_HPP\n"
        "#define CTNN_TEST_ORACLE_OPTIM_REFERENCE_HPP\n\n"
        "#include <ctnn/ctnn.hpp>\n#include <ctnn/optim.hpp>\n\n"
        "#include <array>\n#include <cstddef>\n#include <tuple>\n\n"
        "namespace ctnn_optim_oracle {\n\n"
        f"using network = {NETWORK};\n"
        f"inline constexpr std::size_t steps = {STEPS};\n"
        f"inline constexpr std::size_t parameter_count = {n};\n\n"
        f"inline constexpr std::array<double, {n}> initial_parameters{array(data['initial'].tolist())};\n\n"
        "/// The \"fixed\" gradient sequence: gradient k is used for step k.\n"
        f"inline constexpr std::array<std::array<double, {n}>, {STEPS}> gradients"
        f"{matrix([g.tolist() for g in data['gradients']])};\n\n"
        "/// The sample of the \"mse\" configurations: loss 0.5 * sum((net(x) - target)^2).\n"
        f"inline constexpr std::array<double, {WIDTHS[0]}> x{array(data['x'].tolist())};\n"
        f"inline constexpr std::array<double, {WIDTHS[-1]}> target{array(data['target'].tolist())};\n\n"
        "/// The batch of the \"batch\" configurations: the mean of that loss over the samples.\n"
        f"inline constexpr std::array<std::array<double, {WIDTHS[0]}>, {BATCH}> batch_x"
        f"{matrix(data['batch_x'].tolist())};\n"
        f"inline constexpr std::array<std::array<double, {WIDTHS[-1]}>, {BATCH}> batch_target"
        f"{matrix(data['batch_target'].tolist())};\n\n"
        + "\n".join(emit_config(c, n) for c in configs)
        + "\nusing all_configurations = std::tuple<" + ",\n                                      ".join(names)
        + ">;\n\n"
        "/// torch.nn.utils.clip_grad_value_ and clip_grad_norm_ applied to each fixed gradient.\n"
        "struct clipping {\n"
        f"    static constexpr double limit = {literal(clip['limit'])};\n"
        f"    static constexpr double max_norm = {literal(clip['max_norm'])};\n"
        f"    static constexpr std::array<std::array<double, {n}>, {STEPS}> by_value{matrix(clip['by_value'])};\n"
        f"    static constexpr std::array<double, {STEPS}> norms{array(clip['norms'])};\n"
        f"    static constexpr std::array<std::array<double, {n}>, {STEPS}> by_norm{matrix(clip['by_norm'])};\n"
        "};\n\n"
        + "\n".join(emit_schedule(*s) for s in scheds)
        + "\nusing all_schedules = std::tuple<" + ", ".join(s[0] for s in scheds) + ">;\n\n"
        "} // namespace ctnn_optim_oracle\n\n#endif\n"
    )
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(text)


if __name__ == "__main__":
    main()
