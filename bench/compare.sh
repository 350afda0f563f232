#!/bin/bash
# compare.sh times nerve bench against PyTorch and a hand-written numpy
# loop on the same MLP (784-256-128-10, ReLU, softmax + cross-entropy, SGD
# with learning rate 0.01, float32, the same weights and data: see
# bench/compare_mlp.py), then `nerve demo xor` against the numpy original
# as whole processes, and prints Markdown tables.
#
# Usage, from anywhere in the repository:
#
#	bench/compare.sh [--threads N] [--batches 32,128,512] [--infer-batches 1,512]
#	                 [--samples N] [--infer-samples N] [--epochs N] [--rounds N]
#	                 [--no-malloc-tuning] [--skip-train] [--skip-infer] [--skip-xor]
#
# --threads defaults to nproc. Every cell is the best of --rounds runs
# (default 3), each run a separate process reporting the median samples/s
# of its epochs after a warm-up; the runs of the three programs are
# interleaved, so a slow spell of the machine hits them alike. nerve runs
# with --no-shuffle, the peers' fixed batch order. Training rows also show
# each program's final loss: equal to about three decimals when the
# workload is the same.
#
# The peers get the environment that serves them best on these machines:
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (a CORETYPE of Haswell forces
# OpenBLAS's AVX2 kernels on an AVX-512 CPU), OPENBLAS_NUM_THREADS and
# OMP_NUM_THREADS set to --threads, OMP_WAIT_POLICY=PASSIVE (PyTorch's
# OpenMP threads sleep instead of spinning against OpenBLAS's), and glibc's
# malloc told to keep large blocks (GLIBC_TUNABLES below: a fixed 32 MiB
# mmap threshold, so numpy's and torch's big temporaries are reused from
# the heap instead of being mapped and unmapped, page faults included,
# every batch). --no-malloc-tuning leaves malloc alone, to check that the
# tuning helps.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-/usr/bin/python3}

threads=$(nproc)
batches=32,128,512
infer_batches=1,512
samples=16384
infer_samples=4096
epochs=5
rounds=3
malloc=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456
skip_train= skip_infer= skip_xor=
while (($#)); do
	case $1 in
	--threads) threads=$2; shift ;;
	--batches) batches=$2; shift ;;
	--infer-batches) infer_batches=$2; shift ;;
	--samples) samples=$2; shift ;;
	--infer-samples) infer_samples=$2; shift ;;
	--epochs) epochs=$2; shift ;;
	--rounds) rounds=$2; shift ;;
	--no-malloc-tuning) malloc= ;;
	--skip-train) skip_train=1 ;;
	--skip-infer) skip_infer=1 ;;
	--skip-xor) skip_xor=1 ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/nerve" ./cmd/nerve

peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
	OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE)
if [[ -n $malloc ]]; then
	peer_env+=(GLIBC_TUNABLES="$malloc")
fi

# key NAME: the value of NAME=... in the line on stdin.
key() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p"; }
# jkey NAME: the field NAME of the JSON object on stdin.
jkey() { "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
# best A B: the larger number (A may be empty).
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }'; }
# ratio A B C: A / max(B, C), two decimals.
ratio() { awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { m = b > c ? b : c; printf "%.2f", a / m }'; }
# k X: X rounded to an integer with thousands separators.
k() { awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }'; }

# table MODE BATCHES SAMPLES: one Markdown table, nerve against the peers.
table() {
	local mode=$1 list=$2 n=$3 flags=() nflags=()
	if [[ $mode == infer ]]; then
		flags=(--infer)
		nflags=(--infer)
	else
		nflags=(--no-shuffle)
	fi
	echo
	local unit=epochs
	[[ $mode == train ]] || unit=passes
	echo "$mode, $threads threads, $n samples, $epochs $unit (1 warm-up), best of $rounds run(s); samples/s:"
	echo
	if [[ $mode == infer ]]; then
		echo "| batch | nerve | torch | numpy | nerve / best peer | nerve µs per batch |"
		echo "| --- | --- | --- | --- | --- | --- |"
	else
		echo "| batch | nerve | torch | numpy | nerve / best peer | final loss nerve, torch, numpy |"
		echo "| --- | --- | --- | --- | --- | --- |"
	fi
	local b
	for b in ${list//,/ }; do
		local nv='' tv='' pv='' nl='' tl='' pl='' us='' out r
		for ((r = 0; r < rounds; r++)); do
			out=$("$work/nerve" bench --json --threads "$threads" --batch "$b" --samples "$n" --epochs "$epochs" "${nflags[@]}")
			nv=$(best "$nv" "$(jkey samples_per_sec <<<"$out")")
			[[ $mode == infer ]] || nl=$(jkey loss <<<"$out")
			out=$("${peer_env[@]}" "$PYTHON" bench/compare_mlp.py --frameworks torch --threads "$threads" --batch "$b" --samples "$n" --epochs "$epochs" "${flags[@]}")
			tv=$(best "$tv" "$(key samples_per_sec <<<"$out")")
			tl=$(key loss <<<"$out")
			out=$("${peer_env[@]}" "$PYTHON" bench/compare_mlp.py --frameworks numpy --threads "$threads" --batch "$b" --samples "$n" --epochs "$epochs" "${flags[@]}")
			pv=$(best "$pv" "$(key samples_per_sec <<<"$out")")
			pl=$(key loss <<<"$out")
		done
		local last
		if [[ $mode == infer ]]; then
			us=$(awk -v s="$nv" -v b="$b" -v n="$n" 'BEGIN { printf "%.1f", n / s / int((n + b - 1) / b) * 1e6 }')
			last=$us
		else
			last=$(printf "%.4f, %.4f, %.4f" "$nl" "$tl" "$pl")
		fi
		printf '| %s | %s | %s | %s | %s | %s |\n' "$b" "$(k "$nv")" "$(k "$tv")" "$(k "$pv")" "$(ratio "$nv" "$tv" "$pv")" "$last"
	done
}

# xor: nerve demo xor against tutorials/testdata/xor.py (iamtrask's 60000
# iterations), whole processes, best of 5 interleaved runs each.
xor() {
	echo
	echo "nerve demo xor against numpy tutorials/testdata/xor.py (60000 iterations), whole processes, best of 5:"
	echo
	"$PYTHON" - "$work/nerve" "${peer_env[@]}" <<'EOF'
import os, subprocess, sys, time
nerve, env_args = sys.argv[1], sys.argv[2:]
def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t
# The numpy side runs with one OpenBLAS thread: its products are 4×3 and 4×4,
# and starting more threads only costs it.
numpy_cmd = [a if not a.startswith(("OPENBLAS_NUM_THREADS=", "OMP_NUM_THREADS=")) else a.split("=")[0] + "=1" for a in env_args]
numpy_cmd += [sys.executable, "tutorials/testdata/xor.py"]
n, p = [], []
for _ in range(5):
    n.append(timed([nerve, "demo", "xor"]))
    p.append(timed(numpy_cmd))
print("| program | best s | all runs, s |")
print("| --- | --- | --- |")
print(f"| `nerve demo xor` | {min(n):.3f} | {', '.join(f'{x:.3f}' for x in n)} |")
print(f"| numpy `tutorials/testdata/xor.py` | {min(p):.3f} | {', '.join(f'{x:.3f}' for x in p)} |")
print(f"\nnerve is {min(p) / min(n):.1f}× as fast as numpy (best against best).")
EOF
}

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(go version | cut -d' ' -f3); numpy $("$PYTHON" -c 'import numpy; print(numpy.__version__)'), torch $("$PYTHON" -c 'import torch; print(torch.__version__)'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peer environment: ${peer_env[*]:1}"
[[ -n $skip_train ]] || table train "$batches" "$samples"
[[ -n $skip_infer ]] || table infer "$infer_batches" "$infer_samples"
[[ -n $skip_xor ]] || xor
