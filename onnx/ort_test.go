package onnx

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/rng"
)

// ortModel is one entry of the models.json TestWriteORTModels writes for
// testdata/ort.test.mjs.
type ortModel struct {
	Name  string `json:"name"`  // NAME.nerve and NAME.csv in the directory
	Kind  string `json:"kind"`  // "classifier", "binary" (one sigmoid output) or "regressor"
	DType string `json:"dtype"` // the model's precision
	// A table model's raw columns, one graph input each, and the cell
	// values that are missing (compared without regard to case); nil
	// for a model with one numeric input.
	Columns []ortColumn `json:"columns,omitempty"`
	Missing []string    `json:"missing,omitempty"`
}

type ortColumn struct {
	Name string `json:"name"`
	Type string `json:"type"` // "numeric" or "categorical"
}

// TestWriteORTModels writes every test model as a .nerve file with a CSV
// of 50 samples for it (for a table model, raw rows with missing cells,
// missing-cell tokens in varied case and unseen categories), and
// models.json listing them, into the directory
// $NERVE_ORT_DIR. It is the first step of testdata/ort.test.mjs, which
// exports them with nerve export, runs them in ONNX Runtime and compares
// with nerve predict; without the variable it only checks that the
// models and samples can be made.
func TestWriteORTModels(t *testing.T) {
	dir := os.Getenv("NERVE_ORT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	var list []ortModel
	add := func(name string, m interface {
		Validate() error
	}, inputs int, features []string, kind, dtype string) {
		name = strings.NewReplacer(" ", "_", ",", "").Replace(name) + "-" + dtype
		list = append(list, ortModel{Name: name, Kind: kind, DType: dtype})
		if features == nil {
			for j := range inputs {
				features = append(features, fmt.Sprintf("x%d", j+1))
			}
		}
		src := rng.New(uint32(len(list)))
		var csv strings.Builder
		fmt.Fprintln(&csv, strings.Join(features, ","))
		for range 50 {
			row := make([]string, inputs)
			for j := range row {
				row[j] = fmt.Sprintf("%.6g", src.Uniform(-4, 4))
			}
			fmt.Fprintln(&csv, strings.Join(row, ","))
		}
		if err := os.WriteFile(filepath.Join(dir, name+".csv"), []byte(csv.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		saveModel(t, filepath.Join(dir, name+".nerve"), m)
	}
	m32, m64 := testModels[float32](t), testModels[float64](t)
	for _, name := range slices.Sorted(maps.Keys(m32)) {
		m := m32[name]
		add(name, m, m.Network.Inputs(), m.Features, ortKind(m), "float32")
		add(name, m64[name], m.Network.Inputs(), m.Features, ortKind(m), "float64")
	}
	t32, t64 := tableModels[float32](t), tableModels[float64](t)
	for _, name := range slices.Sorted(maps.Keys(t32)) {
		for _, m := range []any{t32[name], t64[name]} {
			p, dtype := t32[name].Preprocessing, "float32"
			if _, ok := m.(*model.Model[float64]); ok {
				dtype = "float64"
			}
			file := strings.NewReplacer(" ", "_", ",", "").Replace(name) + "-" + dtype
			om := ortModel{Name: file, Kind: ortKind(t32[name]), DType: dtype, Missing: p.MissingTokens()}
			for _, c := range p.Columns {
				om.Columns = append(om.Columns, ortColumn{c.Name, c.Type.String()})
			}
			list = append(list, om)
			tb := predictionTable(t, name)
			var csv strings.Builder
			fmt.Fprintln(&csv, strings.Join(tb.Columns, ","))
			for _, row := range tb.Rows {
				fmt.Fprintln(&csv, strings.Join(row, ","))
			}
			if err := os.WriteFile(filepath.Join(dir, file+".csv"), []byte(csv.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			saveModel(t, filepath.Join(dir, file+".nerve"), m)
		}
	}
	b, _ := json.MarshalIndent(list, "", " ")
	if err := os.WriteFile(filepath.Join(dir, "models.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if len(list) != 14 {
		t.Errorf("%d models, want 14", len(list))
	}
}

// saveModel writes m, a *model.Model[float32] or [float64], to path.
func saveModel(t *testing.T, path string, m any) {
	t.Helper()
	var err error
	switch m := m.(type) {
	case *model.Model[float32]:
		err = model.Save(path, m)
	case *model.Model[float64]:
		err = model.Save(path, m)
	default:
		err = fmt.Errorf("saveModel: %T is not a model", m)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func ortKind[T float32 | float64](m *model.Model[T]) string {
	switch {
	case m.Classes != nil:
		return "classifier"
	case m.Task == model.Classification && m.Network.Outputs() == 1 && m.Network.Layers[len(m.Network.Layers)-1].Activation == activation.Sigmoid:
		return "binary"
	}
	return "regressor"
}
