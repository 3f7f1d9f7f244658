#!/usr/bin/python3
"""The PyTorch half of examples/pytorch_to_firmware: trains the sine model and exports it.

Usage: /usr/bin/python3 train_sine.py <model.onnx> <predictions.txt>

Trains a 1-16-16-1 network (ReLU, ReLU, no activation on the output) on sin(x) at 64
points of [0, 2π] with Adam (fixed seed, 4000 full-batch steps), exports it with
torch.onnx.export, and writes PyTorch's predictions at the firmware's 32 test inputs
(examples/firmware/sine_inputs.hpp: x_i = 2π·i/31 in float arithmetic) as lines
"y <i> <bits of x> <bits of y>", the form the firmware prints.
"""

import math
import sys

import numpy as np
import torch

TEST_POINTS = 32


def test_input(i):
    """fw::sine_input(i): two_pi * float(i) / float(31), each operation rounded to float."""
    two_pi = np.float32(6.28318530717958647692)
    return two_pi * np.float32(i) / np.float32(TEST_POINTS - 1)


def bits(v):
    return "0x%08x" % np.float32(v).view(np.uint32)


def main():
    model_path, predictions_path = sys.argv[1], sys.argv[2]
    torch.manual_seed(1)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(1, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
                                torch.nn.Linear(16, 1))
    x = torch.linspace(0, 2 * math.pi, 64).reshape(-1, 1)
    t = torch.sin(x)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for step in range(4000):
        if step == 2000:
            for group in opt.param_groups:
                group["lr"] = 0.002
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), t)
        loss.backward()
        opt.step()
    print(f"sine model (PyTorch): mean squared error {loss.item():.6f} after 4000 Adam steps on 64 points")
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1), model_path, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    inputs = np.array([test_input(i) for i in range(TEST_POINTS)], dtype=np.float32)
    with torch.no_grad():
        y = model(torch.from_numpy(inputs).reshape(-1, 1)).numpy().reshape(-1)
    with open(predictions_path, "w") as f:
        for i in range(TEST_POINTS):
            f.write(f"y {i} {bits(inputs[i])} {bits(y[i])}\n")
    return 0 if loss.item() < 1e-3 else 1  # a model this far off is not worth putting on a device


if __name__ == "__main__":
    sys.exit(main())
