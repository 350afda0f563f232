"""tables_make.py writes titanic_style.csv: a Titanic-style table made up here.

Usage: /usr/bin/python3 bench/tables_make.py OUT.csv

891 passengers (numpy seed 17): an id counter, class 1-3, sex, age (20 %
missing), siblings, fare (depends on class), embarked port (a few
missing), a cabin deck (mostly missing, more often known in first class)
and a free-text name; survival is drawn from a logistic model of sex,
class, age and deck, so that the best possible accuracy is below 1.
"""
import csv
import sys

import numpy as np

r = np.random.RandomState(17)
n = 891
rows = []
for i in range(n):
    cls = r.choice([1, 2, 3], p=[0.24, 0.21, 0.55])
    sex = r.choice(["male", "female"], p=[0.65, 0.35])
    age = max(0.5, r.normal(30 - 4 * (cls - 2), 13))
    sib = r.poisson(0.5)
    fare = round(float(r.lognormal([4.2, 3.0, 2.1][cls - 1], 0.5)), 2)
    port = r.choice(["S", "C", "Q", ""], p=[0.70, 0.19, 0.09, 0.02])
    deck = r.choice(list("ABCDE")) if r.rand() < [0.8, 0.15, 0.05][cls - 1] else "NA"
    z = 1.2 + (2.4 if sex == "female" else 0) - 1.0 * (cls - 1) - 0.03 * (age - 30) - 0.3 * sib + (0.5 if deck != "NA" else 0)
    survived = "yes" if r.rand() < 1 / (1 + np.exp(-(z - 1.5))) else "no"
    age_cell = "%.0f" % age if r.rand() > 0.2 else ""
    rows.append([i + 1, cls, sex, age_cell, sib, fare, port, deck, "Passenger %d" % (i + 1), survived])
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "class", "sex", "age", "siblings", "fare", "embarked", "deck", "name", "survived"])
    w.writerows(rows)
