package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

const prepCSV = `sex,age,deck,survived
male,22,NA,no
female,38,C,yes
female,,E,yes
male,35,,no
`

// prepModel returns a classifier with the preprocessing of prepCSV and
// the table it was fitted on.
func prepModel[T tensor.Float](t testing.TB) (*Model[T], *data.Table) {
	tb, err := data.ReadTable(strings.NewReader(prepCSV), "p.csv", data.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := data.FitPreprocessing(tb, data.PrepOptions{Target: "survived"})
	if err != nil {
		t.Fatal(err)
	}
	net := mustNew[T](t, 7, nn.Config{Inputs: p.Width(), Loss: loss.CrossEntropy, Layers: []nn.LayerSpec{
		{Units: 5, Activation: activation.ReLU}, {Units: 2, Activation: activation.Softmax}}})
	return &Model[T]{
		Network: net, Task: Classification, Classes: []string{"no", "yes"}, LabelType: LabelString,
		Features: p.Features(), Target: "survived", Preprocessing: p,
	}, tb
}

func TestPreprocessingRoundTrip(t *testing.T) {
	t.Run("float32", testPreprocessingRoundTrip[float32])
	t.Run("float64", testPreprocessingRoundTrip[float64])
}

func testPreprocessingRoundTrip[T tensor.Float](t *testing.T) {
	m, tb := prepModel[T](t)
	b := encode(t, m)
	if v := binary.LittleEndian.Uint32(b[8:]); v != PreprocessingVersion {
		t.Errorf("preamble version %d; want %d", v, PreprocessingVersion)
	}
	got, err := Read[T](bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sameModel(t, got, m); err != nil {
		t.Error(err)
	}
	if !reflect.DeepEqual(got.Preprocessing, m.Preprocessing) {
		t.Errorf("preprocessing read back as %+v; want %+v", got.Preprocessing, m.Preprocessing)
	}
	h, err := ReadHeader(bytes.NewReader(b))
	if err != nil || h.Version != PreprocessingVersion || h.Preprocessing == nil {
		t.Errorf("ReadHeader: version %d, preprocessing %v, %v", h.Version, h.Preprocessing, err)
	}
	// PredictTable is Transform then Predict, on the model read back.
	out, rep, err := got.PredictTable(tb)
	if err != nil || rep.Total() != 0 {
		t.Fatalf("PredictTable: %v, %+v", err, rep)
	}
	X, _, _ := m.Preprocessing.Transform(tb)
	want, err := m.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Data(), want.Data()) {
		t.Errorf("PredictTable %v; Predict of the transformed table %v", out.Data(), want.Data())
	}
	// A table with an unseen category and an extra column.
	nt, _ := data.NewTable("new", []string{"x", "deck", "age", "sex"}, [][]string{{"1", "Z", "30", "male"}})
	if _, rep, err := got.PredictTable(nt); err != nil || rep.Unseen["deck"] != 1 {
		t.Errorf("unseen deck: %v, %+v", err, rep)
	}
	nt, _ = data.NewTable("new", []string{"deck", "age"}, [][]string{{"C", "30"}})
	if _, _, err := got.PredictTable(nt); err == nil || !errors.Is(err, data.ErrData) || !strings.Contains(err.Error(), "new (sex): the column is missing") {
		t.Errorf("missing column: %v", err)
	}
}

func TestPredictTableWithoutPreprocessing(t *testing.T) {
	m := testModels[float64](t)[2].m
	tb, _ := data.NewTable("t", []string{"a"}, [][]string{{"1"}})
	if _, _, err := m.PredictTable(tb); !errors.Is(err, ErrNoPreprocessing) || !errors.Is(err, nn.ErrConfig) {
		t.Errorf("PredictTable without preprocessing: %v", err)
	}
}

func TestPreprocessingSummary(t *testing.T) {
	m, _ := prepModel[float32](t)
	s := m.Summary()
	for _, want := range []string{
		"preprocessing (raw columns → inputs):\n  sex: categorical, 2 categories (female, male), missing → \"female\" (most frequent)\n",
		"  age: numeric, missing → 35, (x − 32.5) / 6.18466\n",
		"  deck: categorical, 2 categories (C, E), missing → (missing)\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("Summary lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "input scaling") {
		t.Errorf("Summary of a model with preprocessing mentions input scaling:\n%s", s)
	}
}

func TestPreprocessingRejects(t *testing.T) {
	m, _ := prepModel[float32](t)
	good := encode(t, m)
	hdr, params := fileParts(good)
	edit := func(f func(h map[string]any)) []byte {
		b := editHeader(t, good, f)
		h, p := fileParts(b)
		return assemble(PreprocessingVersion, h, p)
	}
	prep := func(h map[string]any) map[string]any { return h["preprocessing"].(map[string]any) }
	col := func(h map[string]any, k int) map[string]any { return prep(h)["columns"].([]any)[k].(map[string]any) }
	v1 := bytes.Replace(hdr, []byte(`"version": 2`), []byte(`"version": 1`), 1)
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"version 1", assemble(1, v1, params), "header field preprocessing: present in a version-1 file: preprocessing needs version 2"},
		{"type", edit(func(h map[string]any) { col(h, 0)["type"] = "text" }), `unknown column type "text"`},
		{"width", edit(func(h map[string]any) { col(h, 0)["categories"] = []any{"female", "male", "other"} }), "header field preprocessing: 7 inputs, the network has 6"},
		{"scale", edit(func(h map[string]any) { col(h, 1)["scale"] = -1 }), `header field preprocessing: invalid data: preprocessing: column "age": scale -1, want a positive number`},
		{"features", edit(func(h map[string]any) { h["features"].([]any)[0] = "gender=female" }), "header field preprocessing: the features are not the preprocessing's"},
		{"scaling", edit(func(h map[string]any) {
			h["scaling"] = map[string]any{"mean": []any{0, 0, 0, 0, 0, 0}, "scale": []any{1, 1, 1, 1, 1, 1}}
		}), "header field preprocessing: a model with preprocessing has no input scaling"},
		{"task", edit(func(h map[string]any) { prep(h)["task"] = "regression" }), "header field preprocessing: task regression, the model's is classification"},
	} {
		_, err := Read[float32](bytes.NewReader(tc.b))
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want a *FormatError containing %q", tc.name, err, tc.want)
		}
	}
	// Validate refuses the same before writing.
	bad, _ := prepModel[float32](t)
	bad.Scaler = &data.Scaler{Mean: make([]float64, 6), Scale: []float64{1, 1, 1, 1, 1, 1}}
	if _, err := bad.WriteTo(&bytes.Buffer{}); !errors.Is(err, nn.ErrConfig) {
		t.Errorf("WriteTo with scaler and preprocessing: %v; want ErrConfig", err)
	}
}

// TestPlainModelHasNoPreprocessingKey checks that a model without
// preprocessing is written as version 1 without the key, as before.
func TestPlainModelHasNoPreprocessingKey(t *testing.T) {
	for _, tc := range testModels[float32](t) {
		b := encode(t, tc.m)
		hdr, _ := fileParts(b)
		var h map[string]json.RawMessage
		if err := json.Unmarshal(hdr, &h); err != nil {
			t.Fatal(err)
		}
		if _, ok := h["preprocessing"]; ok || binary.LittleEndian.Uint32(b[8:]) != FormatVersion {
			t.Errorf("%s: plain model written with a preprocessing key or version %d", tc.name, binary.LittleEndian.Uint32(b[8:]))
		}
	}
}

// TestReadBeforeFill reads a model file written before
// data.PrepColumn.Fill existed (testdata/prep/before-fill.nerve, the
// valid-preprocessing-float32 fuzz seed of that time) and checks that it
// predicts as it did: a missing sex, a column with neither missing nor
// fill, gives all zeros and is counted; a missing deck gives (missing).
func TestReadBeforeFill(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "prep", "before-fill.nerve"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Read[float32](bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := m.Preprocessing.Columns
	if c[0].Name != "sex" || c[0].Fill != "" || c[0].Missing || c[2].Name != "deck" || !c[2].Missing {
		t.Fatalf("old preprocessing read as %+v", c)
	}
	tb, _ := data.NewTable("new", []string{"sex", "age", "deck"}, [][]string{{"NA", "40", "?"}, {"male", "", "E"}})
	out, rep, err := m.PredictTable(tb)
	if err != nil || !reflect.DeepEqual(rep.Unseen, map[string]int{"sex": 1}) {
		t.Fatalf("PredictTable: %v, report %+v; want the missing sex counted", err, rep)
	}
	// sex=female sex=male age deck=C deck=E deck=(missing)
	mean, scale := 32.5, 6.18465843842649
	X := tensor.New(2, 6, []float64{0, 0, (40 - mean) / scale, 0, 0, 1, 0, 1, (35 - mean) / scale, 0, 1, 0})
	want, err := m.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Data(), want.Data()) {
		t.Errorf("PredictTable %v; want %v, Predict of the inputs as before Fill", out.Data(), want.Data())
	}
}
