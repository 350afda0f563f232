package data

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

func TestWriteCSVRoundTrip(t *testing.T) {
	iris := Iris()
	iris.Labels[3] = `odd, "quoted" label`
	var b bytes.Buffer
	if err := WriteCSV(&b, iris, true); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(&b, "iris.csv", CSVOptions{Target: "species"})
	if err != nil {
		t.Fatal(err)
	}
	if !tensor.Equal(back.X, iris.X) || !slices.Equal(back.Labels, iris.Labels) || !slices.Equal(back.Features, iris.Features) {
		t.Errorf("round trip changed the data: labels[3] %q, features %v", back.Labels[3], back.Features)
	}

	reg := &Dataset{X: tensor.FromRows([][]float64{{0.1, 1e-300}, {-2, 3}}), Y: tensor.FromRows([][]float64{{1.5}, {-0.25}})}
	b.Reset()
	if err := WriteCSV(&b, reg, false); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "0.1,1e-300,1.5\n-2,3,-0.25\n"; got != want {
		t.Errorf("regression CSV %q; want %q", got, want)
	}
	back, err = ReadCSV(strings.NewReader(b.String()), "r.csv", CSVOptions{Task: TaskRegression})
	if err != nil || !tensor.Equal(back.Y, reg.Y) || !tensor.Equal(back.X, reg.X) {
		t.Errorf("regression round trip: %v, %v", back, err)
	}
	if err := WriteCSV(failWriter{}, reg, true); err == nil {
		t.Error("a failing writer gave no error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
