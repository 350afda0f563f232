#!/usr/bin/python3
"""Train MNIST 784-256-128-10 (ReLU, softmax + cross-entropy, Adam with
PyTorch's defaults, learning rate 0.001) the way `nerve train` does, with
PyTorch or with a hand-written numpy loop, and print one JSON object:
the training time (the epochs only, not the loading), the last epoch's
mean training loss and the test accuracy.

Usage (bench/train_peers.sh runs it):

    train_peers.py torch|numpy --data DIR [--epochs N] [--batch N] [--threads N] [--seed N]
    nerve train ... --json | train_peers.py stamp [--samples N]

DIR holds the four MNIST IDX .gz files. The data sits in memory as float32
(pixels / 255); every epoch draws a new permutation (torch.randperm, or
numpy's permutation) and trains on its batches in order, the last one
short, as nerve does.

stamp reads `nerve train --json` as it runs, notes when each epoch's line
arrives, and prints the summary line with "epoch_seconds" (the time
between consecutive epoch lines: epochs 2, 3, ...) and "samples_per_sec"
(--samples over their median), the figure `nerve bench` reports.
"""

import argparse
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np


def load_idx(path):
    with gzip.open(path, "rb") as f:
        b = f.read()
    nd = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)


def load(d):
    def images(name):
        x = load_idx(os.path.join(d, name))
        return (x.reshape(x.shape[0], -1).astype(np.float64) / 255).astype(np.float32)

    def labels(name):
        return load_idx(os.path.join(d, name)).astype(np.int64)

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


SIZES = [784, 256, 128, 10]


def batches(perm, batch):
    """Yields the index slices of an epoch's batches, in order."""
    for lo in range(0, len(perm), batch):
        yield perm[lo:lo + batch]


def run_torch(a, X, y, Xt, yt):
    import torch
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    layers = []
    for i in range(len(SIZES) - 1):
        layers.append(torch.nn.Linear(SIZES[i], SIZES[i + 1]))
        if i < len(SIZES) - 2:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    n = X.shape[0]
    start = time.perf_counter()
    for _ in range(a.epochs):
        total = 0.0
        for idx in batches(torch.randperm(n), a.batch):
            xb, yb = X[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            loss = lossf(net(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        acc = (net(torch.from_numpy(Xt)).argmax(1).numpy() == yt).mean()
    return seconds, total / n, float(acc)


def run_numpy(a, X, y, Xt, yt):
    rng = np.random.default_rng(a.seed)
    W, b = [], []
    for i in range(len(SIZES) - 1):
        lim = np.sqrt(6 / SIZES[i]) if i < len(SIZES) - 2 else np.sqrt(6 / (SIZES[i] + SIZES[i + 1]))
        W.append(rng.uniform(-lim, lim, (SIZES[i], SIZES[i + 1])).astype(np.float32))
        b.append(np.zeros(SIZES[i + 1], np.float32))
    params = W + b
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps, lr = 0.9, 0.999, 1e-8, 1e-3
    step = 0
    n = X.shape[0]
    start = time.perf_counter()
    for _ in range(a.epochs):
        total = 0.0
        for idx in batches(rng.permutation(n), a.batch):
            xb, yb = X[idx], y[idx]
            k = len(idx)
            # forward: Z = A_prev·W + b, A = relu(Z); softmax on the last
            A = [xb]
            for i in range(len(W)):
                Z = A[-1] @ W[i] + b[i]
                A.append(np.maximum(Z, 0) if i < len(W) - 1 else Z)
            Z = A[-1]
            Z = Z - Z.max(1, keepdims=True)
            P = np.exp(Z)
            P /= P.sum(1, keepdims=True)
            total += -np.log(np.maximum(P[np.arange(k), yb], 1e-30)).sum()
            # backward: dZ_L = (P − Y)/k; dW = A_prevᵀ·dZ, db = Σ dZ, dA_prev = dZ·Wᵀ
            dZ = P
            dZ[np.arange(k), yb] -= 1
            dZ /= k
            dW, db = [None] * len(W), [None] * len(W)
            for i in range(len(W) - 1, -1, -1):
                dW[i] = A[i].T @ dZ
                db[i] = dZ.sum(0)
                if i > 0:
                    dZ = (dZ @ W[i].T) * (A[i] > 0)
            # Adam update, PyTorch's form
            step += 1
            c1, c2 = 1 - b1 ** step, 1 - b2 ** step
            for j, g in enumerate(dW + db):
                m[j] *= b1
                m[j] += (1 - b1) * g
                v[j] *= b2
                v[j] += (1 - b2) * g * g
                params[j] -= (lr / c1) * m[j] / (np.sqrt(v[j] / c2) + eps)
    seconds = time.perf_counter() - start
    a_ = Xt
    for i in range(len(W)):
        a_ = a_ @ W[i] + b[i]
        if i < len(W) - 1:
            a_ = np.maximum(a_, 0)
    acc = (a_.argmax(1) == yt).mean()
    return seconds, total / n, float(acc)


def stamp(samples):
    times, last = [], None
    for line in sys.stdin:
        now = time.perf_counter()
        r = json.loads(line)
        if "epoch" in r:
            times.append(now)
        last = r
    last["epoch_seconds"] = [b - a for a, b in zip(times, times[1:])]
    last["samples_per_sec"] = samples / statistics.median(last["epoch_seconds"])
    json.dump(last, sys.stdout)
    print()


def main():
    if sys.argv[1:2] == ["stamp"]:
        p = argparse.ArgumentParser()
        p.add_argument("stamp")
        p.add_argument("--samples", type=int, default=60000)
        stamp(p.parse_args().samples)
        return
    p = argparse.ArgumentParser()
    p.add_argument("impl", choices=["torch", "numpy"])
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    X, y, Xt, yt = load(a.data)
    run = run_torch if a.impl == "torch" else run_numpy
    seconds, loss, acc = run(a, X, y, Xt, yt)
    json.dump({"impl": a.impl, "seconds": seconds, "loss": loss, "test_accuracy": acc,
               "epochs": a.epochs, "batch": a.batch, "threads": a.threads}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
