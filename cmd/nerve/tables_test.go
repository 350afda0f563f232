package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

// passengers is a small raw table committed for the tests: an id
// counter, text columns, missing cells (empty, NA and "-", which is a
// missing value only with --na -) and a free-text name.
const passengers = "testdata/passengers.csv"

// TestTrainColumnFlags checks that the column flags reach the fitted
// preprocessing stored in the model: dropped columns are gone, a
// numeric column asked to be categorical is one-hot, and --na tokens
// are missing cells.
func TestTrainColumnFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.nerve")
	var stdout, stderr bytes.Buffer
	args := []string{"train", "--data", passengers, "--target", "survived", "--drop", "id,name", "--categorical", "class",
		"--na", "-", "--epochs", "2", "--quiet", "--out", out}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("nerve %s: %v", strings.Join(args, " "), err)
	}
	m, err := model.Load[float32](out)
	if err != nil {
		t.Fatal(err)
	}
	p := m.Preprocessing
	if p == nil {
		t.Fatal("the model has no preprocessing")
	}
	var names []string
	types := map[string]data.ColumnType{}
	for _, c := range p.Columns {
		names = append(names, c.Name)
		types[c.Name] = c.Type
	}
	if want := []string{"class", "sex", "age", "fare", "embarked", "deck"}; !slices.Equal(names, want) {
		t.Errorf("columns %q; want %q", names, want)
	}
	if types["class"] != data.Categorical || types["age"] != data.Numeric {
		t.Errorf("class is %v, age %v; want categorical, numeric", types["class"], types["age"])
	}
	if !slices.Equal(p.NA, []string{"-"}) {
		t.Errorf("NA tokens %q; want [-]", p.NA)
	}

	// --features picks columns; without --na, "-" makes age categorical.
	args = []string{"train", "--data", passengers, "--target", "survived", "--features", "sex,age", "--epochs", "1", "--quiet", "--out", out}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("nerve %s: %v", strings.Join(args, " "), err)
	}
	if m, err = model.Load[float32](out); err != nil {
		t.Fatal(err)
	}
	if c := m.Preprocessing.Columns; len(c) != 2 || c[0].Name != "sex" || c[1].Name != "age" || c[1].Type != data.Categorical {
		t.Errorf("--features sex,age: columns %+v; want sex, then age as categorical", c)
	}
}

// TestColumnFlagErrors checks that a column flag naming a column the
// file lacks is a usage error that names it and lists the file's
// columns, and that the flags need a CSV table.
func TestColumnFlagErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.nerve")
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--drop", "id,cabin"}, []string{"--drop id,cabin", `no column "cabin"`, "id, class, sex, age, fare, embarked, deck, name, survived"}},
		{[]string{"--categorical", "Class"}, []string{"--categorical", `no column "Class"`}},
		{[]string{"--numeric", "x"}, []string{"--numeric", `"x"`}},
		{[]string{"--features", "sex,,age"}, []string{"--features", "empty name"}},
	} {
		args := append([]string{"train", "--data", passengers, "--target", "survived", "--out", out}, tt.args...)
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, &stdout, &stderr)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("nerve %s: %v; want a usage error", strings.Join(args, " "), err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("nerve %s: %q; want it to contain %q", strings.Join(args, " "), err, w)
			}
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a model was written for a command line that was refused")
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"train", "--drop", "a", "--out", out}, &stdout, &stderr)
	var ue *usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--data") {
		t.Errorf("nerve train --drop a (embedded iris): %v; want a usage error naming --data", err)
	}
}

// TestNaNCellsAreMissing checks that train reads NaN, NA and an empty
// cell alike, as missing values filled with the median: the three files
// train to the same loss.
func TestNaNCellsAreMissing(t *testing.T) {
	dir := t.TempDir()
	var first string
	for _, tok := range []string{"NaN", "NA", ""} {
		in := filepath.Join(dir, "t.csv")
		csv := "a,b,label\n1,2,x\n3," + tok + ",y\n5,6,x\n7,1,y\n"
		if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"train", "--data", in, "--epochs", "3", "--quiet", "--out", filepath.Join(dir, "m.nerve")}, &stdout, &stderr); err != nil {
			t.Fatalf("%q cell: %v", tok, err)
		}
		got, _, _ := strings.Cut(stdout.String(), "\n")
		got = got[strings.Index(got, "loss"):]
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("%q cell: %q; want %q, as with NaN", tok, got, first)
		}
	}
}

// TestStopNote checks the summary line's word on why training stopped:
// converged without --epochs, early stopping with --val, nothing extra
// with --epochs.
func TestStopNote(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.nerve")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "(converged: the training loss improved by less than 0.0001 in the last 10 epochs)"},
		{[]string{"--val", "0.3"}, "(stopped early: no better validation loss in the last 10 epochs; kept epoch "},
		{[]string{"--epochs", "3"}, "trained 3 epochs in "},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"train", "--quiet", "--seed", "1", "--out", out}, tt.args...)
		if err := run(context.Background(), args, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		line, _, _ := strings.Cut(stdout.String(), "\n")
		if !strings.Contains(line, tt.want) || tt.args != nil && tt.args[0] == "--epochs" && strings.Contains(line, "(") {
			t.Errorf("nerve %s: %q; want it to contain %q", strings.Join(args, " "), line, tt.want)
		}
	}
}

// TestTableRegression checks that train fits a raw table's regressor as
// the library's FitTable does, with the target standardised (it was
// not: a target in the thousands trained poorly), and that predict gives
// the library's PredictTable output for the raw rows.
func TestTableRegression(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "fare.nerve")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"train", "--data", passengers, "--target", "fare", "--drop", "id,name", "--epochs", "5", "--quiet", "--out", out}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load[float32](out)
	if err != nil {
		t.Fatal(err)
	}
	if m.TargetScaler == nil || m.Scaler != nil {
		t.Errorf("target scaler %v, input scaler %v; want the target standardised and the inputs left to the preprocessing", m.TargetScaler, m.Scaler)
	}
	reg, err := nerve.LoadRegressor(out)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := data.LoadTable(passengers, data.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	P, _, err := reg.PredictTable(tb)
	if err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"predict", "--model", out, "--data", passengers}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != tb.Len()+1 {
		t.Fatalf("predict printed %d lines; want a header and %d rows", len(lines), tb.Len())
	}
	for i, line := range lines[1:] {
		v, err := strconv.ParseFloat(line, 64)
		if err != nil || math.Abs(v-P.At(i, 0)) > 1e-4*math.Max(1, math.Abs(v)) {
			t.Errorf("row %d: nerve predict %q; the library's PredictTable %v", i+1, line, P.At(i, 0))
		}
	}
}
