package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/model"
)

// weightedCSV writes a table of 40 rows with a weight column w, whose
// weights come from weight(i).
func weightedCSV(t *testing.T, path string, weight func(i int) string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("x1,w,x2,label\n")
	for i := range 40 {
		label := "no"
		if (i*7)%5 < 2 {
			label = "yes"
		}
		fmt.Fprintf(&b, "%d,%s,%.2f,%s\n", i%9, weight(i), float64(i*i%11)/3, label)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// networkBits returns every parameter of the model file's network.
func networkBits(t *testing.T, path string) []uint32 {
	t.Helper()
	m, err := model.Load[float32](path)
	if err != nil {
		t.Fatal(err)
	}
	var bits []uint32
	for _, p := range m.Network.Params(nil) {
		for _, v := range p.Value.Data() {
			bits = append(bits, math.Float32bits(v))
		}
	}
	return bits
}

// TestTrainSampleWeight: --sample-weight takes a column out of the
// features and weighs each row's loss by it: weights of 1 train the
// network --drop would, bit for bit, other weights another one; bad
// weights and bad uses of the flag are refused with nothing written.
func TestTrainSampleWeight(t *testing.T) {
	dir := t.TempDir()
	ones, mixed := filepath.Join(dir, "ones.csv"), filepath.Join(dir, "mixed.csv")
	weightedCSV(t, ones, func(int) string { return "1" })
	weightedCSV(t, mixed, func(i int) string { return fmt.Sprint(i % 3) })
	train := func(csv, out string, flags ...string) {
		t.Helper()
		args := append([]string{"train", "--data", csv, "--target", "label", "--epochs", "3", "--seed", "2", "--quiet", "--out", out}, flags...)
		if _, stderr, code := runCase(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", flags, code, stderr)
		}
	}
	dropped, weighted, unit := filepath.Join(dir, "drop.nerve"), filepath.Join(dir, "w.nerve"), filepath.Join(dir, "unit.nerve")
	train(ones, dropped, "--drop", "w")
	train(ones, unit, "--sample-weight", "w")
	train(mixed, weighted, "--sample-weight", "w")
	if !slices.Equal(networkBits(t, unit), networkBits(t, dropped)) {
		t.Errorf("weights of 1 trained another network than --drop w")
	}
	if slices.Equal(networkBits(t, weighted), networkBits(t, dropped)) {
		t.Errorf("weights 0, 1, 2 trained the network of unit weights")
	}
	m, err := model.Load[float32](weighted)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(m.Features, "w") {
		t.Errorf("the weight column is a feature: %v", m.Features)
	}
	if _, stderr, code := runCase(t, "predict", "--model", weighted, "--data", mixed, "--out", filepath.Join(dir, "p.csv")); code != 0 {
		t.Errorf("predict on the table with its weight column: exit %d: %s", code, stderr)
	}

	bad := filepath.Join(dir, "bad.csv")
	weightedCSV(t, bad, func(i int) string {
		if i == 6 {
			return "-2"
		}
		return "1"
	})
	out := filepath.Join(dir, "never.nerve")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--data", bad, "--target", "label", "--sample-weight", "w"}, 1, "bad.csv:8:2 (w): invalid data: a sample weight must be a number ≥ 0, not -2"},
		{[]string{"--data", mixed, "--target", "label", "--sample-weight", "weight"}, 2, `has no column "weight"`},
		{[]string{"--data", mixed, "--target", "label", "--sample-weight", "label"}, 2, "the column is the target"},
		{[]string{"--data", mixed, "--target", "label", "--sample-weight", "w", "--features", "x1,w"}, 2, "also in --features"},
		{[]string{"--sample-weight", "w"}, 2, "names a column of a CSV table in --data"},
	} {
		args := append([]string{"train", "--epochs", "1", "--quiet", "--out", out}, c.args...)
		_, stderr, code := runCase(t, args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit %d with %q", c.args, code, stderr, c.code, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v wrote %s", c.args, out)
		}
	}
}
