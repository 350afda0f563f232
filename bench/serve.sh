#!/bin/bash
# serve.sh load-tests `nerve serve` on loopback with wrk: an MNIST-shaped
# model (784-256-128-10, ReLU, softmax) answers V2 inference requests of
# one row each, at each concurrency, with micro-batching on
# (--max-batch 64) and off (--max-batch 1), and prints a Markdown table of
# requests/s (= rows/s), latency percentiles and errors. A last run at the
# highest concurrency with batching on lasts --long seconds and must have
# no errors.
#
# Usage, from anywhere in the repository:
#
#	bench/serve.sh [--duration SECONDS] [--long SECONDS] [--concurrency 1,16,64]
#	               [--batch-wait 1ms] [--data DIR]
#
# The model is trained for one epoch on Fashion-MNIST's 10,000 test images
# from --data (default ../shared/data/fashion-mnist beside the repository)
# when they are there, else on 2,000 synthetic 784-pixel rows: only its
# shape matters here. Everything binds to 127.0.0.1; every wrk run is
# bounded by --duration (default 10 s); nothing is left running.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

duration=10
long=60
concurrency=1,16,64
batch_wait=1ms
data="$root/../shared/data/fashion-mnist"
while [ $# -gt 0 ]; do
	case "$1" in
	--duration) duration=$2; shift 2 ;;
	--long) long=$2; shift 2 ;;
	--concurrency) concurrency=$2; shift 2 ;;
	--batch-wait) batch_wait=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	*) echo "serve.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
command -v wrk >/dev/null || { echo "serve.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
server=
cleanup() {
	if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/nerve" ./cmd/nerve
if [ -f "$data/t10k-images-idx3-ubyte.gz" ]; then
	"$work/nerve" train --data "$data/t10k-images-idx3-ubyte.gz" --labels "$data/t10k-labels-idx1-ubyte.gz" \
		--hidden 256,128 --epochs 1 --quiet --out "$work/m.nerve" >/dev/null
	trained="1 epoch on Fashion-MNIST t10k"
else
	awk 'BEGIN { srand(1); for (j = 1; j <= 784; j++) printf "px%d,", j; print "label";
		for (i = 0; i < 2000; i++) { for (j = 1; j <= 784; j++) printf "%.4f,", rand(); print i % 10 } }' > "$work/train.csv"
	"$work/nerve" train --data "$work/train.csv" --hidden 256,128 --epochs 1 --quiet --out "$work/m.nerve" >/dev/null
	trained="1 epoch on 2,000 synthetic rows"
fi

# One row of 784 pixel values in [0, 1], as an IDX image reads.
awk 'BEGIN { srand(2); printf "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":[";
	for (j = 0; j < 784; j++) printf "%s%.7g", (j ? "," : ""), int(rand() * 256) / 255; print "]}]}" }' > "$work/body.json"
cat > "$work/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/body.json", "r")
wrk.body = f:read("*a")
f:close()
EOF

port=$((20000 + RANDOM % 20000))
start_server() { # max-batch
	"$work/nerve" serve --model "$work/m.nerve" --name m --addr "127.0.0.1:$port" --max-batch "$1" \
		--batch-wait "$batch_wait" --poll 0 >"$work/serve.out" 2>/dev/null &
	server=$!
	for _ in $(seq 100); do
		curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1 && return
		sleep 0.1
	done
	echo "serve.sh: the server did not start" >&2; exit 1
}
stop_server() {
	kill -TERM "$server"; wait "$server"; server=
}

# to_ms converts wrk's 1.23ms / 456.78us / 1.02s to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

# run mode max-batch concurrency seconds: one wrk run, one table row.
run() {
	local threads=$(( $3 < 2 ? $3 : 2 ))
	wrk -t "$threads" -c "$3" -d "${4}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/v2/models/m/infer" > "$work/wrk.out"
	local rps p50 p99 non2xx sock
	rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/wrk.out")
	p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$work/wrk.out")")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$work/wrk.out")")
	non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.out"); non2xx=${non2xx:-0}
	sock=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$work/wrk.out"); sock=${sock:-0}
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$3" "$4" "$rps" "$p50" "$p99" "$((non2xx + sock))"
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(go version | cut -d' ' -f3); wrk $(wrk --version 2>&1 | head -1 | cut -d' ' -f2); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "model: 784-256-128-10 ($trained); one row per request; batch wait $batch_wait"
echo
echo "| batching | concurrency | seconds | rows/s | p50 ms | p99 ms | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for mode in off on; do
	mb=1; [ "$mode" = on ] && mb=64
	start_server "$mb"
	wrk -t 1 -c 4 -d 1s -s "$work/post.lua" "http://127.0.0.1:$port/v2/models/m/infer" >/dev/null # warm-up
	for c in ${concurrency//,/ }; do
		run "$mode" "$mb" "$c" "$duration"
	done
	stop_server
done
if [ "$long" -gt 0 ]; then
	start_server 64
	run on 64 "${concurrency##*,}" "$long"
	curl -s "http://127.0.0.1:$port/metrics" | grep -E '^nerve_serve_(batch_rows_(sum|count)|requests_total)' > "$work/metrics.txt" || true
	stop_server
	echo
	echo "after the long run (nerve_serve_* from /metrics):"
	echo
	sed 's/^/    /' "$work/metrics.txt"
fi
