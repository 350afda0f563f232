#!/usr/bin/python3
"""Generate golden.json: scikit-learn's values for the cases metrics tests.

Run from this directory with the Debian python3 (numpy + scikit-learn 1.2.1):

    /usr/bin/python3 gen_golden.py

The Go tests read golden.json only; they never run Python.
"""

import json
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    precision_recall_fscore_support,
    r2_score,
)

warnings.simplefilter("ignore", UndefinedMetricWarning)


def py(values):
    """Plain Python scalars for json (numpy ints and floats are not)."""
    return [v.item() if hasattr(v, "item") else v for v in values]


def classification(name, y_true, y_pred, labels=None):
    y_true, y_pred = list(y_true), list(y_pred)
    kind = "str" if isinstance(y_true[0], str) else "int"
    if labels is None:
        classes = sorted(set(y_true) | set(y_pred))
    else:
        classes = list(labels)
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None
    )
    averages = {}
    for avg in ("macro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=avg
        )
        averages[avg] = [float(ap), float(ar), float(af)]
    return {
        "name": name,
        "kind": kind,
        "y_true": py(y_true),
        "y_pred": py(y_pred),
        "labels_given": labels is not None,
        "classes": py(classes),
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "precision": py(p),
        "recall": py(r),
        "f1": py(f),
        "support": py(s),
        "macro": averages["macro"],
        "weighted": averages["weighted"],
        "report": classification_report(y_true, y_pred, labels=labels),
    }


def logloss(name, y_true, proba):
    """proba's float64 and float32 versions hold the same values."""
    p32 = np.asarray(proba, dtype=np.float32)
    p64 = p32.astype(np.float64)
    k = p64.shape[1]
    labels = list(range(max(k, 2)))
    return {
        "name": name,
        "y_true": [int(v) for v in y_true],
        "proba": p64.tolist(),
        # float64 input: eps = finfo(float64).eps.
        "want64": float(log_loss(y_true, p64, labels=labels)),
        # float32 input widened to float64 but clipped with finfo(float32).eps:
        # what the Go float32 path computes.
        "want32": float(log_loss(y_true, p64, labels=labels, eps=float(np.finfo(np.float32).eps))),
        # sklearn on the float32 array itself (float32 arithmetic throughout).
        "native32": float(log_loss(y_true, p32, labels=labels)),
    }


def regression(name, y_true, y_pred):
    """y_true and y_pred are samples x outputs, float32-representable."""
    t = np.asarray(y_true, dtype=np.float32).astype(np.float64)
    p = np.asarray(y_pred, dtype=np.float32).astype(np.float64)
    return {
        "name": name,
        "y_true": t.tolist(),
        "y_pred": p.tolist(),
        "mse": float(mean_squared_error(t, p)),
        "mae": float(mean_absolute_error(t, p)),
        "r2": float(r2_score(t, p)),
    }


def main():
    rng = np.random.RandomState(20240611)
    cls = []

    yt = rng.randint(0, 2, 20)
    yp = np.where(rng.rand(20) < 0.75, yt, 1 - yt)
    cls.append(classification("binary", yt, yp))

    yt = rng.randint(0, 3, 30)
    yp = np.where(rng.rand(30) < 0.6, yt, rng.randint(0, 3, 30))
    cls.append(classification("3-class", yt, yp))

    yt = rng.randint(0, 5, 40)
    yt[:3] = 4  # class 4 is present in y_true...
    yp = np.where(rng.rand(40) < 0.5, yt, rng.randint(0, 4, 40))
    yp[yp == 4] = 0  # ...but never predicted
    cls.append(classification("5-class, 4 never predicted", yt, yp))

    names = np.array(["cat", "dog", "bird"])
    yt = names[rng.randint(0, 3, 25)]
    yp = np.where(rng.rand(25) < 0.7, yt, names[rng.randint(0, 3, 25)])
    cls.append(classification("string labels", yt, yp))

    yt = rng.randint(0, 3, 24)
    yp = np.where(rng.rand(24) < 0.6, yt, rng.randint(0, 4, 24))
    yp[5] = 3  # class 3 only ever predicted
    cls.append(classification("class only in y_pred", yt, yp))

    yt = rng.randint(0, 4, 18)
    yp = np.where(rng.rand(18) < 0.6, yt, rng.randint(0, 4, 18))
    # Given order, with class 7 in neither y_true nor y_pred.
    cls.append(classification("given classes, one unseen", yt, yp, labels=[3, 1, 7, 0, 2]))

    ll = []
    k = 2
    yt = rng.randint(0, k, 12)
    pos = rng.rand(12)
    ll.append(logloss("binary, two columns", yt, np.stack([1 - pos, pos], axis=1)))
    ll.append(logloss("binary, one column", yt, pos[:, None]))

    yt = rng.randint(0, 3, 15)
    raw = rng.rand(15, 3)
    ll.append(logloss("3-class softmax-like", yt, raw / raw.sum(axis=1, keepdims=True)))

    yt = rng.randint(0, 4, 10)
    raw = rng.rand(10, 4) * 2  # rows do not sum to 1: renormalised
    raw[0, yt[0]] = 0.0  # clipped to eps
    raw[1, :] = 0.0
    raw[1, yt[1]] = 1.0  # clipped to 1 - eps
    raw[2, (yt[2] + 1) % 4] = 1.0
    raw[3, :] = 0.0  # all zero: every entry becomes eps
    ll.append(logloss("4-class unnormalised with 0 and 1", yt, raw))

    reg = []
    t = rng.randn(25, 1) * 3 + 1
    reg.append(regression("1 output", t, t + rng.randn(25, 1) * 0.8))

    t = rng.randn(20, 3) * np.array([1.0, 10.0, 0.1])
    p = t + rng.randn(20, 3) * np.array([0.5, 4.0, 0.2])
    reg.append(regression("3 outputs", t, p))

    t = np.full((8, 1), 2.5)
    reg.append(regression("constant target, perfect", t, t.copy()))
    reg.append(regression("constant target, imperfect", t, t + rng.randn(8, 1) * 0.1))

    t = rng.randn(10, 3)
    t[:, 1] = -1.25  # one constant output, imperfectly predicted: scores 0
    p = t + rng.randn(10, 3) * 0.3
    t[:, 2] = p[:, 2]  # one perfectly predicted output: scores 1
    reg.append(regression("3 outputs, constant and perfect columns", t, p))

    out = {
        "generator": "gen_golden.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "classification": cls,
        "logloss": ll,
        "regression": reg,
    }
    with open("golden.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
