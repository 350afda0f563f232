package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// golden is one file written by testdata/trace_golden.py: for each traced
// iteration, every variable of the numpy program by its name.
type golden struct {
	Iterations map[string]map[string][][]float64 `json:"iterations"`
}

func readGolden(t *testing.T, name string) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(g.Iterations) == 0 {
		t.Fatalf("%s: no iterations", name)
	}
	return g
}

// closeTo reports whether got is within 1e-12 of want, relatively for
// |want| > 1.
func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

// TestNumpyGolden compares every matrix the trace shows under a tutorial
// name with what the numpy tutorial computes, for the first and the third
// iteration, in both layouts; and checks that every numpy value was
// compared.
func TestNumpyGolden(t *testing.T) {
	tests := []struct {
		name, file string
		net        func(testing.TB, uint32) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64])
		lr         float64
		key        func(*Matrix) string // the numpy variable, "" if none
	}{
		{"hidden-layer", "hidden_layer.json", hiddenLayer, 0.1, func(m *Matrix) string { return m.Vidhya }},
		{"xor", "xor.json", xor, 1, func(m *Matrix) string { return m.Trask }},
	}
	for _, tt := range tests {
		g := readGolden(t, tt.file)
		for iter, want := range g.Iterations {
			k, err := strconv.Atoi(iter)
			if err != nil {
				t.Fatalf("%s: iteration %q", tt.file, iter)
			}
			for _, layout := range []Layout{Rows, Columns} {
				t.Run(fmt.Sprintf("%s/iteration%d/%s", tt.name, k, layout), func(t *testing.T) {
					net, X, y := tt.net(t, 1)
					tr, err := New(net, X, y, Options{Iteration: k, LR: tt.lr, Layout: layout})
					if err != nil {
						t.Fatal(err)
					}
					seen := map[string]bool{}
					for _, s := range tr.Steps {
						for _, m := range s.Results {
							key := tt.key(m)
							if key == "" {
								continue
							}
							if strings.HasSuffix(m.ID, ".new") {
								key += "_new"
							}
							w, ok := want[key]
							if !ok {
								t.Errorf("step %d: %s (%s) has no numpy value", s.Number, m.ID, key)
								continue
							}
							seen[key] = true
							got := m.Value
							if layout == Columns {
								got = got.Transpose()
							}
							compare(t, fmt.Sprintf("step %d: %s (%s)", s.Number, m.ID, key), got, w)
						}
					}
					for key := range want {
						if !seen[key] {
							t.Errorf("numpy's %s is not in the trace", key)
						}
					}
				})
			}
		}
	}
}

func compare(t *testing.T, what string, got *tensor.Dense[float64], want [][]float64) {
	t.Helper()
	if got.Rows() != len(want) || got.Cols() != len(want[0]) {
		t.Errorf("%s: shape %s; want (%d, %d)", what, got.Shape(), len(want), len(want[0]))
		return
	}
	for i, row := range want {
		for j, w := range row {
			if g := got.At(i, j); !closeTo(g, w) {
				t.Errorf("%s[%d,%d] = %.17g; numpy has %.17g", what, i, j, g, w)
			}
		}
	}
}

// run does what a training loop does: k−1 iterations of Forward,
// Backward and Update, then the k-th Forward and Backward, and returns
// the k-th cache and gradients, and the network after the k-th update.
func run(t *testing.T, net *nn.Network[float64], X, y *tensor.Dense[float64], k int, lr float64) (*nn.Cache[float64], *nn.Gradients[float64], *nn.Network[float64]) {
	t.Helper()
	n := net.Clone()
	for i := 1; ; i++ {
		c, err := n.Forward(X)
		if err != nil {
			t.Fatal(err)
		}
		g, err := n.Backward(c, y)
		if err != nil {
			t.Fatal(err)
		}
		n.Update(g, lr)
		if i == k {
			return c, g, n
		}
	}
}

// equalBits reports whether a and b hold the same float64 values, bit
// for bit, except that +0 and −0 count as equal: the trace shows nerve's
// gradients negated as 0 − dZ, whose zeros are +0, where the tutorials'
// E ⊙ slope can give −0.
func equalBits(a, b *tensor.Dense[float64]) bool {
	if a.Rows() != b.Rows() || a.Cols() != b.Cols() {
		return false
	}
	for i, v := range a.Data() {
		w := b.Data()[i]
		if math.Float64bits(v) != math.Float64bits(w) && (v != 0 || w != 0) {
			return false
		}
	}
	return true
}

func mustMatrix(t *testing.T, tr *Trace, id string) *tensor.Dense[float64] {
	t.Helper()
	m := tr.Matrix(id)
	if m == nil {
		t.Fatalf("the trace has no matrix %s", id)
	}
	return m.Value
}

// TestAgreesWithNerve checks, bit for bit, that the traced numbers are
// nerve's: the forward values are Forward's, the tutorials' quantities are
// Backward's negated, and the tutorials' update rules applied to the
// traced deltas, W + (A_prevᵀ·d)·lr and b + (Σᵢ d[i,:])·lr, give the
// weights Update gives.
func TestAgreesWithNerve(t *testing.T) {
	// Where Go may fuse a·b + c into one rounding (arm64, ppc64, s390x),
	// Update's W + (−lr)·dW can differ from the tutorials' separately
	// rounded steps in the last bit.
	exact := runtime.GOARCH == "amd64" || runtime.GOARCH == "386"
	for _, nw := range networks {
		for _, k := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s/iteration%d", nw.name, k), func(t *testing.T) {
				net, X, y := nw.make(t)
				tr, err := New(net, X, y, Options{Iteration: k, LR: nw.lr})
				if err != nil {
					t.Fatal(err)
				}
				cache, grads, after := run(t, net, X, y, k, nw.lr)
				L := len(net.Layers)
				fused := loss.LogitActivation(net.Loss) != ""
				bits := func(what string, got, want *tensor.Dense[float64]) {
					t.Helper()
					if !equalBits(got, want) {
						t.Errorf("%s:\n got %v\nwant %v", what, got, want)
					}
				}
				for i := range L {
					l := i + 1
					bits(fmt.Sprintf("Z%d", l), mustMatrix(t, tr, fmt.Sprintf("Z%d", l)), cache.Layers[i].Z)
					bits(fmt.Sprintf("A%d", l), mustMatrix(t, tr, fmt.Sprintf("A%d", l)), cache.Layers[i].A)
					bits(fmt.Sprintf("d%d = −dZ%d", l, l), neg(mustMatrix(t, tr, fmt.Sprintf("d%d", l))), grads.Layers[i].DZ)
					bits(fmt.Sprintf("new W%d", l), mustMatrix(t, tr, fmt.Sprintf("W%d.new", l)), after.Layers[i].W)
					if after.Layers[i].B != nil {
						bits(fmt.Sprintf("new b%d", l), mustMatrix(t, tr, fmt.Sprintf("b%d.new", l)), after.Layers[i].B)
					}
				}

				// The tutorials' formulas, from the traced matrices alone.
				E := mustMatrix(t, tr, "E")
				out := mustMatrix(t, tr, fmt.Sprintf("A%d", L))
				if net.Loss == loss.HalfSSE && net.Reduction == loss.Sum {
					want := tensor.Zeros[float64](y.Dims())
					want.Sub(y, out) // E = y − output
					bits("E = y − output", E, want)
				}
				for i := range L {
					l := i + 1
					if l == L && fused {
						bits("d_output = E", mustMatrix(t, tr, fmt.Sprintf("d%d", l)), E)
						continue
					}
					slope := mustMatrix(t, tr, fmt.Sprintf("slope%d", l))
					if net.Layers[i].Activation == activation.Sigmoid {
						a := mustMatrix(t, tr, fmt.Sprintf("A%d", l))
						want := tensor.Zeros[float64](a.Dims())
						want.Apply(func(v float64) float64 { return v * (1 - v) }, a)
						bits(fmt.Sprintf("slope%d = A%d(1 − A%d)", l, l, l), slope, want)
					}
					err := E
					if l < L {
						// Error_at_hidden_layer = d_output·W_outᵀ
						err = mustMatrix(t, tr, fmt.Sprintf("Error%d", l))
						want := tensor.Zeros[float64](err.Dims())
						tensor.MatMul(want, mustMatrix(t, tr, fmt.Sprintf("d%d", l+1)), tensor.NoTrans, mustMatrix(t, tr, fmt.Sprintf("W%d", l+1)), tensor.Trans)
						bits(fmt.Sprintf("Error%d = d%d·W%dᵀ", l, l+1, l+1), err, want)
					}
					want := tensor.Zeros[float64](err.Dims())
					want.MulElem(err, slope)
					bits(fmt.Sprintf("d%d = error ⊙ slope%d", l, l), mustMatrix(t, tr, fmt.Sprintf("d%d", l)), want)
				}
				for i := range L {
					l := i + 1
					aPrev := X
					if l > 1 {
						aPrev = mustMatrix(t, tr, fmt.Sprintf("A%d", l-1))
					}
					d := mustMatrix(t, tr, fmt.Sprintf("d%d", l))
					W := mustMatrix(t, tr, fmt.Sprintf("W%d", l))
					step := tensor.Zeros[float64](W.Dims())
					tensor.MatMul(step, aPrev, tensor.Trans, d, tensor.NoTrans) // A_prevᵀ·d
					want := tensor.Zeros[float64](W.Dims())
					for n, w := range W.Data() {
						want.Data()[n] = w + float64(step.Data()[n]*nw.lr) // W += (A_prevᵀ·d)·lr
					}
					check := bits
					if !exact {
						check = func(what string, got, want *tensor.Dense[float64]) {
							for n, v := range got.Data() {
								if !closeTo(v, want.Data()[n]) {
									t.Errorf("%s: element %d is %v; want %v", what, n, v, want.Data()[n])
								}
							}
						}
					}
					check(fmt.Sprintf("W%d += A_prevᵀ·d%d·lr", l, l), mustMatrix(t, tr, fmt.Sprintf("W%d.new", l)), want)
					if net.Layers[i].B == nil {
						continue
					}
					B := mustMatrix(t, tr, fmt.Sprintf("b%d", l))
					want = B.Clone()
					for j := range B.Cols() {
						var s float64
						for r := range d.Rows() {
							s += d.At(r, j)
						}
						want.Set(0, j, B.At(0, j)+float64(s*nw.lr)) // b += Σᵢ d[i,:]·lr
					}
					check(fmt.Sprintf("b%d += Σ d%d·lr", l, l), mustMatrix(t, tr, fmt.Sprintf("b%d.new", l)), want)
				}
			})
		}
	}
}

// TestStepNumbers checks which steps of the walk-through each network
// gets, in which order and for which layers.
func TestStepNumbers(t *testing.T) {
	want := map[string][]int{
		"hidden-layer": {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
		"xor":          {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, // no biases
		"deep":         {0, 1, 2, 3, 2, 3, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11},
		"softmax":      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
		"logistic":     {0, 1, 4, 5, 7, 10, 11}, // fused output: no slope
		"single-layer": {0, 1, 4, 5, 6, 7, 10},
	}
	layers := map[string][]int{
		"deep": {0, 0, 1, 1, 2, 2, 3, 3, 0, 3, 2, 2, 1, 1, 0, 0},
	}
	for _, nw := range networks {
		net, X, y := nw.make(t)
		tr, err := New(net, X, y, Options{LR: nw.lr})
		if err != nil {
			t.Fatal(err)
		}
		var got, gotLayers []int
		for i, s := range tr.Steps {
			if s.Number != i {
				t.Errorf("%s: step %d has number %d", nw.name, i, s.Number)
			}
			got = append(got, s.Tutorial)
			gotLayers = append(gotLayers, s.Layer)
			if len(s.Results) == 0 || len(s.Equations) == 0 || s.Title == "" || len(s.Go) == 0 || len(s.Vidhya) == 0 {
				t.Errorf("%s: step %d (%s) lacks results, equations, a title, Go or Analytics Vidhya lines", nw.name, i, s.Title)
			}
			if s.Focus.Result < 0 || s.Focus.Result >= len(s.Results) {
				t.Errorf("%s: step %d: focus on result %d of %d", nw.name, i, s.Focus.Result, len(s.Results))
			}
			if len(s.Explain(4)) == 0 {
				t.Errorf("%s: step %d: no worked example", nw.name, i)
			}
		}
		if !slices.Equal(got, want[nw.name]) {
			t.Errorf("%s: tutorial steps %v; want %v", nw.name, got, want[nw.name])
		}
		if w, ok := layers[nw.name]; ok && !slices.Equal(gotLayers, w) {
			t.Errorf("%s: layers %v; want %v", nw.name, gotLayers, w)
		}
	}
}

// TestNames checks the tutorials' names on the hidden-layer and xor
// traces, and that iamtrask's lines appear only without biases.
func TestNames(t *testing.T) {
	net, X, y := hiddenLayer(t, 1)
	tr, err := New(net, X, y, Options{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	vidhya := map[string]string{
		"X": "X", "y": "y", "W1": "wh", "b1": "bh", "W2": "wout", "b2": "bout",
		"Z1": "hidden_layer_input", "A1": "hiddenlayer_activations", "Z2": "output_layer_input", "A2": "output",
		"E": "E", "slope2": "slope_output_layer", "slope1": "slope_hidden_layer", "d2": "d_output",
		"Error1": "Error_at_hidden_layer", "d1": "d_hiddenlayer", "W2.new": "wout", "b2.new": "bout", "W1.new": "wh", "b1.new": "bh",
	}
	for id, name := range vidhya {
		if m := tr.Matrix(id); m == nil || m.Vidhya != name {
			t.Errorf("hidden-layer: %s: Analytics Vidhya name %v; want %s", id, m, name)
		}
	}
	for _, s := range tr.Steps {
		if len(s.Trask) > 0 {
			t.Errorf("hidden-layer: step %d has iamtrask lines %q, but iamtrask's network has no biases", s.Number, s.Trask)
		}
	}
	net, X, y = xor(t, 1)
	tr, err = New(net, X, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	trask := map[string]string{
		"X": "l0", "W1": "syn0", "W2": "syn1", "A1": "l1", "A2": "l2", "E": "l2_error",
		"d2": "l2_delta", "Error1": "l1_error", "d1": "l1_delta",
	}
	for id, name := range trask {
		if m := tr.Matrix(id); m == nil || m.Trask != name {
			t.Errorf("xor: %s: iamtrask name %v; want %s", id, m, name)
		}
	}
	if got := tr.Steps[7].Trask; !slices.Equal(got, []string{"l2_delta = l2_error*nonlin(l2,deriv=True)"}) {
		t.Errorf("xor: step 7 iamtrask line %q", got)
	}
}

// TestSources checks the cells a result is computed from, in both
// layouts.
func TestSources(t *testing.T) {
	net, X, y := hiddenLayer(t, 1)
	type src struct {
		id    string
		cells []Cell
	}
	tests := []struct {
		step   int
		result int
		cell   Cell
		layout Layout
		want   []src
	}{
		// Z1[1,2] = X[1,:]·W1[:,2] + b1[0,2]
		{2, 0, Cell{1, 2}, Rows, []src{{"X", []Cell{{1, 0}, {1, 1}, {1, 2}, {1, 3}}}, {"W1", []Cell{{0, 2}, {1, 2}, {2, 2}, {3, 2}}}, {"b1", []Cell{{0, 2}}}}},
		// Columns: Z1 is 3×3 transposed, cell (2,1) is sample 1, unit 2.
		{2, 0, Cell{2, 1}, Columns, []src{{"X", []Cell{{0, 1}, {1, 1}, {2, 1}, {3, 1}}}, {"W1", []Cell{{2, 0}, {2, 1}, {2, 2}, {2, 3}}}, {"b1", []Cell{{2, 0}}}}},
		// output[2,0] = σ(Z2[2,0]), the second result of step 4
		{4, 1, Cell{2, 0}, Rows, []src{{"Z2", []Cell{{2, 0}}}}},
		// Error1[1,2] = d2[1,:]·W2[2,:]
		{8, 0, Cell{1, 2}, Rows, []src{{"d2", []Cell{{1, 0}}}, {"W2", []Cell{{2, 0}}}}},
		// new W1[3,1] = W1[3,1] + X[:,3]·d1[:,1]·lr
		{10, 1, Cell{3, 1}, Rows, []src{{"W1", []Cell{{3, 1}}}, {"X", []Cell{{0, 3}, {1, 3}, {2, 3}}}, {"d1", []Cell{{0, 1}, {1, 1}, {2, 1}}}}},
		{10, 1, Cell{1, 3}, Columns, []src{{"W1", []Cell{{1, 3}}}, {"X", []Cell{{3, 0}, {3, 1}, {3, 2}}}, {"d1", []Cell{{1, 0}, {1, 1}, {1, 2}}}}},
		// new b1[0,2] = b1[0,2] + Σ d1[:,2]·lr
		{11, 1, Cell{0, 2}, Rows, []src{{"b1", []Cell{{0, 2}}}, {"d1", []Cell{{0, 2}, {1, 2}, {2, 2}}}}},
		{0, 0, Cell{0, 0}, Rows, nil},
	}
	for _, tt := range tests {
		tr, err := New(net, X, y, Options{LR: 0.1, Layout: tt.layout})
		if err != nil {
			t.Fatal(err)
		}
		s := tr.Steps[tt.step]
		var got []src
		for _, g := range s.Sources(tt.result, tt.cell) {
			got = append(got, src{g.Matrix.ID, g.Cells})
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("step %d, %s %v (%s): sources %v; want %v", tt.step, s.Results[tt.result].ID, tt.cell, tt.layout, got, tt.want)
		}
	}
}

// TestSourcesInBounds checks, for every result cell of every step of
// every test network, that its sources are cells of the step's inputs or
// results, inside them.
func TestSourcesInBounds(t *testing.T) {
	for _, nw := range networks {
		for _, layout := range []Layout{Rows, Columns} {
			net, X, y := nw.make(t)
			tr, err := New(net, X, y, Options{LR: nw.lr, Layout: layout})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tr.Steps {
				for r, m := range s.Results {
					for i := range m.Value.Rows() {
						for j := range m.Value.Cols() {
							srcs := s.Sources(r, Cell{i, j})
							if len(s.Inputs) > 0 && len(srcs) == 0 {
								t.Errorf("%s %s step %d: %s[%d,%d] has no sources", nw.name, layout, s.Number, m.ID, i, j)
							}
							for _, src := range srcs {
								if !slices.Contains(s.Inputs, src.Matrix) && !slices.Contains(s.Results, src.Matrix) {
									t.Errorf("%s %s step %d: %s reads %s, which the step does not show", nw.name, layout, s.Number, m.ID, src.Matrix.ID)
								}
								for _, c := range src.Cells {
									if c.Row < 0 || c.Row >= src.Matrix.Value.Rows() || c.Col < 0 || c.Col >= src.Matrix.Value.Cols() {
										t.Errorf("%s %s step %d: %s[%d,%d] reads %s%v, outside %s", nw.name, layout, s.Number, m.ID, i, j, src.Matrix.ID, c, src.Matrix.Shape())
									}
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestColumnsTransposes checks that the Columns layout shows every matrix
// transposed and says so in its Go expression.
func TestColumnsTransposes(t *testing.T) {
	net, X, y := deep(t)
	rows, err := New(net, X, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cols, err := New(net, X, y, Options{Layout: Columns})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range rows.Steps {
		for r, m := range s.Results {
			c := cols.Steps[i].Results[r]
			if !equalBits(c.Value, m.Value.Transpose()) {
				t.Errorf("step %d: %s in columns is not the transpose of rows", i, m.ID)
			}
			if c.Go != m.Go+"ᵀ" && !strings.Contains(c.Go, "ᵀ ") {
				t.Errorf("step %d: %s: Go %q in columns; want a transpose of %q", i, m.ID, c.Go, m.Go)
			}
		}
	}
	if got := cols.Steps[2].Equations[0]; got != "Z1 = W1·X + b1" {
		t.Errorf("columns step 2: %q; want Z1 = W1·X + b1", got)
	}
	if got := rows.Steps[2].Equations[0]; got != "Z1 = X·W1 + b1" {
		t.Errorf("rows step 2: %q; want Z1 = X·W1 + b1", got)
	}
}

// TestInputsUnchanged checks that New modifies neither the network nor
// the data, and that the trace does not share their storage.
func TestInputsUnchanged(t *testing.T) {
	net, X, y := hiddenLayer(t, 1)
	net0, X0, y0 := net.Clone(), X.Clone(), y.Clone()
	tr, err := New(net, X, y, Options{Iteration: 3, LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range net.Layers {
		if !equalBits(l.W, net0.Layers[i].W) || !equalBits(l.B, net0.Layers[i].B) {
			t.Errorf("layer %d changed", i+1)
		}
	}
	if !equalBits(X, X0) || !equalBits(y, y0) {
		t.Error("X or y changed")
	}
	tr.Matrix("X").Value.Set(0, 0, 42)
	if X.At(0, 0) == 42 {
		t.Error("the trace shares X's storage")
	}
}

func TestNewErrors(t *testing.T) {
	net, X, y := hiddenLayer(t, 1)
	softHidden, err := nn.New[float64](nn.Config{
		Inputs: 4,
		Layers: []nn.LayerSpec{{Units: 3, Activation: activation.Softmax}, {Units: 1, Activation: activation.Sigmoid}},
		Loss:   loss.HalfSSE,
	}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	softSSE, err := nn.New[float64](nn.Config{
		Inputs: 4,
		Layers: []nn.LayerSpec{{Units: 2, Activation: activation.Softmax}},
		Loss:   loss.SSE,
	}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		net  *nn.Network[float64]
		X, y *tensor.Dense[float64]
		o    Options
		want error
		text string
	}{
		{"negative iteration", net, X, y, Options{Iteration: -1}, ErrOptions, "iteration -1"},
		{"negative lr", net, X, y, Options{LR: -0.1}, ErrOptions, "learning rate"},
		{"NaN lr", net, X, y, Options{LR: math.NaN()}, ErrOptions, "learning rate"},
		{"Inf lr", net, X, y, Options{LR: math.Inf(1)}, ErrOptions, "learning rate"},
		{"bad layout", net, X, y, Options{Layout: 7}, ErrOptions, "layout(7)"},
		{"nil network", nil, X, y, Options{}, nn.ErrConfig, "nil network"},
		{"X columns", net, tensor.Zeros[float64](3, 5), y, Options{}, nn.ErrShape, "5 features"},
		{"y rows", net, X, tensor.Zeros[float64](2, 1), Options{}, nn.ErrShape, "targets"},
		{"no samples", net, tensor.Zeros[float64](0, 4), tensor.Zeros[float64](0, 1), Options{}, nn.ErrShape, "no samples"},
		{"hidden softmax", softHidden, X, y, Options{}, ErrUnsupported, "layer 1 is softmax"},
		{"softmax without cross-entropy", softSSE, X, tensor.Zeros[float64](3, 2), Options{}, ErrUnsupported, "layer 1 is softmax"},
	}
	for _, tt := range tests {
		_, err := New(tt.net, tt.X, tt.y, tt.o)
		if !errors.Is(err, tt.want) || !strings.Contains(fmt.Sprint(err), tt.text) {
			t.Errorf("%s: error %v; want one wrapping %v that contains %q", tt.name, err, tt.want, tt.text)
		}
	}
}

func TestParseLayout(t *testing.T) {
	for _, l := range []Layout{Rows, Columns} {
		got, err := ParseLayout(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLayout(%q) = %v, %v", l.String(), got, err)
		}
	}
	if _, err := ParseLayout("diagonal"); !errors.Is(err, ErrOptions) {
		t.Errorf("ParseLayout(diagonal): error %v; want ErrOptions", err)
	}
}
