#!/usr/bin/python3
"""Generate golden.json, the reference data for the Go package rng.

The Go package github.com/nerve-ml/nerve/rng claims to reproduce numpy's
legacy RandomState (np.random.seed(n) followed by the module-level
np.random functions) bit for bit. This script records what numpy itself
produces so that rng_test.go can check that claim:

  * for each seed in SEEDS and each stream
      "random"  : np.random.seed(s); np.random.random(100000)
      "randn"   : np.random.seed(s); np.random.randn(100000)
      "uniform" : np.random.seed(s); np.random.uniform(-3.5, 2.25, 100000)
    the sha256 hex digest of the array as little-endian float64 bytes, the
    digests of its first 10, 100, 1000 and 10000 values, and the first 5
    values (as Python repr strings, which round-trip exactly). For "randn"
    also "sha256_f32", the digest of the array cast to little-endian
    float32 (arr.astype('<f4').tobytes()), and the first 1000 values rather
    than 5: rng's default build takes its logarithm from Go's math.Log,
    which differs from the C library's log() in the last bit for a few
    percent of arguments, so its normal deviates are checked to float32
    precision and to within 1 ulp of these values; only a build with
    -tags libmlog (the C library's log, through cgo) must match the
    float64 digest;
  * "permutation": np.random.seed(s); np.random.permutation(1000);
  * "mixed": after np.random.seed(s), the values of randn(3), random(2),
    randn(2), uniform(0, 1, 3), permutation(10), randn(1) in call order,
    which shows that the cached second normal deviate survives the other
    calls (floats as repr strings, permutation entries as JSON integers);
  * "example": np.random.seed(1); three np.random.random() values formatted
    with "%.12g" (the text expected by example_test.go);
  * the numpy version, glibc version, machine and whether the CPU has FMA.
    numpy's normal deviates use the C library's log(), so their last bits
    depend on the platform: glibc picks its log() implementation at run
    time (on x86-64 with FMA and AVX2 a variant whose last bit differs from
    the plain SSE2 one for about 1 argument in 10^4), and other C libraries
    may differ too. The exact float64 check of a -tags libmlog build is
    meaningful only on a platform whose log() matches the one recorded here.

Run it from anywhere with the system interpreter (Debian bookworm ships
numpy 1.24):

    /usr/bin/python3 rng/testdata/gen_golden.py

It overwrites golden.json next to this script. The output is
deterministic; re-running it with the same numpy must give an identical
file.
"""

import hashlib
import json
import os
import platform
import re

import numpy as np

SEEDS = [0, 1, 2, 42, 12345, 4294967295]
N = 100000
UNIFORM_LOW, UNIFORM_HIGH = -3.5, 2.25
PERM_N = 1000
HEAD = 5
RANDN_HEAD = 1000
PREFIXES = [10, 100, 1000, 10000]


def cpu_has_fma():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return " fma " in line + " "
    except OSError:
        pass
    return None


def digest(arr, dtype="<f8"):
    return hashlib.sha256(np.ascontiguousarray(arr).astype(dtype).tobytes()).hexdigest()


def stream(arr, head=HEAD):
    # "prefix_sha256" (digests of the first 10, 100, ... values) lets a
    # failing test say roughly where the first difference is.
    prefixes = {str(n): digest(arr[:n]) for n in PREFIXES if n < len(arr)}
    return {"sha256": digest(arr), "first": [repr(float(v)) for v in arr[:head]],
            "prefix_sha256": prefixes}


def normal_stream(arr):
    out = stream(arr, RANDN_HEAD)
    out["sha256_f32"] = digest(arr, "<f4")
    return out


def fl(values):
    # Floats are recorded as repr strings: exact and unambiguous.
    return [repr(float(v)) for v in values]


def it(values):
    # Integers (permutation entries) are recorded as JSON numbers.
    return [int(v) for v in values]


def main():
    seeds = []
    for s in SEEDS:
        entry = {"seed": s}

        np.random.seed(s)
        entry["random"] = stream(np.random.random(N))

        np.random.seed(s)
        entry["randn"] = normal_stream(np.random.randn(N))

        np.random.seed(s)
        entry["uniform"] = stream(np.random.uniform(UNIFORM_LOW, UNIFORM_HIGH, N))

        np.random.seed(s)
        entry["permutation"] = [int(v) for v in np.random.permutation(PERM_N)]

        np.random.seed(s)
        mixed = []
        mixed += fl(np.random.randn(3))
        mixed += fl(np.random.random(2))
        mixed += fl(np.random.randn(2))
        mixed += fl(np.random.uniform(0, 1, 3))
        mixed += it(np.random.permutation(10))
        mixed += fl(np.random.randn(1))
        entry["mixed"] = mixed

        seeds.append(entry)

    np.random.seed(1)
    example = "\n".join("%.12g" % np.random.random() for _ in range(3))

    out = {
        "numpy_version": np.__version__,
        "glibc_version": "-".join(platform.libc_ver()),
        "machine": platform.machine(),
        "cpu_has_fma": cpu_has_fma(),
        "n": N,
        "uniform_low": UNIFORM_LOW,
        "uniform_high": UNIFORM_HIGH,
        "perm_n": PERM_N,
        "example": example,
        "seeds": seeds,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
    text = json.dumps(out, indent=1)
    # Put lists of scalars on one line each to keep the file small.
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]",
                  lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
    with open(path, "w") as f:
        f.write(text)
        f.write("\n")


if __name__ == "__main__":
    main()
