#!/usr/bin/python3
"""Generate weighted.json: PyTorch 1.13 reference values for nerve's
weighted losses (loss.ValueLogitsWeighted, GradientLogitsWeighted,
ValueWeighted, GradientWeighted).

Run from this directory with the system Python and python3-torch 1.13:

    /usr/bin/python3 gen_weighted.py

Everything is float64 and nothing is random: the logits Z, the outputs and
targets are written into the JSON with the results, so the Go test reads
its inputs from the same file.

  * cross_entropy: torch.nn.CrossEntropyLoss(weight=class_weight) with its
    default reduction='mean', which is PyTorch's weighted mean
    sum_i w[y_i] l_i / sum_i w[y_i]; nerve gets the same number from
    sample weights w_i = class_weight[y_i]. The gradient is dL/dZ.
  * mse_sum: sum_i w_i sum_j (yhat_ij - y_ij)^2, nerve's SSE with the Sum
    reduction and sample weights, and its gradient dL/dyhat.

Floats are written with repr, so they round-trip exactly.
"""
import json

import torch

torch.set_default_dtype(torch.float64)

M, K = 6, 3
z = torch.tensor([[((5 * i + 3 * j) % 7 - 3) / 2 for j in range(K)] for i in range(M)], requires_grad=True)
labels = [0, 2, 1, 2, 2, 0]
class_weight = torch.tensor([0.5, 1.0, 4.0])
ce = torch.nn.CrossEntropyLoss(weight=class_weight)(z, torch.tensor(labels))
ce.backward()

yhat = torch.tensor([[((3 * i + 2 * j) % 5 - 2) / 4 for j in range(K)] for i in range(M)], requires_grad=True)
y = torch.tensor([[((i + 4 * j) % 3) / 2 for j in range(K)] for i in range(M)])
w = torch.tensor([0.0, 1.5, 2.0, 0.25, 3.0, 1.0])
mse = (w[:, None] * (yhat - y) ** 2).sum()
mse.backward()


def rows(t):
    return [[float(v) for v in r] for r in t.detach().tolist()]


out = {
    "torch": torch.__version__,
    "cross_entropy": {
        "z": rows(z), "labels": labels, "class_weight": class_weight.tolist(),
        "loss": float(ce), "dz": rows(z.grad),
    },
    "mse_sum": {
        "yhat": rows(yhat), "y": rows(y), "w": w.tolist(),
        "loss": float(mse), "dyhat": rows(yhat.grad),
    },
}
with open("weighted.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
