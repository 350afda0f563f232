package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/metrics"
	"github.com/nerve-ml/nerve/model"
)

// TestTrainFloat32TestScores trains on IDX images (loaded in float32 only)
// and scores a test set of more than predictRows images, which the train
// command runs through the model in blocks: its accuracy and log-loss
// must be those of the saved model predicting on the float64 images in
// one call.
func TestTrainFloat32TestScores(t *testing.T) {
	dir := t.TempDir()
	n := 2*predictRows + 37
	images, labels := writeIDX(t, dir, n)
	out := filepath.Join(dir, "m.nerve")
	stdout, stderr, code := runCase(t, "train", "--data", images, "--labels", labels, "--test", images, "--test-labels", labels,
		"--hidden", "8", "--epochs", "2", "--val", "0.3", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var got struct {
		Accuracy float64 `json:"test_accuracy"`
		LogLoss  float64 `json:"test_log_loss"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load[float32](out)
	if err != nil {
		t.Fatal(err)
	}
	d, err := data.LoadIDX(images, labels)
	if err != nil {
		t.Fatal(err)
	}
	P, err := m.Predict(d.X)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := data.ClassesOf(m.Classes)
	idx, _ := c.Encode(d.Labels)
	acc, ll := metrics.Accuracy(d.Labels, c.Decode(data.Argmax(P))), metrics.LogLoss(idx, P)
	if got.Accuracy != acc || got.LogLoss != ll {
		t.Errorf("nerve train scored the test set: accuracy %v, log-loss %v; the model on the float64 images: %v, %v", got.Accuracy, got.LogLoss, acc, ll)
	}
}

// TestTrainFloat32Plot trains on a CSV of two features without scaling
// (loaded in float32 only) and draws the decision boundary, which takes
// the features in float64.
func TestTrainFloat32Plot(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("x1,x2,class\n")
	for i := range 60 {
		x1, x2 := float64(i%8)/8, float64(i/8)/8
		class := "a"
		if x1 > x2 {
			class = "b"
		}
		fmt.Fprintf(&b, "%g,%g,%s\n", x1, x2, class)
	}
	path := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	plots := filepath.Join(dir, "plots")
	if _, stderr, code := runCase(t, "train", "--data", path, "--no-scaling", "--epochs", "2", "--quiet", "--plot", plots, "--out", filepath.Join(dir, "m.nerve")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(plots, "boundary.png")); err != nil {
		t.Errorf("no decision boundary plot: %v", err)
	}
}
