"""Golden initial weights for nn.New, from numpy's legacy global RNG.

For each initializer, np.random.seed(7) and then a 3-4-2 network's
parameters are drawn the way nerve draws them: layer by layer, W (inputs x
outputs, row-major) then b (1 x outputs) when the bias initializer draws.
Here the bias initializer is the same as the weight initializer except
for Glorot/He, whose biases are zeros (nothing drawn).

Run: /usr/bin/python3 nn/testdata/gen_init.py > nn/testdata/init.json
"""
import json

import numpy as np

DIMS = [3, 4, 2]


def draw(kind, fan_in, fan_out, shape):
    if kind == "zeros":
        return np.zeros(shape)
    if kind == "uniform":
        return np.random.uniform(size=shape)
    if kind == "uniform-sym":
        return 2 * np.random.random(shape) - 1
    if kind == "normal":
        return np.random.randn(*shape)
    if kind == "glorot-uniform":
        lim = np.sqrt(6 / (fan_in + fan_out))
        return np.random.uniform(-lim, lim, shape)
    if kind == "glorot-normal":
        return np.random.randn(*shape) * np.sqrt(2 / (fan_in + fan_out))
    if kind == "he-uniform":
        lim = np.sqrt(6 / fan_in)
        return np.random.uniform(-lim, lim, shape)
    if kind == "he-normal":
        return np.random.randn(*shape) * np.sqrt(2 / fan_in)
    raise ValueError(kind)


out = {"numpy": np.__version__, "seed": 7, "dims": DIMS, "cases": {}}
for kind in ["zeros", "uniform", "uniform-sym", "normal", "glorot-uniform",
             "glorot-normal", "he-uniform", "he-normal"]:
    np.random.seed(7)
    bias_kind = kind if kind in ("zeros", "uniform", "uniform-sym", "normal") else "zeros"
    layers = []
    for fan_in, fan_out in zip(DIMS[:-1], DIMS[1:]):
        w = draw(kind, fan_in, fan_out, (fan_in, fan_out))
        b = draw(bias_kind, fan_in, fan_out, (1, fan_out))
        layers.append({"W": [repr(float(v)) for v in w.ravel()],
                       "b": [repr(float(v)) for v in b.ravel()]})
    out["cases"][kind] = {"bias": bias_kind, "layers": layers}
print(json.dumps(out, indent=1))
