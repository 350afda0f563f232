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
}

// TestWriteORTModels writes every test model as a .nerve file with a CSV
// of 50 samples for it, and models.json listing them, into the directory
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
		list = append(list, ortModel{name, kind, dtype})
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
		var err error
		switch m := m.(type) {
		case *model.Model[float32]:
			err = model.Save(filepath.Join(dir, name+".nerve"), m)
		case *model.Model[float64]:
			err = model.Save(filepath.Join(dir, name+".nerve"), m)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	m32, m64 := testModels[float32](t), testModels[float64](t)
	for _, name := range slices.Sorted(maps.Keys(m32)) {
		m := m32[name]
		add(name, m, m.Network.Inputs(), m.Features, ortKind(m), "float32")
		add(name, m64[name], m.Network.Inputs(), m.Features, ortKind(m), "float64")
	}
	b, _ := json.MarshalIndent(list, "", " ")
	if err := os.WriteFile(filepath.Join(dir, "models.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if len(list) != 10 {
		t.Errorf("%d models, want 10", len(list))
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
