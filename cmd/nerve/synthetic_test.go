package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/data"
)

// writeCSV writes d as a CSV file with a header and returns its path.
func writeCSV(t *testing.T, d *data.Dataset, path string) string {
	t.Helper()
	var b bytes.Buffer
	if err := data.WriteCSV(&b, d, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTrainSynthetic trains through the command line on generated
// problems that no linear model solves, and scores fresh samples of them.
func TestTrainSynthetic(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name        string
		train, test *data.Dataset
		args        []string
		min         float64
	}{
		{"spiral", data.Spiral(100, 3, 0.2, 1), data.Spiral(100, 3, 0.2, 2),
			[]string{"--hidden", "32,32", "--epochs", "300", "--lr", "0.01"}, 0.95},
		{"xor", data.XOR(200, 0.15, 1), data.XOR(200, 0.15, 2),
			[]string{"--hidden", "8", "--activation", "tanh", "--epochs", "100", "--lr", "0.02"}, 0.97},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := writeCSV(t, c.train, filepath.Join(dir, c.name+"-train.csv"))
			te := writeCSV(t, c.test, filepath.Join(dir, c.name+"-test.csv"))
			args := append([]string{"train", "--data", tr, "--test", te, "--json", "--out", filepath.Join(dir, c.name+".nerve")}, c.args...)
			stdout, stderr, code := runCase(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			var summary struct {
				Accuracy *float64 `json:"test_accuracy"`
			}
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &summary); err != nil || summary.Accuracy == nil {
				t.Fatalf("summary %q: %v", lines[len(lines)-1], err)
			}
			t.Logf("%s: test accuracy %.3f", c.name, *summary.Accuracy)
			if *summary.Accuracy < c.min {
				t.Errorf("%s: test accuracy %.3f; want ≥ %.2f", c.name, *summary.Accuracy, c.min)
			}
		})
	}
}
