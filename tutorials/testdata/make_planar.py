#!/usr/bin/python3
"""Generates tutorials/data/planar.csv: the 2-class "planar flower" data set
used by the deeplearning.ai planar-data and L-layer network exercises
(400 points in 2-D, two interleaved petal-shaped classes of 200 each).

Run (from the repository root):
      /usr/bin/python3 tutorials/testdata/make_planar.py [--out PATH]
      (default --out tutorials/data/planar.csv, relative to the repo root)

Uses numpy's legacy global RNG, seeded with np.random.seed(1) at the start.

CSV format: header "x1,x2,label", one sample per row, features written with
repr() of a Python float (round-trips exactly), label 0 or 1.
"""
import argparse
import os

import numpy as np


def load_planar_dataset():
    np.random.seed(1)
    m = 400  # number of examples
    N = int(m / 2)  # number of points per class
    D = 2  # dimensionality
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype="uint8")
    a = 4  # maximum ray of the flower

    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2  # theta
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2  # radius
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X, Y


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "data", "planar.csv")
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=default_out)
    args = parser.parse_args()

    X, Y = load_planar_dataset()
    with open(args.out, "w") as f:
        f.write("x1,x2,label\n")
        for i in range(X.shape[0]):
            f.write("%s,%s,%d\n" % (repr(float(X[i, 0])), repr(float(X[i, 1])), int(Y[i, 0])))


if __name__ == "__main__":
    main()
