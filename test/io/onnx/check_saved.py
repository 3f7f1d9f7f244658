#!/usr/bin/python3
"""Checks the ONNX models ctnn::io::save_onnx writes (test io.onnx.saved_models_check).

Usage: /usr/bin/python3 check_saved.py <onnx_saved_examples> <directory>

Runs the program, which writes models and ctnn's outputs at a few inputs, then for
each model: onnx.checker with full_check (the structure, the operators of the declared
operator set, shape inference), and an evaluation of the graph by numpy in float64 from
its initializers, written here from the ONNX operator definitions, which must give ctnn's
outputs: to 1e-12 of max(1, |y|) for double networks (the same operations, in other
orders and other implementations of the elementary functions) and 1e-5 for float ones
(ctnn rounds to float along the way: at most 3 layers of at most 6 inputs). A double
network with leaky_relu differs from its model by more: ONNX holds LeakyRelu's alpha as a
float, 0.01 rounded (2.2e-10 less), so the tolerance is 1e-9 there.
"""

import glob
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def attribute(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def evaluate(model, x):
    values = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    values[model.graph.input[0].name] = np.asarray([x], dtype=np.float64)
    for n in model.graph.node:
        a = [values[i] for i in n.input]
        op = n.op_type
        if op == "Gemm":
            b = a[1].T if attribute(n, "transB", 0) else a[1]
            y = a[0] @ b + a[2]
        elif op == "Constant":
            y = numpy_helper.to_array(attribute(n, "value", None)).astype(np.float64)
        elif op == "Relu":
            y = np.maximum(a[0], 0)
        elif op == "LeakyRelu":
            y = np.where(a[0] >= 0, a[0], attribute(n, "alpha", 0.01) * a[0])
        elif op == "Elu":
            y = np.where(a[0] >= 0, a[0], attribute(n, "alpha", 1.0) * np.expm1(a[0]))
        elif op == "Tanh":
            y = np.tanh(a[0])
        elif op == "Sigmoid":
            y = 1 / (1 + np.exp(-a[0]))
        elif op == "Softplus":
            y = np.log1p(np.exp(a[0]))
        elif op == "Softmax":
            e = np.exp(a[0] - a[0].max(axis=attribute(n, "axis", -1), keepdims=True))
            y = e / e.sum(axis=attribute(n, "axis", -1), keepdims=True)
        elif op == "Mul":
            y = a[0] * a[1]
        elif op == "Add":
            y = a[0] + a[1]
        else:
            raise ValueError(f"{n.name}: {op} is not an operator save_onnx writes")
        values[n.output[0]] = y
    return values[model.graph.output[0].name][0]


def main():
    program, directory = sys.argv[1], sys.argv[2]
    subprocess.run([program, directory], check=True)
    models = sorted(glob.glob(os.path.join(directory, "*.onnx")))
    assert len(models) == 8, models
    failures = 0
    for path in models:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        leaky = any(n.op_type == "LeakyRelu" for n in model.graph.node)
        tolerance = (1e-9 if leaky else 1e-12) if "double" in path else 1e-5
        with open(path[:-len(".onnx")] + ".txt") as f:
            lines = [line.split() for line in f]
        for x_line, y_line in zip(lines[::2], lines[1::2]):
            x = [float(v) for v in x_line[1:]]
            want = np.array([float(v) for v in y_line[1:]])
            got = evaluate(model, x)
            error = np.abs(got - want) / np.maximum(1.0, np.abs(want))
            if not error.max() <= tolerance:
                print(f"{os.path.basename(path)} at {x}: numpy {got.tolist()}, ctnn {want.tolist()}")
                failures += 1
        print(f"{os.path.basename(path)}: onnx.checker passed, numpy agrees with ctnn")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
