package model

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// -update rewrites testdata/reader/model.nerve and input.csv, and the
// seed corpus of FuzzRead. testdata/reader/gen.sh runs it and then the
// numpy reader for want.csv.
var update = flag.Bool("update", false, "rewrite the model files in testdata")

const python = "/usr/bin/python3"

// readerModel is the golden classifier: a scaler, every activation nerve
// has, a layer without bias.
func readerModel[T tensor.Float](t testing.TB) *Model[T] {
	// Standard-normal weights keep the activations away from the flat
	// regions, so that every layer shows in the outputs.
	net := mustNew[T](t, 2024, nn.Config{Inputs: 4, Loss: loss.CrossEntropy, WeightInit: nn.StandardNormal, Layers: []nn.LayerSpec{
		{Units: 6, Activation: activation.Tanh},
		{Units: 5, Activation: activation.ReLU},
		{Units: 5, Activation: activation.LeakyReLU, NoBias: true},
		{Units: 4, Activation: activation.Identity},
		{Units: 4, Activation: activation.Sigmoid},
		{Units: 3, Activation: activation.Softmax},
	}})
	return &Model[T]{
		Network: net, Task: Classification,
		Classes:   []string{"setosa", "versicolor", "virginica"},
		LabelType: LabelString,
		Features:  []string{"sepal_length", "sepal_width", "petal_length", "petal_width"},
		Target:    "species",
		Scaler:    &data.Scaler{Mean: []float64{5.843333333333335, 3.0573333333333337, 3.7580000000000005, 1.1993333333333331}, Scale: []float64{0.8253012917851409, 0.4344109677354946, 1.759404065775303, 0.7596926279021594}},
		Training:  json.RawMessage(`{"note":"untrained: weights from nn.New with seed 2024","seed":2024}`),
		Metrics:   map[string]float64{"test_accuracy": 0.5},
	}
}

// readerRegressor has a target scaler and two outputs.
func readerRegressor[T tensor.Float](t testing.TB) *Model[T] {
	net := mustNew[T](t, 7, nn.Config{Inputs: 4, Loss: loss.MSE, WeightInit: nn.StandardNormal, Layers: []nn.LayerSpec{
		{Units: 8, Activation: activation.LeakyReLU},
		{Units: 5, Activation: activation.Sigmoid, NoBias: true},
		{Units: 2},
	}})
	return &Model[T]{
		Network: net, Task: Regression, Target: "y",
		Scaler:       &data.Scaler{Mean: []float64{5, 3, 4, 1}, Scale: []float64{0.8, 0.4, 1.8, 0.75}},
		TargetScaler: &data.Scaler{Mean: []float64{120.5, -3}, Scale: []float64{30.25, 0.01}},
	}
}

// readerInput returns n raw samples in Iris's ranges, rounded to 3
// decimals so that the CSV holds them exactly as parsed.
func readerInput(n int) *tensor.Dense[float64] {
	mean, scale := []float64{5.8, 3.0, 3.8, 1.2}, []float64{1, 0.6, 2, 1}
	X := tensor.Zeros[float64](n, 4)
	src := rng.New(99)
	for i := range n {
		for j := range 4 {
			v := mean[j] + scale[j]*src.NormFloat64()
			X.Set(i, j, math.Round(v*1000)/1000)
		}
	}
	return X
}

func writeCSV(t testing.TB, path string, header []string, X *tensor.Dense[float64]) {
	var sb strings.Builder
	sb.WriteString(strings.Join(header, ",") + "\n")
	for i := range X.Rows() {
		for j, v := range X.Row(i) {
			if j > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		}
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// parseCSV reads a numeric CSV with a header row.
func parseCSV(t testing.TB, text string) ([]string, *tensor.Dense[float64]) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("CSV: %v, %d records:\n%s", err, len(recs), text)
	}
	X := tensor.Zeros[float64](len(recs)-1, len(recs[0]))
	for i, r := range recs[1:] {
		for j, s := range r {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("CSV row %d: %v", i+2, err)
			}
			X.Set(i, j, v)
		}
	}
	return recs[0], X
}

// compareOutputs checks got against the numpy reader's output want to a
// relative tolerance.
func compareOutputs(t *testing.T, got *tensor.Dense[float64], header []string, wantHeader []string, want *tensor.Dense[float64], tol float64) {
	t.Helper()
	if strings.Join(header, ",") != strings.Join(wantHeader, ",") {
		t.Errorf("numpy reader's header %q; want %q", header, wantHeader)
	}
	if got.Rows() != want.Rows() || got.Cols() != want.Cols() {
		t.Fatalf("Predict gives %s, the numpy reader %s", got.Shape(), want.Shape())
	}
	for i := range got.Rows() {
		for j, g := range got.Row(i) {
			w := want.At(i, j)
			if math.Abs(g-w) > tol*math.Max(math.Abs(g), math.Abs(w)) {
				t.Errorf("sample %d output %d: Predict %.17g, numpy %.17g (relative %.2g)", i+1, j, g, w, math.Abs(g-w)/math.Abs(w))
			}
		}
	}
}

func outputNames[T tensor.Float](m *Model[T]) []string {
	if m.Classes != nil {
		return m.Classes
	}
	var names []string
	for k := range m.Network.Outputs() {
		names = append(names, fmt.Sprintf("output%d", k))
	}
	return names
}

// The committed model file, read by Go, predicts what the numpy reader
// printed for it when the golden was made.
func TestReaderGolden(t *testing.T) {
	dir := filepath.Join("testdata", "reader")
	if *update {
		m := readerModel[float64](t)
		if err := Save(filepath.Join(dir, "model.nerve"), m); err != nil {
			t.Fatal(err)
		}
		writeCSV(t, filepath.Join(dir, "input.csv"), m.Features, readerInput(12))
		t.Log("wrote testdata/reader/model.nerve and input.csv; run the numpy reader for want.csv (gen.sh does)")
		return
	}
	m, err := Load[float64](filepath.Join(dir, "model.nerve"))
	if err != nil {
		t.Fatal(err)
	}
	// The file is what the current writer makes of the same model. Its
	// weights are normal draws, made with the default build's math.Log;
	// -tags libmlog draws a few of them 1 ulp apart.
	if rng.ExactLog {
		t.Log("libmlog build: not comparing the committed model with a fresh one")
	} else if err := sameModel(t, m, readerModel[float64](t)); err != nil {
		t.Errorf("committed model differs from readerModel: %v", err)
	}
	in, _ := os.ReadFile(filepath.Join(dir, "input.csv"))
	_, X := parseCSV(t, string(in))
	out, _ := os.ReadFile(filepath.Join(dir, "want.csv"))
	header, want := parseCSV(t, string(out))
	got, err := m.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	compareOutputs(t, got, header, outputNames(m), want, 1e-6)
	// And in float32, to float32's precision.
	m32, err := Load[float32](filepath.Join(dir, "model.nerve"))
	if err != nil {
		t.Fatal(err)
	}
	got32, err := m32.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	compareOutputs(t, got32, header, outputNames(m32), want, 1e-4)
}

// A model saved now by Go reads the same in numpy: the reader script
// still matches the writer.
func TestReaderMatchesWriter(t *testing.T) {
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		t.Skipf("no %s with numpy (%v): the numpy reader is not checked against the current writer", python, err)
	}
	t.Run("classifier/float64", func(t *testing.T) { runReader(t, readerModel[float64](t), 1e-6) })
	t.Run("regressor/float64", func(t *testing.T) { runReader(t, readerRegressor[float64](t), 1e-6) })
	// numpy computes in float64 from the float32 parameters; Go in float32.
	t.Run("classifier/float32", func(t *testing.T) { runReader(t, readerModel[float32](t), 1e-4) })
	t.Run("regressor/float32", func(t *testing.T) { runReader(t, readerRegressor[float32](t), 1e-4) })
}

func runReader[T tensor.Float](t *testing.T, m *Model[T], tol float64) {
	dir := t.TempDir()
	path, input := filepath.Join(dir, "m.nerve"), filepath.Join(dir, "in.csv")
	if err := Save(path, m); err != nil {
		t.Fatal(err)
	}
	X := readerInput(25)
	writeCSV(t, input, []string{"a", "b", "c", "d"}, X)
	out, err := exec.Command(python, filepath.Join("testdata", "read_model.py"), path, input).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy reader: %v\n%s", err, out)
	}
	header, want := parseCSV(t, string(out))
	got, err := m.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	compareOutputs(t, got, header, outputNames(m), want, tol)
}
