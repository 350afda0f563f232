"""Reads a nerve model file with numpy alone and prints its predictions.

Usage: /usr/bin/python3 read_model.py MODEL.nerve INPUT.csv
INPUT.csv has a header row and one column per feature, raw (unscaled). The
output is CSV: a header (the classes, or output0, output1, ...) and one row
per sample. The format is described in docs/model-format.md.
"""
import json, struct, sys, zlib
import numpy as np

def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)

ACTIVATIONS = {"identity": lambda z: z, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
               "relu": lambda z: np.maximum(z, 0), "leaky-relu": lambda z: np.where(z > 0, z, 0.01 * z),
               "softmax": softmax}

raw = open(sys.argv[1], "rb").read()
magic, version, hlen = struct.unpack_from("<8sII", raw)
assert magic == b"NERVEMDL" and version == 1, "not a version 1 nerve model file"
assert zlib.crc32(raw[:-4]) == struct.unpack("<I", raw[-4:])[0], "corrupted: CRC-32 mismatch"
h = json.loads(raw[16:16 + hlen])
p = np.frombuffer(raw, {"float32": "<f4", "float64": "<f8"}[h["dtype"]], h["params"], 16 + hlen).astype(np.float64)
A = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, ndmin=2)
if h["scaling"]:
    A = (A - np.array(h["scaling"]["mean"])) / np.array(h["scaling"]["scale"])
n_in, i = h["inputs"], 0
for layer in h["layers"]:  # W row-major (inputs x units), then b if any
    u = layer["units"]
    Z = A @ p[i:i + n_in * u].reshape(n_in, u)
    i += n_in * u
    if layer["bias"]:
        Z, i = Z + p[i:i + u], i + u
    A, n_in = ACTIVATIONS[layer["activation"]](Z), u
if h["target_scaling"]:
    A = A * np.array(h["target_scaling"]["scale"]) + np.array(h["target_scaling"]["mean"])
print(",".join(h["classes"] or ["output%d" % k for k in range(n_in)]))
for row in A:
    print(",".join(repr(float(v)) for v in row))
