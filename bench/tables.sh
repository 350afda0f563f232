#!/bin/bash
# tables.sh compares nerve with default options (FitTable) and the
# scikit-learn pipeline SimpleImputer + OneHotEncoder + StandardScaler +
# MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=500) on tables with
# text categories and missing cells, on identical stratified 75/25 splits,
# for seeds 1 2 3, and prints one Markdown table of mean test accuracies;
# then the same for regression (MLPRegressor, target standardised, R²) on
# plain 75/25 splits.
#
# Usage, from anywhere in the repository:
#
#	bench/tables.sh                       # every table
#	TABLES="slid prestige" bench/tables.sh  # only these
#
# Tables (Debian packages, installed with apt-get install r-cran-palmerpenguins
# r-cran-cardata, which bring Rscript):
#   penguins      palmerpenguins/extdata/penguins.csv        target species
#   penguins_raw  palmerpenguins/extdata/penguins_raw.csv    target Species
#   titanic       carData::TitanicSurvival (exported by Rscript) target survived
#   chile         carData::Chile (exported by Rscript)        target vote
#   titanic_style bench/tables_make.py (made up here)         target survived
# and scikit-learn's bundled iris, wine, breast cancer and digits (numeric;
# written as CSV with a header by sklearn.datasets), target "target".
# Regression:
#   penguins_mass palmerpenguins penguins.csv                target body_mass_g
#   slid          carData::SLID (exported by Rscript)         target wages
#   prestige      carData::Prestige (exported by Rscript)     target prestige
#   diabetes      sklearn.datasets.load_diabetes(scaled=False) target target
# Needs go, Rscript and /usr/bin/python3 with numpy and scikit-learn.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-/usr/bin/python3}
SEEDS=${SEEDS:-1 2 3}
ext=/usr/lib/R/site-library/palmerpenguins/extdata
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$ext/penguins.csv" "$work/penguins.csv"
cp "$ext/penguins_raw.csv" "$work/penguins_raw.csv"
Rscript -e 'd <- carData::TitanicSurvival; write.csv(d, commandArgs(TRUE)[1], row.names = FALSE)' "$work/titanic.csv"
Rscript -e 'd <- carData::Chile; write.csv(d, commandArgs(TRUE)[1], row.names = FALSE)' "$work/chile.csv"
Rscript -e 'd <- carData::SLID; write.csv(d, commandArgs(TRUE)[1], row.names = FALSE)' "$work/slid.csv"
Rscript -e 'd <- carData::Prestige; write.csv(d, commandArgs(TRUE)[1], row.names = FALSE)' "$work/prestige.csv"
cp "$ext/penguins.csv" "$work/penguins_mass.csv"
"$PYTHON" bench/tables_make.py "$work/titanic_style.csv"
# scikit-learn's bundled numeric tables, with a header and the class names.
"$PYTHON" - "$work" <<'PY'
import csv, sys
from sklearn import datasets
for name, load in (("iris", datasets.load_iris), ("wine", datasets.load_wine),
                   ("breast_cancer", datasets.load_breast_cancer), ("digits", datasets.load_digits)):
    d = load()
    names = [str(c) for c in d.target_names]
    with open("%s/%s.csv" % (sys.argv[1], name), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x%d" % (j + 1) for j in range(d.data.shape[1])] + ["target"])
        for x, t in zip(d.data, d.target):
            w.writerow([repr(float(v)) for v in x] + [names[t]])
d = datasets.load_diabetes(scaled=False)
with open("%s/diabetes.csv" % sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(list(d.feature_names) + ["target"])
    for x, t in zip(d.data, d.target):
        w.writerow([repr(float(v)) for v in x] + [repr(float(t))])
PY
go build -o "$work/tables_nerve" bench/tables_nerve.go

mean() { "$PYTHON" -c 'import sys; v = [float(x) for x in sys.argv[1:]]; print("%.3f" % (sum(v) / len(v)))' "$@"; }
# compare TASK NAME:TARGET...: one Markdown row per table.
compare() {
	local task=$1 flag=() arg=()
	shift
	if [ "$task" = regression ]; then flag=(-regression) arg=(regression); fi
	for spec in "$@"; do
		name=${spec%%:*} target=${spec#*:}
		if [ -n "${TABLES:-}" ] && [[ " $TABLES " != *" $name "* ]]; then continue; fi
		rows=$(($(wc -l <"$work/$name.csv") - 1))
		sk=() nv=() ep=()
		for seed in $SEEDS; do
			sk+=("$("$PYTHON" bench/tables_sklearn.py "$work/$name.csv" "$target" "$seed" "$work/$name-$seed" "${arg[@]}")")
			read -r score epochs < <("$work/tables_nerve" -train "$work/$name-$seed/train.csv" -test "$work/$name-$seed/test.csv" -target "$target" -seed "$seed" "${flag[@]}")
			nv+=("$score") ep+=("$epochs")
		done
		echo "| $name | $rows | $target | $(mean "${sk[@]}") | $(mean "${nv[@]}") | ${ep[*]} |"
	done
}

echo "| table | rows | target | scikit-learn | nerve (default options) | nerve epochs |"
echo "| --- | --- | --- | --- | --- | --- |"
compare classification penguins:species penguins_raw:Species titanic:survived chile:vote titanic_style:survived \
	iris:target wine:target breast_cancer:target digits:target
echo
echo "| table (regression) | rows | target | scikit-learn R² | nerve R² (default options) | nerve epochs |"
echo "| --- | --- | --- | --- | --- | --- |"
compare regression penguins_mass:body_mass_g slid:wages prestige:prestige diabetes:target
