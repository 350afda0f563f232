package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/rng"
)

// writeIDX writes n random 3×3 "images" and labels 0–2 as IDX files in
// dir and returns their paths.
func writeIDX(t *testing.T, dir string, n int) (images, labels string) {
	t.Helper()
	src := rng.New(9)
	img := []byte{0, 0, 8, 3}
	img = binary.BigEndian.AppendUint32(img, uint32(n))
	img = binary.BigEndian.AppendUint32(img, 3)
	img = binary.BigEndian.AppendUint32(img, 3)
	lab := []byte{0, 0, 8, 1}
	lab = binary.BigEndian.AppendUint32(lab, uint32(n))
	for i := range n {
		for range 9 {
			img = append(img, byte(src.Uint32()))
		}
		lab = append(lab, byte(i%3))
	}
	images, labels = filepath.Join(dir, "img-idx3-ubyte"), filepath.Join(dir, "lab-idx1-ubyte")
	if err := os.WriteFile(images, img, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(labels, lab, 0o644); err != nil {
		t.Fatal(err)
	}
	return images, labels
}

// TestIDXNotStandardised: IDX pixels go in as [0, 1] values unless
// --no-scaling=false asks for standardisation; CSV features are
// standardised.
func TestIDXNotStandardised(t *testing.T) {
	dir := t.TempDir()
	images, labels := writeIDX(t, dir, 30)
	out := filepath.Join(dir, "m.nerve")
	for _, c := range []struct {
		args   []string
		scaled bool
	}{
		{[]string{"--data", images, "--labels", labels}, false},
		{[]string{"--data", images, "--labels", labels, "--no-scaling=false"}, true},
		{[]string{"--data", writeIrisCSV(t, dir)}, true},
	} {
		args := append([]string{"train", "--quiet", "--epochs", "1", "--out", out}, c.args...)
		if _, stderr, code := runCase(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		m, err := model.Load[float32](out)
		if err != nil {
			t.Fatal(err)
		}
		if (m.Scaler != nil) != c.scaled {
			t.Errorf("%v: model has a scaler: %v; want %v", c.args, m.Scaler != nil, c.scaled)
		}
	}
}
