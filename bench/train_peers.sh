#!/bin/bash
# train_peers.sh times the whole `nerve train` run on MNIST (784-256-128-10,
# ReLU, softmax + cross-entropy, Adam at learning rate 0.001, batch 128)
# against a plain PyTorch loop and a hand-written numpy loop doing the
# same (bench/train_peers.py: data as float32 in memory, a new permutation
# every epoch, Adam), and `nerve train --optimizer sgd --lr 0.01` against
# `nerve bench` (the same shapes, batch and SGD step on 60 000 synthetic
# samples), then prints Markdown tables.
#
# Usage, from anywhere in the repository:
#
#	bench/train_peers.sh [--epochs N] [--rounds N] [--threads N] [--data DIR]
#
# --epochs defaults to 10, --rounds to 3, --threads to 2, --data to
# ../shared/data/mnist. Each round runs every program once, as a separate
# process, in turn (interleaved, so a slow spell of the shared machine
# hits them alike); the tables give the median of the rounds and the
# ratios of the medians. Times are the training epochs only (nerve
# train's "seconds", which leaves out loading and the test scoring; the
# peers time their epoch loop): the first epoch, a warm-up for every
# program, is included. nerve bench reports the median samples/s of its
# epochs after the first; for nerve train the same figure comes from the
# times its --json epoch lines arrive (train_peers.py stamp), beside its
# whole training time. Peak RSS is /usr/bin/time -v's maximum resident
# set size of the whole process. The load average is printed before and
# after every round.
#
# The peers run with OMP_WAIT_POLICY=PASSIVE, OMP_NUM_THREADS and
# OPENBLAS_NUM_THREADS set to --threads (and PyTorch with
# torch.set_num_threads); nerve with GOMAXPROCS=--threads.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-/usr/bin/python3}
TIME=${TIME:-/usr/bin/time}

epochs=10 rounds=3 threads=2 data=$root/../shared/data/mnist
while (($#)); do
	case $1 in
	--epochs) epochs=$2; shift ;;
	--rounds) rounds=$2; shift ;;
	--threads) threads=$2; shift ;;
	--data) data=$2; shift ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "train_peers.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[[ -x $TIME ]] || { echo "train_peers.sh: $TIME is missing (apt-get install time)" >&2; exit 1; }
[[ -f $data/train-images-idx3-ubyte.gz ]] || { echo "train_peers.sh: no MNIST files in $data" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/nerve" ./cmd/nerve
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads GOMAXPROCS=$threads

mnist=(--data "$data/train-images-idx3-ubyte.gz" --labels "$data/train-labels-idx1-ubyte.gz"
	--test "$data/t10k-images-idx3-ubyte.gz" --test-labels "$data/t10k-labels-idx1-ubyte.gz"
	--hidden 256,128 --batch 128 --epochs "$epochs" --seed 1 --json --out "$tmp/m.nerve")

# run NAME CMD...: runs CMD under /usr/bin/time -v and appends a JSON line
# {"name", "seconds", "rss_mb", ...the last JSON line CMD printed...} to
# $tmp/results; for a NAME starting "nerve train", with the epochs' times
# (train_peers.py stamp).
run() {
	local name=$1; shift
	if [[ $name == "nerve train"* ]]; then
		"$TIME" -v -o "$tmp/time" "$@" 2>"$tmp/err" | "$PYTHON" bench/train_peers.py stamp >"$tmp/out" || { cat "$tmp/err" >&2; exit 1; }
	else
		"$TIME" -v -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
	fi
	local rss
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
	tail -n 1 "$tmp/out" | "$PYTHON" -c '
import json, sys
r = json.loads(sys.stdin.read())
r["name"], r["rss_mb"] = sys.argv[1], int(sys.argv[2]) / 1024
print(json.dumps(r))' "$name" "$rss" >>"$tmp/results"
}

echo "bench/train_peers.sh --epochs $epochs --rounds $rounds --threads $threads ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs)"
for r in $(seq "$rounds"); do
	echo "round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
	run "nerve train" "$tmp/nerve" train "${mnist[@]}"
	run "PyTorch" "$PYTHON" bench/train_peers.py torch --data "$data" --epochs "$epochs" --threads "$threads"
	run "numpy" "$PYTHON" bench/train_peers.py numpy --data "$data" --epochs "$epochs" --threads "$threads"
	run "nerve train sgd" "$tmp/nerve" train "${mnist[@]}" --optimizer sgd --lr 0.01
	run "nerve bench" "$tmp/nerve" bench --layers 784,256,128,10 --batch 128 --samples 60000 --epochs "$epochs" --json
done
echo "after: load $(cut -d' ' -f1-3 /proc/loadavg)"

"$PYTHON" - "$tmp/results" "$epochs" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
epochs = int(sys.argv[2])
by = {}
for r in rows:
    by.setdefault(r["name"], []).append(r)

def med(name, key):
    return statistics.median(r[key] for r in by[name])

def each(name, f):
    return " ".join(f(r) for r in by[name])

t = {n: med(n, "seconds") for n in ("nerve train", "PyTorch", "numpy", "nerve train sgd")}
print()
print("| program (Adam, batch 128, %d epochs) | training s (median) | rounds | peak RSS MB | test accuracy | time ÷ nerve train |" % epochs)
print("| --- | --- | --- | --- | --- | --- |")
for n in ("nerve train", "PyTorch", "numpy"):
    print("| %s | %.2f | %s | %.0f | %.4f | %.2f× |" % (n, t[n], each(n, lambda r: "%.2f" % r["seconds"]),
          med(n, "rss_mb"), med(n, "test_accuracy"), t[n] / t["nerve train"]))
bench = med("nerve bench", "samples_per_sec")
train = med("nerve train sgd", "samples_per_sec")
whole = 60000 * epochs / t["nerve train sgd"]
print()
print("| SGD 784-256-128-10, batch 128 | samples/s (median) | rounds |")
print("| --- | --- | --- |")
print("| nerve train --optimizer sgd --lr 0.01, median epoch after the first (60 000 MNIST images) | %.0f | %s |" % (
    train, each("nerve train sgd", lambda r: "%.0f" % r["samples_per_sec"])))
print("| nerve train --optimizer sgd --lr 0.01, all %d epochs (60 000 × %d ÷ training s) | %.0f | %s |" % (
    epochs, epochs, whole, each("nerve train sgd", lambda r: "%.0f" % (60000 * epochs / r["seconds"]))))
print("| nerve bench, median epoch after the first (60 000 synthetic samples) | %.0f | %s |" % (
    bench, each("nerve bench", lambda r: "%.0f" % r["samples_per_sec"])))
print("\nnerve train's epochs run at %.2f× nerve bench's rate (1.00 = the same; per round: %s)." % (
    train / bench, " ".join("%.2f" % (a["samples_per_sec"] / b["samples_per_sec"]) for a, b in zip(by["nerve train sgd"], by["nerve bench"]))))
EOF
