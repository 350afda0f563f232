package data

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

// TestIDXFloat32 loads images with IDXOptions.Float32 and requires X32 to
// be the float64 load rounded to float32, value for value, with X nil.
func TestIDXFloat32(t *testing.T) {
	pixels := make([]byte, 256*3)
	for i := range pixels {
		pixels[i] = byte(i * 7)
	}
	images := idxBytes(0x803, []uint32{16, 4, 12}, pixels)
	labels := idxBytes(0x801, []uint32{16}, []byte{1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2})
	d64, err := ReadIDXPair(bytes.NewReader(images), "im", bytes.NewReader(labels), "lb")
	if err != nil {
		t.Fatal(err)
	}
	d32, err := ReadIDXPairWith(bytes.NewReader(images), "im", bytes.NewReader(labels), "lb", IDXOptions{Float32: true})
	if err != nil {
		t.Fatal(err)
	}
	if d32.X != nil || d32.X32 == nil {
		t.Fatalf("with Float32: X %v, X32 %v; want X nil and X32 set", d32.X != nil, d32.X32 != nil)
	}
	if !tensor.Equal(d32.X32, tensor.Convert[float32](d64.X)) {
		t.Errorf("X32 is not the float64 pixels rounded to float32")
	}
	if d32.Len() != 16 || d32.Cols() != 48 || d64.Cols() != 48 {
		t.Errorf("Len %d, Cols %d (float64 load: %d); want 16, 48", d32.Len(), d32.Cols(), d64.Cols())
	}
	if !tensor.Equal(d32.Float64(), tensor.Convert[float64](tensor.Convert[float32](d64.X))) {
		t.Errorf("Float64 of the float32 load differs from the float64 load")
	}
	if d32.Float32() != d32.X32 || d64.Float64() != d64.X {
		t.Errorf("Float32 and Float64 copy the matrix they already hold")
	}
	if strings.Join(d32.Labels, "") != strings.Join(d64.Labels, "") || len(d32.Features) != 48 {
		t.Errorf("labels %v, %d features; want %v, 48", d32.Labels, len(d32.Features), d64.Labels)
	}
	// Split and Subset keep the precision.
	tr, te, err := d32.Split(0.25, 1)
	if err != nil {
		t.Fatal(err)
	}
	tr64, te64, _ := d64.Split(0.25, 1)
	if tr.X != nil || !tensor.Equal(tr.X32, tensor.Convert[float32](tr64.X)) || !tensor.Equal(te.X32, tensor.Convert[float32](te64.X)) {
		t.Errorf("Split of a float32 dataset does not give the float32 split of the float64 one")
	}
}

// TestCSVFloat32 reads a CSV with CSVOptions.Float32 and requires X32 to
// be the float64 read rounded to float32, and a value beyond float32's
// range to be an error naming its line and column.
func TestCSVFloat32(t *testing.T) {
	const text = "a,b,y\n0.1,1e-3,1\n3.14159265358979,-2.5e30,0\n1e-50,7,1\n"
	for _, task := range []Task{TaskClassification, TaskRegression} {
		d64, err := ReadCSV(strings.NewReader(text), "t.csv", CSVOptions{Task: task})
		if err != nil {
			t.Fatal(err)
		}
		d32, err := ReadCSV(strings.NewReader(text), "t.csv", CSVOptions{Task: task, Float32: true})
		if err != nil {
			t.Fatal(err)
		}
		if d32.X != nil || !tensor.Equal(d32.X32, tensor.Convert[float32](d64.X)) {
			t.Errorf("task %v: X32 is not the float64 features rounded to float32", task)
		}
		if (d64.Y == nil) != (d32.Y == nil) || d64.Y != nil && !tensor.Equal(d32.Y, d64.Y) {
			t.Errorf("task %v: the targets differ with Float32", task)
		}
	}
	_, err := ReadCSV(strings.NewReader("a,b,y\n1,2,3\n3,4e39,5\n"), "t.csv", CSVOptions{Float32: true, Task: TaskRegression})
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrNotFinite) || pe.Line != 3 || pe.Column != 2 || !strings.Contains(err.Error(), "too large for a float32") {
		t.Errorf("4e39 with Float32: error %v; want a *ParseError at line 3, column 2 wrapping ErrNotFinite", err)
	}
	if _, err := ReadCSV(strings.NewReader("a,b,y\n1,2,3\n3,4e39,5\n"), "t.csv", CSVOptions{Task: TaskRegression}); err != nil {
		t.Errorf("4e39 without Float32: %v", err)
	}
}
