#!/bin/bash
# compare_sklearn.sh trains nerve (the CLI) and scikit-learn's MLPClassifier
# on identical train/test samples with the same settings, and prints one
# Markdown table: test accuracy and training seconds of each, side by side.
#
# Usage, from anywhere in the repository:
#
#	bench/compare_sklearn.sh            # digits, breast cancer, MNIST
#	DATA=/path/to/shared/data bench/compare_sklearn.sh
#
# It needs go, /usr/bin/python3 with scikit-learn and the shared datasets
# (../shared/data from the module root). The scikit-learn tables are split
# by bench/splits.go (stratified, a quarter held out, seed 1: the split of
# cmd/nerve's real-data tests); MNIST is its own 60000/10000 split, read
# from the IDX files by both tools. Training seconds are nerve's --json
# "seconds" (the fit, after loading) and the fit span measured by
# bench/sklearn_compare.py.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
DATA=${DATA:-$root/../shared/data}
PYTHON=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/nerve" ./cmd/nerve
go run bench/splits.go -data "$DATA" -out "$work" >/dev/null

mnist=$DATA/mnist
mnist_nerve="--data $mnist/train-images-idx3-ubyte.gz --labels $mnist/train-labels-idx1-ubyte.gz --test $mnist/t10k-images-idx3-ubyte.gz --test-labels $mnist/t10k-labels-idx1-ubyte.gz"

# name | nerve's data flags | sklearn_compare.py's data flags | the
# settings, flags that both take. nerve feeds IDX pixels in as [0, 1]
# without standardising them; the MNIST rows say --no-scaling so that
# scikit-learn does the same.
cases=(
	"digits|--data $work/digits_train.csv --test $work/digits_test.csv --target -1|--train $work/digits_train.csv --test $work/digits_test.csv|--hidden 128 --epochs 50 --batch 32 --seed 1"
	"breast cancer|--data $work/breast_cancer_train.csv --test $work/breast_cancer_test.csv --target class|--train $work/breast_cancer_train.csv --test $work/breast_cancer_test.csv|--hidden 32 --epochs 50 --batch 32 --seed 1"
	"MNIST|$mnist_nerve|--idx $mnist|--hidden 256,128 --epochs 10 --batch 128 --seed 1 --no-scaling"
	"MNIST|$mnist_nerve|--idx $mnist|--hidden 256,128 --epochs 10 --batch 32 --seed 2 --no-scaling --optimizer sgd --lr 0.1"
)

field() { # field NAME: the number NAME in the JSON object on stdin
	"$PYTHON" -c 'import json, sys; print("%.4f" % json.load(sys.stdin)[sys.argv[1]])' "$1"
}

echo "| data | settings | nerve accuracy | sklearn accuracy | nerve s | sklearn s |"
echo "| --- | --- | --- | --- | --- | --- |"
for c in "${cases[@]}"; do
	IFS='|' read -r name nerve_data sk_data settings <<<"$c"
	# shellcheck disable=SC2086 # the flags are meant to split
	n=$("$work/nerve" train $nerve_data $settings --json --out "$work/model.nerve" | tail -n 1)
	# shellcheck disable=SC2086
	s=$("$PYTHON" bench/sklearn_compare.py --name "$name" $sk_data $settings)
	printf '| %s | `%s` | %s | %s | %.2f | %.2f |\n' "$name" "$settings" \
		"$(field test_accuracy <<<"$n")" "$(field test_accuracy <<<"$s")" \
		"$(field seconds <<<"$n")" "$(field seconds <<<"$s")"
done
