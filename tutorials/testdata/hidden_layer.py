#!/usr/bin/python3
"""Reference for Analytics Vidhya's "Understanding and coding Neural Networks
From Scratch in Python and R": one hidden layer (3 sigmoid units) with
biases, sigmoid output, learning rate 0.1, trained on a 3-sample toy set.

Run:  /usr/bin/python3 tutorials/testdata/hidden_layer.py [--seed N] [--iterations N] [--sgd]
      (defaults: --seed 1, --iterations 5000 epochs, full batch)
  --sgd  each epoch loops over the samples i = 0..m-1 in order and does the
         whole forward/backward/update step on X[i:i+1], y[i:i+1]; after the
         last epoch one extra forward pass over all of X is printed.

Uses numpy's legacy global RNG: np.random.seed(seed) is called right before
wh, bh, wout, bout are drawn (in that order) with np.random.uniform.

Output: one record per line, "KEY INDEX VALUE", VALUE = repr(float):
  output I V   -- row I of the final output (full batch: the output computed
                  in the last epoch, before that epoch's update; --sgd: the
                  extra forward pass after training).
"""
import argparse

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--sgd", action="store_true")
    args = parser.parse_args()

    X = np.array([[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
    y = np.array([[1], [1], [0]], dtype=float)

    epoch = args.iterations
    lr = 0.1
    inputlayer_neurons = X.shape[1]
    hiddenlayer_neurons = 3
    output_neurons = 1

    np.random.seed(args.seed)
    wh = np.random.uniform(size=(inputlayer_neurons, hiddenlayer_neurons))
    bh = np.random.uniform(size=(1, hiddenlayer_neurons))
    wout = np.random.uniform(size=(hiddenlayer_neurons, output_neurons))
    bout = np.random.uniform(size=(1, output_neurons))

    def step(Xb, yb):
        # One forward pass, backward pass and in-place update on batch Xb.
        # Returns the output of the forward pass (before the update).
        nonlocal wh, bh, wout, bout
        hidden_layer_input1 = np.dot(Xb, wh)
        hidden_layer_input = hidden_layer_input1 + bh
        hiddenlayer_activations = sigmoid(hidden_layer_input)
        output_layer_input1 = np.dot(hiddenlayer_activations, wout)
        output_layer_input = output_layer_input1 + bout
        output = sigmoid(output_layer_input)

        E = yb - output
        slope_output_layer = output * (1 - output)
        slope_hidden_layer = hiddenlayer_activations * (1 - hiddenlayer_activations)
        d_output = E * slope_output_layer
        Error_at_hidden_layer = d_output.dot(wout.T)
        d_hiddenlayer = Error_at_hidden_layer * slope_hidden_layer
        wout += hiddenlayer_activations.T.dot(d_output) * lr
        bout += np.sum(d_output, axis=0, keepdims=True) * lr
        wh += Xb.T.dot(d_hiddenlayer) * lr
        bh += np.sum(d_hiddenlayer, axis=0, keepdims=True) * lr
        return output

    output = None
    for i in range(epoch):
        if args.sgd:
            for s in range(X.shape[0]):
                step(X[s:s + 1], y[s:s + 1])
        else:
            output = step(X, y)

    if args.sgd:
        hidden_layer_input1 = np.dot(X, wh)
        hidden_layer_input = hidden_layer_input1 + bh
        hiddenlayer_activations = sigmoid(hidden_layer_input)
        output_layer_input1 = np.dot(hiddenlayer_activations, wout)
        output_layer_input = output_layer_input1 + bout
        output = sigmoid(output_layer_input)

    if output is not None:
        for i in range(output.shape[0]):
            print("output", i, repr(float(output[i, 0])))


if __name__ == "__main__":
    main()
