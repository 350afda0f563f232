#!/usr/bin/python3
"""Single-precision matrix multiply through numpy (OpenBLAS) and PyTorch,
GFLOP/s, on the shapes and transposes of internal/kernel's
BenchmarkGemm32: the Python-side peers (bench/sgemm_cblas.c calls OpenBLAS
without Python in the way). It extends bench/sgemm_numpy.py, which has
the NN shapes only.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        /usr/bin/python3 bench/sgemm_peers.py [--threads 1] [--frameworks numpy,torch]

C = op(A)·op(B), op(A) m×k, op(B) k×n: NN stores A m×k and B k×n, TN
stores A k×m (a transposed view is passed, which numpy hands to BLAS as a
transpose flag, no copy), NT stores B n×k. The output goes into a
preallocated C (out=). numpy's threads come from OPENBLAS_NUM_THREADS,
which must be set before Python starts; torch.set_num_threads(--threads)
for PyTorch (whose CPU matmul calls the same OpenBLAS on Debian).

Output, one line per framework and shape:
"numpy NN128x784x256 GFLOPS GFLOPS GFLOPS ...", 5 repetitions of about
0.2 s each, sorted.
"""

import argparse
import time

import numpy as np

SHAPES = [  # name, transA, transB, m, k, n
    ("NN128x784x256", False, False, 128, 784, 256),
    ("NN128x256x128", False, False, 128, 256, 128),
    ("TN784x128x256", True, False, 784, 128, 256),
    ("NT128x256x784", False, True, 128, 256, 784),
    ("NN1x784x256", False, False, 1, 784, 256),
    ("NN32x128x10", False, False, 32, 128, 10),
    ("NN512x512x512", False, False, 512, 512, 512),
]


def operands(ta, tb, m, k, n, rng):
    """A and B as stored (row-major), and C."""
    a = rng.standard_normal((k, m) if ta else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if tb else (k, n), dtype=np.float32)
    return a, b, np.empty((m, n), np.float32)


def measure(f, flop):
    it = 1
    while True:
        t = time.perf_counter()
        for _ in range(it):
            f()
        if time.perf_counter() - t > 0.05:
            break
        it *= 2
    it *= 4
    g = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(it):
            f()
        g.append(flop * it / (time.perf_counter() - t) / 1e9)
    return sorted(g)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=1, help="PyTorch's threads")
    p.add_argument("--frameworks", default="numpy,torch")
    args = p.parse_args()
    rng = np.random.default_rng(0)
    fws = args.frameworks.split(",")
    if "torch" in fws:
        import torch
        torch.set_num_threads(args.threads)
    for name, ta, tb, m, k, n in SHAPES:
        a, b, c = operands(ta, tb, m, k, n, rng)
        flop = 2 * m * n * k
        for fw in fws:
            if fw == "numpy":
                opa, opb = (a.T if ta else a), (b.T if tb else b)
                g = measure(lambda: np.dot(opa, opb, out=c), flop)
            else:
                at, bt, ct = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c)
                opa, opb = (at.t() if ta else at), (bt.t() if tb else bt)
                g = measure(lambda: torch.mm(opa, opb, out=ct), flop)
            print(fw, name, " ".join(f"{x:.1f}" for x in g), flush=True)


if __name__ == "__main__":
    main()
