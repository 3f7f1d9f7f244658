# Writes tiny.onnx, the model of docs/import.md's examples: a 1-3-1 tanh network as PyTorch
# initialises it (seeded), exported as docs/import.md says. Run with Debian's Python
# (python3-torch, python3-onnx): /usr/bin/python3 docs/snippets/tiny_model.py docs/snippets/tiny.onnx
import sys

import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(1, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
model.eval()
torch.onnx.export(model, torch.zeros(1, 1), sys.argv[1])
