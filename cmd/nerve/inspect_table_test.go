package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
		"  sex: categorical, 2 categories (female, male), missing → all zeros",
		"  age: numeric, missing → 35, (x − 32.5) / 6.18466",
		"  deck: categorical, 2 categories (C, E), missing → (missing)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out.String())
		}
	}
}
