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
# Not peers, shown beside ctnn: ctnn_unfused (gradient, then an SGD loop) and ctnn_identity (A and B
# with identity activations: what their work costs without the activations).
# The training benchmark (benchmark/training): its networks, tasks and implementations.
TRAINING_NETS = {
    "B": "8-32-32-4 tanh/identity",
    "C'": "64-32-32-10 relu/identity",
    "D'": "784-128-64-10 relu/identity",
}
TRAINING_TASKS = ["infer1", "sgd1", "momentum1", "adam1", "sgd32", "momentum32", "adam32"]
TRAINING_IMPLS = ["ctnn", "ctnn_unfused", "eigen", "libtorch", "textbook"]
TRAINING_PEERS = ["eigen", "libtorch", "textbook"]
CONFIG_HEADER = Path(__file__).resolve().parent.parent / "include" / "ctnn" / "detail" / "config.hpp"


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
           "independent values, ns per value. The C library's functions (`tanhf`, `expf`, and",
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


def load_training(path):
    """{(net, task, impl): median cpu_time in ns per step} of a ctnn_training_benchmark run."""
    context, rows = load_median_rows(path)
    return context, {tuple(b["run_name"].split("/")): b["cpu_time"] for b in rows}


def ratio(a, b):
    """a ÷ b with two decimals, or two significant digits below 0.1 (so that no ratio reads 0.00)."""
    if a is None or b is None:
        return "–"
    r = a / b
    return f"{r:.2f}" if r >= 0.1 else f"{r:.2g}"


def training_section(path, variants, main_label):
    """The training benchmark: times per step, ctnn's time over each peer's and over its unfused
    path's; then ctnn's time over Eigen's in the runs built with other compilers and flags
    (`variants`: (label, path) pairs; `main_label` names the main run's compiler and flags)."""
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
           "ctnn's optimizers store first moments and velocities below the normal range as zero",
           "([training.md](training.md)); the peers keep them and compute on subnormal numbers wherever a ReLU",
           "unit stays idle long enough for its weights' moments to decay that far.",
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
    runs = [(f"{main_label} (above)", t)] + [(label, load_training(p)[1]) for label, p in variants
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
           "| program | version | CPU time | wall time | CPU times of the runs | test accuracy | PyTorch ÷ this |",
           "|---|---|---:|---:|---|---|---:|"]
    for p in programs:
        speedup = (f"{torch['median_cpu_seconds'] / p['median_cpu_seconds']:.2f}" if torch and p is not torch
                   else "")
        out.append(f"| {p['name']} | {p['version']} | {p['median_cpu_seconds']:.2f} s | {p['median_seconds']:.2f} s | "
                   + ", ".join(f"{x:.2f}" for x in p["cpu_seconds"]) + " s | "
                   + " or ".join(f"{a:.4f}" for a in p["accuracies"]) + f" | {speedup} |")
    out.append("")
    return out


def compile_time_section(path):
    """The compile-time table tools/benchmark measured: its rows' translation unit, wall time and
    peak memory (columns after those are not read)."""
    rows = []
    for line in Path(path).read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`"):
            rows.append(cells[:3])
    if not rows:
        return []
    out = ["## Compile time", "",
           "Wall time and peak memory (`/usr/bin/time -f \"%e %M\"`) of compiling one translation unit with",
           "`g++ -std=c++20 -O2 -Iinclude -c`, one at a time, on the machine below.",
           "`benchmark/compile_time/stress.cpp` is a 10-layer network of width 64 (a different activation per",
           "layer), `ctnn::gradient` (forward and backward) and an Adam update written by hand.", "",
           "| translation unit | wall time | peak memory |", "|---|---:|---:|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    out.append("")
    return out


def cpu_identity():
    """The first processor's model name and its family and model numbers as /proc/cpuinfo gives
    them (a virtual machine may report only a vendor's product line as the name: the numbers
    identify the processor), and whether it has AVX-512."""
    fields = {}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        key, _, value = line.partition(":")
        if not line.strip():
            break  # the first processor's block is enough
        fields.setdefault(key.strip(), value.strip())
    return (f"{fields.get('model name', '?')} (family {fields.get('cpu family', '?')}, "
            f"model {fields.get('model', '?')}, {'AVX-512' if 'avx512f' in fields.get('flags', '').split() else 'no AVX-512'})")


def caches():
    """The first core's caches from sysfs (Google Benchmark's context lists none in some virtual
    machines): (level, type, size in bytes) each."""
    out = []
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            level, kind, size = ((index / f).read_text().strip() for f in ("level", "type", "size"))
        except OSError:
            continue
        m = re.fullmatch(r"([0-9]+)([KMG]?)", size)
        if m:
            out.append((int(level), kind.lower(), int(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20,
                                                                        "G": 1 << 30}[m.group(2)]))
    return out


def size_text(n):
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n:,} bytes"


def config_constants():
    """The kernels' tuning constants from include/ctnn/detail/config.hpp, as the report describes
    the kernels by them: {name: value}."""
    text = CONFIG_HEADER.read_text()
    values = {m.group(1): int(m.group(2))
              for m in re.finditer(r"inline constexpr std::size_t (\w+) = ([0-9]+);", text)}
    m = re.search(r"#define CTNN_DOT_LANE_BYTES ([0-9]+)", text)
    if m:
        values["CTNN_DOT_LANE_BYTES"] = int(m.group(1))
    wanted = ("CTNN_DOT_LANE_BYTES", "long_row_bytes", "transposed_partial_sums", "skip_row_bytes",
              "affine_tile_min_bytes", "affine_tile_lanes", "vector_row_min_lanes")
    missing = [k for k in wanted if k not in values]
    assert not missing, f"report.py: {CONFIG_HEADER} no longer defines {missing}"
    return values


def spread(path):
    """{(net, task, impl): coefficient of variation of the repetitions' CPU times} (empty with one
    repetition, where Google Benchmark reports no aggregates)."""
    data = json.loads(Path(path).read_text())
    stats = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") in ("mean", "stddev"):
            stats.setdefault(b["run_name"], {})[b["aggregate_name"]] = b["cpu_time"]
    return {tuple(k.split("/")): v["stddev"] / v["mean"] for k, v in stats.items()
            if v.get("mean") and "stddev" in v}


def macs_of(desc):
    """Multiply-adds per sample of a network described as "784-128-10 ..."."""
    widths = [int(x) for x in desc.split()[0].split("-")]
    return sum(a * b for a, b in zip(widths, widths[1:]))


def parameters_of(desc):
    widths = [int(x) for x in desc.split()[0].split("-")]
    return sum(a * b + b for a, b in zip(widths, widths[1:]))


def extremes(values, form="{:.2f}"):
    """"from 0.41 (C) to 0.93 (A)" for {net: value}."""
    lo = min(values, key=values.get)
    hi = max(values, key=values.get)
    if lo == hi:
        return f"{form.format(values[lo])} ({lo})"
    return f"from {form.format(values[lo])} ({lo}) to {form.format(values[hi])} ({hi})"


def main(results, peak_file, compile_file, doc, chart_data, commands_file, clang_results=None, math_results=None,
         training_results=None, training_variants=(), fashion_results=None, main_compiler="g++",
         clang_compiler="clang++"):
    context, t = load_medians(results)
    cv = spread(results)
    peak = dict(line.split(None, 1) for line in Path(peak_file).read_text().splitlines()
                if re.match(r"^[a-z_]+ [0-9.]+$", line))
    gflops = float(peak.get("peak_gflops", "nan"))
    bw = float(peak.get("weights_read_gbps", "nan"))
    ghz = float(peak.get("clock_ghz", "nan"))
    lanes = int(peak.get("lanes", "0"))
    config = config_constants()
    peers_present = [p for p in PEERS if any(k[2] == p for k in t)]
    impls = ["ctnn"] + peers_present
    lines = []
    w = lines.append

    def best_peer(net, task):
        peers = [t[(net, task, p)] for p in peers_present if (net, task, p) in t]
        return min(peers) if peers else math.nan

    w("# Benchmarks: ctnn against dynamic libraries")
    w("")
    w("Generated by `tools/benchmark` (do not edit by hand; rerun it). All numbers come from **one run** on")
    w("the machine described at the end: ratios are between implementations measured in that same run.")
    w("")
    summary = []
    for task, label in (("infer1", "Inference of one sample"), ("train1", "One SGD training step on one sample")):
        r = {net: t[(net, task, "ctnn")] / best_peer(net, task) for net in NETS
             if (net, task, "ctnn") in t and not math.isnan(best_peer(net, task))}
        if r:
            summary.append(f"- {label}: ctnn's time ÷ the fastest peer's, {extremes(r)} over the five networks.")
            torch = {net: t[(net, task, "libtorch")] / t[(net, task, "ctnn")] for net in NETS
                     if (net, task, "ctnn") in t and (net, task, "libtorch") in t}
            if torch:
                summary.append(f"  libtorch's time ÷ ctnn's, {extremes(torch, '{:.0f}×')}.")
    shares = {net: 100 * 2 * macs_of(desc) / t[(net, "infer64", "ctnn")] / gflops for net, desc in NETS.items()
              if (net, "infer64", "ctnn") in t}
    if shares and not math.isnan(gflops):
        summary.append(f"- Inference of a batch of 64: ctnn's multiply-adds take {extremes(shares, '{:.1f} %')} of the")
        summary.append(f"  core's FMA peak as `ctnn_peak` measured it ({gflops:.1f} GFLOP/s).")
    if summary:
        w("## Summary")
        w("")
        for line in summary:
            w(line)
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
    w("divided by the batch size), the **median of the repetitions' CPU times** (CPU rather than wall time:")
    w("a pinned thread's CPU time does not count the time it waits while other processes run on its core).")
    w("The repetitions of all the benchmarks run in random order (Google Benchmark's random interleaving),")
    w("so that a slow spell of the machine falls on all the implementations alike rather than on whichever")
    w("ran during it.")
    w("")
    if cv:
        values = sorted(cv.values())
        worst = max(cv, key=cv.get)
        w("In this run the coefficient of variation of a benchmark's repetitions (their CPU times' standard")
        w(f"deviation ÷ mean) is {100 * values[len(values) // 2]:.1f} % for the median benchmark and at most"
          f" {100 * cv[worst]:.1f} % (`{'/'.join(worst)}`).")
    else:
        w("This run has one repetition per benchmark (`tools/benchmark --quick`): it shows no spread, and its")
        w("figures are less certain than a full run's.")
    w("A figure can differ between separate runs by more than within one: compare implementations within")
    w("one run, as the ratios below do.")
    w("")
    w("Implementations, all built in the same CMake build with the same flags:")
    w("")
    w("- **ctnn**: `net(x)`; training step `ctnn::train_step` (update fused into backpropagation); batch")
    w("  training `ctnn::gradient` over a `std::span` batch then an SGD loop; batch inference `ctnn::predict`")
    block = f": {lanes} in this build" if lanes else ""
    w(f"  (one vector register's worth of samples side by side{block}).")
    w("  Shown beside it, never as peers: `ctnn_unfused` (the training step as `ctnn::gradient` then an SGD")
    w("  loop) and, for A and B, `ctnn_identity` (every activation replaced by the identity; its outputs")
    w("  differ, so it is not checked against the others).")
    w("- **eigen_fixed**: Eigen fixed-size matrices (`Matrix<float, Out, In>`), backpropagation written by")
    w("  hand, `noalias()` products, every buffer allocated once; batches as matrix-matrix products.")
    w("- **eigen_rowmajor**: the same code with fixed-size row-major weights (`Matrix<float, Out, In, RowMajor>`),")
    w("  ctnn's public layout: it shows what the layout costs Eigen (see D below).")
    w("- **eigen_dynamic**: the same code with `MatrixXf`/`VectorXf`.")
    w("- **fann**: FANN (`libfann-dev`, `fann_run`, `fann_train`, `fann_train_epoch` with `FANN_TRAIN_BATCH`,")
    w("  error function linear, momentum 0). **FANN has no ReLU: C, D and E use `FANN_LINEAR_PIECE`**")
    w("  (max(0, min(1, x)); FANN takes its derivative as 1 everywhere) as the substitute, the same cost class")
    w("  (a compare and a clamp per unit).")
    w("- **libtorch**: libtorch's C++ API, `torch::set_num_threads(1)`, `torch::nn::Linear` layers,")
    w("  inference under `torch::NoGradGuard`, training with autograd and `torch::optim::SGD`.")
    w("- **textbook**: a plain MLP over `std::vector<float>` layers (sizes at run time, row-major weights,")
    w("  plain loops, activation by `switch`).")
    w("")
    w("The libraries' versions are listed with the machine at the end.")
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
        w("| net | " + " | ".join(impls) + " | ctnn ÷ fastest peer |")
        w("|---|" + "---:|" * len(impls) + "---:|")
        for net in NETS:
            if (net, task, "ctnn") not in t:
                continue
            row = [fmt(t[(net, task, i)]) if (net, task, i) in t else "–" for i in impls]
            w(f"| {net} | " + " | ".join(row) + f" | {t[(net, task, 'ctnn')] / best_peer(net, task):.2f} |")
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
    identity = [(net, task) for net in NETS for task, _ in TASKS
                if (net, task, "ctnn_identity") in t and (net, task, "ctnn") in t]
    if identity:
        w("## The activations' share")
        w("")
        w("`ctnn_identity` is ctnn on the same weights and data with every activation replaced by the")
        w("identity: the matrix work, the loss, the update and the calls without the sigmoids (A) or tanhs (B).")
        w("The difference is what the activations cost in each task (same run, ns per sample):")
        w("")
        w("| net | task | ctnn | ctnn_identity | difference | share of ctnn's time |")
        w("|---|---|---:|---:|---:|---:|")
        for net, task in identity:
            own, floor = t[(net, task, "ctnn")], t[(net, task, "ctnn_identity")]
            w(f"| {net} | {task} | {fmt(own)} | {fmt(floor)} | {fmt(own - floor)} | {100 * (own - floor) / own:.0f} % |")
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
        for line in training_section(training_results, training_variants, main_compiler):
            w(line)
    if fashion_results and Path(fashion_results).exists():
        for line in fashion_mnist_section(fashion_results):
            w(line)
    c = config
    w("## How ctnn's kernels are written")
    w("")
    w("What the figures above measure, in short (the design is described in [design.md](design.md); the")
    w("constants named here are in `include/ctnn/detail/config.hpp`):")
    w("")
    w("- **One summation order.** A dot product in one accumulator is a chain of dependent additions that")
    w("  no compiler may reorder under IEEE rules, so ctnn *defines* a vectorisable order")
    w("  (`include/ctnn/detail/reference/dense.hpp`): input i of a row goes to lane i mod L of L partial")
    w("  sums, L the largest power of two not above the row's length, up to `CTNN_DOT_LANE_BYTES`")
    w(f"  ({c['CTNN_DOT_LANE_BYTES']} bytes of values; four times as many for a row of `long_row_bytes`,"
      f" {size_text(c['long_row_bytes'])}, or more),")
    w("  then the lanes are added pairwise, halving. Constant evaluation runs that definition; at run")
    w("  time the vector kernels (`detail/vector/`, GCC's and Clang's generic vectors, no intrinsics) and")
    w("  the reference kernels (`detail/reference/`, plain loops) compute the same sums in the same order,")
    w("  so every build gives the same results, bit for bit without FMA contraction")
    w("  (`test/reproducibility_test.cpp`, `test/dense_kernels_test.cpp`).")
    w("- **Inference of one sample** (`detail/vector/dense.hpp`): z = W x + b with W row-major `[out][in]`,")
    w("  the public layout. Rows are computed 16, 8 or 4 at a time, independent chains of additions whose")
    w("  pairwise reductions share shuffles, and their sums are stored as one vector; a long row holds")
    w("  several independent chains itself and is read alone or with one other row, which shares each load")
    w(f"  of x. Rows shorter than `vector_row_min_lanes` ({c['vector_row_min_lanes']}) use the definition,"
      " which the compiler")
    w("  vectorises across rows. Inference keeps no trace: each layer writes its own buffer and applies its")
    w("  activation in place.")
    w("- **Vector width**: the kernels' vectors take their width from the target (16 bytes on plain x86-64")
    w("  and NEON, 32 with AVX, 64 with AVX-512); a row's partial sums are held as several native vectors,")
    w("  folded pairwise over those first, which keeps the order. The builds above use `-march=native`"
      + (f":\n  {lanes} floats per vector here." if lanes else "."))
    w("  Another width: `cmake --preset bench -B build/bench-avx2 -DCTNN_BENCHMARK_FLAGS=-march=x86-64-v3`.")
    w("- **Training step**: the backward pass's Wᵀδ has its own defined order (row o into partial sum")
    w(f"  o mod {c['transposed_partial_sums']}, then pairwise). `ctnn::train_step` fuses the update into"
      " backpropagation (no")
    w("  gradient array) and keeps the forward pass in uninitialised per-layer buffers. In a layer whose")
    w("  activation has a region of zero slope (ReLU), the units idle on the sample have a zero δ, and the")
    w(f"  update skips their rows (rows of at least `skip_row_bytes`, {c['skip_row_bytes']} bytes); how many"
      " are idle")
    w("  depends on the weights and the sample. The peers update every row.")
    w("- **Batches** (`detail/block_kernels.hpp`): `ctnn::predict`, the batch `ctnn::gradient` and `fit`")
    w("  work on blocks of samples side by side, stored `[unit][sample]`: each weight is loaded once per block")
    w("  and the innermost loops run across samples, which vectorises without reordering any sum, so the")
    w("  results equal `net(x)` and the sample-by-sample gradient bit for bit (`test/predict_test.cpp`,")
    w("  `test/batch_gradient_test.cpp`). When a block's inputs take `affine_tile_min_bytes`"
      f" ({size_text(c['affine_tile_min_bytes'])})")
    w("  or more, the forward kernel computes several rows per pass over the inputs, `affine_tile_lanes`"
      f" ({c['affine_tile_lanes']})")
    w("  lanes of their partial sums at a time. Keeping each sample's order costs the batch kernels a")
    w("  broadcast per multiply-add and the partial sums' round trip through memory, where a matrix-matrix")
    w("  product (Eigen's) may reorder its sums freely.")
    w("- **Element-wise functions** (`include/ctnn/math.hpp`, [math.md](math.md)): exp, tanh and sigmoid")
    w("  without branches and with stated accuracy; sigmoid and float tanh layers are evaluated over generic")
    w("  vectors explicitly, with the same definition as the scalar function. The table of their latency")
    w("  and throughput is below.")
    w("")
    w("## Against the machine's peak")
    w("")
    d_bytes = int(peak.get("weights_bytes", "0"))
    l2 = [size for level, kind, size in caches() if level == 2]
    where = ""
    if l2 and d_bytes:
        where = (f", smaller than the {size_text(l2[0])} L2 cache" if d_bytes <= l2[0]
                 else f", larger than the {size_text(l2[0])} L2 cache")
    w(f"`ctnn_peak` measures one core's peak FP32 FMA throughput with {lanes}-lane vectors and 16")
    w(f"independent accumulators: **{gflops:.1f} GFLOP/s**; and the read bandwidth over a buffer the size of D's")
    w(f"weights ({d_bytes:,} bytes{where}): **{bw:.1f} GB/s**.")
    if not math.isnan(ghz) and lanes:
        per_cycle = gflops / ghz
        w(f"A chain of dependent integer additions (one cycle each) ran at {ghz:.2f} GHz, so the peak is")
        w(f"**{per_cycle:.0f} FLOP per cycle**: {per_cycle / (2 * lanes):.1f} {lanes}-lane FMA per cycle.")
    w("")
    w("| net | multiply-adds per sample | GFLOP/s, 1 sample | % of peak | GFLOP/s, batch of 64 | % of peak |")
    w("|---|---:|---:|---:|---:|---:|")
    for net, desc in NETS.items():
        macs = macs_of(desc)
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
    if ("D", "infer1", "ctnn") in t:
        d_time = t[("D", "infer1", "ctnn")]
        weights = 4 * parameters_of(NETS["D"])
        need = weights / d_time
        w(f"Inference of D reads its {weights:,} bytes of parameters once per sample: at ctnn's {fmt(d_time)} ns")
        w(f"that is **{need:.1f} GB/s**, {100 * need / bw:.0f} % of the read bandwidth measured above, while its")
        w(f"multiply-adds take {100 * 2 * macs_of(NETS['D']) / d_time / gflops:.0f} % of the FMA peak.")
        w("")
        cm, rm = t.get(("D", "infer1", "eigen_fixed")), t.get(("D", "infer1", "eigen_rowmajor"))
        if cm and rm:
            w(f"Eigen reads D's weights column-major as one contiguous stream ({fmt(cm)} ns per inference), and")
            w(f"row-major, ctnn's layout, as several strided row streams at once ({fmt(rm)} ns, {rm / cm:.2f}×).")
            w(f"ctnn keeps the row-major layout ({fmt(d_time)} ns, {d_time / cm:.2f}× Eigen's")
            d_in = int(NETS["D"].split("-")[0])
            if 4 * d_in >= config["long_row_bytes"]:
                w(f"column-major time). D's first layer's rows, {4 * d_in:,} bytes, are long rows: each holds"
                  " several independent")
                w("chains of additions itself, so ctnn reads them one or two at a time, one or two streams.")
            else:
                w("column-major time).")
            w("")
    if clang_results and Path(clang_results).exists():
        _, cl = load_medians(clang_results)
        w("## GCC and Clang")
        w("")
        w(f"ctnn built with {clang_compiler} (same flags, separate build, run right after the main run on the same")
        w(f"core) against the {main_compiler} build above, ns per sample:")
        w("")
        w("| net | task | g++ | clang++ | clang++ ÷ g++ |")
        w("|---|---|---:|---:|---:|")
        for net in NETS:
            for task, _ in TASKS:
                if (net, task, "ctnn") in t and (net, task, "ctnn") in cl:
                    a, b = t[(net, task, "ctnn")], cl[(net, task, "ctnn")]
                    w(f"| {net} | {task} | {fmt(a)} | {fmt(b)} | {b / a:.2f} |")
        w("")
    if math_results and Path(math_results).exists():
        for line in math_section(math_results):
            w(line)
    if Path(compile_file).exists():
        for line in compile_time_section(compile_file):
            w(line)
    w("## Machine, flags, commands")
    w("")
    ctx = context
    cache_text = ", ".join(f"L{level} {kind} {size_text(size)}" for level, kind, size in caches()) or "not reported"
    w(f"- CPU: {cpu_identity()}, "
      f"{ctx.get('num_cpus')} cores at {ctx.get('mhz_per_cpu')} MHz (as reported"
      + ("" if math.isnan(ghz) else f"; {ghz:.2f} GHz measured by `ctnn_peak` while running")
      + "), caches of the first core: " + cache_text)
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
    parser.add_argument("--compiler", default="g++", help="the main build's compiler and flags, e.g. \"g++ 12.2.0\"")
    parser.add_argument("--clang-compiler", default="clang++", help="the clang build's compiler, e.g. \"clang++ 14.0.6\"")
    a = parser.parse_args()
    main(a.results, a.peak_file, a.compile_file, a.doc, a.chart_data, a.commands_file, a.clang_results,
         a.math_results, a.training, [tuple(v.rsplit("=", 1)) for v in a.training_variant], a.fashion_mnist,
         a.compiler, a.clang_compiler)
