package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/data"
)

func TestDataCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "spiral.csv")
	if _, stderr, code := runCase(t, "data", "spiral", "--samples", "90", "--classes", "3", "--noise", "0.2", "--seed", "4", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	d, err := data.LoadCSV(out, data.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := data.Generate("spiral", data.Synthetic{Samples: 90, Classes: 3, Noise: 0.2, Seed: 4})
	if d.Len() != 90 || d.Target != "label" || d.X.At(17, 1) != want.X.At(17, 1) || d.Labels[89] != "2" {
		t.Errorf("read back %d rows, target %q, x2[17] %v (want %v), last label %s", d.Len(), d.Target, d.X.At(17, 1), want.X.At(17, 1), d.Labels[89])
	}
	stdout, _, code := runCase(t, "data", "plane", "--samples", "3")
	if code != 0 || !strings.HasPrefix(stdout, "x1,x2,label\n") || strings.Count(stdout, "\n") != 4 {
		t.Errorf("data plane to stdout: exit %d, %q", code, stdout)
	}
	for _, args := range [][]string{
		{"data"},
		{"data", "moons"},
		{"data", "xor", "--classes", "3"},
		{"data", "xor", "--noise", "2"},
		{"data", "xor", "--samples", "0"},
		{"data", "xor", "gauss"},
		{"playground", "extra"},
		{"playground", "--port", "1"},
	} {
		_, stderr, code := runCase(t, args...)
		if code != 2 || !strings.HasPrefix(stderr, "nerve: ") {
			t.Errorf("nerve %s: exit %d, %q; want 2 and a nerve: message", strings.Join(args, " "), code, stderr)
		}
	}
	// A failed run leaves no file behind.
	bad := filepath.Join(t.TempDir(), "none", "x.csv")
	if _, _, code := runCase(t, "data", "xor", "--out", bad); code != 1 {
		t.Errorf("--out in a missing directory: exit %d; want 1", code)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a file was written")
	}
}

func TestPlaygroundHelp(t *testing.T) {
	stdout, _, code := runCase(t, "help", "playground")
	if code != 0 || !strings.Contains(stdout, "--no-browser") || !strings.Contains(stdout, "127.0.0.1:0") {
		t.Errorf("help playground: exit %d\n%s", code, stdout)
	}
}
