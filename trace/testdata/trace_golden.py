#!/usr/bin/python3
"""Golden values for package trace: every intermediate of one training
iteration of two tutorials, computed the way the numpy originals compute
them.

Run from the repository root:

    /usr/bin/python3 trace/testdata/trace_golden.py

It writes trace/testdata/hidden_layer.json and trace/testdata/xor.json.

hidden_layer: Analytics Vidhya's "Understanding and coding Neural Networks
From Scratch": X is 3x4, y is 3x1, np.random.seed(1), then wh (4x3),
bh (1x3), wout (3x1), bout (1x1) drawn in that order with
np.random.uniform; sigmoid everywhere; lr = 0.1.

xor: iamtrask's "A Neural Network in 11 lines of Python", part 2: X is
4x3, y is 4x1, np.random.seed(1), syn0 = 2*np.random.random((3,4)) - 1,
syn1 = 2*np.random.random((4,1)) - 1; sigmoid; no biases; no learning rate
(lr = 1).

Each file is a JSON object {"iterations": {"1": {...}, "3": {...}}}: for
iteration K (counting from 1) the values of that iteration's variables,
after K-1 plain iterations, under the tutorial's own names; the weights
before the iteration's update are under their names (wh, syn0, ...), after
it under NAME_new. A matrix is a list of rows.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TRACED = (1, 3)  # the iterations the Go tests compare


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def derivatives_sigmoid(x):
    return x * (1 - x)


def rows(a):
    return [[float(v) for v in r] for r in np.atleast_2d(a)]


def hidden_layer():
    X = np.array([[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
    y = np.array([[1], [1], [0]], dtype=float)
    lr = 0.1
    np.random.seed(1)
    wh = np.random.uniform(size=(4, 3))
    bh = np.random.uniform(size=(1, 3))
    wout = np.random.uniform(size=(3, 1))
    bout = np.random.uniform(size=(1, 1))

    out = {}
    for k in range(1, max(TRACED) + 1):
        v = {"X": rows(X), "y": rows(y), "wh": rows(wh), "bh": rows(bh),
             "wout": rows(wout), "bout": rows(bout)}
        hidden_layer_input1 = np.dot(X, wh)
        hidden_layer_input = hidden_layer_input1 + bh
        hiddenlayer_activations = sigmoid(hidden_layer_input)
        output_layer_input1 = np.dot(hiddenlayer_activations, wout)
        output_layer_input = output_layer_input1 + bout
        output = sigmoid(output_layer_input)
        E = y - output
        slope_output_layer = derivatives_sigmoid(output)
        slope_hidden_layer = derivatives_sigmoid(hiddenlayer_activations)
        d_output = E * slope_output_layer
        Error_at_hidden_layer = d_output.dot(wout.T)
        d_hiddenlayer = Error_at_hidden_layer * slope_hidden_layer
        wout += hiddenlayer_activations.T.dot(d_output) * lr
        bout += np.sum(d_output, axis=0, keepdims=True) * lr
        wh += X.T.dot(d_hiddenlayer) * lr
        bh += np.sum(d_hiddenlayer, axis=0, keepdims=True) * lr
        v.update({
            "hidden_layer_input": rows(hidden_layer_input),
            "hiddenlayer_activations": rows(hiddenlayer_activations),
            "output_layer_input": rows(output_layer_input),
            "output": rows(output),
            "E": rows(E),
            "slope_output_layer": rows(slope_output_layer),
            "slope_hidden_layer": rows(slope_hidden_layer),
            "d_output": rows(d_output),
            "Error_at_hidden_layer": rows(Error_at_hidden_layer),
            "d_hiddenlayer": rows(d_hiddenlayer),
            "wout_new": rows(wout), "bout_new": rows(bout),
            "wh_new": rows(wh), "bh_new": rows(bh),
        })
        if k in TRACED:
            out[str(k)] = v
    return {"iterations": out}


def xor():
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([[0, 1, 1, 0]], dtype=float).T
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1

    out = {}
    for k in range(1, max(TRACED) + 1):
        v = {"l0": rows(X), "y": rows(y), "syn0": rows(syn0), "syn1": rows(syn1)}
        l0 = X
        l1 = sigmoid(np.dot(l0, syn0))
        l2 = sigmoid(np.dot(l1, syn1))
        l2_error = y - l2
        l2_delta = l2_error * (l2 * (1 - l2))
        l1_error = l2_delta.dot(syn1.T)
        l1_delta = l1_error * (l1 * (1 - l1))
        syn1 += l1.T.dot(l2_delta)
        syn0 += l0.T.dot(l1_delta)
        v.update({
            "l1": rows(l1), "l2": rows(l2),
            "l2_error": rows(l2_error), "l2_delta": rows(l2_delta),
            "l1_error": rows(l1_error), "l1_delta": rows(l1_delta),
            "syn1_new": rows(syn1), "syn0_new": rows(syn0),
        })
        if k in TRACED:
            out[str(k)] = v
    return {"iterations": out}


def write(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    write("hidden_layer.json", hidden_layer())
    write("xor.json", xor())


if __name__ == "__main__":
    main()
