package train

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// TestFitMatchesPlainLoop trains with Fit and with the plainest loop
// that does what Fit documents — copy the held-out validation samples
// out, draw a new permutation every epoch, copy each batch's samples into
// new matrices, step, and score the validation data in one forward pass —
// and requires the same weights and history bit for bit, except the
// validation loss, which Fit sums in blocks of EvalRows and so may differ
// in its last digits. The validation sets are larger than EvalRows.
func TestFitMatchesPlainLoop(t *testing.T) {
	testFitMatchesPlainLoop[float32](t)
	testFitMatchesPlainLoop[float64](t)
}

func testFitMatchesPlainLoop[T tensor.Float](t *testing.T) {
	const n = 3001
	weights := make([]float64, n)
	for i := range weights {
		weights[i] = float64(i%5) / 2
	}
	for _, c := range []Config[T]{
		{Epochs: 3, BatchSize: 64, ValidationFraction: 0.4, Seed: 5},
		{Epochs: 2, BatchSize: 77, Seed: 9},
		{Epochs: 3, BatchSize: -1, NoShuffle: true, Seed: 2},
		{Epochs: 2, BatchSize: 100, NoShuffle: true, ValidationFraction: 0.5, Seed: 3},
		{Epochs: 2, BatchSize: 50, ValidationFraction: 0.6, Seed: 4, SampleWeights: weights},
		{Epochs: 2, BatchSize: 128, NoShuffle: true, Seed: 6, SampleWeights: weights},
	} {
		t.Run(fmt.Sprintf("%T/batch%d/val%v/noshuffle%v/weights%v", T(0), c.BatchSize, c.ValidationFraction, c.NoShuffle, c.SampleWeights != nil), func(t *testing.T) {
			src := rng.New(7)
			X, Y := tensor.Zeros[T](n, 4), tensor.Zeros[T](n, 3)
			for i := range n {
				for j := range 4 {
					X.Set(i, j, T(src.NormFloat64()))
				}
				Y.Set(i, (i+int(3*math.Abs(float64(X.At(i, 1)))))%3, 1)
			}
			net, plain := newClassifier[T](t, 1, 16, 8), newClassifier[T](t, 1, 16, 8)
			opt, _ := optim.New[T]("adam", 0.01)
			c.Optimizer = opt
			hist, err := Fit(context.Background(), net, X, Y, c)
			if err != nil {
				t.Fatal(err)
			}
			want := plainLoop(t, plain, X, Y, c)
			if !sameNetworks(net, plain) {
				t.Errorf("Fit and the plain loop reach different weights")
			}
			if len(hist.Epochs) != len(want) {
				t.Fatalf("Fit ran %d epochs, the plain loop %d", len(hist.Epochs), len(want))
			}
			for i, got := range hist.Epochs {
				w := want[i]
				if !sameBits(got.Loss, w.Loss) || !sameBits(got.Accuracy, w.Accuracy) || !sameBits(got.ValAccuracy, w.ValAccuracy) {
					t.Errorf("epoch %d: Fit's loss %v, accuracy %v, validation accuracy %v; the plain loop's %v, %v, %v", i+1, got.Loss, got.Accuracy, got.ValAccuracy, w.Loss, w.Accuracy, w.ValAccuracy)
				}
				if d := math.Abs(got.ValLoss - w.ValLoss); d > 1e-12*math.Abs(w.ValLoss) || math.IsNaN(got.ValLoss) != math.IsNaN(w.ValLoss) {
					t.Errorf("epoch %d: Fit's validation loss %v, the plain loop's %v", i+1, got.ValLoss, w.ValLoss)
				}
			}
		})
	}
}

// plainLoop trains net as cfg says (Epochs, BatchSize, Seed, NoShuffle,
// ValidationFraction, SampleWeights, the optimizer) in the plainest way, and returns
// the epochs' records.
func plainLoop[T tensor.Float](t *testing.T, net *nn.Network[T], X, Y *tensor.Dense[T], cfg Config[T]) []EpochStats {
	src := rng.New(cfg.Seed)
	var vx, vy *tensor.Dense[T]
	W, vw := cfg.SampleWeights, []float64(nil)
	if cfg.ValidationFraction > 0 {
		isVal, err := holdOut(net, Y, cfg.ValidationFraction, src)
		if err != nil {
			t.Fatal(err)
		}
		var tr, va []int
		var tw []float64
		for i, v := range isVal {
			if v {
				va = append(va, i)
			} else {
				tr = append(tr, i)
			}
			if W != nil && v {
				vw = append(vw, W[i])
			} else if W != nil {
				tw = append(tw, W[i])
			}
		}
		vx, vy = rowsOf(X, va), rowsOf(Y, va)
		X, Y, W = rowsOf(X, tr), rowsOf(Y, tr), tw
	}
	opt, _ := optim.New[T]("adam", 0.01)
	step := newTrainer(net, opt)
	n, bs := X.Rows(), cfg.BatchSize
	if bs == -1 {
		bs = n
	}
	var out []EpochStats
	for e := 1; e <= cfg.Epochs; e++ {
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		if !cfg.NoShuffle {
			order = src.Perm(n)
		}
		rec := EpochStats{Epoch: e, ValLoss: math.NaN(), ValAccuracy: math.NaN()}
		var sum, correct, total float64
		for lo := 0; lo < n; lo += bs {
			hi := min(lo+bs, n)
			var wb []float64
			sw := float64(hi - lo)
			if W != nil {
				sw = 0
				for _, i := range order[lo:hi] {
					wb = append(wb, W[i])
					sw += W[i]
				}
			}
			cost, hits, err := step.step(rowsOf(X, order[lo:hi]), rowsOf(Y, order[lo:hi]), wb)
			if err != nil {
				t.Fatal(err)
			}
			sum += cost * sw
			total += sw
			correct += hits
		}
		rec.Loss, rec.Accuracy = sum/total, correct/float64(n)
		if vx != nil {
			var c nn.Cache[T]
			if err := net.ForwardInto(&c, vx); err != nil {
				t.Fatal(err)
			}
			cost, err := net.CostWeighted(&c, vy, vw)
			if err != nil {
				t.Fatal(err)
			}
			rec.ValLoss, rec.ValAccuracy = cost, hits(c.Output(), vy, true)/float64(vx.Rows())
		}
		out = append(out, rec)
	}
	if net.Reduction != loss.Mean {
		t.Fatalf("the plain loop averages a Mean loss; the network's reduction is %v", net.Reduction)
	}
	return out
}

// rowsOf returns a new matrix of the rows idx of m, in that order.
func rowsOf[T tensor.Float](m *tensor.Dense[T], idx []int) *tensor.Dense[T] {
	out := tensor.Zeros[T](len(idx), m.Cols())
	for i, j := range idx {
		copy(out.Row(i), m.Row(j))
	}
	return out
}
