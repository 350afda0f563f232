package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/model"
)

// imbalancedCSV writes a table of 16 "no" rows and 4 "yes" rows.
func imbalancedCSV(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("x1,x2,label\n")
	for i := range 20 {
		label := "no"
		if i%5 == 4 {
			label = "yes"
		}
		fmt.Fprintf(&b, "%d,%.2f,%s\n", i, float64(i*i%7)/3, label)
	}
	path := filepath.Join(dir, "imbalanced.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// recordedClassWeight returns the class weights a model file records.
func recordedClassWeight(t *testing.T, path string) map[string]float64 {
	t.Helper()
	m, err := model.Load[float32](path)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		ClassWeight map[string]float64 `json:"class_weight"`
	}
	if err := json.Unmarshal(m.Training, &rec); err != nil {
		t.Fatal(err)
	}
	return rec.ClassWeight
}

func TestTrainClassWeight(t *testing.T) {
	dir := t.TempDir()
	csv := imbalancedCSV(t, dir)
	out := filepath.Join(dir, "m.nerve")
	for _, tc := range []struct {
		flag, want string
	}{
		{"balanced", "map[no:0.625 yes:2.5]"}, // 20 / (2·16), 20 / (2·4)
		{"yes=3", "map[no:1 yes:3]"},
		{"no = 0.5, yes=2", "map[no:0.5 yes:2]"},
	} {
		if _, stderr, code := runCase(t, "train", "--data", csv, "--epochs", "2", "--quiet", "--class-weight", tc.flag, "--out", out); code != 0 {
			t.Fatalf("--class-weight %s: exit %d: %s", tc.flag, code, stderr)
		}
		if got := fmt.Sprint(recordedClassWeight(t, out)); got != tc.want {
			t.Errorf("--class-weight %s: the model records %s; want %s", tc.flag, got, tc.want)
		}
	}

	// A checkpointed run resumes with its class weights, and the flag
	// cannot change them.
	ckpt := filepath.Join(dir, "run.ckpt")
	if _, stderr, code := runCase(t, "train", "--data", csv, "--epochs", "2", "--quiet", "--class-weight", "balanced", "--checkpoint", ckpt, "--out", out); code != 0 {
		t.Fatalf("checkpointed run: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCase(t, "train", "--resume", ckpt, "--epochs", "4", "--quiet", "--out", out); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	if got := fmt.Sprint(recordedClassWeight(t, out)); got != "map[no:0.625 yes:2.5]" {
		t.Errorf("the resumed model records %s; want the balanced weights", got)
	}
	if _, stderr, code := runCase(t, "train", "--resume", ckpt, "--class-weight", "yes=9", "--out", out); code != 2 || !strings.Contains(stderr, "--class-weight cannot be used with --resume") {
		t.Errorf("--class-weight with --resume: exit %d, %q; want a usage error", code, stderr)
	}
}

func TestTrainClassWeightErrors(t *testing.T) {
	dir := t.TempDir()
	csv := imbalancedCSV(t, dir)
	reg := filepath.Join(dir, "reg.csv")
	if err := os.WriteFile(reg, []byte("x,y\n1,2.5\n2,3.1\n3,5.7\n4,4.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m.nerve")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--data", reg, "--class-weight", "balanced"}, 2, "--class-weight is for classifiers"},
		{[]string{"--data", csv, "--class-weight", "heavy"}, 2, `"heavy" is not balanced or LABEL=WEIGHT`},
		{[]string{"--data", csv, "--class-weight", "yes=-1"}, 2, `class "yes": weight "-1" is not a finite number ≥ 0`},
		{[]string{"--data", csv, "--class-weight", "yes=1,yes=2"}, 2, `class "yes" is given twice`},
		{[]string{"--data", csv, "--class-weight", "maybe=2"}, 1, `"maybe" is not a class (the classes are no, yes)`},
	} {
		args := append([]string{"train", "--epochs", "1", "--quiet", "--out", out}, tc.args...)
		stdout, stderr, code := runCase(t, args...)
		if code != tc.code || !strings.HasPrefix(stderr, "nerve: ") || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("nerve %s: exit %d, stdout %q, stderr %q; want exit %d naming %q", strings.Join(args, " "), code, stdout, stderr, tc.code, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("nerve %s wrote %s", strings.Join(args, " "), out)
		}
	}
}
