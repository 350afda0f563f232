#!/usr/bin/python3
"""Makes the PyTorch fixtures of onnx's import tests, once.

Run with Debian's python3-torch (1.13) and python3-onnx (1.12):

    /usr/bin/python3 onnx/testdata/make_torch_fixtures.py

For each case it writes torch/NAME.onnx (torch.onnx.export of a small
seeded network) and torch/NAME.json: the input rows, PyTorch's outputs for
them, or the error Import must give. go test reads these; it never runs
Python.
"""
import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch")
os.makedirs(here, exist_ok=True)


class Standardised(torch.nn.Module):
    """(x - mean) / std, then x @ W1 + b1 (MatMul, Add), ReLU, then
    b2 + x @ W2 (Add with the bias first)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([1.5, -2.0, 0.25]))
        self.register_buffer("std", torch.tensor([0.5, 3.0, 1.25]))
        self.w1 = torch.nn.Parameter(torch.randn(3, 6))
        self.b1 = torch.nn.Parameter(torch.randn(6))
        self.w2 = torch.nn.Parameter(torch.randn(6, 2))
        self.b2 = torch.nn.Parameter(torch.randn(2))

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = torch.relu(x @ self.w1 + self.b1)
        return self.b2 + x @ self.w2


def cases():
    nn = torch.nn
    # name, module factory, features, opset, constant folding, float64
    yield "relu_softmax", lambda: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3), nn.Softmax(dim=1)), 4, 13, True, False
    yield "tanh_sigmoid_nobias", lambda: nn.Sequential(nn.Linear(3, 5, bias=False), nn.Tanh(), nn.Dropout(0.3), nn.Linear(5, 1), nn.Sigmoid()), 3, 9, False, False
    yield "flatten_leaky_identity", lambda: nn.Sequential(nn.Flatten(), nn.Linear(5, 4), nn.LeakyReLU(), nn.Identity(), nn.Linear(4, 2)), 5, 11, True, False
    yield "standardised_matmul_add_f64", Standardised, 3, 17, True, True
    yield "softmax_opset9", lambda: nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 4), nn.Softmax(dim=-1)), 2, 9, True, False
    yield "leaky_0.2_refused", lambda: nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.2), nn.Linear(3, 1)), 2, 13, True, False
    yield "gelu_refused", lambda: nn.Sequential(nn.Linear(2, 3), nn.GELU(), nn.Linear(3, 1)), 2, 13, True, False
    yield "nobias_folded_opset15", lambda: nn.Sequential(nn.Linear(3, 4, bias=False), nn.ReLU(), nn.Linear(4, 2, bias=False), nn.Softmax(dim=1)), 3, 15, True, False


def typed_fields(path_in, path_out):
    """Rewrites every initializer from raw_data to float_data/double_data."""
    m = onnx.load(path_in)
    for i, t in enumerate(m.graph.initializer):
        a = numpy_helper.to_array(t)
        typed = onnx.helper.make_tensor(t.name, t.data_type, a.shape, a.flatten().tolist(), raw=False)
        m.graph.initializer[i].CopyFrom(typed)
    onnx.save(m, path_out)


def main():
    for k, (name, make, features, opset, fold, f64) in enumerate(cases()):
        torch.manual_seed(k)
        net = make()
        net.eval()
        dtype = torch.float64 if f64 else torch.float32
        net = net.to(dtype)
        x = torch.randn(7, features, dtype=dtype) * 2
        path = os.path.join(here, name + ".onnx")
        torch.onnx.export(net, x, path, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "N"}, "output": {0: "N"}},
                          opset_version=opset, do_constant_folding=fold)
        with torch.no_grad():
            y = net(x)
        ops = [n.op_type for n in onnx.load(path).graph.node]
        rec = {"opset": opset, "ops": ops, "input": x.tolist(), "output": y.tolist()}
        if name.endswith("_refused"):
            rec["output"] = None
        with open(os.path.join(here, name + ".json"), "w") as f:
            json.dump(rec, f, indent=1)
            f.write("\n")
        print(name, ops)
        if name == "relu_softmax":
            typed_fields(path, os.path.join(here, "relu_softmax_typed.onnx"))
            with open(os.path.join(here, "relu_softmax_typed.json"), "w") as f:
                json.dump(rec, f, indent=1)
                f.write("\n")


if __name__ == "__main__":
    main()
