"""tables_sklearn.py splits a CSV table and scores scikit-learn's pipeline on it.

Usage: /usr/bin/python3 bench/tables_sklearn.py TABLE.csv TARGET SEED OUTDIR [regression]

It drops the rows whose target is missing, splits the rest into a 75/25
train/test split (train_test_split, random_state=SEED; stratified for a
classifier), writes OUTDIR/train.csv and OUTDIR/test.csv (for nerve, which
sees the very same rows), and prints the test accuracy of

    ColumnTransformer(numeric: SimpleImputer(median) + StandardScaler,
                      categorical: SimpleImputer(most_frequent) + OneHotEncoder(ignore unknown))
    + MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=500, random_state=SEED)

or, with "regression", the test R² of the same ColumnTransformer +
MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=500, random_state=SEED)
with the target standardised too (TransformedTargetRegressor with a
StandardScaler), as nerve's Regressor standardises it: MLPRegressor alone
barely moves a target in the thousands (penguins' body mass in grams) in
500 epochs.

A column is numeric when every non-missing cell reads as a float, as nerve
decides; missing cells are empty, NA, N/A, NaN, null or ? (any case).
Needs numpy and scikit-learn only (no pandas).
"""
import csv
import os
import sys
import warnings

import numpy as np
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MISSING = {"", "na", "n/a", "nan", "null", "?"}


def is_missing(s):
    return s.strip().lower() in MISSING


def is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def main():
    path, target, seed, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    regression = sys.argv[5:] == ["regression"]
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    t = header.index(target)
    rows = [r for r in rows if not is_missing(r[t])]
    y = np.array([r[t].strip() for r in rows])
    if regression:
        y = y.astype(float)
    tr, te = train_test_split(np.arange(len(rows)), test_size=0.25, random_state=seed, stratify=None if regression else y)
    os.makedirs(out, exist_ok=True)
    for name, idx in (("train", tr), ("test", te)):
        with open(os.path.join(out, name + ".csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows[i] for i in idx)

    feats = [j for j in range(len(header)) if j != t]
    num, cat = [], []
    for k, j in enumerate(feats):
        cells = [r[j].strip() for r in rows if not is_missing(r[j])]
        if not cells or len(set(cells)) == 1:
            continue  # nerve drops constant and refuses empty columns
        (num if all(is_number(c) for c in cells) else cat).append(k)
    X = np.empty((len(rows), len(feats)), dtype=object)
    for i, r in enumerate(rows):
        for k, j in enumerate(feats):
            s = r[j].strip()
            if is_missing(s):
                X[i, k] = np.nan
            elif k in num:
                X[i, k] = float(s)
            else:
                X[i, k] = s
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), cat),
    ])
    if regression:
        clf = TransformedTargetRegressor(
            regressor=make_pipeline(pre, MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=500, random_state=seed)),
            transformer=StandardScaler())
    else:
        clf = make_pipeline(pre, MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=500, random_state=seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X[tr], y[tr])
    print("%.4f" % clf.score(X[te], y[te]))


if __name__ == "__main__":
    main()
