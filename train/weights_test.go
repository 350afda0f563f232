package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// irisWeights returns integer weights 0 to 3 for iris's 150 samples.
func irisWeights() []float64 {
	w := make([]float64, 150)
	for i := range w {
		w[i] = float64((i * 7) % 4)
	}
	return w
}

// repeatRows returns M with row i repeated w[i] times.
func repeatRows[T tensor.Float](M *tensor.Dense[T], w []float64) *tensor.Dense[T] {
	var rows [][]T
	for i, n := range w {
		for range int(n) {
			rows = append(rows, M.Row(i))
		}
	}
	return tensor.FromRows(rows)
}

// Integer sample weights train exactly as repeating the rows does: full
// batches of plain gradient descent, under both reductions, reach the
// same parameters (to rounding) and the same losses.
func TestSampleWeightsRepeatRows(t *testing.T) {
	X, Y := iris[float64](t)
	w := irisWeights()
	RX, RY := repeatRows(X, w), repeatRows(Y, w)
	for _, r := range []loss.Reduction{loss.Mean, loss.Sum} {
		lr := 0.1
		if r == loss.Sum {
			lr = 0.1 / 225 // Σw
		}
		fitWith := func(X, Y *tensor.Dense[float64], w []float64) (*nn.Network[float64], *History) {
			net := newClassifier[float64](t, 3, 5)
			net.Reduction = r
			opt, err := optim.New[float64]("sgd", lr)
			if err != nil {
				t.Fatal(err)
			}
			h, err := Fit(context.Background(), net, X, Y, Config[float64]{Epochs: 20, BatchSize: -1, NoShuffle: true, Optimizer: opt, SampleWeights: w})
			if err != nil {
				t.Fatal(err)
			}
			return net, h
		}
		wn, wh := fitWith(X, Y, w)
		rn, rh := fitWith(RX, RY, nil)
		for e := range wh.Epochs {
			if a, b := wh.Epochs[e].Loss, rh.Epochs[e].Loss; math.Abs(a-b) > 1e-12*math.Abs(b) {
				t.Errorf("%s: epoch %d: weighted loss %v, repeated rows %v", r, e+1, a, b)
			}
		}
		for l := range wn.Layers {
			for i, v := range rn.Layers[l].W.Data() {
				if d := wn.Layers[l].W.Data()[i]; math.Abs(d-v) > 1e-11*(1+math.Abs(v)) {
					t.Fatalf("%s: W%d[%d] = %v with weights, %v with repeated rows", r, l+1, i, d, v)
				}
			}
		}
		if u, _ := fitWith(X, Y, nil); sameNetworks(u, wn) {
			t.Errorf("%s: the weights changed nothing", r)
		}
	}
}

// Weights of 1 give the unweighted run bit for bit: shuffled
// mini-batches, a held-out validation fraction, both precisions.
func TestUnitSampleWeightsBitIdentical(t *testing.T) {
	testUnitSampleWeights[float32](t)
	testUnitSampleWeights[float64](t)
}

func testUnitSampleWeights[T tensor.Float](t *testing.T) {
	X, Y := iris[T](t)
	ones := make([]float64, X.Rows())
	for i := range ones {
		ones[i] = 1
	}
	run := func(w []float64) (*nn.Network[T], *History) {
		net := newClassifier[T](t, 2, 6)
		h, err := Fit(context.Background(), net, X, Y, Config[T]{Epochs: 5, BatchSize: 16, Seed: 4, ValidationFraction: 0.2, SampleWeights: w})
		if err != nil {
			t.Fatal(err)
		}
		return net, h
	}
	a, ha := run(nil)
	b, hb := run(ones)
	if err := sameHistory(ha, hb); err != nil {
		t.Errorf("%T: weights 1 against none: %v", T(0), err)
	}
	if !sameNetworks(a, b) {
		t.Errorf("%T: weights 1 reach other parameters than no weights", T(0))
	}
}

// The validation loss is weighted by ValSampleWeights, and by the held-out
// samples' own weights under ValidationFraction.
func TestWeightedValidationLoss(t *testing.T) {
	X, Y := iris[float64](t)
	w := irisWeights()
	vx, vy, vw := X.Slice(100, 150), Y.Slice(100, 150), w[100:]
	net := newClassifier[float64](t, 1, 4)
	h, err := Fit(context.Background(), net, X.Slice(0, 100), Y.Slice(0, 100), Config[float64]{Epochs: 2, ValX: vx, ValY: vy, ValSampleWeights: vw})
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Forward(vx)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := net.CostWeighted(c, vy, vw)
	unweighted, _ := net.Cost(c, vy)
	if got := h.Last().ValLoss; math.Abs(got-want) > 1e-12 || math.Abs(got-unweighted) < 1e-6 {
		t.Errorf("validation loss %v; want the weighted %v (unweighted %v)", got, want, unweighted)
	}

	// Held out: the validation loss with weights differs from without,
	// and zero weights on every held-out sample are an error.
	run := func(w []float64) (*History, error) {
		return Fit(context.Background(), newClassifier[float64](t, 1, 4), X, Y, Config[float64]{Epochs: 1, Seed: 2, ValidationFraction: 0.2, SampleWeights: w})
	}
	hw, err := run(w)
	if err != nil {
		t.Fatal(err)
	}
	hn, _ := run(nil)
	if hw.Last().ValLoss == hn.Last().ValLoss {
		t.Errorf("held-out validation loss %v with and without weights", hw.Last().ValLoss)
	}
}

func TestSampleWeightErrors(t *testing.T) {
	X, Y := iris[float64](t)
	bad := func(i int, v float64) []float64 {
		w := irisWeights()
		w[i] = v
		return w
	}
	for _, tc := range []struct {
		name string
		cfg  Config[float64]
		is   error
		msg  string
	}{
		{"negative", Config[float64]{SampleWeights: bad(6, -1)}, ErrData, "SampleWeights: invalid sample weight: sample 7 has weight -1"},
		{"NaN", Config[float64]{SampleWeights: bad(0, math.NaN())}, loss.ErrWeight, "sample 1 has weight NaN"},
		{"Inf", Config[float64]{SampleWeights: bad(149, math.Inf(1))}, ErrData, "sample 150 has weight +Inf"},
		{"length", Config[float64]{SampleWeights: make([]float64, 149)}, ErrData, "149 weights for 150 samples"},
		{"zero", Config[float64]{SampleWeights: make([]float64, 150)}, ErrData, "every weight is 0"},
		{"validation length", Config[float64]{ValX: X.Slice(0, 5), ValY: Y.Slice(0, 5), ValSampleWeights: []float64{1}}, ErrData, "ValSampleWeights: invalid sample weight: 1 weights for 5 samples"},
		{"validation without ValX", Config[float64]{ValSampleWeights: []float64{1}}, ErrConfig, "ValSampleWeights without ValX"},
	} {
		net := newClassifier[float64](t, 1, 4)
		before := net.Clone()
		_, err := Fit(context.Background(), net, X, Y, tc.cfg)
		if !errors.Is(err, tc.is) || !strings.Contains(fmt.Sprint(err), tc.msg) {
			t.Errorf("%s: %v; want %v naming %q", tc.name, err, tc.is, tc.msg)
		}
		if !sameNetworks(net, before) {
			t.Errorf("%s: a rejected Fit changed the network", tc.name)
		}
	}
}

// A classifier's validation hold-out is stratified: each class keeps its
// share within one sample. The draws come from the seed.
func TestHoldOutStratified(t *testing.T) {
	counts := []int{90, 25, 5} // imbalanced, in shuffled order
	var labels []int
	for c, n := range counts {
		for range n {
			labels = append(labels, c)
		}
	}
	rng.New(9).Shuffle(len(labels), func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
	softmaxY := tensor.Zeros[float64](len(labels), 3)
	sigmoidY := tensor.Zeros[float64](len(labels), 1)
	for i, c := range labels {
		softmaxY.Set(i, c, 1)
		if c > 0 {
			sigmoidY.Set(i, 0, 1)
		}
	}
	softmaxNet := newClassifier[float64](t, 1, 4)
	sigmoidNet, err := nn.New[float64](nn.Config{Inputs: 4, Loss: loss.BinaryCrossEntropy, Layers: []nn.LayerSpec{{Units: 1, Activation: activation.Sigmoid}}}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, frac := range []float64{0.1, 0.2, 0.33} {
		for seed := range uint32(5) {
			for _, tc := range []struct {
				name   string
				net    *nn.Network[float64]
				Y      *tensor.Dense[float64]
				counts []int
				class  func(i int) int
			}{
				{"softmax", softmaxNet, softmaxY, counts, func(i int) int { return labels[i] }},
				{"sigmoid", sigmoidNet, sigmoidY, []int{90, 30}, func(i int) int { return min(labels[i], 1) }},
			} {
				held, err := holdOut(tc.net, tc.Y, frac, rng.New(seed))
				if err != nil {
					t.Fatal(err)
				}
				got := make([]int, len(tc.counts))
				total := 0
				for i, h := range held {
					if h {
						got[tc.class(i)]++
						total++
					}
				}
				for c, n := range tc.counts {
					if want := frac * float64(n); math.Abs(float64(got[c])-want) > 1 {
						t.Errorf("%s, fraction %v, seed %d: class %d has %d of %d held out; want %.1f ± 1", tc.name, frac, seed, c, got[c], n, want)
					}
				}
				again, _ := holdOut(tc.net, tc.Y, frac, rng.New(seed))
				for i := range held {
					if held[i] != again[i] {
						t.Fatalf("%s: the same seed held out other samples", tc.name)
					}
				}
			}
		}
	}
}

// A regressor's hold-out is the random one: the first round(fraction·n)
// of a permutation from the seed, whatever the targets.
func TestHoldOutRegressionRandom(t *testing.T) {
	net, err := nn.New[float64](nn.Config{Inputs: 2, Loss: loss.MSE, Layers: []nn.LayerSpec{{Units: 2}}}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	Y := tensor.Zeros[float64](40, 2)
	for i := range 40 {
		Y.Set(i, i%2, 1) // one-hot-looking rows must not make it stratify
	}
	differs := false
	for seed := range uint32(10) {
		held, err := holdOut(net, Y, 0.25, rng.New(seed))
		if err != nil {
			t.Fatal(err)
		}
		want := make([]bool, 40)
		for _, i := range rng.New(seed).Perm(40)[:10] {
			want[i] = true
		}
		odd := 0
		for i := range held {
			if held[i] != want[i] {
				t.Fatalf("seed %d: sample %d held %v; want %v (the permutation's first 10)", seed, i, held[i], want[i])
			}
			if held[i] && i%2 == 1 {
				odd++
			}
		}
		differs = differs || odd != 5
	}
	if !differs {
		t.Error("every random split kept the halves' shares exactly: it looks stratified")
	}
}
