package nerve

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// weightNorm returns the sum of the squared weights of a classifier.
func weightNorm(c *Classifier[string]) float64 {
	s := 0.0
	for _, l := range c.Model().Network.Layers {
		for _, v := range l.W.Data() {
			s += float64(v) * float64(v)
		}
	}
	return s
}

func TestOptionsWeightDecayScheduleOptim(t *testing.T) {
	iris := data.Iris()
	ctx := context.Background()
	plain := NewClassifier[string](Options{Epochs: 30, Seed: 1})
	decayed := NewClassifier[string](Options{Epochs: 30, Seed: 1, WeightDecay: 0.1})
	for _, c := range []*Classifier[string]{plain, decayed} {
		if _, err := c.Fit(ctx, iris.X, iris.Labels); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := weightNorm(decayed), weightNorm(plain); !(a < 0.8*b) {
		t.Errorf("‖W‖² %v with weight decay 0.1, %v without; want clearly smaller", a, b)
	}
	h, err := NewClassifier[string](Options{Epochs: 4, Seed: 1, Schedule: optim.Step(0.1, 2, 0.5)}).Fit(ctx, iris.X, iris.Labels)
	if err != nil {
		t.Fatal(err)
	}
	for e, want := range []float64{0.1, 0.1, 0.05, 0.05} {
		if got := h.Epochs[e].LR; math.Abs(got-want) > 1e-9 {
			t.Errorf("epoch %d LR %v; want %v (the schedule's)", e+1, got, want)
		}
	}
	sgd, _ := optim.NewSGD[float32](optim.SGD{LR: 0.037})
	h, err = NewClassifier[string](Options{Epochs: 2, Optim: sgd}).Fit(ctx, iris.X, iris.Labels)
	if err != nil || math.Abs(h.Epochs[0].LR-0.037) > 1e-9 {
		t.Errorf("Optim override: LR %v, %v; want 0.037", h.Epochs[0].LR, err)
	}
	for _, wd := range []float64{-1, math.Inf(1), math.NaN()} {
		if _, err := NewClassifier[string](Options{WeightDecay: wd}).Fit(ctx, iris.X, iris.Labels); !errors.Is(err, ErrOptions) {
			t.Errorf("WeightDecay %v: %v; want ErrOptions", wd, err)
		}
	}
}

func TestPartialFit(t *testing.T) {
	iris := data.Iris()
	ctx := context.Background()
	c := NewClassifier[string](Options{Epochs: 20, Seed: 2})
	if _, err := c.PartialFit(ctx, iris.X, iris.Labels); !errors.Is(err, ErrNotFitted) {
		t.Errorf("PartialFit before Fit: %v; want ErrNotFitted", err)
	}
	first, err := c.Fit(ctx, iris.X, iris.Labels)
	if err != nil {
		t.Fatal(err)
	}
	more, err := c.PartialFit(ctx, iris.X, iris.Labels)
	if err != nil {
		t.Fatal(err)
	}
	// A warm start begins where the first fit ended, not at the loss of
	// fresh weights.
	end, restart := first.Last().Loss, more.Epochs[0].Loss
	if !(restart < 1.2*end && restart < 0.5*first.Epochs[0].Loss) {
		t.Errorf("PartialFit's first epoch loss %v; the fit ended at %v and began at %v", restart, end, first.Epochs[0].Loss)
	}
	if _, err := c.PartialFit(ctx, iris.X.Slice(0, 2), []string{"setosa", "tulip"}); !errors.Is(err, data.ErrData) {
		t.Errorf("PartialFit with an unknown class: %v; want ErrData", err)
	}

	r := NewRegressor(Options{Epochs: 20, Seed: 2})
	X, Y := tensor.Zeros[float64](iris.Len(), 3), tensor.Zeros[float64](iris.Len(), 1)
	for i := range iris.Len() {
		copy(X.Row(i), iris.X.Row(i)[:3])
		Y.Set(i, 0, iris.X.At(i, 3))
	}
	rf, err := r.Fit(ctx, X, Y)
	if err != nil {
		t.Fatal(err)
	}
	rm, err := r.PartialFit(ctx, X, Y)
	if err != nil || !(rm.Epochs[0].Loss < 0.5*rf.Epochs[0].Loss) {
		t.Errorf("regressor PartialFit: first loss %v, the fit began at %v (%v)", rm.Epochs[0].Loss, rf.Epochs[0].Loss, err)
	}
}

// TestDefaultEpochsConverge checks that with Epochs 0 training stops once
// the training loss has not improved by DefaultTol for DefaultPatience
// epochs, keeps the weights reached, and says why it stopped.
func TestDefaultEpochsConverge(t *testing.T) {
	iris := data.Iris()
	c := NewClassifier[string](Options{Seed: 1, LR: 0.05})
	h, err := c.Fit(context.Background(), iris.X, iris.Labels)
	if err != nil {
		t.Fatal(err)
	}
	n := len(h.Epochs)
	if h.Stop != train.StopNoImprovement || n >= DefaultMaxEpochs || n-h.BestEpoch != DefaultPatience || h.Restored {
		t.Fatalf("ran %d epochs, best %d, restored %v, stop %q; want convergence before %d epochs, %d after the best, nothing restored", n, h.BestEpoch, h.Restored, h.Stop, DefaultMaxEpochs, DefaultPatience)
	}
	best := h.Epochs[h.BestEpoch-1].Loss
	for _, e := range h.Epochs[h.BestEpoch:] {
		if e.Loss < best-DefaultTol {
			t.Errorf("epoch %d loss %v improved on the best %v by more than the tolerance", e.Epoch, e.Loss, best)
		}
	}
	// Epochs given: exactly that many.
	h, err = NewClassifier[string](Options{Seed: 1, Epochs: 7}).Fit(context.Background(), iris.X, iris.Labels)
	if err != nil || len(h.Epochs) != 7 || h.Stop != train.StopEpochs {
		t.Errorf("Epochs 7: %d epochs, stop %q, %v", len(h.Epochs), h.Stop, err)
	}
	if _, err := NewClassifier[string](Options{Tol: -1}).Fit(context.Background(), iris.X, iris.Labels); !errors.Is(err, ErrOptions) {
		t.Errorf("Tol −1: %v; want ErrOptions", err)
	}
}
