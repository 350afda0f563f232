package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
)

// tableModel saves a classifier trained on a raw table in dir and
// returns its path.
func tableModel(t *testing.T, dir string) string {
	t.Helper()
	const csv = "sex,age,deck,survived\nmale,22,NA,no\nfemale,38,C,yes\nfemale,,E,yes\nmale,35,,no\n"
	tb, err := data.ReadTable(strings.NewReader(csv), "p.csv", data.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := nerve.NewClassifier[string](nerve.Options{Epochs: 2})
	if _, err := c.FitTable(context.Background(), tb, data.PrepOptions{Target: "survived"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "p.nerve")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPredictRawTable checks that predict and evaluate take a raw CSV for
// a model with preprocessing: columns by name, extra columns and the
// target ignored, unseen categories in one warning line, a missing
// column an error naming it and no output file.
func TestPredictRawTable(t *testing.T) {
	dir := t.TempDir()
	mpath := tableModel(t, dir)
	in := filepath.Join(dir, "new.csv")
	if err := os.WriteFile(in, []byte("name,deck,age,sex,survived\nAnn,C,40,female,yes\nBob,G,,male,no\nCy,Z,3,other,no\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"predict", "--model", mpath, "--data", in}, &out, &errb); err != nil {
		t.Fatalf("predict: %v", err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 4 || lines[0] != "survived" {
		t.Errorf("predict output %q; want a header and 3 predictions", out.String())
	}
	if want := "nerve: warning: " + in + ": 3 categories not seen in training got all zeros (deck: 2, sex: 1)\n"; errb.String() != want {
		t.Errorf("stderr %q; want %q", errb.String(), want)
	}
	out.Reset()
	errb.Reset()
	if err := run(context.Background(), []string{"evaluate", "--model", mpath, "--data", in}, &out, &errb); err != nil || !strings.Contains(out.String(), "(3 samples)") {
		t.Errorf("evaluate: %v, %q", err, out.String())
	}
	short := filepath.Join(dir, "short.csv")
	os.WriteFile(short, []byte("deck,sex\nC,male\n"), 0o644)
	res := filepath.Join(dir, "out.csv")
	err := run(context.Background(), []string{"predict", "--model", mpath, "--data", short, "--out", res}, &out, &errb)
	if err == nil || err.Error() != short+" (age): the column is missing, and the model needs it: the columns are deck, sex" {
		t.Errorf("predict without age: %v", err)
	}
	if _, err := os.Stat(res); err == nil {
		t.Error("predict wrote an output file for input it refused")
	}
}

// TestInspectPreprocessing checks that inspect reads a version-2 model
// (one trained on a raw table) and shows its preprocessing.
func TestInspectPreprocessing(t *testing.T) {
	path := tableModel(t, t.TempDir())
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"inspect", path}, &out, &errb); err != nil {
		t.Fatalf("inspect: %v (%s)", err, errb.String())
	}
	for _, want := range []string{
		"nerve-model version 2",
		"preprocessing (raw columns → inputs):",
		"  sex: categorical, 2 categories (female, male), missing → \"female\" (most frequent)",
		"  age: numeric, missing → 35, (x − 32.5) / 6.18466",
		"  deck: categorical, 2 categories (C, E), missing → (missing)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out.String())
		}
	}
}

// passengersCSV returns a table with a text column, missing ages and
// decks, an id counter and a label that follows sex and age.
func passengersCSV(n int) string {
	var b strings.Builder
	b.WriteString("id,sex,age,deck,survived\n")
	for i := range n {
		sex := []string{"male", "female"}[i%2]
		age := 5 + (i*37)%60
		ageCell := strconv.Itoa(age)
		if i%7 == 0 {
			ageCell = "NA"
		}
		deck := []string{"A", "B", "", "C", "?"}[i%5]
		survived := "no"
		if sex == "female" || age < 12 {
			survived = "yes"
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s\n", i+1, sex, ageCell, deck, survived)
	}
	return b.String()
}

// TestTrainRawTable checks that nerve train takes a CSV file with text
// and missing cells as it comes, and that the model it writes predicts
// from the raw file; and that bad tables stop it with one line naming
// the place, writing nothing.
func TestTrainRawTable(t *testing.T) {
	dir := t.TempDir()
	in, test, out := filepath.Join(dir, "p.csv"), filepath.Join(dir, "t.csv"), filepath.Join(dir, "p.nerve")
	os.WriteFile(in, []byte(passengersCSV(200)), 0o644)
	os.WriteFile(test, []byte(passengersCSV(60)), 0o644)
	var so, se bytes.Buffer
	if err := run(context.Background(), []string{"train", "--data", in, "--test", test, "--target", "survived", "--out", out, "--epochs", "60", "--lr", "0.01"}, &so, &se); err != nil {
		t.Fatalf("train: %v\n%s", err, se.String())
	}
	if !strings.Contains(se.String(), `column "id" looks like an identifier`) {
		t.Errorf("train did not flag the id column:\n%s", se.String())
	}
	so.Reset()
	if err := run(context.Background(), []string{"evaluate", "--model", out, "--data", test}, &so, &se); err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	var acc float64
	for _, line := range strings.Split(so.String(), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "accuracy" {
			acc, _ = strconv.ParseFloat(strings.TrimSuffix(f[1], ","), 64)
			break
		}
	}
	if acc < 0.9 {
		t.Errorf("test accuracy %v; want ≥ 0.9:\n%s", acc, so.String())
	}
	for _, tc := range []struct{ csv, want string }{
		{"sex,age,y\nmale,3,a\nfemale,4,\n", ":3:3 (y): missing target (\"\"): drop the rows without a target"},
		{"sex,e,y\nmale,,a\nfemale,NA,b\n", ": column 2 (e): every cell is missing: drop the column"},
		{"sex,age,y\nmale,3,a\nfemale,inf,b\n", `:3:2 (age): "inf" is infinite: a numeric cell must be a finite number or missing`},
	} {
		bad, res := filepath.Join(dir, "bad.csv"), filepath.Join(dir, "bad.nerve")
		os.WriteFile(bad, []byte(tc.csv), 0o644)
		err := run(context.Background(), []string{"train", "--data", bad, "--out", res, "--quiet"}, &so, &se)
		if err == nil || err.Error() != bad+tc.want || strings.Contains(err.Error(), "\n") {
			t.Errorf("train on %q: %v; want %q", tc.csv, err, bad+tc.want)
		}
		if _, err := os.Stat(res); err == nil {
			t.Errorf("train on %q wrote a model", tc.csv)
		}
	}
}
