#!/usr/bin/python3
"""Reference for deeplearning.ai's "Building your Deep Neural Network: Step by
Step" together with its "Deep Neural Network - Application" (L_layer_model):
an L-layer fully connected network, [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID,
cross-entropy cost, plain batch gradient descent, samples stored as COLUMNS.
Trained here on the 2-class planar flower set, tutorials/data/planar.csv
(written by make_planar.py).

Run (from anywhere):
      /usr/bin/python3 tutorials/testdata/l_layer.py [--seed N] [--iterations N]
          [--layers 2,8,4,1] [--lr F] [--hidden relu|sigmoid] [--data PATH]
  defaults: --seed 1, --iterations 2500, --layers 2,8,4,1, --lr 0.05,
            --hidden relu, --data tutorials/data/planar.csv.
  --layers: first entry must be 2 (input features), last must be 1.

Default learning rate: 0.05. Tried 0.05, 0.1, 0.3 and 0.5 with the other
defaults and seeds 1, 2, 3, 42. 0.3 (seeds 1, 42) and 0.5 (seeds 1, 2, 42)
end in NaN: the output pre-activation passes ~37, sigmoid rounds to exactly
1.0, 0*log(0) gives NaN and that poisons the gradients. 0.1 stays finite but
the cost oscillates from step to step (seed 1: 908 of 2500 steps raise it).
0.05 lowers the cost at every step for seeds 1, 3 and 42 (seed 2: 5 late
steps raise it by about 1e-6) and reaches training accuracy 0.88 with seed 1.

Uses numpy's legacy global RNG: np.random.seed(seed) is called right before
initialize_parameters_deep, which draws W1, W2, ... in order with
np.random.randn (scaled by 1/sqrt(fan_in)); biases start at zero.

Output: one record per line, "KEY INDEX VALUE", VALUE = repr(float):
  cost I V      -- cost of iteration I's forward pass, for I % 100 == 0
  accuracy 0 V  -- mean((AL > 0.5) == Y) of a fresh forward pass after training.
"""
import argparse
import csv
import os

import numpy as np


def load_data(path):
    xs = []
    ys = []
    with open(path) as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header == ["x1", "x2", "label"], header
        for row in reader:
            xs.append([float(row[0]), float(row[1])])
            ys.append([float(int(row[2]))])
    X = np.array(xs, dtype=float).T  # (2, m)
    Y = np.array(ys, dtype=float).T  # (1, m)
    return X, Y


def initialize_parameters_deep(layer_dims):
    parameters = {}
    L = len(layer_dims)  # number of layers in the network, input included
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def sigmoid(Z):
    A = 1 / (1 + np.exp(-Z))
    cache = Z
    return A, cache


def relu(Z):
    A = np.maximum(0, Z)
    cache = Z
    return A, cache


def sigmoid_backward(dA, cache):
    Z = cache
    s = 1 / (1 + np.exp(-Z))
    dZ = dA * s * (1 - s)
    return dZ


def relu_backward(dA, cache):
    Z = cache
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    cache = (A, W, b)
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    else:
        raise ValueError(activation)
    cache = (linear_cache, activation_cache)
    return A, cache


def L_model_forward(X, parameters, hidden):
    caches = []
    A = X
    L = len(parameters) // 2  # number of layers with weights
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters["W" + str(l)],
                                             parameters["b" + str(l)], hidden)
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)],
                                          parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (-1 / m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    cost = np.squeeze(cost)
    return cost


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1 / m * np.dot(dZ, A_prev.T)
    db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        raise ValueError(activation)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db


def L_model_backward(AL, Y, caches, hidden):
    grads = {}
    L = len(caches)  # number of layers with weights
    Y = Y.reshape(AL.shape)

    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))

    current_cache = caches[L - 1]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, current_cache, "sigmoid")

    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(
            grads["dA" + str(l + 1)], current_cache, hidden)
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


def L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, hidden, seed):
    np.random.seed(seed)
    parameters = initialize_parameters_deep(layers_dims)

    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters, hidden)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches, hidden)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            print("cost", i, repr(float(cost)))
    return parameters


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_data = os.path.join(here, "..", "data", "planar.csv")
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=2500)
    parser.add_argument("--layers", default="2,8,4,1")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--hidden", choices=["relu", "sigmoid"], default="relu")
    parser.add_argument("--data", default=default_data)
    args = parser.parse_args()

    layers_dims = [int(s) for s in args.layers.split(",")]
    if len(layers_dims) < 2 or layers_dims[0] != 2 or layers_dims[-1] != 1:
        parser.error("--layers must start with 2 and end with 1")

    X, Y = load_data(args.data)
    parameters = L_layer_model(X, Y, layers_dims, args.lr, args.iterations,
                               args.hidden, args.seed)

    AL, _ = L_model_forward(X, parameters, args.hidden)
    accuracy = np.mean((AL > 0.5) == Y)
    print("accuracy", 0, repr(float(accuracy)))


if __name__ == "__main__":
    main()
