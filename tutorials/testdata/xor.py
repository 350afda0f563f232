#!/usr/bin/python3
"""Reference for iamtrask's "A Neural Network in 11 lines of Python":
the 3-layer network (one hidden layer of 4 sigmoid units, no biases)
learning XOR-of-the-first-two-inputs on the 3-input toy problem.

Run:  /usr/bin/python3 tutorials/testdata/xor.py [--seed N] [--iterations N]
      (defaults: --seed 1, --iterations 60000)

Uses numpy's legacy global RNG: np.random.seed(seed) is called right before
syn0 and then syn1 are drawn with np.random.random.

Output: one record per line, "KEY INDEX VALUE", VALUE = repr(float):
  error J V    -- mean(|l2_error|) at iteration J, for J % 10000 == 0
  output I V   -- row I of the final l2.
"""
import argparse

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=60000)
    args = parser.parse_args()

    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([[0, 1, 1, 0]], dtype=float).T

    np.random.seed(args.seed)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1

    l2 = None
    for j in range(args.iterations):
        l0 = X
        l1 = sigmoid(np.dot(l0, syn0))
        l2 = sigmoid(np.dot(l1, syn1))

        l2_error = y - l2
        if j % 10000 == 0:
            print("error", j, repr(float(np.mean(np.abs(l2_error)))))

        l2_delta = l2_error * (l2 * (1 - l2))
        l1_error = l2_delta.dot(syn1.T)
        l1_delta = l1_error * (l1 * (1 - l1))

        syn1 += l1.T.dot(l2_delta)
        syn0 += l0.T.dot(l1_delta)

    if l2 is not None:
        for i in range(l2.shape[0]):
            print("output", i, repr(float(l2[i, 0])))


if __name__ == "__main__":
    main()
