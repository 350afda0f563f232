package nn

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// fusedNets returns networks whose hidden layers have every activation
// (one of them without bias), with hidden giving their widths, and an
// output layer of out units. With every set, it returns one for every
// loss, reduction and output activation the loss accepts, and the same
// without hidden layers; else one for each output activation, with a
// loss computed from the logits where there is one and MSE otherwise.
func fusedNets[T tensor.Float](t testing.TB, inputs int, hidden []int, out int, every bool) []*Network[T] {
	var stack []LayerSpec
	for i, k := range activation.Kinds() {
		stack = append(stack, LayerSpec{Units: hidden[i], Activation: k, NoBias: k == activation.Tanh})
	}
	var nets []*Network[T]
	add := func(layers []LayerSpec, f activation.Kind, lk loss.Kind, r loss.Reduction) {
		cfg := Config{Inputs: inputs, Loss: lk, Reduction: r, BiasInit: Uniform,
			Layers: append(slices.Clone(layers), LayerSpec{Units: out, Activation: f})}
		net, err := New[T](cfg, rng.New(uint32(len(nets)+1)))
		if err != nil {
			t.Fatal(err)
		}
		nets = append(nets, net)
	}
	for _, f := range activation.Kinds() {
		if !every {
			lk := map[activation.Kind]loss.Kind{activation.Sigmoid: loss.BinaryCrossEntropy, activation.Softmax: loss.CrossEntropy}[f]
			add(stack, f, lk, loss.Mean) // the zero Kind is SSE
			continue
		}
		for _, lk := range loss.Kinds() {
			if want := loss.LogitActivation(lk); want != "" && f.String() != want {
				continue
			}
			for _, r := range []loss.Reduction{loss.Mean, loss.Sum} {
				add(stack, f, lk, r)
				add(nil, f, lk, r)
			}
		}
	}
	return nets
}

// TestPlainMatchesFused pins the path training runs (ForwardInto and
// BackwardInto, fused.go) to the one a learner reads (Forward and
// Backward: Layer.Forward, OutputDelta, Layer.LinearBackward and
// Layer.Backward), bit for bit: every cached Z and A and every dA, dZ,
// dW, db and dA_prev, for every activation (each a hidden layer, and each
// output layer a loss accepts), every loss and reduction, float32 and
// float64, on one and two kernel threads. No tolerance is needed: a fused
// step sums every element of a product in the order tensor.MatMul does
// and then applies the same element-wise loops (package kernel,
// epilogue.go), and the bias gradient adds the rows in order like
// Dense.SumRows. Every other batch is weighted (BackwardWeighted
// against BackwardIntoWeighted), with one weight 0. The fused side reuses one Cache and two Gradients (one
// with NoInputGrad) over batches of changing size, so stale values in
// reused buffers would show. The hidden layers are wide enough for the
// products to be split between two threads, and narrow enough (m = 1) for
// the unsplit paths.
func TestPlainMatchesFused(t *testing.T) {
	defer tensor.SetThreads(0)
	for _, threads := range []int{1, 2} {
		tensor.SetThreads(threads)
		testPlainMatchesFused[float32](t, threads)
		testPlainMatchesFused[float64](t, threads)
	}
}

func testPlainMatchesFused[T tensor.Float](t *testing.T, threads int) {
	// Every loss, reduction and output activation, on narrow layers.
	for _, net := range fusedNets[T](t, 10, []int{7, 9, 3, 8, 5, 4}, 5, true) {
		comparePaths(t, net, threads, []int{6, 1, 11, 6})
	}
	// Every activation, hidden and output, on layers wide enough for the
	// products to be split between two threads (a batch of 96), and on
	// one sample; 333 inputs are more than one block of the kernels' sums
	// (320).
	for _, net := range fusedNets[T](t, 333, []int{67, 80, 33, 96, 71, 64}, 5, false) {
		comparePaths(t, net, threads, []int{96, 1, 13, 96})
	}
}

// comparePaths runs net's plain and fused steps on batches of the sizes
// given, the fused ones into the same buffers, and fails the test unless
// they give the same bits.
func comparePaths[T tensor.Float](t *testing.T, net *Network[T], threads int, batches []int) {
	t.Helper()
	var c Cache[T]
	var g, gs Gradients[T]
	gs.NoInputGrad = true
	for bi, m := range batches {
		name := fmt.Sprintf("%T, %d threads, %d layers to %v, %v loss (%v), batch %d of %d samples, weighted %v",
			T(0), threads, len(net.Layers), net.Layers[len(net.Layers)-1].Activation, net.Loss, net.Reduction, bi, m, bi%2 == 1)
		X, Y := batch(net, m, uint32(bi+1))
		plainC, err := net.Forward(X)
		if err != nil {
			t.Fatal(err)
		}
		if err := net.ForwardInto(&c, X); err != nil {
			t.Fatal(err)
		}
		if c.Layers[0].APrev != X {
			t.Fatalf("%s: ForwardInto's A_prev of layer 1 is not X", name)
		}
		for l := range net.Layers {
			bitsEqual(t, name, l, "Z", c.Layers[l].Z, plainC.Layers[l].Z)
			bitsEqual(t, name, l, "A", c.Layers[l].A, plainC.Layers[l].A)
		}
		w := sampleWeights(m, bi)
		plainG, err := net.BackwardWeighted(plainC, Y, w)
		if err != nil {
			t.Fatal(err)
		}
		for _, gr := range []*Gradients[T]{&g, &gs} {
			if err := net.BackwardIntoWeighted(gr, &c, Y, w); err != nil {
				t.Fatal(err)
			}
			for l := range net.Layers {
				pg, fg := plainG.Layers[l], gr.Layers[l]
				what := fmt.Sprintf("(NoInputGrad %v) ", gr.NoInputGrad)
				if l == 0 && gr.NoInputGrad {
					pg.DAPrev = nil
				}
				bitsEqual(t, name, l, what+"dA", fg.DA, pg.DA)
				bitsEqual(t, name, l, what+"dZ", fg.DZ, pg.DZ)
				bitsEqual(t, name, l, what+"dW", fg.DW, pg.DW)
				bitsEqual(t, name, l, what+"db", fg.DB, pg.DB)
				bitsEqual(t, name, l, what+"dA_prev", fg.DAPrev, pg.DAPrev)
			}
		}
		pred, err := net.Predict(X)
		if err != nil {
			t.Fatal(err)
		}
		bitsEqual(t, name, len(net.Layers)-1, "Predict's output A", pred, plainC.Output())
	}
}

// sampleWeights returns nil for the even batches bi and, for the odd
// ones, m weights in [0, 3) with the first one 0.
func sampleWeights(m, bi int) []float64 {
	if bi%2 == 0 {
		return nil
	}
	src := rng.New(uint32(100 + bi))
	w := make([]float64, m)
	for i := 1; i < m; i++ {
		w[i] = src.Uniform(0, 3)
	}
	return w
}

// bitsEqual fails the test unless the fused path's matrix got has the
// plain path's want bits (both may be nil).
func bitsEqual[T tensor.Float](t *testing.T, name string, l int, what string, got, want *tensor.Dense[T]) {
	t.Helper()
	if got == nil || want == nil {
		if got != want {
			t.Fatalf("%s: layer %d: fused %s is %v, plain %v", name, l+1, what, got == nil, want == nil)
		}
		return
	}
	if got.Rows() != want.Rows() || got.Cols() != want.Cols() {
		t.Fatalf("%s: layer %d: fused %s is %s, plain %s", name, l+1, what, got.Shape(), want.Shape())
	}
	for i, w := range want.Data() {
		if g := got.Data()[i]; math.Float64bits(float64(g)) != math.Float64bits(float64(w)) {
			t.Fatalf("%s: layer %d: fused %s[%d, %d] = %v, plain %v", name, l+1, what, i/want.Cols(), i%want.Cols(), g, w)
		}
	}
}

func TestDenseStepsPanic(t *testing.T) {
	x, w := tensor.Zeros[float64](4, 3), tensor.Zeros[float64](3, 2)
	z, a, b := tensor.Zeros[float64](4, 2), tensor.Zeros[float64](4, 2), tensor.Zeros[float64](1, 2)
	dzNext := tensor.Zeros[float64](4, 3)
	wNext := tensor.Zeros[float64](2, 3)
	relu := activation.ReLU
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"W rows", "A_prev (4, 3) · W (2, 2)", func() { ForwardDense(relu, a, z, x, tensor.Zeros[float64](2, 2), b) }},
		{"Z shape", "into Z (4, 3)", func() { ForwardDense(relu, a, tensor.Zeros[float64](4, 3), x, w, b) }},
		{"A shape", "A is (4, 3), want (4, 2)", func() { ForwardDense(relu, tensor.Zeros[float64](4, 3), z, x, w, b) }},
		{"bias", "b is (1, 3)", func() { ForwardDense(relu, a, z, x, w, tensor.Zeros[float64](1, 3)) }},
		{"Z is A_prev", "shares storage", func() { ForwardDense(relu, a, tensor.New(4, 2, x.Data()[:8]), x, w, nil) }},
		{"kind", "invalid kind", func() { ForwardDense(activation.Kind(9), a, z, x, w, b) }},
		{"dA shape", "into dA (4, 3)", func() { BackwardDense(relu, z, nil, tensor.Zeros[float64](4, 3), dzNext, wNext, z, a) }},
		{"Z shape", "Z is (4, 3), want (4, 2)", func() { BackwardDense(relu, z, nil, a, dzNext, wNext, tensor.Zeros[float64](4, 3), a) }},
		{"db", "db is (1, 3)", func() { BackwardDense(relu, z, tensor.Zeros[float64](1, 3), a, dzNext, wNext, z, a) }},
		{"dZ is dZ_next", "shares storage", func() {
			d := tensor.Zeros[float64](4, 2)
			BackwardDense(relu, d, nil, a, d, tensor.Zeros[float64](2, 2), z, a)
		}},
		{"kind", "invalid kind", func() { BackwardDense(activation.Kind(-1), z, nil, a, dzNext, wNext, z, a) }},
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("%s: panic %v, want one containing %q", c.name, r, c.want)
				}
			}()
			c.f()
		}()
	}
}
