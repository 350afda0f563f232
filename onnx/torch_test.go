package onnx

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/tensor"
)

// torchFixture is one testdata/torch/NAME.json, written by
// make_torch_fixtures.py beside NAME.onnx.
type torchFixture struct {
	Opset  int         `json:"opset"`
	Ops    []string    `json:"ops"`
	Input  [][]float64 `json:"input"`
	Output [][]float64 `json:"output"` // null for a graph Import must refuse
}

func rows(v [][]float64) *tensor.Dense[float64] {
	var flat []float64
	for _, r := range v {
		flat = append(flat, r...)
	}
	return tensor.New(len(v), len(v[0]), flat)
}

// TestTorchFixtures imports graphs written by PyTorch 1.13's
// torch.onnx.export and checks the predictions against PyTorch's to 1e-6,
// or that Import refuses them with a line naming the node.
func TestTorchFixtures(t *testing.T) {
	paths, _ := filepath.Glob("testdata/torch/*.onnx")
	if len(paths) < 9 {
		t.Fatalf("found %d fixtures in testdata/torch, want 9", len(paths))
	}
	refusals := map[string]string{
		"leaky_0.2_refused": `node 1 "/1/LeakyRelu" (LeakyRelu): alpha 0.2: nerve's leaky ReLU has slope 0.01`,
		"gelu_refused":      `(Div): standardisation (Sub, Div) must come before the first layer`,
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".onnx")
		var fx torchFixture
		js, err := os.ReadFile(strings.TrimSuffix(path, ".onnx") + ".json")
		if err == nil {
			err = json.Unmarshal(js, &fx)
		}
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Import(f)
		f.Close()
		if fx.Output == nil {
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), refusals[name]) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: error %v, want one line wrapping ErrUnsupported with %q", name, err, refusals[name])
			}
			continue
		}
		if err != nil {
			t.Errorf("%s (%v): %v", name, fx.Ops, err)
			continue
		}
		_, f64 := m.(*model.Model[float64])
		if f64 != strings.HasSuffix(name, "_f64") {
			t.Errorf("%s: Import gave %T", name, m)
		}
		got, err := m.Predict(rows(fx.Input))
		if err != nil {
			t.Fatal(err)
		}
		want := rows(fx.Output)
		if got.Rows() != want.Rows() || got.Cols() != want.Cols() {
			t.Fatalf("%s: %d×%d predictions, want %d×%d", name, got.Rows(), got.Cols(), want.Rows(), want.Cols())
		}
		if d := maxDiff(got.Data(), want.Data()); d > 1e-6 {
			t.Errorf("%s: predictions differ from PyTorch's by %g, want ≤ 1e-6", name, d)
		} else {
			t.Logf("%s (opset %d, %v): max |nerve − torch| = %.2g", name, fx.Opset, fx.Ops, d)
		}
	}
}

// TestConstantNodes moves every initializer of a PyTorch fixture into a
// Constant node, as exports without constant folding may hold weights:
// the import must predict the same.
func TestConstantNodes(t *testing.T) {
	b, err := os.ReadFile("testdata/torch/relu_softmax.onnx")
	if err != nil {
		t.Fatal(err)
	}
	mp, err := decodeModel(b)
	if err != nil {
		t.Fatal(err)
	}
	var consts []*nodeProto
	for _, in := range mp.graph.initializers {
		consts = append(consts, &nodeProto{outputs: []string{in.name}, name: "const_" + in.name, opType: "Constant",
			attrs: []*attribute{{name: "value", typ: attrTensor, t: in}}})
	}
	mp.graph.nodes = append(consts, mp.graph.nodes...)
	mp.graph.initializers = nil
	var fx torchFixture
	js, _ := os.ReadFile("testdata/torch/relu_softmax.json")
	if err := json.Unmarshal(js, &fx); err != nil {
		t.Fatal(err)
	}
	m, err := importBytes(mp.encode())
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Predict(rows(fx.Input))
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(got.Data(), rows(fx.Output).Data()); d > 1e-6 {
		t.Errorf("predictions differ from PyTorch's by %g", d)
	}
}
