#!/usr/bin/python3
"""Reference for iamtrask's "A Neural Network in 11 lines of Python (Part 1)":
the 2-layer network (no hidden layer) trained on the 3-input toy problem.

Run:  /usr/bin/python3 tutorials/testdata/single_layer.py [--seed N] [--iterations N]
      (defaults: --seed 1, --iterations 10000)

Uses numpy's legacy global RNG: np.random.seed(seed) is called right before
the weights are drawn with np.random.random.

Output: one record per line, "KEY INDEX VALUE", VALUE = repr(float):
  output I V   -- row I of the final l1.
"""
import argparse

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=10000)
    args = parser.parse_args()

    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([[0, 0, 1, 1]], dtype=float).T

    np.random.seed(args.seed)
    syn0 = 2 * np.random.random((3, 1)) - 1

    l1 = None
    for it in range(args.iterations):
        l0 = X
        l1 = sigmoid(np.dot(l0, syn0))
        l1_error = y - l1
        l1_delta = l1_error * (l1 * (1 - l1))
        syn0 += np.dot(l0.T, l1_delta)

    if l1 is not None:
        for i in range(l1.shape[0]):
            print("output", i, repr(float(l1[i, 0])))


if __name__ == "__main__":
    main()
