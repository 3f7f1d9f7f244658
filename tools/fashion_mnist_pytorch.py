#!/usr/bin/python3
"""The Fashion-MNIST example's model trained with PyTorch, for the timing
comparison in docs/training.md: 784-128(relu)-10(softmax), Adam (lr 1e-3),
cross-entropy, 5 epochs, batch 32, the same IDX files.

    /usr/bin/python3 tools/fashion_mnist_pytorch.py [--threads N] [dir]
"""
import argparse
import gzip
import time

import numpy as np
import torch


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", nargs="?", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)

    def load(name):
        return read_idx(f"{args.dir}/{name}")

    x_train = torch.tensor(load("train-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    y_train = torch.tensor(load("train-labels-idx1-ubyte.gz"), dtype=torch.long)
    x_test = torch.tensor(load("t10k-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    y_test = torch.tensor(load("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)

    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax fused, as ctnn::loss::sparse_cross_entropy

    start = time.perf_counter()
    cpu_start = time.process_time()  # on a shared machine, counts only the time the process ran
    for epoch in range(5):
        order = torch.randperm(len(x_train))
        for first in range(0, len(x_train), 32):
            batch = order[first:first + 32]
            opt.zero_grad()
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(f"pytorch {torch.__version__} threads={torch.get_num_threads()}: "
          f"5 epochs in {seconds:.2f} s, CPU time {cpu_seconds:.2f} s, test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
