package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportImportRoundTrip trains a small iris model, exports it and
// imports it back: the model file must be identical. Refusals and bad
// flags leave no output file.
func TestExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m, o, back := filepath.Join(dir, "m.nerve"), filepath.Join(dir, "m.onnx"), filepath.Join(dir, "back.nerve")
	if _, stderr, code := runCase(t, "train", "--hidden", "5", "--activation", "leaky-relu", "--epochs", "3", "--quiet", "--out", m); code != 0 {
		t.Fatalf("train: %s", stderr)
	}
	for _, args := range [][]string{
		{"export", "--model", m, "--out", o},
		{"export", "--model", m, "--out", o, "--opset", "21", "--dtype", "float64"},
	} {
		if _, stderr, code := runCase(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
		if _, stderr, code := runCase(t, "import", "--model", o, "--out", back); code != 0 {
			t.Fatalf("import: %s", stderr)
		}
		a, _ := os.ReadFile(m)
		b, _ := os.ReadFile(back)
		if !bytes.Equal(a, b) && !strings.Contains(strings.Join(args, " "), "float64") {
			t.Errorf("%v: export then import changed the model file", args)
		}
	}
	refused := filepath.Join("..", "..", "onnx", "testdata", "torch", "leaky_0.2_refused.onnx")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", "--model", m, "--out", filepath.Join(dir, "x.onnx"), "--opset", "12"}, 2, `--opset: "12" is not an integer in 13..21`},
		{[]string{"export", "--model", m}, 2, "--model and --out are required"},
		{[]string{"export", "--model", filepath.Join(dir, "missing.nerve"), "--out", filepath.Join(dir, "x.onnx")}, 1, "missing.nerve"},
		{[]string{"import", "--model", refused, "--out", filepath.Join(dir, "x.nerve")}, 1, `unsupported ONNX model: node 1 "/1/LeakyRelu" (LeakyRelu): alpha 0.2`},
		{[]string{"import", "--model", m, "--out", filepath.Join(dir, "x.nerve")}, 1, "invalid ONNX file"},
	}
	for _, c := range cases {
		_, stderr, code := runCase(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want %d and one line with %q", c.args, code, stderr, c.code, c.want)
		}
	}
	for _, name := range []string{"x.onnx", "x.nerve"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("a failed command left %s behind", name)
		}
	}
}

// TestExportTableModel: a model trained on a raw table (text and missing
// cells) exports with one graph input per column, and imports back to
// the same model file.
func TestExportTableModel(t *testing.T) {
	dir := t.TempDir()
	in, m, o, back := filepath.Join(dir, "p.csv"), filepath.Join(dir, "p.nerve"), filepath.Join(dir, "p.onnx"), filepath.Join(dir, "back.nerve")
	if err := os.WriteFile(in, []byte(passengersCSV(80)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCase(t, "train", "--data", in, "--target", "survived", "--epochs", "3", "--quiet", "--out", m); code != 0 {
		t.Fatalf("train: %s", stderr)
	}
	for _, args := range [][]string{{}, {"--opset", "21"}} {
		if _, stderr, code := runCase(t, append([]string{"export", "--model", m, "--out", o}, args...)...); code != 0 || stderr != "" {
			t.Fatalf("export %v: exit %d, %s", args, code, stderr)
		}
		onnxFile, _ := os.ReadFile(o)
		for _, col := range []string{"id", "sex", "age", "deck"} {
			if !bytes.Contains(onnxFile, []byte(`"column":"`+col+`"`)) {
				t.Errorf("export %v: no input for column %s in the metadata", args, col)
			}
		}
		if _, stderr, code := runCase(t, "import", "--model", o, "--out", back); code != 0 {
			t.Fatalf("import: %s", stderr)
		}
		a, _ := os.ReadFile(m)
		b, _ := os.ReadFile(back)
		if !bytes.Equal(a, b) {
			t.Errorf("export %v then import changed the model file", args)
		}
	}
}
