#!/usr/bin/python3
"""Train scikit-learn's MLPClassifier the way `nerve train` is run by
bench/compare_sklearn.sh, and print one JSON line with its test accuracy
and training time.

    sklearn_compare.py --name digits --train digits_train.csv --test digits_test.csv \
        --hidden 128 --epochs 50 --batch 32 --seed 1
    sklearn_compare.py --name mnist --idx ../shared/data/mnist --hidden 256,128 \
        --epochs 10 --batch 128 --seed 1

CSV files are the ones bench/splits.go writes: numeric features, the class
label in the last column, a header line if the first field is not a number.
IDX data is read from DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
with the pixels divided by 255, as nerve's IDX loader does.

The settings match nerve's, and the flags are named like nerve train's:
ReLU hidden layers, softmax output, Adam (learning rate 0.001 unless
--lr), plain SGD or SGD with Nesterov momentum 0.9, the same batch size, max_iter =
the number of epochs (early stopping off, no L2 penalty: alpha=0),
float32, and the features standardised with statistics from the training
set (StandardScaler, which nerve applies unless --no-scaling). The time
is that of fitting the scaler and the network, the same span as nerve's
"seconds".
"""

import argparse
import csv
import gzip
import json
import struct
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    try:
        float(rows[0][0])
    except ValueError:
        rows = rows[1:]  # a header line
    X = np.array([[float(v) for v in r[:-1]] for r in rows], dtype=np.float32)
    y = np.array([r[-1] for r in rows])
    return X, y


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">I", raw[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_idx(d, split):
    X = read_idx(f"{d}/{split}-images-idx3-ubyte.gz")
    y = read_idx(f"{d}/{split}-labels-idx1-ubyte.gz")
    X = X.reshape(len(X), -1).astype(np.float32) / 255
    return X, y.astype(str)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--name", required=True)
    p.add_argument("--train")
    p.add_argument("--test")
    p.add_argument("--idx", help="directory of the four IDX .gz files")
    p.add_argument("--hidden", required=True, help="e.g. 256,128")
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--optimizer", choices=["adam", "sgd", "nesterov"], default="adam")
    p.add_argument("--lr", type=float, default=0.001)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-scaling", action="store_true", help="do not standardise the features")
    a = p.parse_args()

    if a.idx:
        Xtr, ytr = load_idx(a.idx, "train")
        Xte, yte = load_idx(a.idx, "t10k")
    else:
        Xtr, ytr = read_csv(a.train)
        Xte, yte = read_csv(a.test)

    solver = {"adam": {"solver": "adam"},
              "sgd": {"solver": "sgd", "momentum": 0.0, "nesterovs_momentum": False,
                      "learning_rate": "constant"},
              "nesterov": {"solver": "sgd", "momentum": 0.9, "nesterovs_momentum": True,
                           "learning_rate": "constant"}}[a.optimizer]
    clf = MLPClassifier(
        hidden_layer_sizes=tuple(int(h) for h in a.hidden.split(",")),
        activation="relu",
        **solver,
        alpha=0.0,
        batch_size=a.batch,
        learning_rate_init=a.lr,
        max_iter=a.epochs,
        shuffle=True,
        random_state=a.seed,
        tol=0.0,
        n_iter_no_change=a.epochs + 1,  # never stop before max_iter
    )
    start = time.perf_counter()
    scale = lambda X: X
    if not a.no_scaling:
        scaler = StandardScaler().fit(Xtr)
        scale = lambda X: scaler.transform(X).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(scale(Xtr), ytr)
    seconds = time.perf_counter() - start
    acc = float(np.mean(clf.predict(scale(Xte)) == yte))
    print(json.dumps({"name": a.name, "test_accuracy": acc, "seconds": seconds,
                      "epochs": clf.n_iter_, "samples": len(Xtr)}))


if __name__ == "__main__":
    main()
