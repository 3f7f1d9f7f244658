#!/usr/bin/env python3
"""Writes docs/benchmarks.md (and the data for its chart) from one run of
ctnn_benchmark (Google Benchmark JSON, with repetitions), ctnn_peak's output
and the compile-time measurements, and, when given, ctnn_training_benchmark's
results (with other compilers' runs of it) and tools/fashion_mnist_timing's.
Called by tools/benchmark."""

import argparse
import json
import math
import re
from pathlib import Path

NETS = {
    "A": "2-3-1 sigmoid/sigmoid",
    "B": "8-32-32-4 tanh/identity",
    "C": "64-32-10 relu/identity",
    "D": "784-128-10 relu/identity",
    "E": "1-16-16-1 relu/identity",
}
TASKS = [("infer1", 1), ("train1", 1), ("infer64", 64), ("train32", 32)]
TASK_NAMES = {
    "infer1": "inference, 1 sample",
    "train1": "training step, 1 sample",
    "infer64": "inference, batch of 64",
    "train32": "training step, batch of 32",
}
PEERS = ["eigen_fixed", "eigen_rowmajor", "eigen_dynamic", "fann", "libtorch", "textbook"]
# ctnn's unfused training path (gradient, then an SGD loop), and A and B with identity activations
# (what their work costs without the activations): shown, never a "peer".
OWN = ["ctnn_unfused", "ctnn_identity"]
# The training benchmark (benchmark/training): its networks, tasks and implementations.
TRAINING_NETS = {
    "B": "8-32-32-4 tanh/identity",
    "C'": "64-32-32-10 relu/identity",
    "D'": "784-128-64-10 relu/identity",
}
TRAINING_TASKS = ["infer1", "sgd1", "momentum1", "adam1", "sgd32", "momentum32", "adam32"]
TRAINING_IMPLS = ["ctnn", "ctnn_unfused", "eigen", "libtorch", "textbook"]
TRAINING_PEERS = ["eigen", "libtorch", "textbook"]
# Targets of issue 4: ctnn time / best peer's time.
TARGETS = {
    ("infer1", "A"): 0.7, ("infer1", "B"): 0.5, ("infer1", "C"): 0.5, ("infer1", "D"): 1.0, ("infer1", "E"): 0.7,
    ("train1", "A"): 0.5, ("train1", "B"): 0.5, ("train1", "C"): 0.5, ("train1", "D"): 0.7,
}


def load_median_rows(path):
    """A Google Benchmark JSON file's context and its median rows (ns)."""
    data = json.loads(Path(path).read_text())
    # With one repetition Google Benchmark reports no aggregates: take the run itself.
    wanted = "median" if any(b.get("aggregate_name") == "median" for b in data["benchmarks"]) else None
    rows = [b for b in data["benchmarks"] if b.get("aggregate_name") == wanted]
    assert all(b["time_unit"] == "ns" for b in rows)
    return data["context"], rows


def load_medians(path):
    """{(net, task, impl): median cpu_time in ns per sample}"""
    context, rows = load_median_rows(path)
    out = {}
    for b in rows:
        net, task, impl = b["run_name"].split("/")
        out[(net, task, impl)] = b["cpu_time"] / dict(TASKS)[task]
    return context, out


def fmt(ns):
    if ns >= 100:
        return f"{ns:,.0f}"
    return f"{ns:.1f}" if ns >= 10 else f"{ns:.2f}"


def math_section(path):
    """The table of ctnn_math_benchmark's results: ctnn::math against the C library."""
    t = {}
    for b in load_median_rows(path)[1]:
        _, fn, kind, impl = b["run_name"].split("/")
        # latency: ns per step; throughput: ns per value (from the values the benchmark counted)
        t[(fn, kind, impl)] = 1e9 / b["items_per_second"] if kind == "throughput" else b["cpu_time"]
    out = ["## The activations' math", "",
           "`ctnn_math_benchmark` (`benchmark/math.cpp`, float): **latency** is one step of 16 values fed back",
           "through f(x)·scale + offset (the step includes that multiply-add and the array's round trip",
           "through memory), what a small network's layer waits for; **throughput** is f over 1,024",
           "independent values, ns per value. The C library's functions (glibc's `tanhf`, `expf`, and",
           "1/(1 + `expf`(−x)) for sigmoid) are called one value at a time; ctnn's tanh and sigmoid run as a",
           "layer runs them (explicit vectors), its exp through the compiler's vectorisation.",
           "", "| function | latency ctnn | latency libm | libm ÷ ctnn | ns/value ctnn | ns/value libm | libm ÷ ctnn |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for fn in ("tanh", "sigmoid", "exp"):
        lc, ll = t.get((fn, "latency", "ctnn")), t.get((fn, "latency", "libm"))
        tc, tl = t.get((fn, "throughput", "ctnn")), t.get((fn, "throughput", "libm"))
        if None in (lc, ll, tc, tl):
            continue
        out.append(f"| {fn} | {fmt(lc)} | {fmt(ll)} | {ll / lc:.1f}× | {fmt(tc)} | {fmt(tl)} | {tl / tc:.1f}× |")
    out.append("")
    return out


def bounds_section(t, math_path):
    """The single-sample targets of A and B the run missed, against their activations' share."""
    latency = {}
    if math_path and Path(math_path).exists():
        for b in load_median_rows(math_path)[1]:
            _, fn, kind, impl = b["run_name"].split("/")
            if kind == "latency" and impl == "ctnn":
                latency[fn] = b["cpu_time"]
    activation = {"A": "sigmoid", "B": "tanh"}
    rows = []
    for net in activation:
        for task in ("infer1", "train1"):
            own, floor = t.get((net, task, "ctnn")), t.get((net, task, "ctnn_identity"))
            peers = [t[(net, task, p)] for p in PEERS if (net, task, p) in t]
            target = TARGETS.get((task, net))
            if own is None or floor is None or target is None or not peers:
                continue
            goal = target * min(peers)
            if own > goal:
                rows.append((net, task, own, floor, goal))
    if not rows:
        return []
    out = ["## What bounds the missed targets of A and B", "",
           "`ctnn_identity` is ctnn on the same weights and data with every activation replaced by the",
           "identity: the matrix work, the loss, the update and the calls, without the sigmoids (A) or tanhs (B).",
           "What the target leaves for the activations is the target time (ratio × best peer) minus that:",
           "", "| net | task | ctnn | ctnn_identity | target time | activations now | left for them |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for net, task, own, floor, goal in rows:
        left = goal - floor
        out.append(f"| {net} | {task} | {fmt(own)} | {fmt(floor)} | {fmt(goal)} | {fmt(own - floor)} | "
                   + (fmt(left) if left > 0 else f"none ({fmt(-left)} short)") + " |")
    out.append("")
    for net, task, own, floor, goal in rows:
        fn = activation[net]
        if task != "train1" or fn not in latency:
            continue
        chain = [f"{net}'s training step is one dependency chain from step to step (each step's forward pass",
                 f"reads the weights the previous step wrote), and both of its {fn} layers are on it, one after"]
        per_layer = (goal - floor) / 2
        if per_layer <= 0:
            out += chain + [f"the other; but the rest of the step alone ({fmt(floor)} ns) already takes longer than",
                            f"the target ({fmt(goal)} ns): no activation can meet it.", ""]
            continue
        out += chain + [
            f"the other: each would have to take {fmt(per_layer)} ns at most, against {fmt(latency[fn])} ns for",
            f"one dependent step of 16 values in `ctnn_math_benchmark` below (that step includes a multiply-add and",
            f"the array's round trip through memory, a few ns): a {fn} {latency[fn] / per_layer:.1f}× as fast as ctnn's,",
            "whose accuracy is documented (docs/math.md: within 2.5 ulp for sigmoid, 1.5 for tanh, on every",
            "float), or a slower peer.", ""]
    return out


def load_training(path):
    """{(net, task, impl): median cpu_time in ns per step} of a ctnn_training_benchmark run."""
    context, rows = load_median_rows(path)
    return context, {tuple(b["run_name"].split("/")): b["cpu_time"] for b in rows}


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b is not None else "–"


def training_section(path, variants):
    """The training benchmark: times per step, ctnn's time over each peer's and over its unfused
    path's; then ctnn's time over Eigen's in the runs built with other compilers and flags
    (`variants`: (label, path) pairs)."""
    _, t = load_training(path)
    impls = [i for i in TRAINING_IMPLS if any(k[2] == i for k in t)]
    peers = [i for i in TRAINING_PEERS if i in impls]
    cells = [(net, task) for net in TRAINING_NETS for task in TRAINING_TASKS if (net, task, "ctnn") in t]
    net_names = ", ".join(f"**{k}** {v}" for k, v in TRAINING_NETS.items())
    out = ["## Training steps with optimizers", "",
           f"`ctnn_training_benchmark` (`benchmark/training/`), float32, on {net_names}: the same weights and",
           "data in every implementation, loss ½Σ(y−t)², learning rate 0.01. Tasks: `infer1` (one sample's",
           "inference); one step on one sample of plain SGD (`sgd1`), SGD with momentum 0.9 (`momentum1`) and",
           "Adam with PyTorch's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8; `adam1`); the same on the mean gradient of a",
           "batch of 32 (`sgd32`, `momentum32`, `adam32`: one update). Times are **nanoseconds per step** (a batch",
           "step is one update), medians of the repetitions' CPU times, in random order as above. Each timed",
           "implementation starts again from the initial weights and optimizer state every 128 passes over its",
           "samples (made anew outside the timing), so that all are timed over the same steps of training.",
           "",
           "- **ctnn**: `net(x)`; `ctnn::train_step(net, x, t, loss, 0.01f)` for SGD, `ctnn::train_step(net, x, t,",
           "  loss, opt)` with `optim::sgd_momentum` and `optim::adam`, `ctnn::train_step(net, samples, targets,",
           "  loss, opt)` for the batches. **ctnn_unfused**: `ctnn::gradient`, then `opt.step(net, grad)`.",
           "- **eigen**: the fixed-size, column-major Eigen MLP above (`benchmark/eigen_mlp.hpp`): SGD fused into",
           "  backpropagation (W −= (η δ) xᵀ); momentum and Adam store each layer's gradient, then update W and b",
           "  with one Eigen expression per formula (Adam: m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²;",
           "  p −= (η/c₁) m / (√(v/c₂) + ε)).",
           "- **libtorch**: `torch::optim::SGD` (with momentum 0.9) and `torch::optim::Adam`, one thread.",
           "- **textbook**: the textbook MLP, the same updates as plain loops.",
           "",
           "Before anything is timed, every implementation's outputs and its parameters after two steps of each",
           "optimizer (one sample at a time, and a batch at a time) are compared with ctnn's (`gradient`, then",
           "`step`); Adam is compared with ε = 1e-3, for the reason given in `benchmark/training/training.hpp`.",
           "",
           "| net | task | " + " | ".join(impls) + " |",
           "|---|---|" + "---:|" * len(impls)]
    for net, task in cells:
        out.append(f"| {net} | {task} | " + " | ".join(fmt(t[(net, task, i)]) if (net, task, i) in t else "–"
                                                       for i in impls) + " |")
    out += ["", "ctnn's time ÷ each peer's (below 1: ctnn takes less time), and ctnn's fused steps ÷ its unfused",
            "ones (`gradient`, then `step`):", "",
            "| net | task | " + " | ".join(f"ctnn ÷ {p}" for p in peers) + " | fused ÷ unfused |",
            "|---|---|" + "---:|" * (len(peers) + 1)]
    for net, task in cells:
        own = t[(net, task, "ctnn")]
        row = [ratio(own, t.get((net, task, p))) for p in peers]
        row.append(ratio(own, t.get((net, task, "ctnn_unfused"))))
        out.append(f"| {net} | {task} | " + " | ".join(row) + " |")
    out.append("")
    runs = [("g++, -O3 -march=native (above)", t)] + [(label, load_training(p)[1]) for label, p in variants
                                                           if Path(p).exists()]
    if len(runs) > 1:
        out += ["ctnn's time ÷ the Eigen MLP's with each compiler and flags (each a separate build, run on the",
                "same core after the run above; `unfused`: `ctnn::gradient`, then `step`):", "",
                "| net | task | " + " | ".join(label for label, _ in runs) + " |",
                "|---|---|" + "---:|" * len(runs)]
        for net in TRAINING_NETS:
            for task in TRAINING_TASKS:
                for impl in ("ctnn", "ctnn_unfused"):
                    row = [ratio(r.get((net, task, impl)), r.get((net, task, "eigen"))) for _, r in runs]
                    if all(x == "–" for x in row):
                        continue
                    label = task if impl == "ctnn" else f"{task} unfused"
                    out.append(f"| {net} | {label} | " + " | ".join(row) + " |")
        out.append("")
    return out


def fashion_mnist_section(path):
    """tools/fashion_mnist_timing's results: each program's median CPU and wall times, its runs, its
    test accuracy, and PyTorch's CPU time over the program's."""
    r = json.loads(Path(path).read_text())
    programs = r["programs"]
    torch = next((p for p in programs if p["name"].startswith("PyTorch")), None)
    out = ["## Fashion-MNIST training against PyTorch", "",
           "`tools/fashion_mnist_timing`: 5 epochs of `examples/fashion_mnist` (784-128(relu)-10(softmax), Adam",
           "1e-3, batch 32, sparse cross-entropy; `ctnn::fit`), built with `-O2` and no `-march` (plain x86-64),",
           "against the same model, optimizer, batch size and epochs in PyTorch on one thread",
           "(`tools/fashion_mnist_pytorch.py --threads 1`); each program pinned to the same core, the runs",
           f"interleaved, {r['runs']} of each; the CPU and wall times of the training loop, medians; the ratio",
           "is of CPU times.", "",
           "| program | CPU time | wall time | CPU times of the runs | test accuracy | PyTorch ÷ this |",
           "|---|---:|---:|---|---|---:|"]
    for p in programs:
        speedup = (f"{torch['median_cpu_seconds'] / p['median_cpu_seconds']:.2f}" if torch and p is not torch
                   else "")
        out.append(f"| {p['name']} ({p['version']}) | {p['median_cpu_seconds']:.2f} s | {p['median_seconds']:.2f} s | "
                   + ", ".join(f"{x:.2f}" for x in p["cpu_seconds"]) + " s | "
                   + " or ".join(f"{a:.4f}" for a in p["accuracies"]) + f" | {speedup} |")
    out.append("")
    return out

def cpu_identity():
    """The model name and, since a virtual machine may report only "AMD EPYC", the family and model
    numbers that tell one generation from the next (for AMD, family 25 is Zen 3 and Zen 4, 26 Zen 5:
    Zen 4 runs a 64-byte vector operation as two halves, so the peak differs by up to 2x)."""
    fields = {}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        key, _, value = line.partition(":")
        if not line.strip():
            break  # the first processor's block is enough
        fields.setdefault(key.strip(), value.strip())
    return (f"{fields.get('model name', '?')} (family {fields.get('cpu family', '?')}, "
            f"model {fields.get('model', '?')}, {'AVX-512' if 'avx512f' in fields.get('flags', '').split() else 'no AVX-512'})")


def cache_sizes():
    """Cache sizes from sysfs (Google Benchmark's context lists none in some virtual machines)."""
    caches = []
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            level, kind, size = ((index / f).read_text().strip() for f in ("level", "type", "size"))
        except OSError:
            continue
        caches.append(f"L{level} {kind.lower()} {size}")
    return ", ".join(caches) or "not reported"


def main(results, peak_file, compile_file, doc, chart_data, commands_file, clang_results=None, math_results=None,
         training_results=None, training_variants=(), fashion_results=None):
    context, t = load_medians(results)
    peak = dict(line.split(None, 1) for line in Path(peak_file).read_text().splitlines()
                if re.match(r"^[a-z_]+ [0-9.]+$", line))
    peers_present = [p for p in PEERS if any(k[2] == p for k in t)]
    impls = ["ctnn"] + peers_present
    lines = []
    w = lines.append
    w("# Benchmarks: ctnn against dynamic libraries")
    w("")
    w("Generated by `tools/benchmark` (do not edit by hand; rerun it). All numbers come from **one run** on")
    w("the machine below: ratios are between implementations measured in that same run.")
    w("")
    w("## What is measured")
    w("")
    w("Five networks (float32), the **same weights and data in every implementation**:")
    w("")
    for k, v in NETS.items():
        w(f"- **{k}**: {v}")
    w("")
    w("Four tasks each: inference of one sample; one SGD training step on one sample (forward, gradient of")
    w("`ctnn::loss::mse` = ½Σ(y−t)², backpropagation, update, learning rate 0.01); inference of a batch of 64;")
    w("one SGD step on the mean gradient of a batch of 32. Times are **nanoseconds per sample** (batch time")
    w("divided by the batch size), the **median of the repetitions' CPU times** (CPU rather than wall time")
    w("because the machine is shared: other jobs compile on the other core, and a pinned thread's CPU time")
    w("does not count the time it waits). The repetitions of all the benchmarks run in random order (Google")
    w("Benchmark's random interleaving), so that a slow spell of the shared machine, which can last minutes")
    w("and double every time, falls on all the implementations alike rather than on whichever ran during it.")
    w("")
    w("**Between runs, some figures move between two levels**, for the peers as for ctnn: the same binary,")
    w("started five times, measured Eigen fixed's A inference at 22.3, 22.1, 13.0, 13.3 and 13.3 ns, its E")
    w("inference at 25.0, 24.7, 15.8, 17.1 and 15.8 ns, and ctnn's A inference at 15.4, 15.4, 14.7, 14.0")
    w("and 14.0 ns (in three runs of `tools/benchmark` the same hour, Eigen fixed's B inference was 80, 97")
    w("and 115 ns). The level is drawn per process by the address-space layout: with randomisation off")
    w("(`setarch -R`) every start measured the slow level of Eigen's A, whatever the size of the")
    w("environment (which shifts the stack). The repetitions within one run do not vary (their spread is")
    w("about 1 %), so a ratio below is that of the levels the run drew; the cause (code placement and the")
    w("branch predictors, or the placement of the data) is not established. To see it: `for i in 1 2 3 4 5;")
    w("do taskset -c 1 build/bench/benchmark/ctnn_benchmark --benchmark_filter='A/infer1/(ctnn|eigen_fixed)$';")
    w("done`.")
    w("")
    w("Implementations, all built in the same CMake build with the same flags:")
    w("")
    w("- **ctnn**: `net(x)`; training step `ctnn::train_step` (update fused into backpropagation); batch")
    w("  training `ctnn::gradient` over a `std::span` batch then an SGD loop; batch inference `ctnn::predict` (a vector register's worth of samples side by side: 16 here).")
    w("  Shown beside it, never as peers: `ctnn_unfused` (the training step as `ctnn::gradient` then an SGD")
    w("  loop) and, for A and B, `ctnn_identity` (every activation replaced by the identity; its outputs")
    w("  differ, so it is not checked against the others).")
    w("- **eigen_fixed**: Eigen 3.4 fixed-size matrices (`Matrix<float, Out, In>`), backpropagation written by")
    w("  hand, `noalias()` products, every buffer allocated once; batches as matrix-matrix products.")
    w("- **eigen_rowmajor**: the same code with fixed-size row-major weights (`Matrix<float, Out, In, RowMajor>`),")
    w("  ctnn's public layout: it shows what the layout costs Eigen (see D below).")
    w("- **eigen_dynamic**: the same code with `MatrixXf`/`VectorXf`.")
    w("- **fann**: FANN 2.2 (`libfann-dev`, `fann_run`, `fann_train`, `fann_train_epoch` with `FANN_TRAIN_BATCH`,")
    w("  error function linear, momentum 0). **FANN 2.2 has no ReLU: C, D and E use `FANN_LINEAR_PIECE`**")
    w("  (max(0, min(1, x)); FANN takes its derivative as 1 everywhere) as the substitute, the same cost class")
    w("  (a compare and a clamp per unit).")
    w("- **libtorch**: Debian's libtorch 1.13 C++ API, `torch::set_num_threads(1)`, `torch::nn::Linear` layers,")
    w("  inference under `torch::NoGradGuard`, training with autograd and `torch::optim::SGD`.")
    w("- **textbook**: a plain MLP over `std::vector<float>` layers (sizes at run time, row-major weights,")
    w("  plain loops, activation by `switch`).")
    w("")
    w("**Correctness first**: before anything is timed, every implementation's outputs on 64 samples, and")
    w("its parameters after one single-sample step and after one batch step, are compared with ctnn's")
    w("(outputs to 1e-4 relative; updates through (θ₀ − θ₁)/η to 2e-3); any mismatch ends the program with")
    w("status 1. FANN's ReLU substitutes are compared with the textbook MLP run with FANN's activation (the")
    w("textbook MLP itself being compared with ctnn with ReLU).")
    w("")
    for task, batch in TASKS:
        w(f"## {TASK_NAMES[task]}: ns per sample")
        w("")
        w("| net | " + " | ".join(impls) + " | ctnn ÷ best peer | target |")
        w("|---|" + "---:|" * len(impls) + "---:|---|")
        for net in NETS:
            if (net, task, "ctnn") not in t:
                continue
            row = [fmt(t[(net, task, i)]) if (net, task, i) in t else "–" for i in impls]
            peers = [t[(net, task, p)] for p in peers_present if (net, task, p) in t]
            best = min(peers) if peers else math.nan
            ratio = t[(net, task, "ctnn")] / best
            target = TARGETS.get((task, net))
            verdict = "" if target is None else f"≤ {target} {'met' if ratio <= target else '**missed**'}"
            w(f"| {net} | " + " | ".join(row) + f" | {ratio:.2f} | {verdict} |")
        w("")
        w("Peer ÷ ctnn (how many times longer the peer takes):")
        w("")
        w("| net | " + " | ".join(impls[1:]) + " |")
        w("|---|" + "---:|" * (len(impls) - 1))
        for net in NETS:
            if (net, task, "ctnn") not in t:
                continue
            c = t[(net, task, "ctnn")]
            w(f"| {net} | " + " | ".join(f"{t[(net, task, p)] / c:.1f}×" if (net, task, p) in t else "–"
                                         for p in impls[1:]) + " |")
        w("")
    if any(k[2] == "ctnn_unfused" for k in t):
        w("## The fused training step")
        w("")
        w("`ctnn::train_step` (update fused into backpropagation) against ctnn's unfused path, `ctnn::gradient`")
        w("then an SGD loop over the parameters (same run, ns per sample):")
        w("")
        w("| net | train_step | gradient + SGD loop | unfused ÷ fused |")
        w("|---|---:|---:|---:|")
        for net in NETS:
            if (net, "train1", "ctnn_unfused") in t and (net, "train1", "ctnn") in t:
                a, b = t[(net, "train1", "ctnn")], t[(net, "train1", "ctnn_unfused")]
                w(f"| {net} | {fmt(a)} | {fmt(b)} | {b / a:.2f} |")
        w("")
    w("![ns per sample, log scale](benchmarks.png)")
    w("")
    # The chart's data: one block per task.
    with open(chart_data, "w") as f:
        for task, _ in TASKS:
            f.write("net " + " ".join(impls) + "\n")
            for net in NETS:
                f.write(net + " " + " ".join(f"{t.get((net, task, i), float('nan')):.3f}" for i in impls) + "\n")
            f.write("\n\n")

    if training_results and Path(training_results).exists():
        for line in training_section(training_results, training_variants):
            w(line)
    if fashion_results and Path(fashion_results).exists():
        for line in fashion_mnist_section(fashion_results):
            w(line)
    w("## How ctnn's kernels are written")
    w("")
    w("- **Forward** (`include/ctnn/detail/dense_kernels.hpp`): z = W x + b with W row-major `[out][in]` as")
    w("  the public layout requires. A dot product in one accumulator is a chain of dependent additions that")
    w("  no compiler may reorder under strict IEEE rules, so ctnn *defines* a vectorisable order: input i goes")
    w("  to lane i mod L of L partial sums (L = the largest power of two ≤ the row length, at most 64 bytes:")
    w("  16 floats; for a long row, 1 KB or more, 256 bytes: 64 floats), the lanes are then added pairwise,")
    w("  halving. `dot_row_scalar` is that definition, which constant evaluation runs; at run time, on GCC")
    w("  and Clang, the same sums in the same order are computed with generic vectors (`vector_size`, no")
    w("  intrinsics, no target flags). Rows are computed 16, 8 or 4 at a time (independent chains; their")
    w("  pairwise reductions share shuffles: two rows' vectors of partial sums are combined into one vector")
    w("  holding half of each, until each row is one lane, so 16 rows of 16 lanes take 15 vector additions")
    w("  and 30 shuffles, against 20 and 43 four rows at a time; the 16 sums are stored as one vector, so the")
    w("  next loop's wide loads are forwarded from one store; two rows left over are reduced and stored as a")
    w("  pair for the same reason: C's 10 outputs are copied out as 32 + 8 bytes, and the 8-byte load")
    w("  waited for two single-value stores to reach the cache, 52 → 44 ns; rows of 4 or 8 values, which")
    w("  are contiguous, are loaded 4 or 2 to a 16-lane vector against a repeated x, so B's first layer")
    w("  takes 8 products and 7 combining steps per 16 rows where a row per 8-lane vector took 16 and 14:")
    w("  B's inference 67 → 60 ns, measured apart), long rows two at a time: a row's 64 lanes are four")
    w("  independent chains within the row, so two rows need only two sequential streams of weights (D's")
    w("  weights four rows side by side in the 64-byte order, four streams: 1.45× as long, on Zen 5), and")
    w("  each vector of x loaded serves both rows (one row at a time took two loads per multiply-add, which")
    w("  Zen 4, one 64-byte load per cycle, waited on: D's inference 10 % and its step 6 % longer). Inference")
    w("  (`network::operator()`) keeps no trace: each layer writes into its own buffer and applies its")
    w("  activation in place.")
    w("  Results agree with constant evaluation up to fused multiply-adds (`test/train_step_test.cpp`), bit for")
    w("  bit without them (`test/reproducibility_test.cpp`).")
    w("  Rows shorter than 4 use the scalar definition, which compilers vectorise across rows.")
    w("- **Vector width**: the kernels' generic vectors take their width from the target (16 bytes on")
    w("  plain x86-64 and NEON, 32 with AVX, 64 with AVX-512). A row's 16 (64) lane partial sums are held as")
    w("  several native vectors and folded pairwise over those first, which is the same summation order, so")
    w("  every build computes the same sums; batch blocks are one native vector of samples. (GCC keeps a")
    w("  generic vector wider than the target's registers in memory: with 64-byte vectors everywhere, D's")
    w("  inference built for AVX2 took 5× Eigen's time.) The benchmarks above are built for this machine")
    w("  (AVX-512); for an AVX2 build: `cmake --preset bench -B build/bench-avx2")
    w("  -DCTNN_BENCHMARK_FLAGS=-march=x86-64-v3`.")
    w("- **ReLU** is evaluated branch-free (a bit blend, the same values as its expression, NaN included):")
    w("  the expression evaluator's lazy `select` is a branch around `0·x` that GCC does not if-convert.")
    w("- **Backward**: the outer-product update loops over the contiguous input index innermost, one 64-byte")
    w("  vector at a time. Wᵀδ has its own defined order (row o into partial sum o mod 4, then pairwise),")
    w("  computed at run time with the partial sums of a chunk of inputs in vector registers.")
    w("  `ctnn::train_step` fuses the SGD update into backpropagation (no gradient array) and keeps its")
    w("  forward pass in uninitialised per-layer buffers (no zeroed trace, no copy of the input). In a layer")
    w("  whose activation has a zero-slope region (ReLU; found at compile time by probing the derived slope),")
    w("  the units idle on the sample have a zero δ, and the update skips their rows (for rows of at least")
    w("  256 bytes; a bit mask of the rows to update is built first by a vectorised loop, then only its")
    w("  set bits are visited; listing the rows one by one was a sixth of C's step): with the benchmark's")
    w("  zero-mean random weights and inputs, about half of the first layer of C and D. The peers update")
    w("  every row. Rows of 4 or 8 values are updated several to a 16-lane vector, as the forward pass reads")
    w("  them, each lane's step spread from the vector of steps by one shuffle (B's first layer: 16 vector")
    w("  stores where it took 32 of half the width; B's step 6-9 % shorter with GCC, 4-7 % with Clang).")
    w("  The slopes δ = g ⊙ f'(z) and the bias updates go through pointers declared not to overlap: without")
    w("  that promise Clang evaluated both a value at a time (C's step 10 % and B's 11-13 % longer).")
    w("- **Alignment**: a network's parameters start on a 64-byte boundary where the kernels use vectors,")
    w("  so rows whose length is a multiple of 16 floats never straddle cache lines (D's training step took")
    w("  1.2× as long with the 16-byte alignment `new` gave it before).")
    w("- **Batches** (`include/ctnn/detail/block_kernels.hpp`): `ctnn::predict`, the batch `ctnn::gradient`")
    w("  and `fit` work on blocks of samples side by side (16 floats here, one AVX-512 register), transposed to `[unit][sample]` in registers")
    w("  (16×16 shuffles; the values past the last 16 of a sample, and a narrow input like A's, as one")
    w("  vector per unit: stored value by value, they kept the first layer's vector loads from being")
    w("  forwarded from the stores, and Clang's batch inference of A took 2× GCC's time): each weight is")
    w("  loaded once per block and the innermost loops run across samples,")
    w("  which vectorises without reordering any sum: each sample's sums keep the single-sample order")
    w("  (the 16 lane partial sums of a row are 16 vectors of samples, added pairwise), so the results equal")
    w("  `net(x)` and the sample-by-sample gradient bit for bit (`test/predict_test.cpp`,")
    w("  `test/batch_gradient_test.cpp`). When a block's inputs take 8 KB or more (D: 784 × 16 floats, 49 KB,")
    w("  more than L1), the forward kernel takes 8 rows at a time and two lanes of their partial sums per")
    w("  pass over the inputs (each input vector loaded serves 8 rows, a pass reads 2 of every L inputs, and")
    w("  the first pairwise step of the two lanes is done at once); one row at a time read the whole block")
    w("  from L2 for every row. The weight gradient keeps 4 rows × 4 chunks of dW in registers (2 rows below")
    w("  AVX-512; a layer of fewer rows, all of them: A's 3, A's batch step 7-9 % shorter) across the block's")
    w("  samples, column strips outer, so that a strip's inputs stay in L1 while all the rows pass. The")
    w("  single-sample order still costs the batch kernels a broadcast per multiply-add and the partial")
    w("  sums' round trip through memory, where Eigen's GEMM reuses registers freely. The step from one")
    w("  layer's gradient down to the next (`block_propagate`) is always inlined: Clang kept it out of line,")
    w("  and C's batch step took 1.11-1.17× as long (GCC inlined it already). The bias sums run over the")
    w("  samples in order, so one row at a time they were chains of scalar additions; the block's δ is")
    w("  transposed in registers 16 rows at a time, and one vector addition serves 16 rows (so do the weight")
    w("  sums of a layer of one input, E's first, which GCC had computed with gathers): E's batch step")
    w("  47 % shorter with GCC and 29 % with Clang, B's 8 %, C's 4 %, measured apart.")
    w("- Element-wise functions (`math.hpp`: accurate, branch-free exp/tanh/sigmoid, vectorised when a layer")
    w("  is wide enough; a layer narrower than a multiple of 4 is padded so that it is evaluated in vector")
    w("  registers; sigmoid and float tanh layers are evaluated over GCC/Clang generic vectors explicitly at")
    w("  run time, with the same definition as the scalar function, written once over \"lanes\", its selects")
    w("  as one blend instruction each).")
    w("  float's tanh is a polynomial below 0.7 and 1 − 2/(1 + e^2|x|) above, with an exponential cut to")
    w("  the accuracy that form needs; float's exp recovers the rounding of 1 + r exactly so that its minimax")
    w("  polynomial can be evaluated by Estrin's scheme (docs/math.md; the table below has their latency).")
    w("  tanh is about half of B's inference: B with identity activations took 38 ns against 80 with the")
    w("  previous tanh, measured apart; the current one took B from 78 to 70 ns. A is two sigmoids and two")
    w("  tiny products per sample, but its consecutive samples overlap in the core's out-of-order window:")
    w("  a sigmoid with a 9 % shorter dependent latency moved A's inference by 1.5 %, while six vector")
    w("  operations fewer per sigmoid (132 → 119 instructions for A's inference, GCC) moved it by 9 %")
    w("  (16.9 → 15.3 ns, measured apart): A is bound by its sigmoids' instructions more than by their")
    w("  latency. Scaling e^-|x| and 1 by the same 2^64 before the division (the same quotient, bit for")
    w("  bit) saves one more product per sigmoid: 15.5 → 14.9 ns. float's sigmoid now has an exp of its")
    w("  own: 2^(j/16) from a 16-entry table (and a table of its rests), each read with one register")
    w("  permute (`vpermps`), and a cubic for |r| ≤ ln2/32 where exp's kernel needs degree 7 and an exact")
    w("  split of 1 + r (0.57 ulp against 0.81): A's inference 1.15-1.20× as fast and its training step")
    w("  1.10× (ctnn alone, the builds before and after alternated, pinned); activations built on sigmoid")
    w("  (swish) are evaluated over explicit vectors too, since a compiler reads the table with gathers or a")
    w("  load per value.")
    w("")
    w("## Against the machine's peak")
    w("")
    gflops = float(peak.get("peak_gflops", "nan"))
    bw = float(peak.get("weights_read_gbps", "nan"))
    ghz = float(peak.get("clock_ghz", "nan"))
    w(f"`ctnn_peak` measures one core's peak FP32 FMA throughput with {peak.get('lanes', '?')}-lane vectors and 16")
    w(f"independent accumulators: **{gflops:.1f} GFLOP/s**; and the read bandwidth over a buffer the size of D's")
    w(f"weights ({int(peak.get('weights_bytes', '0')):,} bytes, which stays in the 1 MB L2): **{bw:.1f} GB/s**.")
    if not math.isnan(ghz):
        w(f"A chain of dependent integer additions (one cycle each) ran at {ghz:.2f} GHz, so the peak is")
        lanes = int(peak.get("lanes", "0"))
        per_cycle = gflops / ghz
        w(f"**{per_cycle:.0f} FLOP per cycle**: two {lanes}-lane FMAs per cycle would be {4 * lanes}"
          + (f"; about one per cycle is what a core reaches that executes each {4 * lanes}-byte vector operation"
             " as two halves (AMD's Zen 4 does)." if per_cycle < 0.6 * 4 * lanes else "."))
    w("")
    w("| net | multiply-adds per sample | GFLOP/s, 1 sample | % of peak | GFLOP/s, batch of 64 | % of peak |")
    w("|---|---:|---:|---:|---:|---:|")
    for net, desc in NETS.items():
        widths = [int(x) for x in desc.split()[0].split("-")]
        macs = sum(a * b for a, b in zip(widths, widths[1:]))
        cells = []
        for task in ("infer1", "infer64"):
            if (net, task, "ctnn") in t:
                g = 2 * macs / t[(net, task, "ctnn")]
                share = 100 * g / gflops
                cells += [f"{g:.1f}", f"{share:.1f} %" if share < 10 else f"{share:.0f} %"]
            else:
                cells += ["", ""]
        w(f"| {net} | {macs:,} | " + " | ".join(cells) + " |")
    w("")
    if (("D", "infer1", "ctnn")) in t:
        need = 407080 / t[("D", "infer1", "ctnn")]
        w(f"Inference of D streams its ~401 KB of weights once per sample: at ctnn's "
          f"{fmt(t[('D', 'infer1', 'ctnn')])} ns that is **{need:.1f} GB/s**, {100 * need / bw:.0f} % of the measured "
          f"L2 read bandwidth; D is bandwidth-bound, the small networks are bound by latency and the "
          f"element-wise functions (sigmoid, tanh), not by multiply-adds.")
        w("")
        cm, rm = t.get(("D", "infer1", "eigen_fixed")), t.get(("D", "infer1", "eigen_rowmajor"))
        if cm and rm:
            w(f"The layout decides how fast D's weights stream: Eigen with column-major weights reads them as one")
            w(f"contiguous stream ({fmt(cm)} ns per inference), with ctnn's row-major layout as several strided row")
            w(f"streams at once ({fmt(rm)} ns, {rm / cm:.2f}×). ctnn keeps the row-major layout and reads D's rows")
            w(f"two at a time, two streams ({fmt(t[('D', 'infer1', 'ctnn')])} ns): a row of 1 KB or more has")
            w(f"64 lanes of partial sums, four independent chains within the row, where the 64-byte order needed")
            w(f"four rows side by side, four streams, to hide its latency (on Zen 5: 3,160 ns before the change,")
            w(f"commit 1688130, against 3,089 after; sixteen rows, prefetching or more chunks per row all measured")
            w(f"within 5 %). Two rows rather than one share each load of x (on Zen 4: 10 % shorter; prefetching")
            w(f"was 3-10 % longer there, four long rows at a time 1 % longer than two).")
            w("")
    if clang_results and Path(clang_results).exists():
        _, c = load_medians(clang_results)
        w("## GCC and Clang")
        w("")
        w("ctnn built with clang++ 14 (same flags, separate build, run right after the main run on the same core)")
        w("against the g++ 12 build above, ns per sample:")
        w("")
        w("| net | task | g++ | clang++ | clang ÷ g++ |")
        w("|---|---|---:|---:|---:|")
        for net in NETS:
            for task, _ in TASKS:
                if (net, task, "ctnn") in t and (net, task, "ctnn") in c:
                    a, b = t[(net, task, "ctnn")], c[(net, task, "ctnn")]
                    w(f"| {net} | {task} | {fmt(a)} | {fmt(b)} | {b / a:.2f} |")
        w("")
    for line in bounds_section(t, math_results):
        w(line)
    if math_results and Path(math_results).exists():
        for line in math_section(math_results):
            w(line)
    if Path(compile_file).exists():
        w(Path(compile_file).read_text().rstrip())
        w("")
    w("## Machine, flags, commands")
    w("")
    ctx = context
    w(f"- CPU: {ctx.get('host_name', '?')}: {cpu_identity()}, "
      f"{ctx.get('num_cpus')} cores at {ctx.get('mhz_per_cpu')} MHz (as reported"
      + ("" if math.isnan(ghz) else f"; {ghz:.2f} GHz measured by `ctnn_peak` while running")
      + "), caches per core: " + cache_sizes())
    w(f"- Date: {ctx.get('date')}; load average at start: {', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}")
    w(Path(commands_file).read_text().rstrip())
    w("")
    Path(doc).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("results", "peak_file", "compile_file", "doc", "chart_data", "commands_file"):
        parser.add_argument(name)
    parser.add_argument("clang_results", nargs="?")
    parser.add_argument("math_results", nargs="?")
    parser.add_argument("--training", help="ctnn_training_benchmark's JSON")
    parser.add_argument("--training-variant", action="append", default=[], metavar="LABEL=JSON",
                        help="the training benchmark built otherwise (repeatable)")
    parser.add_argument("--fashion-mnist", help="tools/fashion_mnist_timing's JSON")
    a = parser.parse_args()
    main(a.results, a.peak_file, a.compile_file, a.doc, a.chart_data, a.commands_file, a.clang_results,
         a.math_results, a.training, [tuple(v.rsplit("=", 1)) for v in a.training_variant], a.fashion_mnist)
