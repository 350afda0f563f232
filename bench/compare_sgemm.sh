#!/bin/bash
# compare_sgemm.sh times nerve's float32 GEMM (internal/kernel's
# BenchmarkGemm32 and its naive i-k-j twin) against OpenBLAS called from C
# (bench/sgemm_cblas.c) on the four matrix multiplies of a 784-256-128-10
# training step at batch 128, and prints one Markdown table of GFLOP/s.
#
# Usage, from anywhere in the repository:
#
#	bench/compare_sgemm.sh [--rounds N] [--benchtime 0.3s]
#
# Shapes, (M,K,N) with op(A) M×K and op(B) K×N, row-major:
#
#	NN 128,784,256     X·W1, the first layer's forward
#	NN 128,256,128     A1·W2
#	TN (128×784)ᵀ·(128×256)   dW1 = Xᵀ·dZ1
#	NT (128×256)·(784×256)ᵀ   dA = dZ1·W1ᵀ (of a 784-wide layer above)
#
# Columns: nerve's AVX-512 kernel at 1 and 2 threads, nerve's AVX2 kernel
# (forced, as on a CPU without AVX-512) at 1 and 2 threads, the naive
# i-k-j loop, OpenBLAS 0.3.21 at 1 and 2 threads with its own choice of
# kernel (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset: AVX-512 here), and
# OpenBLAS forced to its Haswell (AVX2) kernels at 1 and 2 threads. Each
# cell is the median of --rounds (default 3) rounds; in every round each
# program runs once, one after the other, so the machine's slow spells hit
# them alike. The OpenBLAS figure of a round is the median of its 5
# repetitions. Needs go, gcc and libopenblas-dev.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-/usr/bin/python3}
rounds=3
benchtime=0.3s
while (($#)); do
	case $1 in
	--rounds) rounds=$2; shift ;;
	--benchtime) benchtime=$2; shift ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "compare_sgemm.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/kernel.test" ./internal/kernel/
gcc -O2 -o "$work/sgemm_cblas" bench/sgemm_cblas.c -lopenblas

shapes='(NN128x784x256|NN128x256x128|TN784x128x256|NT128x256x784)$'
blas=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
log=$work/log
for ((r = 0; r < rounds; r++)); do
	"$work/kernel.test" -test.run '^$' -test.bench "^BenchmarkGemm32$/(avx512|avx2)/t[12]/$shapes" -test.benchtime "$benchtime" |
		awk '/GFLOP/ { for (i = 1; i < NF; i++) if ($(i+1) == "GFLOP/s") { sub(/-[0-9]+$/, "", $1); print "go", $1, $i } }' >>"$log"
	"$work/kernel.test" -test.run '^$' -test.bench "^BenchmarkGemmNaive32$/ikj/$shapes" -test.benchtime 10x |
		awk '/GFLOP/ { for (i = 1; i < NF; i++) if ($(i+1) == "GFLOP/s") { sub(/-[0-9]+$/, "", $1); print "go", $1, $i } }' >>"$log"
	for t in 1 2; do
		"${blas[@]}" OPENBLAS_NUM_THREADS=$t "$work/sgemm_cblas" | awk -v t=$t '{ print "openblas/t" t, $1, $5 }' >>"$log"
		"${blas[@]}" OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=$t "$work/sgemm_cblas" | awk -v t=$t '{ print "haswell/t" t, $1, $5 }' >>"$log"
	done
done

echo "$(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(go version | cut -d' ' -f3); median GFLOP/s of $rounds round(s); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$PYTHON" - "$log" <<'EOF'
import statistics, sys
cells = {}
for line in open(sys.argv[1]):
    who, name, g = line.split()
    if who == "go":  # BenchmarkGemm32/avx512/t1/NN128x784x256, BenchmarkGemmNaive32/ikj/NN...
        parts = name.split("/")
        who, name = "/".join(parts[1:-1]), parts[-1]
    cells.setdefault((who, name), []).append(float(g))
def cell(who, name):
    v = cells.get((who, name))
    return statistics.median(v) if v else float("nan")
cols = ["avx512/t1", "avx512/t2", "avx2/t1", "avx2/t2", "ikj", "openblas/t1", "openblas/t2", "haswell/t1", "haswell/t2"]
heads = ["nerve AVX-512 1t", "nerve AVX-512 2t", "nerve AVX2 1t", "nerve AVX2 2t", "naive i-k-j",
         "OpenBLAS 1t", "OpenBLAS 2t", "OpenBLAS Haswell 1t", "OpenBLAS Haswell 2t",
         "nerve/OpenBLAS 1t", "nerve/OpenBLAS 2t", "AVX2/Haswell 1t"]
names = {"NN128x784x256": "NN 128,784,256", "NN128x256x128": "NN 128,256,128",
         "TN784x128x256": "TN (128×784)ᵀ·(128×256)", "NT128x256x784": "NT (128×256)·(784×256)ᵀ"}
print("| (M,K,N) | " + " | ".join(heads) + " |")
print("|" + " --- |" * (len(heads) + 1))
for key, label in names.items():
    v = [cell(c, key) for c in cols]
    r = [v[0] / v[5], v[1] / v[6], v[2] / v[7]]
    print(f"| {label} | " + " | ".join(f"{x:.1f}" for x in v) + " | " + " | ".join(f"{x:.2f}" for x in r) + " |")
EOF
