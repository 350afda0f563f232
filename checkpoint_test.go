package nerve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// roundTrip writes m as a model file and reads it back, as a checkpoint on
// disk would be.
func roundTrip(t *testing.T, m *model.Model[float32]) *model.Model[float32] {
	t.Helper()
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := model.Read[float32](&buf)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sameHistory compares histories bit for bit (NaN equals NaN).
func sameHistory(t *testing.T, got, want *train.History) {
	t.Helper()
	if len(got.Epochs) != len(want.Epochs) || got.BestEpoch != want.BestEpoch || got.StoppedEarly != want.StoppedEarly || got.Restored != want.Restored {
		t.Fatalf("history: %d epochs, best %d, stopped %v, restored %v; want %d, %d, %v, %v",
			len(got.Epochs), got.BestEpoch, got.StoppedEarly, got.Restored, len(want.Epochs), want.BestEpoch, want.StoppedEarly, want.Restored)
	}
	for i, e := range got.Epochs {
		w := want.Epochs[i]
		for _, p := range [][2]float64{{e.LR, w.LR}, {e.Loss, w.Loss}, {e.Accuracy, w.Accuracy}, {e.ValLoss, w.ValLoss}, {e.ValAccuracy, w.ValAccuracy}} {
			if math.Float64bits(p[0]) != math.Float64bits(p[1]) {
				t.Fatalf("epoch %d: %+v; want %+v", i+1, e, w)
			}
		}
	}
}

// sameWeights compares two networks bit for bit.
func sameWeights(t *testing.T, got, want *nn.Network[float32]) {
	t.Helper()
	g, w := got.Params(nil), want.Params(nil)
	for i := range w {
		for k, v := range w[i].Value.Data() {
			if math.Float32bits(g[i].Value.Data()[k]) != math.Float32bits(v) {
				t.Fatalf("parameter %d element %d is %v; want %v", i, k, g[i].Value.Data()[k], v)
			}
		}
	}
}

// TestResumeClassifier interrupts runs after a few epochs and resumes them
// from a checkpoint read back from its file bytes: the weights and the
// history are those of the uninterrupted run, bit for bit.
func TestResumeClassifier(t *testing.T) {
	tr, _, err := data.Iris().Split(0.3, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{
		{Hidden: []int{8}, Activation: "tanh", LR: 0.01, Epochs: 12, Seed: 1},
		{Hidden: []int{6, 5}, Optimizer: "sgd", LR: 0.05, Epochs: 15, BatchSize: 16, Seed: 2, Validation: 0.2, Patience: 3},
		{Hidden: []int{8}, Optimizer: "rmsprop", Epochs: 10, BatchSize: -1, Seed: 3, NoScaling: true},
		{Hidden: []int{}, Optimizer: "adamw", Epochs: 9, Seed: 4, Validation: 0.25, Patience: 100},
	} {
		t.Run(fmt.Sprintf("%s-%v-val%v", o.Optimizer, o.Hidden, o.Validation), func(t *testing.T) {
			full := NewClassifier[string](o)
			want, err := full.Fit(context.Background(), tr.X, tr.Labels)
			if err != nil {
				t.Fatal(err)
			}
			for _, stopAt := range []int{1, 4} {
				if stopAt >= len(want.Epochs) {
					continue
				}
				var saved *model.Model[float32]
				ctx, cancel := context.WithCancel(context.Background())
				oi := o
				oi.Checkpoint = func(m *model.Model[float32]) error {
					saved = roundTrip(t, m)
					return nil
				}
				oi.OnEpoch = func(e train.EpochEnd) error {
					if e.Epoch == stopAt+1 {
						cancel() // interrupted in the next epoch's first batch
					}
					return nil
				}
				_, err := NewClassifier[string](oi).Fit(ctx, tr.X, tr.Labels)
				cancel()
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("interrupted run: %v; want context.Canceled", err)
				}
				ro, err := ResumeOptions(saved)
				if err != nil {
					t.Fatal(err)
				}
				resumed := NewClassifier[string](ro)
				got, err := resumed.Fit(context.Background(), tr.X, tr.Labels)
				if err != nil {
					t.Fatal(err)
				}
				sameHistory(t, got, want)
				sameWeights(t, resumed.Model().Network, full.Model().Network)
				if !reflect.DeepEqual(resumed.Model().Metrics, full.Model().Metrics) {
					t.Errorf("metrics %v; want %v", resumed.Model().Metrics, full.Model().Metrics)
				}
			}
		})
	}
}

// TestResumeRegressor resumes a regressor with target scaling and Adam's
// state.
func TestResumeRegressor(t *testing.T) {
	src := rng.New(7)
	X := tensor.Zeros[float64](80, 3)
	Y := tensor.Zeros[float64](80, 2)
	for i := range 80 {
		a, b, c := src.Uniform(-1, 1), src.Uniform(-1, 1), src.Uniform(-1, 1)
		X.Set(i, 0, a)
		X.Set(i, 1, b)
		X.Set(i, 2, c)
		Y.Set(i, 0, 3*a-b+10)
		Y.Set(i, 1, a*c)
	}
	o := Options{Hidden: []int{10}, Activation: "tanh", LR: 0.01, Epochs: 8, BatchSize: 10, Seed: 5}
	full := NewRegressor(o)
	want, err := full.Fit(context.Background(), X, Y)
	if err != nil {
		t.Fatal(err)
	}
	var at3 *model.Model[float32]
	oc := o
	oc.Checkpoint = func(m *model.Model[float32]) error {
		if len(m.Extra) == 0 {
			t.Error("checkpoint without optimizer state")
		}
		if at3 == nil {
			at3 = roundTrip(t, m)
			if at3.Metrics["train_loss"] == 0 {
				t.Error("checkpoint without metrics")
			}
			return train.ErrStop
		}
		return nil
	}
	if _, err := NewRegressor(oc).Fit(context.Background(), X, Y); err != nil {
		t.Fatal(err)
	}
	ro, err := ResumeOptions(at3)
	if err != nil {
		t.Fatal(err)
	}
	// A checkpoint is a usable model.
	if _, err := at3.Predict(X); err != nil {
		t.Fatal(err)
	}
	resumed := NewRegressor(ro)
	got, err := resumed.Fit(context.Background(), X, Y)
	if err != nil {
		t.Fatal(err)
	}
	sameHistory(t, got, want)
	sameWeights(t, resumed.Model().Network, full.Model().Network)
}

// TestResumeExtend raises Epochs when resuming: a 5-epoch run continued to
// 9 epochs equals a 9-epoch run.
func TestResumeExtend(t *testing.T) {
	o := Options{Hidden: []int{8}, Epochs: 9, Seed: 3}
	full, want := fitIris(t, o)
	o5 := o
	o5.Epochs = 5
	last := irisCheckpoint(t, o5, 0)
	ro, err := ResumeOptions(last)
	if err != nil {
		t.Fatal(err)
	}
	if ro.Epochs != 5 {
		t.Fatalf("ResumeOptions: Epochs %d; want the run's 5", ro.Epochs)
	}
	ro.Epochs = 9
	resumed, got := fitIris(t, ro)
	sameHistory(t, got, want)
	sameWeights(t, resumed.Model().Network, full.Model().Network)
}

// TestResumeErrors: a resume that cannot continue the same run is refused
// with an error that says why.
func TestResumeErrors(t *testing.T) {
	tr, te, _ := data.Iris().Split(0.3, 1)
	o := Options{Hidden: []int{8}, Epochs: 4, Seed: 3, Validation: 0.2, Patience: 2}
	var ck *model.Model[float32]
	oc := o
	oc.Checkpoint = func(m *model.Model[float32]) error { ck = m; return nil }
	clf := NewClassifier[string](oc)
	if _, err := clf.Fit(context.Background(), tr.X, tr.Labels); err != nil {
		t.Fatal(err)
	}
	change := func(f func(*Options)) Options {
		ro, err := ResumeOptions(ck)
		if err != nil {
			t.Fatal(err)
		}
		f(&ro)
		return ro
	}
	for _, c := range []struct {
		opts  Options
		X     *tensor.Dense[float64]
		y     []string
		want  string
		isOpt bool
	}{
		{change(func(o *Options) { o.Hidden = []int{9} }), tr.X, tr.Labels, "Hidden is [9], but the checkpoint's run had [8]", true},
		{change(func(o *Options) { o.Seed = 4 }), tr.X, tr.Labels, "Seed is 4", true},
		{change(func(o *Options) { o.LR = 0.5 }), tr.X, tr.Labels, "LR is 0.5", true},
		{change(func(o *Options) { o.Patience = 0 }), tr.X, tr.Labels, "Patience is 0", true},
		{change(func(o *Options) { o.Epochs = 3 }), tr.X, tr.Labels, "has already run 4", true},
		{change(func(*Options) {}), te.X, te.Labels, "training data differ", true},
		{Options{Resume: clf.Model()}, tr.X, tr.Labels, "not a checkpoint", true},
	} {
		_, err := NewClassifier[string](c.opts).Fit(context.Background(), c.X, c.y)
		if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, ErrOptions) != c.isOpt {
			t.Errorf("%s: got %v", c.want, err)
		}
	}
	if _, err := ResumeOptions(clf.Model()); !errors.Is(err, ErrOptions) {
		t.Errorf("ResumeOptions of a plain model: %v", err)
	}
	// A damaged checkpoint: an optimizer block gone.
	bad := *ck
	bad.Extra = ck.Extra[1:]
	ro, _ := ResumeOptions(&bad)
	if _, err := NewClassifier[string](ro).Fit(context.Background(), tr.X, tr.Labels); err == nil || !strings.Contains(err.Error(), `"optimizer/0/0" is missing`) {
		t.Errorf("missing optimizer block: %v", err)
	}
}

// TestResumeConverging: a run with the converging default (Epochs 0),
// stopped after 5 epochs and resumed with ResumeOptions, converges to
// the same epoch, history and weights as the run left alone.
func TestResumeConverging(t *testing.T) {
	o := Options{Hidden: []int{8}, Seed: 3, LR: 0.01}
	full, want := fitIris(t, o)
	if want.Stop != train.StopNoImprovement || len(want.Epochs) < 10 {
		t.Fatalf("the full run stopped after %d epochs: %s; want convergence after more than 5", len(want.Epochs), want.Stop)
	}
	last := irisCheckpoint(t, o, 5)
	ro, err := ResumeOptions(roundTrip(t, last))
	if err != nil {
		t.Fatal(err)
	}
	if ro.Epochs != 0 || ro.Patience != 0 {
		t.Errorf("ResumeOptions: Epochs %d, Patience %d; want 0 and 0, the converging default", ro.Epochs, ro.Patience)
	}
	resumed, got := fitIris(t, ro)
	sameHistory(t, got, want)
	sameWeights(t, resumed.Model().Network, full.Model().Network)
}

// fitIris fits a classifier with o on the training split of iris that
// the resume tests use.
func fitIris(t *testing.T, o Options) (*Classifier[string], *train.History) {
	t.Helper()
	tr, _, _ := data.Iris().Split(0.3, 1)
	c := NewClassifier[string](o)
	hist, err := c.Fit(context.Background(), tr.X, tr.Labels)
	if err != nil {
		t.Fatal(err)
	}
	return c, hist
}

// irisCheckpoint fits as fitIris does, stopping after epoch stop (never
// if 0), and returns the last checkpoint.
func irisCheckpoint(t *testing.T, o Options, stop int) *model.Model[float32] {
	t.Helper()
	var last *model.Model[float32]
	o.Checkpoint = func(m *model.Model[float32]) error {
		last = m
		rec, err := readRecord(m)
		if err != nil {
			return err
		}
		if rec.EpochsRun == stop {
			return train.ErrStop
		}
		return nil
	}
	fitIris(t, o)
	return last
}

// TestResumeSampleWeights: a run with sample weights resumes with the
// same weights to the uninterrupted run's history and weights, and is
// refused with other weights, which make it another run.
func TestResumeSampleWeights(t *testing.T) {
	tr, _, _ := data.Iris().Split(0.3, 1)
	sw := make([]float64, tr.X.Rows())
	for i := range sw {
		sw[i] = float64(1 + i%3)
	}
	ctx := context.Background()
	o := Options{Hidden: []int{8}, Epochs: 6, Seed: 3}
	full := NewClassifier[string](o)
	want, err := full.FitWeighted(ctx, tr.X, tr.Labels, sw)
	if err != nil {
		t.Fatal(err)
	}
	o3 := o
	o3.Epochs = 3
	var ck *model.Model[float32]
	o3.Checkpoint = func(m *model.Model[float32]) error { ck = m; return nil }
	if _, err := NewClassifier[string](o3).FitWeighted(ctx, tr.X, tr.Labels, sw); err != nil {
		t.Fatal(err)
	}
	ro, err := ResumeOptions(roundTrip(t, ck))
	if err != nil {
		t.Fatal(err)
	}
	ro.Epochs = 6
	resumed := NewClassifier[string](ro)
	got, err := resumed.FitWeighted(ctx, tr.X, tr.Labels, sw)
	if err != nil {
		t.Fatal(err)
	}
	sameHistory(t, got, want)
	sameWeights(t, resumed.Model().Network, full.Model().Network)

	other := append([]float64(nil), sw...)
	other[7] = 2.5
	_, err = NewClassifier[string](ro).FitWeighted(ctx, tr.X, tr.Labels, other)
	if err == nil || !strings.Contains(err.Error(), "training data differ") || !errors.Is(err, ErrOptions) {
		t.Errorf("resume with other sample weights: %v; want a refusal", err)
	}
}
