#!/usr/bin/python3
"""Reference for James Loy's "How to build your own Neural Network from
scratch in Python": the class-based 2-layer network (4 hidden sigmoid units,
no biases, no learning rate) trained with the sum-of-squares loss on the
3-input XOR-like toy problem.

Run:  /usr/bin/python3 tutorials/testdata/sse.py [--seed N] [--iterations N]
      (defaults: --seed 1, --iterations 1500)

Uses numpy's legacy global RNG: np.random.seed(seed) is called right before
weights1 and then weights2 are drawn with np.random.rand.

Output: one record per line, "KEY INDEX VALUE", VALUE = repr(float):
  loss I V     -- sum((y - output)**2) of iteration I's feedforward, I % 100 == 0
  output I V   -- row I of the output of the last feedforward
  actual I V   -- row I of y.
"""
import argparse

import numpy as np


def sigmoid(x):
    return 1.0 / (1 + np.exp(-x))


def sigmoid_derivative(a):
    # derivative of the sigmoid given its output a
    return a * (1.0 - a)


class NeuralNetwork:
    def __init__(self, x, y):
        self.input = x
        self.weights1 = np.random.rand(self.input.shape[1], 4)
        self.weights2 = np.random.rand(4, 1)
        self.y = y
        self.output = np.zeros(self.y.shape)

    def feedforward(self):
        self.layer1 = sigmoid(np.dot(self.input, self.weights1))
        self.output = sigmoid(np.dot(self.layer1, self.weights2))

    def backprop(self):
        d_weights2 = np.dot(self.layer1.T,
                            (2 * (self.y - self.output) * sigmoid_derivative(self.output)))
        d_weights1 = np.dot(self.input.T,
                            (np.dot(2 * (self.y - self.output) * sigmoid_derivative(self.output),
                                    self.weights2.T) * sigmoid_derivative(self.layer1)))
        self.weights1 += d_weights1
        self.weights2 += d_weights2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=1500)
    args = parser.parse_args()

    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)

    np.random.seed(args.seed)
    nn = NeuralNetwork(X, y)

    for i in range(args.iterations):
        nn.feedforward()
        if i % 100 == 0:
            print("loss", i, repr(float(np.sum((y - nn.output) ** 2))))
        nn.backprop()

    for i in range(nn.output.shape[0]):
        print("output", i, repr(float(nn.output[i, 0])))
    for i in range(y.shape[0]):
        print("actual", i, repr(float(y[i, 0])))


if __name__ == "__main__":
    main()
