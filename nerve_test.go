package nerve

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

func accuracy[L comparable](a, b []L) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// TestClassifierIris trains the Example's classifier on 20 different
// stratified 70/30 splits of iris. A few splits put the overlapping
// versicolor/virginica flowers in the test set and cap any model near
// 0.91, so the bar is on the mean.
func TestClassifierIris(t *testing.T) {
	const splits = 20
	var sum float64
	for seed := range uint32(splits) {
		tr, te, err := data.Iris().Split(0.3, seed)
		if err != nil {
			t.Fatal(err)
		}
		clf := NewClassifier[string](Options{Hidden: []int{8}, Activation: "tanh", LR: 0.01, Epochs: 100, Seed: seed})
		hist, err := clf.Fit(context.Background(), tr.X, tr.Labels)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist.Epochs) != 100 {
			t.Errorf("%d epochs; want 100", len(hist.Epochs))
		}
		pred, err := clf.Predict(te.X)
		if err != nil {
			t.Fatal(err)
		}
		acc := accuracy(te.Labels, pred)
		if acc < 0.9 {
			t.Errorf("split %d: test accuracy %.3f; want ≥ 0.9", seed, acc)
		}
		sum += acc
		if got := clf.Classes(); !slices.Equal(got, []string{"setosa", "versicolor", "virginica"}) {
			t.Errorf("classes %v", got)
		}
		p, _ := clf.PredictProba(te.X)
		for i := range p.Rows() {
			var s float64
			for _, v := range p.Row(i) {
				s += v
			}
			if math.Abs(s-1) > 1e-5 {
				t.Fatalf("probabilities of sample %d sum to %v", i, s)
			}
		}
	}
	if mean := sum / splits; mean < 0.95 {
		t.Errorf("mean test accuracy over %d splits %.3f; want ≥ 0.95", splits, mean)
	} else {
		t.Logf("mean test accuracy over %d splits: %.3f", splits, mean)
	}
}

func TestClassifierSaveLoad(t *testing.T) {
	tr, te, _ := data.Iris().Split(0.3, 4)
	clf := NewClassifier[string](Options{Hidden: []int{8, 8}, Activation: "tanh", Seed: 4, Epochs: 30, Validation: 0.2, Patience: 5})
	if _, err := clf.Fit(context.Background(), tr.X, tr.Labels); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "iris.nerve")
	if err := clf.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadClassifier[string](path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := clf.PredictProba(te.X)
	got, err := back.PredictProba(te.X)
	if err != nil {
		t.Fatal(err)
	}
	if !tensor.Equal(got, want) {
		t.Error("loaded classifier predicts differently")
	}
	if _, err := LoadClassifier[int](path); err == nil || !strings.Contains(err.Error(), "not ints") {
		t.Errorf("string model as int labels: err = %v", err)
	}
	if _, err := LoadRegressor(path); err == nil || !strings.Contains(err.Error(), "not a regressor") {
		t.Errorf("classifier as regressor: err = %v", err)
	}
	m := back.Model()
	if m.Metrics["val_accuracy"] == 0 || len(m.Training) == 0 || m.Scaler == nil {
		t.Errorf("model lacks metrics, training record or scaling: %+v", m)
	}
}

type digit int

func TestClassifierIntLabels(t *testing.T) {
	// Two Gaussian blobs labelled 7 and 3, as a named int type.
	src := rng.New(5)
	X := tensor.Zeros[float64](200, 2)
	y := make([]digit, 200)
	for i := range 200 {
		c := 3 + 4*(i%2)
		y[i] = digit(c)
		X.Set(i, 0, float64(c)+src.NormFloat64())
		X.Set(i, 1, -float64(c)+src.NormFloat64())
	}
	clf := NewClassifier[digit](Options{Hidden: []int{}, Epochs: 50, Seed: 1})
	if _, err := clf.Fit(context.Background(), X, y); err != nil {
		t.Fatal(err)
	}
	if got := clf.Classes(); !slices.Equal(got, []digit{3, 7}) {
		t.Errorf("classes %v; want [3 7]", got)
	}
	pred, _ := clf.Predict(X)
	if acc := accuracy(y, pred); acc < 0.95 {
		t.Errorf("accuracy %v; want ≥ 0.95", acc)
	}
	path := filepath.Join(t.TempDir(), "blobs.nerve")
	if err := clf.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadClassifier[digit](path)
	if err != nil {
		t.Fatal(err)
	}
	pred2, _ := back.Predict(X)
	if !slices.Equal(pred, pred2) {
		t.Error("loaded classifier predicts differently")
	}
	asStrings, err := LoadClassifier[string](path)
	if err != nil {
		t.Fatal(err)
	}
	if got := asStrings.Classes(); !slices.Equal(got, []string{"3", "7"}) {
		t.Errorf("classes as strings %v", got)
	}
}

func TestRegressor(t *testing.T) {
	// y = 100 + 50·sin(x₁) + 30·x₂, two outputs (the second is −y).
	src := rng.New(2)
	n := 400
	X := tensor.Zeros[float64](n, 2)
	Y := tensor.Zeros[float64](n, 2)
	for i := range n {
		x1, x2 := src.Uniform(-3, 3), src.Uniform(-1, 1)
		X.Set(i, 0, x1)
		X.Set(i, 1, x2)
		y := 100 + 50*math.Sin(x1) + 30*x2
		Y.Set(i, 0, y)
		Y.Set(i, 1, -y)
	}
	reg := NewRegressor(Options{Hidden: []int{32, 32}, Activation: "tanh", Seed: 3, LR: 0.01})
	if _, err := reg.Fit(context.Background(), X, Y); err != nil {
		t.Fatal(err)
	}
	P, err := reg.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	for j := range 2 {
		var ss, st, mean float64
		for i := range n {
			mean += Y.At(i, j) / float64(n)
		}
		for i := range n {
			ss += math.Pow(Y.At(i, j)-P.At(i, j), 2)
			st += math.Pow(Y.At(i, j)-mean, 2)
		}
		if r2 := 1 - ss/st; r2 < 0.98 {
			t.Errorf("output %d: R² %v; want ≥ 0.98", j, r2)
		}
	}
	path := filepath.Join(t.TempDir(), "reg.nerve")
	if err := reg.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadRegressor(path)
	if err != nil {
		t.Fatal(err)
	}
	P2, _ := back.Predict(X)
	if !tensor.Equal(P, P2) {
		t.Error("loaded regressor predicts differently")
	}
	if _, err := LoadClassifier[string](path); err == nil || !strings.Contains(err.Error(), "not a classifier") {
		t.Errorf("regressor as classifier: err = %v", err)
	}
}

func TestErrors(t *testing.T) {
	iris := data.Iris()
	ctx := context.Background()
	for _, tt := range []struct {
		o   Options
		msg string
	}{
		{Options{Activation: "swish"}, "Activation"},
		{Options{Optimizer: "lbfgs"}, `unknown optimizer "lbfgs"`},
		{Options{Hidden: []int{4, 0}}, "hidden layer 2 has 0 units"},
		{Options{Epochs: -3}, "Epochs is -3"},
		{Options{BatchSize: -5}, "BatchSize is -5"},
		{Options{Validation: 1.5}, "Validation is 1.5"},
		{Options{Patience: -1}, "Patience is -1"},
		{Options{LR: -0.1}, "LR is -0.1"},
	} {
		_, err := NewClassifier[string](tt.o).Fit(ctx, iris.X, iris.Labels)
		if !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%+v: err = %v; want ErrOptions with %q", tt.o, err, tt.msg)
		}
	}
	clf := NewClassifier[string](Options{})
	if _, err := clf.Predict(iris.X); err == nil || !strings.Contains(err.Error(), "not been trained") {
		t.Errorf("untrained Predict: err = %v", err)
	}
	if err := clf.Save(filepath.Join(t.TempDir(), "x")); err == nil {
		t.Error("untrained Save succeeded")
	}
	if _, err := clf.Fit(ctx, iris.X, iris.Labels[:10]); !errors.Is(err, data.ErrData) {
		t.Errorf("label count: err = %v", err)
	}
	one := make([]string, 150)
	for i := range one {
		one[i] = "setosa"
	}
	if _, err := clf.Fit(ctx, iris.X, one); !errors.Is(err, data.ErrData) || !strings.Contains(err.Error(), "every target is setosa") {
		t.Errorf("one class: err = %v", err)
	}
	X := iris.X.Clone()
	X.Set(3, 1, math.NaN())
	if _, err := clf.Fit(ctx, X, iris.Labels); !errors.Is(err, data.ErrData) || !strings.Contains(err.Error(), "sample 4, feature 2") {
		t.Errorf("NaN feature: err = %v", err)
	}
	if _, err := clf.Fit(ctx, iris.X, iris.Labels); err != nil {
		t.Fatal(err)
	}
	if _, err := clf.Predict(tensor.Zeros[float64](2, 3)); err == nil || !strings.Contains(err.Error(), "3") {
		t.Errorf("wrong width: err = %v", err)
	}
	// Divergence surfaces as train's error.
	bad := NewClassifier[string](Options{Optimizer: "sgd", LR: 1e30, NoScaling: true, Epochs: 5})
	var de *train.DivergedError
	if _, err := bad.Fit(ctx, iris.X, iris.Labels); !errors.As(err, &de) {
		t.Errorf("lr 1e30: err = %v; want a *train.DivergedError", err)
	}
	// Cancellation returns ctx.Err().
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewClassifier[string](Options{}).Fit(cctx, iris.X, iris.Labels); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}
