#!/bin/sh
# Regenerates tutorials/data/planar.csv and every reference output in
# tutorials/testdata/ with Debian's /usr/bin/python3 + python3-numpy.
# Run from anywhere:  sh tutorials/testdata/gen.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
# numpy's np.dot goes through OpenBLAS, whose kernels differ per CPU in the
# last bits (FMA use, summation order). Pin the kernel the checked-in files
# were made with (Haswell: needs an x86-64 CPU with AVX2/FMA) and keep it
# single-threaded, so reruns reproduce the files byte for byte.
export OPENBLAS_CORETYPE=Haswell
export OPENBLAS_NUM_THREADS=1
export PYTHONDONTWRITEBYTECODE=1

"$py" "$here/make_planar.py" --out "$here/../data/planar.csv"

for seed in 1 2 3 42; do
    for script in single_layer xor hidden_layer sse l_layer; do
        "$py" "$here/$script.py" --seed "$seed" > "$here/${script}_seed${seed}.txt"
    done
    "$py" "$here/hidden_layer.py" --sgd --seed "$seed" > "$here/hidden_layer_sgd_seed${seed}.txt"
done
