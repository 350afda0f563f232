package tutorials

import (
	"context"
	"math"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

func sameDense(t *testing.T, what string, got, want *tensor.Dense[float64]) {
	t.Helper()
	if got.Rows() != want.Rows() || got.Cols() != want.Cols() {
		t.Fatalf("%s: %s; want %s", what, got.Shape(), want.Shape())
	}
	for i, v := range want.Data() {
		if math.Float64bits(got.Data()[i]) != math.Float64bits(v) {
			t.Fatalf("%s: element %d is %v; want %v", what, i, got.Data()[i], v)
		}
	}
}

// TestNewProblem: each Problem is the tutorial's own network before its
// first update, with the tutorial's data.
func TestNewProblem(t *testing.T) {
	ctx := context.Background()
	for _, seed := range []uint32{1, 7} {
		for name, run := range map[string]func(context.Context, uint32, int) (Result, error){
			"single-layer": SingleLayer, "xor": XOR, "sse": SSE,
			"hidden-layer": func(ctx context.Context, seed uint32, n int) (Result, error) { return HiddenLayer(ctx, seed, n, false) },
		} {
			p, err := NewProblem(name, seed)
			if err != nil {
				t.Fatal(err)
			}
			r, err := run(ctx, seed, 0)
			if err != nil {
				t.Fatal(err)
			}
			for l, layer := range r.Net.Layers {
				sameDense(t, name+" W", p.Net.Layers[l].W, layer.W)
			}
			// r.Output of 0 iterations is the forward pass of X.
			out, err := p.Net.Predict(p.X)
			if err != nil {
				t.Fatal(err)
			}
			sameDense(t, name+" output", out, r.Output)
		}
		// l-layer: the transposed view computes the tutorial's forward pass.
		p, err := NewProblem("l-layer", seed)
		if err != nil {
			t.Fatal(err)
		}
		X, _, err := Planar()
		if err != nil {
			t.Fatal(err)
		}
		params := InitializeParametersDeep(LLayerDefaults.Layers, rng.New(seed))
		AL, _ := LModelForward(X, params, activation.ReLU)
		out, err := p.Net.Predict(p.X)
		if err != nil {
			t.Fatal(err)
		}
		for i := range AL.Cols() {
			if d := math.Abs(out.At(i, 0) - AL.At(0, i)); d > 1e-12 {
				t.Fatalf("l-layer sample %d: %v; the tutorial's %v", i, out.At(i, 0), AL.At(0, i))
			}
		}
		if p.LR != LLayerDefaults.LR {
			t.Errorf("l-layer LR %v", p.LR)
		}
	}
	if _, err := NewProblem("nope", 1); err == nil {
		t.Error("NewProblem of an unknown tutorial gave no error")
	}
}
