#!/usr/bin/python3
"""ONNX models for the tests of ctnn's ONNX import (test/io/onnx/, docs/import.md).

Usage: /usr/bin/python3 onnx_models.py <output header> <model directory>

Writes every model into the directory and, into the header, one struct per
model: its path, the ctnn network type it must load into, and for the models
ctnn reads, inputs and three sets of reference outputs:

  y_model    PyTorch, in the model's own scalar type
  y_torch64  PyTorch in float64 with the same weights (LeakyReLU's slope
             0.01 and GELU's constants exact, as ctnn's double activations)
  y_graph64  the graph's operators in float64, with the constants the graph
             holds: LeakyRelu's alpha is a float in ONNX, and a float model's
             GELU constants are floats

For the models ctnn refuses, the struct gives the file_error and a part of
the message expected. Models PyTorch can write are exported by
torch.onnx.export; the others are built with onnx.helper.

Every PyTorch model is trained for a few Adam steps (fixed seed) before it
is exported, so its weights are not an initialiser's.
"""

import math
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

SEED = 20261207
SAMPLES = 3

ACTIVATIONS = {
    "identity": torch.nn.Identity,
    "relu": torch.nn.ReLU,
    "tanh": torch.nn.Tanh,
    "sigmoid": torch.nn.Sigmoid,
    "leaky_relu": torch.nn.LeakyReLU,  # negative_slope 0.01, ctnn's
    "elu": torch.nn.ELU,               # alpha 1, ctnn's
    "softplus": torch.nn.Softplus,     # beta 1
    "swish": torch.nn.SiLU,
    "gelu": lambda: torch.nn.GELU(approximate="tanh"),
    "softmax": lambda: torch.nn.Softmax(dim=-1),
}

GELU_C1 = math.sqrt(2 / math.pi)
GELU_C2 = 0.044715


def f32(v):
    return float(np.float32(v))


def graph_activation(name, z, float_constants):
    """An activation as the exported graph's operators compute it, in float64."""
    if name == "leaky_relu":
        return torch.where(z >= 0, z, f32(0.01) * z)
    if name == "gelu":
        c1, c2 = (f32(GELU_C1), f32(GELU_C2)) if float_constants else (GELU_C1, GELU_C2)
        return 0.5 * z * (1 + torch.tanh(c1 * (z + c2 * z * z * z)))
    if name == "softmax":
        return torch.softmax(z, dim=-1)
    return ACTIVATIONS[name]()(z)


class MatMulT(torch.nn.Module):
    """x @ W.t() + b: exported without constant folding, a MatMul of a Transpose."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.empty(n_out, n_in).uniform_(-1, 1))
        self.bias = torch.nn.Parameter(torch.empty(n_out).uniform_(-1, 1))

    def forward(self, x):
        return x @ self.weight.t() + self.bias


class View(torch.nn.Module):
    def forward(self, x):
        return x.view(x.size(0), -1)


def cpp_network(dtype, widths, acts, extra_layers=None):
    layers = [f"ctnn::dense<{w}, ctnn::{a}>" for w, a in zip(widths[1:], acts)]
    for at, layer in (extra_layers or []):
        layers.insert(at, layer)
    scalar = "double" if dtype == torch.float64 else "float"
    return f"ctnn::network<{scalar}, ctnn::input<{widths[0]}>, " + ", ".join(layers) + ">"


def build(widths, acts, form, dtype):
    """(model, input shape of one sample, linear layers)"""
    modules, linears = [], []
    shape = [widths[0]]
    if form in ("flatten", "view"):
        shape = [1, 2, widths[0] // 2]
        modules.append(torch.nn.Flatten() if form == "flatten" else View())
    elif form == "matmul":
        shape = [1, widths[0]]  # [batch, 1, in]: PyTorch writes MatMul + Add
    for i, (n_in, n_out, act) in enumerate(zip(widths, widths[1:], acts)):
        if form == "matmul_t":
            lin = MatMulT(n_in, n_out)
        else:
            lin = torch.nn.Linear(n_in, n_out, bias=form != "nobias")
        linears.append(lin)
        modules += [lin, ACTIVATIONS[act]()]
    return torch.nn.Sequential(*modules).to(dtype), shape, linears


def train(model, shape, dtype):
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    x = torch.randn(16, *shape, dtype=dtype)
    with torch.no_grad():
        t = torch.randn_like(model(x))
    for _ in range(10):
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(x), t).backward()
        opt.step()


def reference(linears, acts, x, float_constants, graph):
    """The MLP in float64 from the model's weights."""
    a = x.reshape(x.shape[0], -1).double()
    for lin, act in zip(linears, acts):
        w = lin.weight.detach().double()
        b = lin.bias.detach().double() if lin.bias is not None else torch.zeros(w.shape[0], dtype=torch.float64)
        z = a @ w.t() + b
        a = graph_activation(act, z, float_constants) if graph else ACTIVATIONS[act]()(z)
    return a


def cpp_array(rows):
    return "{{" + ", ".join("{" + ", ".join(repr(float(v)) for v in row) + "}" for row in rows) + "}}"


class Writer:
    def __init__(self, directory):
        self.directory = directory
        self.cases = []
        self.refusals = []

    def path(self, name):
        return os.path.join(self.directory, name + ".onnx")

    def case(self, name, widths, acts, form="gemm", dtype=torch.float32, opset=None, net_layers=None,
             dynamic=False):
        torch.manual_seed(SEED + len(self.cases))
        model, shape, linears = build(widths, acts, form, dtype)
        train(model, shape, dtype)
        model.eval()
        # Inputs exact in float: multiples of 1/64.
        x = torch.round(torch.randn(SAMPLES, *shape, dtype=torch.float64) * 64) / 64
        kwargs = {}
        if opset is not None:
            kwargs["opset_version"] = opset
        if form == "matmul_t":
            kwargs["do_constant_folding"] = False
        if dynamic:
            kwargs.update(input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
        export_x = x.to(dtype) if form != "vector" else x[0].to(dtype)
        torch.onnx.export(model, export_x, self.path(name), **kwargs)
        with torch.no_grad():
            y_model = model(x.to(dtype)).reshape(SAMPLES, -1).double()
            float_constants = dtype == torch.float32
            y_torch64 = reference(linears, acts, x, float_constants, graph=False)
            y_graph64 = reference(linears, acts, x, float_constants, graph=True)
        self.cases.append(
            f"struct {name} {{\n"
            f"    static constexpr char const* name = \"{name}\";\n"
            f"    static constexpr char const* path = \"{self.path(name)}\";\n"
            f"    using network = {cpp_network(dtype, widths, acts, net_layers)};\n"
            f"    static constexpr std::array<std::array<double, {widths[0]}>, {SAMPLES}> x = "
            f"{cpp_array(x.reshape(SAMPLES, -1))};\n"
            f"    static constexpr std::array<std::array<double, {widths[-1]}>, {SAMPLES}> y_model = "
            f"{cpp_array(y_model)};\n"
            f"    static constexpr std::array<std::array<double, {widths[-1]}>, {SAMPLES}> y_torch64 = "
            f"{cpp_array(y_torch64)};\n"
            f"    static constexpr std::array<std::array<double, {widths[-1]}>, {SAMPLES}> y_graph64 = "
            f"{cpp_array(y_graph64)};\n"
            "};\n")

    def refusal(self, name, network, error, message, model=None, torch_model=None, shape=None, **kwargs):
        """A model ctnn refuses: built by onnx.helper (`model`) or exported from PyTorch."""
        if torch_model is not None:
            torch.manual_seed(SEED)
            torch_model.eval()
            torch.onnx.export(torch_model, torch.zeros(2, *shape), self.path(name), **kwargs)
        else:
            onnx.save(model, self.path(name))
        self.refusals.append(
            f"struct {name} {{\n"
            f"    static constexpr char const* name = \"{name}\";\n"
            f"    static constexpr char const* path = \"{self.path(name)}\";\n"
            f"    using network = {network};\n"
            f"    static constexpr ctnn::io::file_error error = ctnn::io::file_error::{error};\n"
            f"    static constexpr char const* message = {cpp_string(message)};\n"
            "};\n")

    def header(self):
        names = [c.split()[1] for c in self.cases]
        refusals = [r.split()[1] for r in self.refusals]
        return ("// Generated by test/io/onnx/onnx_models.py. Do not edit.\n"
                "#ifndef CTNN_TEST_ONNX_MODELS_HPP\n#define CTNN_TEST_ONNX_MODELS_HPP\n\n"
                "#include <ctnn/ctnn.hpp>\n#include <ctnn/io/model_file.hpp>\n\n"
                "#include <array>\n#include <ratio>\n#include <tuple>\n\n"
                "namespace onnx_models {\n\n" + "\n".join(self.cases) + "\n" + "\n".join(self.refusals) +
                "\nusing all_cases = std::tuple<" + ", ".join(names) + ">;\n"
                "using all_refusals = std::tuple<" + ", ".join(refusals) + ">;\n\n"
                "} // namespace onnx_models\n\n#endif\n")


def cpp_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- Models built by hand --------------------------------------------------------------------

def tensor(name, values, dtype=TensorProto.FLOAT):
    values = np.asarray(values, dtype=np.float64 if dtype == TensorProto.DOUBLE else np.float32)
    if dtype == TensorProto.FLOAT16:
        values = values.astype(np.float16)
    t = numpy_helper.from_array(values, name)
    return t


def mlp_graph(nodes, initializers, inputs=None, outputs=None, opset=14, elem=TensorProto.FLOAT):
    """A graph of input 'x' [N, 3] and output 'y'."""
    inputs = inputs or [helper.make_tensor_value_info("x", elem, ["N", 3])]
    outputs = outputs or [helper.make_tensor_value_info("y", elem, ["N", 2])]
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="hand")


W = [[0.5, -0.25, 1.0], [0.125, 0.75, -1.5]]
B = [0.25, -0.5]
NET_3_2_RELU = "ctnn::network<float, ctnn::input<3>, ctnn::dense<2, ctnn::relu>>"


def gemm_relu(**gemm_attributes):
    return [helper.make_node("Gemm", ["x", "w", "b"], ["z"], transB=1, **gemm_attributes),
            helper.make_node("Relu", ["z"], ["y"])]


def main():
    header_path, directory = sys.argv[1], sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    out = Writer(directory)

    # Every activation, float and double, Gemm, three to a network (each network type costs the
    # tests' compile time): every element-wise activation before a layer and after the last.
    out.case("mix_a_float", [4, 6, 5, 3], ["relu", "tanh", "sigmoid"])
    out.case("mix_b_float", [4, 6, 5, 3], ["leaky_relu", "elu", "softplus"])
    out.case("mix_c_float", [4, 6, 5, 3], ["swish", "gelu", "identity"])
    out.case("mix_a_double", [3, 5, 4, 2], ["sigmoid", "relu", "tanh"], dtype=torch.float64)
    out.case("mix_b_double", [3, 5, 4, 2], ["softplus", "leaky_relu", "elu"], dtype=torch.float64)
    out.case("mix_c_double", [3, 5, 4, 2], ["gelu", "identity", "swish"], dtype=torch.float64)
    out.case("softmax_float", [4, 6, 3], ["tanh", "softmax"])
    out.case("softmax_double", [4, 6, 3], ["relu", "softmax"], dtype=torch.float64)
    # MatMul + Add: the weights [in][out] (PyTorch folds the transpose), or through a Transpose.
    out.case("matmul_float", [3, 5, 2], ["tanh", "swish"], form="matmul")
    out.case("matmul_double", [3, 5, 4], ["gelu", "softmax"], form="matmul", dtype=torch.float64)
    out.case("matmul_transpose_float", [3, 4, 2], ["elu", "sigmoid"], form="matmul_t")
    out.case("matmul_no_bias_float", [3, 4, 2], ["leaky_relu", "identity"], form="nobias")
    out.case("vector_input_float", [3, 4, 2], ["softplus", "identity"], form="vector")
    # Flatten before the first layer, over the operator sets (Softmax's axis changed at 13).
    for opset in (9, 11, 13, 14, 17):
        out.case(f"flatten_opset{opset}_float", [6, 5, 3], ["relu", "softmax"], form="flatten", opset=opset)
    out.case("flatten_double", [6, 5, 2], ["gelu", "tanh"], form="flatten", dtype=torch.float64)
    out.case("view_dynamic_batch_float", [6, 4, 2], ["swish", "identity"], form="view", dynamic=True)
    # A network with a dropout layer reads a model without one (PyTorch exports inference).
    out.case("dropout_in_network_float", [3, 5, 2], ["relu", "sigmoid"],
             net_layers=[(1, "ctnn::dropout<std::ratio<1, 5>>")])

    # --- Refusals -------------------------------------------------------------------------------
    def seq(*modules):
        return torch.nn.Sequential(*modules)

    L = torch.nn.Linear
    net = "ctnn::network<float, ctnn::input<3>, ctnn::dense<4, ctnn::relu>, ctnn::dense<2, ctnn::identity>>"
    out.refusal("wrong_width", net, "bad_model", "layer 0 has 5 units in the model, 4 in the network",
                torch_model=seq(L(3, 5), torch.nn.ReLU(), L(5, 2)), shape=[3])
    out.refusal("wrong_input_width", net, "bad_model", "the model has 2 inputs, the network 3",
                torch_model=seq(L(2, 4), torch.nn.ReLU(), L(4, 2)), shape=[2])
    out.refusal("wrong_activation", net, "bad_model", "layer 0 is Tanh in the model, relu in the network",
                torch_model=seq(L(3, 4), torch.nn.Tanh(), L(4, 2)), shape=[3])
    out.refusal("wrong_last_activation", net, "bad_model", "layer 1 is x * Sigmoid(x) (SiLU) in the model, "
                "identity in the network", torch_model=seq(L(3, 4), torch.nn.ReLU(), L(4, 2), torch.nn.SiLU()),
                shape=[3])
    out.refusal("extra_layer", net, "bad_model", "the model has 3 layers, the network 2",
                torch_model=seq(L(3, 4), torch.nn.ReLU(), L(4, 2), L(2, 2)), shape=[3])
    out.refusal("missing_layer", net, "bad_model", "the model has 1 layers, the network 2",
                torch_model=seq(L(3, 4), torch.nn.ReLU()), shape=[3])
    out.refusal("conv", net, "unsupported", "(Conv) after the input is not supported",
                torch_model=seq(torch.nn.Conv1d(1, 1, 2), torch.nn.Flatten(), L(2, 4), torch.nn.ReLU(), L(4, 2)),
                shape=[1, 3])
    out.refusal("batch_norm", net, "unsupported", "(BatchNormalization) after layer 0 is not supported",
                torch_model=seq(L(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), L(4, 2)), shape=[3])
    out.refusal("leaky_relu_slope", net, "unsupported",
                "LeakyRelu with alpha 0.200000003 (ctnn's leaky_relu has alpha 0.01)",
                torch_model=seq(L(3, 4), torch.nn.LeakyReLU(0.2), L(4, 2)), shape=[3])
    out.refusal("elu_alpha", net, "unsupported", "Elu with alpha 0.5 (ctnn's elu has alpha 1)",
                torch_model=seq(L(3, 4), torch.nn.ELU(0.5), L(4, 2)), shape=[3])
    out.refusal("gelu_erf", net, "unsupported", "the erf form of GELU",
                torch_model=seq(L(3, 4), torch.nn.GELU(), L(4, 2)), shape=[3])
    out.refusal("softplus_beta", net, "unsupported", "Div(Softplus(Mul(2, x)), 2), which is none of ctnn's",
                torch_model=seq(L(3, 4), torch.nn.Softplus(beta=2), L(4, 2)), shape=[3])
    out.refusal("log_softmax", net, "unsupported", "LogSoftmax: ctnn has no log-softmax",
                torch_model=seq(L(3, 4), torch.nn.ReLU(), L(4, 2), torch.nn.LogSoftmax(dim=1)), shape=[3])
    out.refusal("softmax_not_last", net, "unsupported", "layer 0 ends in Softmax, which ctnn allows only after "
                "the last layer", torch_model=seq(L(3, 4), torch.nn.Softmax(dim=1), L(4, 2)), shape=[3])
    out.refusal("softmax_axis", "ctnn::network<float, ctnn::input<3>, ctnn::dense<2, ctnn::softmax>>", "unsupported",
                "normalises along axis 1, not along the layer's values",
                torch_model=seq(L(3, 2), torch.nn.Softmax(dim=1)), shape=[1, 3])
    out.refusal("dropout_training", net, "unsupported", "drops values (training mode)",
                torch_model=seq(L(3, 4), torch.nn.Dropout(0.5), torch.nn.ReLU(), L(4, 2)).train(), shape=[3],
                training=torch.onnx.TrainingMode.TRAINING)

    class Residual(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = L(3, 4), L(4, 4)

        def forward(self, x):
            h = torch.relu(self.a(x))
            return self.b(h) + h

    out.refusal("residual", "ctnn::network<float, ctnn::input<3>, ctnn::dense<4, ctnn::relu>, "
                "ctnn::dense<4, ctnn::identity>>", "unsupported", "branches into several layers or outputs",
                torch_model=Residual(), shape=[3])
    out.refusal("flatten_batch", net, "unsupported", "flattens from axis 0",
                model=mlp_graph([helper.make_node("Flatten", ["x"], ["f"], axis=0)] +
                                [helper.make_node("Gemm", ["f", "w", "b"], ["y"], transB=1)],
                                [tensor("w", W), tensor("b", B)]))
    # Weights that are not constants.
    out.refusal("weight_computed", NET_3_2_RELU, "unsupported", "are not constant",
                model=mlp_graph([helper.make_node("Mul", ["w0", "two"], ["w"])] + gemm_relu(),
                                [tensor("w0", W), tensor("two", 2.0), tensor("b", B)]))
    out.refusal("weight_is_input", NET_3_2_RELU, "unsupported", "has 2 inputs; ctnn reads models of one input",
                model=mlp_graph(gemm_relu(), [tensor("b", B)],
                                inputs=[helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3]),
                                        helper.make_tensor_value_info("w", TensorProto.FLOAT, [2, 3])]))
    out.refusal("gemm_alpha", NET_3_2_RELU, "unsupported", "scales its product or its bias",
                model=mlp_graph(gemm_relu(alpha=2.0), [tensor("w", W), tensor("b", B)]))
    out.refusal("gemm_trans_a", NET_3_2_RELU, "unsupported", "transposes the data (transA)",
                model=mlp_graph(gemm_relu(transA=1), [tensor("w", W), tensor("b", B)]))
    out.refusal("opset_18", NET_3_2_RELU, "unsupported", "uses the ONNX operator set 18; ctnn reads the sets 9 to 17",
                model=mlp_graph(gemm_relu(), [tensor("w", W), tensor("b", B)], opset=18))
    out.refusal("opset_8", NET_3_2_RELU, "unsupported", "uses the ONNX operator set 8",
                model=mlp_graph(gemm_relu(), [tensor("w", W), tensor("b", B)], opset=8))
    out.refusal("float16_weights", NET_3_2_RELU, "unsupported", "its element type is FLOAT16",
                model=mlp_graph(gemm_relu(), [tensor("w", W, TensorProto.FLOAT16), tensor("b", B)]))
    out.refusal("double_weights_float_input", NET_3_2_RELU, "malformed", "are DOUBLE, the input FLOAT",
                model=mlp_graph(gemm_relu(), [tensor("w", W, TensorProto.DOUBLE), tensor("b", B)]))
    external = tensor("w", W)
    external.ClearField("raw_data")
    external.data_location = TensorProto.EXTERNAL
    external.external_data.add(key="location", value="weights.bin")
    out.refusal("external_weights", NET_3_2_RELU, "unsupported", "ONNX external data",
                model=mlp_graph(gemm_relu(), [external, tensor("b", B)]))
    out.refusal("two_outputs", NET_3_2_RELU, "unsupported", "has 2 outputs",
                model=mlp_graph(gemm_relu(), [tensor("w", W), tensor("b", B)],
                                outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2]),
                                         helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 2])]))
    out.refusal("other_domain", NET_3_2_RELU, "unsupported", "from the operator domain 'com.example'",
                model=mlp_graph([helper.make_node("Gemm", ["x", "w", "b"], ["z"], transB=1),
                                 helper.make_node("Relu", ["z"], ["y"], domain="com.example")],
                                [tensor("w", W), tensor("b", B)]))
    out.refusal("stray_node", NET_3_2_RELU, "unsupported", "is read by 2 nodes",
                model=mlp_graph(gemm_relu() + [helper.make_node("Tanh", ["x"], ["unused"])],
                                [tensor("w", W), tensor("b", B)]))
    out.refusal("no_layer", NET_3_2_RELU, "unsupported", "(Relu) after the input is not supported",
                model=mlp_graph([helper.make_node("Relu", ["x"], ["y"])], []))
    out.refusal("int_input", NET_3_2_RELU, "unsupported", "has an input of INT64",
                model=mlp_graph(gemm_relu(), [tensor("w", W), tensor("b", B)],
                                inputs=[helper.make_tensor_value_info("x", TensorProto.INT64, ["N", 3])]))
    no_opset = mlp_graph(gemm_relu(), [tensor("w", W), tensor("b", B)])
    del no_opset.opset_import[:]
    out.refusal("no_opset", NET_3_2_RELU, "malformed", "does not say which ONNX operator set it uses", model=no_opset)
    no_graph = onnx.ModelProto(ir_version=7, opset_import=[helper.make_opsetid("", 14)])
    out.refusal("no_graph", NET_3_2_RELU, "malformed", "has no graph", model=no_graph)

    with open(header_path, "w") as f:
        f.write(out.header())


if __name__ == "__main__":
    main()
