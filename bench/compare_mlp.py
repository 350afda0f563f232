#!/usr/bin/python3
"""Train (or run) the MLP that `nerve bench` times, in PyTorch and in a
hand-written numpy loop, and print one line per framework.

    compare_mlp.py [--layers 784,256,128,10] [--batch 128] [--samples 16384]
                   [--epochs 5] [--threads T] [--seed 1] [--infer]
                   [--frameworks torch,numpy] [--check]

The workload is nerve bench's: ReLU hidden layers, a softmax output with
cross-entropy (mean over the batch), plain SGD with learning rate 0.01,
float32. The weights and data are nerve bench's too, drawn with numpy's
legacy generator in nerve's order: np.random.seed(seed); each layer's
W = uniform(-lim, lim, (in, out)) with lim = sqrt(6/in) (He, for the ReLU
layers) or sqrt(6/(in+out)) (Glorot, for the softmax layer), biases 0;
M = randn(inputs, outputs); X = random_sample((samples, inputs)); label =
argmax((X - 0.5) @ M). Both frameworks start from those same weights, so
their final loss should match `nerve bench --no-shuffle`'s to about three
decimals (float32 rounding differs).

Each epoch runs over pre-made batches in a fixed order, like nerve bench
--no-shuffle, but without copying each batch (train.Fit copies every
batch's rows into its own buffer, so this favours the peers). The first
epoch is a warm-up; samples/s is the median over the others. With
--infer, one pass of forward only over the samples in batches of --batch
is an epoch.

PyTorch: torch.set_num_threads(T); a plain loop of zero_grad, forward,
loss, backward, step over tensors made before the clock starts.
numpy: forward, softmax, backward with in-place updates, every array
float32; threads come from OPENBLAS_NUM_THREADS, which must be set before
Python starts (bench/compare.sh does).

Output, one line per framework:

    torch train layers=784-256-128-10 batch=128 threads=2 samples_per_sec=123456.7 min=... max=... us_per_batch=... loss=2.2140
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np


def make_data(sizes, samples, seed):
    """nerve bench's weights and data (see the module docstring)."""
    np.random.seed(seed)
    weights = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        lim = np.sqrt(6 / fan_in)  # He uniform for the ReLU layers
        if i == len(sizes) - 2:
            lim = np.sqrt(6 / (fan_in + fan_out))  # Glorot uniform for the softmax layer
        weights.append(np.random.uniform(-lim, lim, (fan_in, fan_out)))
    M = np.random.randn(sizes[0], sizes[-1])
    X = np.random.random_sample((samples, sizes[0]))
    labels = np.argmax((X - 0.5) @ M, axis=1)
    return weights, X, labels


def report(name, mode, args, times, batches, loss):
    rates = sorted(args.samples / t for t in times)
    med = statistics.median(rates)
    line = (f"{name} {mode} layers={'-'.join(map(str, args.layers))} batch={args.batch} "
            f"threads={args.threads} samples_per_sec={med:.1f} min={rates[0]:.1f} max={rates[-1]:.1f} "
            f"us_per_batch={args.samples / med / batches * 1e6:.2f}")
    if loss is not None:
        line += f" loss={loss:.4f}"
    print(line, flush=True)


def run_torch(args, weights, X, labels):
    import torch
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(not args.infer)
    layers = []
    for i, W in enumerate(weights):
        lin = torch.nn.Linear(W.shape[0], W.shape[1])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.astype(np.float32)))  # torch stores out×in
            lin.bias.zero_()
        layers.append(lin)
        if i < len(weights) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)  # logits; CrossEntropyLoss applies the softmax
    Xt = torch.from_numpy(X.astype(np.float32))
    yt = torch.from_numpy(labels.astype(np.int64))
    xb = [Xt[i:i + args.batch].contiguous() for i in range(0, args.samples, args.batch)]
    yb = [yt[i:i + args.batch].contiguous() for i in range(0, args.samples, args.batch)]
    times, loss = [], None
    if args.infer:
        model.eval()
        for _ in range(args.epochs):
            t = time.perf_counter()
            for x in xb:
                torch.softmax(model(x), dim=1)
            times.append(time.perf_counter() - t)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        ce = torch.nn.CrossEntropyLoss()
        for _ in range(args.epochs):
            total = 0.0
            t = time.perf_counter()
            for x, y in zip(xb, yb):
                opt.zero_grad()
                out = ce(model(x), y)
                out.backward()
                opt.step()
                total += out.item() * len(x)
            times.append(time.perf_counter() - t)
            loss = total / args.samples
    report("torch", "infer" if args.infer else "train", args, times[1:], len(xb), loss)


def run_numpy(args, weights, X, labels):
    Ws = [W.astype(np.float32) for W in weights]
    bs = [np.zeros((1, W.shape[1]), np.float32) for W in Ws]
    X32 = X.astype(np.float32)
    k = Ws[-1].shape[1]
    Y = np.zeros((args.samples, k), np.float32)
    Y[np.arange(args.samples), labels] = 1
    xb = [X32[i:i + args.batch] for i in range(0, args.samples, args.batch)]
    yb = [Y[i:i + args.batch] for i in range(0, args.samples, args.batch)]
    lr = np.float32(0.01)
    L = len(Ws)

    def forward(x):
        As = [x]
        a = x
        for l in range(L):
            z = a @ Ws[l]
            z += bs[l]
            if l < L - 1:
                np.maximum(z, 0, out=z)  # ReLU in place: A = Z
            else:
                z -= z.max(axis=1, keepdims=True)  # softmax in place
                np.exp(z, out=z)
                z /= z.sum(axis=1, keepdims=True)
            As.append(z)
            a = z
        return As

    times, loss = [], None
    for _ in range(args.epochs):
        total = 0.0
        t = time.perf_counter()
        for x, y in zip(xb, yb):
            As = forward(x)
            if args.infer:
                continue
            p = As[-1]
            total += -float(np.log(np.maximum(p[y == 1], 1e-30)).sum())
            dz = p - y  # softmax + cross-entropy
            dz /= np.float32(len(x))
            for l in range(L - 1, -1, -1):
                dW = As[l].T @ dz
                db = dz.sum(axis=0, keepdims=True)
                if l > 0:  # no dA for the inputs
                    dz = dz @ Ws[l].T
                    dz *= As[l] > 0  # ReLU'
                dW *= lr
                Ws[l] -= dW
                db *= lr
                bs[l] -= db
        times.append(time.perf_counter() - t)
        if not args.infer:
            loss = total / args.samples
    report("numpy", "infer" if args.infer else "train", args, times[1:], len(xb), loss)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--layers", default="784,256,128,10")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--samples", type=int, default=16384)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--infer", action="store_true")
    p.add_argument("--frameworks", default="torch,numpy")
    p.add_argument("--check", action="store_true",
                   help="print a summary of the data instead (for cmd/nerve's bench test)")
    args = p.parse_args()
    args.layers = [int(s) for s in args.layers.split(",")]
    if args.epochs < 2 or args.samples < args.batch:
        sys.exit("compare_mlp.py: want --epochs ≥ 2 and --samples ≥ --batch")
    weights, X, labels = make_data(args.layers, args.samples, args.seed)
    if args.check:
        print("X[0,:3]", [float(v) for v in X[0, :3]], "X.sum", float(X.sum()),
              "labels[:8]", labels[:8].tolist(), "counts", np.bincount(labels, minlength=args.layers[-1]).tolist(),
              "W0[0,:2]", [float(v) for v in weights[0][0, :2]])
        return
    blas = os.environ.get("OPENBLAS_NUM_THREADS")
    if "numpy" in args.frameworks and blas is not None and blas != str(args.threads):
        print(f"compare_mlp.py: OPENBLAS_NUM_THREADS={blas} but --threads {args.threads}", file=sys.stderr)
    for name in args.frameworks.split(","):
        {"torch": run_torch, "numpy": run_numpy}[name](args, weights, X, labels)


if __name__ == "__main__":
    main()
