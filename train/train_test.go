package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// iris returns the standardised iris features and one-hot targets in T.
func iris[T tensor.Float](t testing.TB) (X, Y *tensor.Dense[T]) {
	t.Helper()
	d := data.Iris()
	s, err := data.FitScaler(d.X)
	if err != nil {
		t.Fatal(err)
	}
	X, err = data.Transform[T](s, d.X)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := data.NewClasses(d.Labels)
	idx, _ := c.Encode(d.Labels)
	return X, data.OneHot[T](idx, c.Len())
}

func newClassifier[T tensor.Float](t testing.TB, seed uint32, hidden ...int) *nn.Network[T] {
	t.Helper()
	cfg := nn.Config{Inputs: 4, Loss: loss.CrossEntropy}
	for _, h := range hidden {
		cfg.Layers = append(cfg.Layers, nn.LayerSpec{Units: h, Activation: activation.Tanh})
	}
	cfg.Layers = append(cfg.Layers, nn.LayerSpec{Units: 3, Activation: activation.Softmax})
	net, err := nn.New[T](cfg, rng.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func sameNetworks[T tensor.Float](a, b *nn.Network[T]) bool {
	for i := range a.Layers {
		if !tensor.Equal(a.Layers[i].W, b.Layers[i].W) {
			return false
		}
		if (a.Layers[i].B == nil) != (b.Layers[i].B == nil) || a.Layers[i].B != nil && !tensor.Equal(a.Layers[i].B, b.Layers[i].B) {
			return false
		}
	}
	return true
}

func sameHistory(a, b *History) error {
	if len(a.Epochs) != len(b.Epochs) || a.BestEpoch != b.BestEpoch || a.StoppedEarly != b.StoppedEarly || a.Restored != b.Restored {
		return fmt.Errorf("histories differ: %+v vs %+v", a, b)
	}
	for i, x := range a.Epochs {
		y := b.Epochs[i]
		if x.Epoch != y.Epoch || !sameBits(x.LR, y.LR) || !sameBits(x.Loss, y.Loss) || !sameBits(x.Accuracy, y.Accuracy) || !sameBits(x.ValLoss, y.ValLoss) || !sameBits(x.ValAccuracy, y.ValAccuracy) {
			return fmt.Errorf("epoch %d: %+v vs %+v", i+1, x, y)
		}
	}
	return nil
}

func TestFitLearnsIris(t *testing.T) {
	testFitLearnsIris[float32](t)
	testFitLearnsIris[float64](t)
}

func testFitLearnsIris[T tensor.Float](t *testing.T) {
	X, Y := iris[T](t)
	net := newClassifier[T](t, 1, 8)
	opt, _ := optim.NewAdam[T](optim.Adam{LR: 0.01})
	hist, err := Fit(context.Background(), net, X, Y, Config[T]{Epochs: 60, BatchSize: 16, Optimizer: opt, Seed: 3, ValidationFraction: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Epochs) != 60 {
		t.Fatalf("%d epochs recorded; want 60", len(hist.Epochs))
	}
	first, last := hist.Epochs[0], hist.Last()
	if !(last.Loss < first.Loss/3) {
		t.Errorf("%T: loss went from %v to %v; want it to fall by 3×", T(0), first.Loss, last.Loss)
	}
	if last.Accuracy < 0.9 || last.ValAccuracy < 0.9 {
		t.Errorf("%T: final accuracy %v, validation %v; want ≥ 0.9", T(0), last.Accuracy, last.ValAccuracy)
	}
	if math.IsNaN(last.ValLoss) {
		t.Error("validation loss missing")
	}
}

func TestFitReproducible(t *testing.T) {
	X, Y := iris[float32](t)
	run := func() (*nn.Network[float32], *History) {
		net := newClassifier[float32](t, 7, 6, 5)
		opt, _ := optim.NewSGD[float32](optim.SGD{LR: 0.05, Momentum: 0.9, Nesterov: true})
		h, err := Fit(context.Background(), net, X, Y, Config[float32]{
			Epochs: 15, BatchSize: 10, Optimizer: opt, Seed: 11, ValidationFraction: 0.25,
			Schedule:      optim.Step(0.05, 5, 0.5),
			EarlyStopping: EarlyStopping{Patience: 100, RestoreBest: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		return net, h
	}
	n1, h1 := run()
	n2, h2 := run()
	if !sameNetworks(n1, n2) {
		t.Error("same seed, different weights")
	}
	if err := sameHistory(h1, h2); err != nil {
		t.Error(err)
	}
	if h1.Epochs[5].LR != 0.025 || h1.Epochs[10].LR != 0.0125 {
		t.Errorf("schedule: learning rates %v, %v; want 0.025, 0.0125", h1.Epochs[5].LR, h1.Epochs[10].LR)
	}
	// A different seed shuffles differently.
	net := newClassifier[float32](t, 7, 6, 5)
	opt, _ := optim.NewSGD[float32](optim.SGD{LR: 0.05, Momentum: 0.9, Nesterov: true})
	if _, err := Fit(context.Background(), net, X, Y, Config[float32]{Epochs: 15, BatchSize: 10, Optimizer: opt, Seed: 12, ValidationFraction: 0.25}); err != nil {
		t.Fatal(err)
	}
	if sameNetworks(n1, net) {
		t.Error("seeds 11 and 12 gave the same weights")
	}
}

// TestFitIsTheTutorialLoop checks Fit against the loop written out by
// hand with the network's own steps: full batch with plain SGD, and
// mini-batches in the order of rng's permutation.
func TestFitIsTheTutorialLoop(t *testing.T) {
	X, Y := iris[float64](t)
	for _, bs := range []int{-1, 0, 1, 32, 150, 1000} {
		t.Run(fmt.Sprint("batch", bs), func(t *testing.T) {
			got := newClassifier[float64](t, 2, 5)
			want := got.Clone()
			opt, _ := optim.NewSGD[float64](optim.SGD{LR: 0.1})
			const epochs = 3
			if _, err := Fit(context.Background(), got, X, Y, Config[float64]{Epochs: epochs, BatchSize: bs, Optimizer: opt, Seed: 5, NoShuffle: bs == -1}); err != nil {
				t.Fatal(err)
			}
			src := rng.New(5)
			n := X.Rows()
			size := bs
			if size == 0 {
				size = DefaultBatchSize
			}
			if size == -1 || size > n {
				size = n
			}
			for range epochs {
				order := make([]int, n)
				for i := range order {
					order[i] = i
				}
				if bs != -1 {
					order = src.Perm(n)
				}
				for lo := 0; lo < n; lo += size {
					hi := min(lo+size, n)
					xb, yb := tensor.Zeros[float64](hi-lo, 4), tensor.Zeros[float64](hi-lo, 3)
					for i, j := range order[lo:hi] {
						copy(xb.Row(i), X.Row(j))
						copy(yb.Row(i), Y.Row(j))
					}
					c, _ := want.Forward(xb)
					g, _ := want.Backward(c, yb)
					want.Update(g, 0.1)
				}
			}
			if !sameNetworks(got, want) {
				t.Errorf("Fit and the hand-written loop disagree: W1[0] %v vs %v", got.Layers[0].W.Row(0), want.Layers[0].W.Row(0))
			}
		})
	}
}

// TestEarlyStoppingRestoresBest scrambles the weights after epoch 3 from a
// callback, so that every later epoch is worse, and checks that training
// stops after Patience epochs and puts back epoch 3's weights.
func TestEarlyStoppingRestoresBest(t *testing.T) {
	X, Y := iris[float64](t)
	net := newClassifier[float64](t, 4, 8)
	opt, _ := optim.NewSGD[float64](optim.SGD{LR: 0.01})
	var snapshot *nn.Network[float64]
	noise := rng.New(99)
	hist, err := Fit(context.Background(), net, X, Y, Config[float64]{
		Epochs: 50, Optimizer: opt, BatchSize: 15, Seed: 1, ValidationFraction: 0.2,
		EarlyStopping: EarlyStopping{Patience: 2, RestoreBest: true},
		OnEpoch: func(e EpochEnd) error {
			if e.Epoch == 3 {
				if !e.Improved {
					t.Errorf("epoch 3 did not improve")
				}
				snapshot = net.Clone()
				for _, l := range net.Layers {
					for i := range l.W.Data() {
						l.W.Data()[i] = noise.Uniform(-5, 5)
					}
				}
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !hist.StoppedEarly || len(hist.Epochs) != 5 || hist.BestEpoch != 3 || !hist.Restored {
		t.Fatalf("history: stopped early %v after %d epochs, best %d, restored %v; want true, 5, 3, true", hist.StoppedEarly, len(hist.Epochs), hist.BestEpoch, hist.Restored)
	}
	if !sameNetworks(net, snapshot) {
		t.Error("the network does not hold epoch 3's weights")
	}
}

// TestRestoredWeightsMatchBestValLoss is the natural case: whatever epoch
// was best, the restored network's validation loss is the history's
// minimum.
func TestRestoredWeightsMatchBestValLoss(t *testing.T) {
	X, Y := iris[float64](t)
	valX, valY := X.Slice(0, 30), Y.Slice(0, 30) // first 30: setosa only, overfits fast
	net := newClassifier[float64](t, 6, 16)
	opt, _ := optim.NewAdam[float64](optim.Adam{LR: 0.05})
	hist, err := Fit(context.Background(), net, X.Slice(30, 150), Y.Slice(30, 150), Config[float64]{
		Epochs: 40, Optimizer: opt, BatchSize: 8, Seed: 2, ValX: valX, ValY: valY,
		EarlyStopping: EarlyStopping{Patience: 5, RestoreBest: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	best := math.Inf(1)
	for _, e := range hist.Epochs {
		best = math.Min(best, e.ValLoss)
	}
	if hist.Epochs[hist.BestEpoch-1].ValLoss != best {
		t.Errorf("BestEpoch %d has validation loss %v; the minimum is %v", hist.BestEpoch, hist.Epochs[hist.BestEpoch-1].ValLoss, best)
	}
	got, _, err := Evaluate(net, valX, valY)
	if err != nil {
		t.Fatal(err)
	}
	if got != best {
		t.Errorf("restored network's validation loss %v; want the best %v (history %d epochs, best %d)", got, best, len(hist.Epochs), hist.BestEpoch)
	}
}

func TestDivergenceGuard(t *testing.T) {
	d := data.Iris() // unscaled inputs
	X := tensor.Convert[float32](d.X)
	c, _ := data.NewClasses(d.Labels)
	idx, _ := c.Encode(d.Labels)
	Y := data.OneHot[float32](idx, 3)
	net, _ := nn.New[float32](nn.Config{Inputs: 4, Loss: loss.MSE, Layers: []nn.LayerSpec{{Units: 10, Activation: activation.ReLU}, {Units: 3}}}, rng.New(1))
	opt, _ := optim.NewSGD[float32](optim.SGD{LR: 50})
	hist, err := Fit(context.Background(), net, X, Y, Config[float32]{Epochs: 100, BatchSize: 10, Optimizer: opt})
	var de *DivergedError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v; want a *DivergedError", err)
	}
	if hist.Stop != StopDiverged {
		t.Errorf("Stop %q; want %q", hist.Stop, StopDiverged)
	}
	msg := err.Error()
	for _, want := range []string{fmt.Sprintf("epoch %d, batch %d", de.Epoch, de.Batch), "learning rate 50", "too high", "not scaled"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if de.Batch < 1 || len(hist.Epochs) != de.Epoch-1 {
		t.Errorf("diverged at epoch %d batch %d with %d epochs in the history", de.Epoch, de.Batch, len(hist.Epochs))
	}
}

func TestCancel(t *testing.T) {
	X, Y := iris[float32](t)
	net := newClassifier[float32](t, 1, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hist, err := Fit(ctx, net, X, Y, Config[float32]{Epochs: 100, BatchSize: 10, OnEpoch: func(e EpochEnd) error {
		if e.Epoch == 2 {
			cancel()
		}
		return nil
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if len(hist.Epochs) != 2 {
		t.Errorf("%d epochs in the history; want 2", len(hist.Epochs))
	}
	// Cancelled mid-epoch: the partial epoch is not recorded.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	hist, err = Fit(ctx2, net, X, Y, Config[float32]{Epochs: 100, BatchSize: 10, OnBatch: func(b BatchEnd) error {
		if b.Epoch == 3 && b.Batch == 4 {
			cancel2()
		}
		return nil
	}})
	if !errors.Is(err, context.Canceled) || len(hist.Epochs) != 2 {
		t.Errorf("err = %v with %d epochs; want context.Canceled with 2", err, len(hist.Epochs))
	}
}

func TestCallbacks(t *testing.T) {
	X, Y := iris[float32](t)
	net := newClassifier[float32](t, 1, 4)
	var batches []BatchEnd
	var epochs []EpochEnd
	hist, err := Fit(context.Background(), net, X, Y, Config[float32]{Epochs: 3, BatchSize: 40,
		OnBatch: func(b BatchEnd) error { batches = append(batches, b); return nil },
		OnEpoch: func(e EpochEnd) error { epochs = append(epochs, e); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 12 || len(epochs) != 3 {
		t.Fatalf("%d batch and %d epoch callbacks; want 12 and 3", len(batches), len(epochs))
	}
	last := batches[3]
	if last.Batch != 4 || last.Batches != 4 || last.Samples != 30 || last.SamplesThisEpoch != 150 || last.Epochs != 3 {
		t.Errorf("last batch of epoch 1: %+v", last)
	}
	// The epoch loss is the sample-weighted mean of its batch losses.
	var sum float64
	for _, b := range batches[:4] {
		sum += b.Loss * float64(b.Samples)
	}
	if got := hist.Epochs[0].Loss; math.Abs(got-sum/150) > 1e-12 {
		t.Errorf("epoch loss %v; want %v", got, sum/150)
	}
	// ErrStop ends training without an error.
	hist, err = Fit(context.Background(), net, X, Y, Config[float32]{Epochs: 30, OnEpoch: func(e EpochEnd) error {
		if e.Epoch == 4 {
			return ErrStop
		}
		return nil
	}})
	if err != nil || len(hist.Epochs) != 4 {
		t.Errorf("ErrStop: err %v, %d epochs; want nil, 4", err, len(hist.Epochs))
	}
	boom := errors.New("boom")
	_, err = Fit(context.Background(), net, X, Y, Config[float32]{OnBatch: func(BatchEnd) error { return boom }})
	if !errors.Is(err, boom) {
		t.Errorf("callback error: err = %v", err)
	}
}

func TestFitErrors(t *testing.T) {
	X, Y := iris[float64](t)
	net := newClassifier[float64](t, 1, 4)
	nanX := X.Clone()
	nanX.Set(4, 2, math.NaN())
	infY := Y.Clone()
	infY.Set(9, 1, math.Inf(1))
	tests := []struct {
		name string
		X, Y *tensor.Dense[float64]
		cfg  Config[float64]
		is   error
		msg  string
	}{
		{"negative epochs", X, Y, Config[float64]{Epochs: -1}, ErrConfig, "Epochs is -1"},
		{"negative batch", X, Y, Config[float64]{BatchSize: -2}, ErrConfig, "BatchSize is -2"},
		{"fraction 1.5", X, Y, Config[float64]{ValidationFraction: 1.5}, ErrConfig, "ValidationFraction is 1.5"},
		{"fraction NaN", X, Y, Config[float64]{ValidationFraction: math.NaN()}, ErrConfig, "ValidationFraction"},
		{"ValX alone", X, Y, Config[float64]{ValX: X}, ErrConfig, "ValX and ValY"},
		{"patience", X, Y, Config[float64]{EarlyStopping: EarlyStopping{Patience: -1}}, ErrConfig, "Patience"},
		{"tiny fraction", X, Y, Config[float64]{ValidationFraction: 0.001}, ErrData, "leaves 0 for validation"},
		{"NaN feature", nanX, Y, Config[float64]{}, ErrData, "X sample 5, column 3 is NaN"},
		{"Inf target", X, infY, Config[float64]{}, ErrData, "Y sample 10, column 2 is +Inf"},
		{"features", tensor.Zeros[float64](150, 5), Y, Config[float64]{}, ErrData, "5 features per sample, the network expects 4"},
		{"samples", X, Y.Slice(0, 10), Config[float64]{}, ErrData, "150 samples but Y has 10"},
		{"outputs", X, tensor.Zeros[float64](150, 2), Config[float64]{}, ErrData, "2 columns, the network has 3 outputs"},
		{"empty", X.Slice(0, 0), Y.Slice(0, 0), Config[float64]{}, ErrData, "no samples"},
		{"validation width", X, Y, Config[float64]{ValX: tensor.Zeros[float64](3, 2), ValY: tensor.Zeros[float64](3, 3)}, ErrData, "ValX has 2 features"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := net.Clone()
			_, err := Fit(context.Background(), net, tt.X, tt.Y, tt.cfg)
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v; want %v containing %q", err, tt.is, tt.msg)
			}
			if !sameNetworks(net, before) {
				t.Error("a rejected Fit changed the network")
			}
		})
	}
}

func TestValidationFractionHoldsOut(t *testing.T) {
	X, Y := iris[float64](t)
	net := newClassifier[float64](t, 1, 4)
	var batchSamples int
	_, err := Fit(context.Background(), net, X, Y, Config[float64]{Epochs: 1, ValidationFraction: 0.2, OnBatch: func(b BatchEnd) error {
		batchSamples += b.Samples
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if batchSamples != 120 {
		t.Errorf("trained on %d samples; want 120 of 150 with 0.2 held out", batchSamples)
	}
}

// TestPredictWhileTraining runs 64 goroutines predicting with a network
// while another goroutine trains a copy of it: under -race this shows
// that Predict only reads and that a clone shares nothing.
func TestPredictWhileTraining(t *testing.T) {
	X, Y := iris[float32](t)
	net := newClassifier[float32](t, 1, 16)
	want, err := net.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		cp := net.Clone()
		if _, err := Fit(context.Background(), cp, X, Y, Config[float32]{Epochs: 20, BatchSize: 8}); err != nil {
			t.Error(err)
		}
	}()
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				got, err := net.Predict(X)
				if err != nil {
					errs <- err
					return
				}
				if !tensor.Equal(got, want) {
					errs <- errors.New("concurrent Predict returned a different result")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// snapshot is what a checkpoint saves at the end of an epoch: the
// network's parameters, the optimizer's state, and the Checkpoint that
// Fit passes, all deep copies.
type snapshot[T tensor.Float] struct {
	net   *nn.Network[T]
	state optim.State[T]
	hist  *History
	best  *nn.Network[T]
}

func copyHistory(h *History) *History {
	c := *h
	c.Epochs = append([]EpochStats(nil), h.Epochs...)
	return &c
}

// recorder returns a Checkpoint callback that appends a snapshot of net
// and opt to *snaps at the end of every epoch.
func recorder[T tensor.Float](net *nn.Network[T], opt optim.Optimizer[T], snaps *[]snapshot[T]) func(Checkpoint[T]) error {
	return func(c Checkpoint[T]) error {
		s := snapshot[T]{net: net.Clone(), state: opt.(optim.Stateful[T]).State(), hist: copyHistory(c.History)}
		if c.Best != nil {
			s.best = c.Best.Clone()
		}
		*snaps = append(*snaps, s)
		return nil
	}
}

// resumeCase is a training run to interrupt and resume: newOpt makes its
// optimizer, config its configuration for a given network and optimizer
// (fresh ones per run, so that callbacks with state start afresh).
type resumeCase[T tensor.Float] struct {
	name   string
	seed   uint32 // of the network
	newOpt func() (optim.Optimizer[T], error)
	config func(net *nn.Network[T], opt optim.Optimizer[T]) Config[T]
	// The uninterrupted run: its epochs, and whether it stops early
	// (then it also restores the best epoch).
	epochs  int
	stopped bool
}

func resumeCases[T tensor.Float]() []resumeCase[T] {
	base := func(opt optim.Optimizer[T]) Config[T] {
		return Config[T]{
			Epochs: 12, BatchSize: 16, Optimizer: opt, Seed: 3, ValidationFraction: 0.2,
			EarlyStopping: EarlyStopping{Patience: 50, RestoreBest: true},
		}
	}
	return []resumeCase[T]{
		{name: "adam", seed: 1,
			newOpt: func() (optim.Optimizer[T], error) { return optim.NewAdam[T](optim.Adam{LR: 0.01}) },
			config: func(_ *nn.Network[T], opt optim.Optimizer[T]) Config[T] { return base(opt) },
			epochs: 12},
		{name: "sgd-momentum-step-schedule", seed: 2,
			newOpt: func() (optim.Optimizer[T], error) { return optim.NewSGD[T](optim.SGD{LR: 0.05, Momentum: 0.9}) },
			config: func(_ *nn.Network[T], opt optim.Optimizer[T]) Config[T] {
				cfg := base(opt)
				cfg.Schedule = optim.Step(0.05, 4, 0.5)
				return cfg
			},
			epochs: 12},
		// Without validation data the training loss is monitored.
		{name: "no-validation", seed: 5,
			newOpt: func() (optim.Optimizer[T], error) {
				return optim.NewSGD[T](optim.SGD{LR: 0.02, Momentum: 0.9, Nesterov: true})
			},
			config: func(_ *nn.Network[T], opt optim.Optimizer[T]) Config[T] {
				cfg := base(opt)
				cfg.ValidationFraction = 0
				cfg.EarlyStopping.MinDelta = 0.01
				return cfg
			},
			epochs: 12},
		// The validation loss levels off and early stopping ends the run.
		{name: "plateau-early-stop", seed: 6,
			newOpt: func() (optim.Optimizer[T], error) { return optim.NewAdam[T](optim.Adam{LR: 0.05}) },
			config: func(_ *nn.Network[T], opt optim.Optimizer[T]) Config[T] {
				cfg := base(opt)
				cfg.Epochs = 80
				cfg.EarlyStopping.Patience = 3
				return cfg
			},
			epochs: -1, stopped: true},
		// The weights are scrambled at the end of epoch 3, so that no
		// later epoch beats it: early stopping ends the run after epoch 7
		// and puts epoch 3's weights back. Resumed after epoch 5, Fit must
		// rebuild the best loss and the wait of 2 epochs from the history
		// to stop at the same epoch.
		{name: "early-stop-after-resume", seed: 4,
			newOpt: func() (optim.Optimizer[T], error) { return optim.NewSGD[T](optim.SGD{LR: 0.01}) },
			config: func(net *nn.Network[T], opt optim.Optimizer[T]) Config[T] {
				cfg := base(opt)
				cfg.EarlyStopping.Patience = 4
				noise := rng.New(99)
				cfg.OnEpoch = func(e EpochEnd) error {
					if e.Epoch == 3 {
						for _, l := range net.Layers {
							for i := range l.W.Data() {
								l.W.Data()[i] = T(noise.Uniform(-5, 5))
							}
						}
					}
					return nil
				}
				return cfg
			},
			epochs: 7, stopped: true},
	}
}

// TestResume interrupts a run in the middle of epoch 6 and resumes it from
// the checkpoint of epoch 5 with a fresh network and optimizer: the
// weights and the history must be bit for bit those of the run that was
// not interrupted. It also resumes the uninterrupted run from every one of
// its checkpoints.
func TestResume(t *testing.T) {
	t.Run("float32", testResume[float32])
	t.Run("float64", testResume[float64])
}

func testResume[T tensor.Float](t *testing.T) {
	X, Y := iris[T](t)
	for _, tc := range resumeCases[T]() {
		t.Run(tc.name, func(t *testing.T) {
			newRun := func() (*nn.Network[T], optim.Optimizer[T], Config[T]) {
				net := newClassifier[T](t, tc.seed, 8)
				opt, err := tc.newOpt()
				if err != nil {
					t.Fatal(err)
				}
				return net, opt, tc.config(net, opt)
			}
			// resume continues from snapshot s with a fresh network and
			// optimizer, and the same configuration.
			resume := func(s snapshot[T]) (*nn.Network[T], *History) {
				t.Helper()
				net, opt, cfg := newRun()
				copyParams(net, s.net)
				if err := opt.(optim.Stateful[T]).SetState(s.state); err != nil {
					t.Fatal(err)
				}
				cfg.Resume = &Checkpoint[T]{History: s.hist, Best: s.best}
				h, err := Fit(context.Background(), net, X, Y, cfg)
				if err != nil {
					t.Fatalf("resumed after epoch %d: %v", len(s.hist.Epochs), err)
				}
				return net, h
			}

			// (a) The run without interruption, recording every epoch.
			want, opt, cfg := newRun()
			var snaps []snapshot[T]
			cfg.Checkpoint = recorder(want, opt, &snaps)
			wantHist, err := Fit(context.Background(), want, X, Y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(snaps) != len(wantHist.Epochs) {
				t.Fatalf("%d checkpoints for %d epochs", len(snaps), len(wantHist.Epochs))
			}
			if n := len(wantHist.Epochs); (tc.epochs > 0 && n != tc.epochs) || n < 6 || wantHist.StoppedEarly != tc.stopped || wantHist.Restored != tc.stopped {
				t.Fatalf("uninterrupted run: %d epochs, stopped early %v, restored %v; want %d, %v, %v",
					n, wantHist.StoppedEarly, wantHist.Restored, tc.epochs, tc.stopped, tc.stopped)
			}
			t.Logf("uninterrupted run: %d epochs, best %d", len(wantHist.Epochs), wantHist.BestEpoch)

			// (b) The same run, cancelled in epoch 6 after batch 3.
			net, opt, cfg := newRun()
			var got []snapshot[T]
			cfg.Checkpoint = recorder(net, opt, &got)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cfg.OnBatch = func(b BatchEnd) error {
				if b.Epoch == 6 && b.Batch == 3 {
					cancel()
				}
				return nil
			}
			cut, err := Fit(ctx, net, X, Y, cfg)
			if !errors.Is(err, context.Canceled) || len(cut.Epochs) != 5 || len(got) != 5 {
				t.Fatalf("interrupted run: err %v, %d epochs, %d checkpoints; want context.Canceled, 5, 5", err, len(cut.Epochs), len(got))
			}
			if sameNetworks(net, got[4].net) {
				t.Fatal("the interrupted run's weights are those at the end of epoch 5: batches 1–3 of epoch 6 did not run")
			}
			if err := sameHistory(got[4].hist, snaps[4].hist); err != nil || !sameNetworks(got[4].net, snaps[4].net) {
				t.Fatalf("the interrupted run's checkpoint of epoch 5 differs from the uninterrupted run's: %v", err)
			}
			s := got[4]
			resumedNet, resumedHist := resume(s)
			if !sameNetworks(resumedNet, want) {
				t.Errorf("resumed after epoch 5: final weights differ from the uninterrupted run's: W1[0] %v vs %v", resumedNet.Layers[0].W.Row(0), want.Layers[0].W.Row(0))
			}
			if err := sameHistory(resumedHist, wantHist); err != nil {
				t.Errorf("resumed after epoch 5: %v", err)
			}
			if len(s.hist.Epochs) != 5 || s.hist.Restored {
				t.Errorf("Fit changed the checkpoint's history: %d epochs, restored %v", len(s.hist.Epochs), s.hist.Restored)
			}

			// Resuming from any checkpoint of the uninterrupted run, the
			// last included, ends the same way.
			for _, s := range snaps {
				k := len(s.hist.Epochs)
				if s.hist.StoppedEarly {
					continue // TestResumeStoppedEarly
				}
				net, h := resume(s)
				if !sameNetworks(net, want) {
					t.Errorf("resumed after epoch %d: final weights differ from the uninterrupted run's", k)
				}
				if err := sameHistory(h, wantHist); err != nil {
					t.Errorf("resumed after epoch %d: %v", k, err)
				}
			}
		})
	}
}

// TestResumeStoppedEarly resumes from the last checkpoint of a run that
// stopped early: Fit runs no batch and no callback, takes no optimizer
// step, and ends as the uninterrupted run ended.
func TestResumeStoppedEarly(t *testing.T) {
	X, Y := iris[float64](t)
	for _, restoreBest := range []bool{false, true} {
		t.Run(fmt.Sprint("RestoreBest=", restoreBest), func(t *testing.T) {
			var tc resumeCase[float64]
			for _, c := range resumeCases[float64]() {
				if c.name == "early-stop-after-resume" {
					tc = c
				}
			}
			want := newClassifier[float64](t, tc.seed, 8)
			opt, _ := tc.newOpt()
			cfg := tc.config(want, opt)
			cfg.EarlyStopping.RestoreBest = restoreBest
			var snaps []snapshot[float64]
			cfg.Checkpoint = recorder(want, opt, &snaps)
			wantHist, err := Fit(context.Background(), want, X, Y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			last := snaps[len(snaps)-1]
			if !wantHist.StoppedEarly || !last.hist.StoppedEarly || len(last.hist.Epochs) != 7 {
				t.Fatalf("the run did not stop early after epoch 7: %+v", wantHist)
			}

			net := newClassifier[float64](t, tc.seed, 8)
			copyParams(net, last.net)
			opt2, _ := tc.newOpt()
			if err := opt2.(optim.Stateful[float64]).SetState(last.state); err != nil {
				t.Fatal(err)
			}
			cfg = tc.config(net, opt2)
			cfg.EarlyStopping.RestoreBest = restoreBest
			calls := 0
			cfg.OnBatch = func(BatchEnd) error { calls++; return nil }
			cfg.OnEpoch = func(EpochEnd) error { calls++; return nil }
			cfg.Checkpoint = func(Checkpoint[float64]) error { calls++; return nil }
			cfg.Resume = &Checkpoint[float64]{History: last.hist, Best: last.best}
			got, err := Fit(context.Background(), net, X, Y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if calls != 0 {
				t.Errorf("%d callbacks ran; want none", calls)
			}
			if st := opt2.(optim.Stateful[float64]).State(); st.Steps != last.state.Steps {
				t.Errorf("the optimizer took %d steps; want %d", st.Steps, last.state.Steps)
			}
			if err := sameHistory(got, wantHist); err != nil {
				t.Errorf("history: %v", err)
			}
			if !sameNetworks(net, want) {
				t.Error("final weights differ from the uninterrupted run's")
			}
			if !restoreBest && !sameNetworks(net, last.net) {
				t.Error("Fit changed the network")
			}
		})
	}
}

func TestResumeRejectsBadCheckpoints(t *testing.T) {
	X, Y := iris[float64](t)
	net := newClassifier[float64](t, 1, 8)
	other := newClassifier[float64](t, 1, 5)
	ep := func(n int) []EpochStats {
		var e []EpochStats
		for i := range n {
			e = append(e, EpochStats{Epoch: i + 1, Loss: 1, ValLoss: math.NaN()})
		}
		return e
	}
	for _, tt := range []struct {
		name string
		r    Checkpoint[float64]
		msg  string
	}{
		{"best beyond history", Checkpoint[float64]{History: &History{Epochs: ep(1), BestEpoch: 4}}, "best epoch 4 of a history of 1"},
		{"misnumbered", Checkpoint[float64]{History: &History{Epochs: []EpochStats{{Epoch: 2}}, BestEpoch: 1}}, "numbered 2"},
		{"no best weights", Checkpoint[float64]{History: &History{Epochs: ep(2), BestEpoch: 1}}, "no best weights"},
		{"wrong shape", Checkpoint[float64]{History: &History{Epochs: ep(2), BestEpoch: 1}, Best: other}, "layer 1 of the best weights"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fit(context.Background(), net, X, Y, Config[float64]{Epochs: 5, Resume: &tt.r, EarlyStopping: EarlyStopping{Patience: 2, RestoreBest: true}})
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v; want ErrConfig containing %q", err, tt.msg)
			}
		})
	}
}

// TestDivergenceExploding checks that a loss that explodes without
// becoming NaN or infinite stops training too, with the first batch's
// loss in the message.
func TestDivergenceExploding(t *testing.T) {
	X, Y := iris[float32](t)
	net := newClassifier[float32](t, 1, 4)
	opt, _ := optim.NewAdam[float32](optim.Adam{LR: 1e6})
	_, err := Fit(context.Background(), net, X, Y, Config[float32]{Epochs: 50, BatchSize: 16, Optimizer: opt})
	var de *DivergedError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v; want a *DivergedError", err)
	}
	if math.IsNaN(de.Value) || math.IsInf(de.Value, 0) || de.Value <= DivergenceFactor*max(de.Start, 1) {
		t.Errorf("stopped at loss %v from %v; want a finite loss over %g times the start", de.Value, de.Start, DivergenceFactor)
	}
	for _, want := range []string{"exploded", "too high"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestStopReason(t *testing.T) {
	X, Y := iris[float64](t)
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		cfg  Config[float64]
		want StopReason
	}{
		{"epochs", ctx, Config[float64]{Epochs: 3}, StopEpochs},
		{"patience", ctx, Config[float64]{Epochs: 500, EarlyStopping: EarlyStopping{Patience: 1, MinDelta: 10}}, StopNoImprovement},
		{"callback", ctx, Config[float64]{Epochs: 5, OnEpoch: func(EpochEnd) error { return ErrStop }}, StopCallback},
		{"cancelled", cancelled, Config[float64]{Epochs: 5}, StopCancelled},
		{"error", ctx, Config[float64]{Epochs: 5, OnEpoch: func(EpochEnd) error { return errors.New("disk full") }}, StopError},
		{"config", ctx, Config[float64]{Epochs: -3}, StopError},
	} {
		h, _ := Fit(tc.ctx, newClassifier[float64](t, 1, 4), X, Y, tc.cfg)
		if h.Stop != tc.want {
			t.Errorf("%s: Stop %q; want %q", tc.name, h.Stop, tc.want)
		}
	}
}
