package nerve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// blobs returns n samples of two overlapping 2-D Gaussian classes, "rare"
// (a share minority of them, centred at (1.5, 1.5)) and "common"
// (centred at 0), drawn from seed.
func blobs(n int, minority float64, seed uint32) (*tensor.Dense[float64], []string) {
	src := rng.New(seed)
	X := tensor.Zeros[float64](n, 2)
	y := make([]string, n)
	rare := int(math.Round(minority * float64(n)))
	for i := range n {
		y[i], X.Row(i)[0], X.Row(i)[1] = "common", src.NormFloat64(), src.NormFloat64()
		if i < rare {
			y[i] = "rare"
			X.Row(i)[0] += 1.5
			X.Row(i)[1] += 1.5
		}
	}
	return X, y
}

// recalls returns the share of each class's samples predicted as it.
func recalls(pred, y []string) map[string]float64 {
	hit, n := map[string]float64{}, map[string]float64{}
	for i, l := range y {
		n[l]++
		if pred[i] == l {
			hit[l]++
		}
	}
	for l := range n {
		hit[l] /= n[l]
	}
	return hit
}

// On a 95/5 imbalanced set, balanced class weights find the minority
// class far more often than no weights, and raise the balanced accuracy
// (the mean of the recalls), averaged over seeds, on balanced test data.
func TestBalancedClassWeightHelpsMinority(t *testing.T) {
	ctx := context.Background()
	testX, testY := blobs(1000, 0.5, 99)
	const seeds = 3
	var recall, balAcc [2]float64 // unweighted, balanced
	for seed := range uint32(seeds) {
		X, y := blobs(600, 0.05, seed+1)
		for i, balanced := range []bool{false, true} {
			c := NewClassifier[string](Options{Hidden: []int{8}, Epochs: 60, Seed: seed, BalancedClassWeight: balanced})
			if _, err := c.Fit(ctx, X, y); err != nil {
				t.Fatal(err)
			}
			pred, err := c.Predict(testX)
			if err != nil {
				t.Fatal(err)
			}
			r := recalls(pred, testY)
			recall[i] += r["rare"] / seeds
			balAcc[i] += (r["rare"] + r["common"]) / 2 / seeds
		}
	}
	t.Logf("minority recall %.3f unweighted, %.3f balanced; balanced accuracy %.3f, %.3f", recall[0], recall[1], balAcc[0], balAcc[1])
	if !(recall[1] > recall[0]+0.3) {
		t.Errorf("minority recall %.3f with balanced weights, %.3f without; want at least 0.3 more", recall[1], recall[0])
	}
	if !(balAcc[1] > balAcc[0]+0.15) {
		t.Errorf("balanced accuracy %.3f with balanced weights, %.3f without; want at least 0.15 more", balAcc[1], balAcc[0])
	}
}

// trainedClassWeights returns the class weights a classifier's model
// records.
func trainedClassWeights(t *testing.T, c *Classifier[string]) map[string]float64 {
	t.Helper()
	var rec trainingRecord
	if err := json.Unmarshal(c.Model().Training, &rec); err != nil {
		t.Fatal(err)
	}
	return rec.ClassWeight
}

// The balanced weights are scikit-learn's n / (k · count); explicit
// ones apply by label, 1 for the others; both are recorded in the model.
func TestClassWeights(t *testing.T) {
	ctx := context.Background()
	iris := data.Iris()
	X, y := iris.X.Slice(0, 110), iris.Labels[:110] // 50, 50 and 10
	want := map[string]float64{"setosa": 110.0 / 150, "versicolor": 110.0 / 150, "virginica": 110.0 / 30}
	if got := BalancedClassWeight(y); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("BalancedClassWeight = %v; want %v", got, want)
	}
	c := NewClassifier[string](Options{Epochs: 2, BalancedClassWeight: true})
	if _, err := c.Fit(ctx, X, y); err != nil {
		t.Fatal(err)
	}
	if got := trainedClassWeights(t, c); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recorded balanced weights %v; want %v", got, want)
	}
	c = NewClassifier[string](Options{Epochs: 2, ClassWeight: map[string]float64{"virginica": 3}})
	if _, err := c.Fit(ctx, X, y); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(trainedClassWeights(t, c)), "map[setosa:1 versicolor:1 virginica:3]"; got != want {
		t.Errorf("recorded class weights %v; want %v", got, want)
	}

	// Class weight 2 on every sample of a class is sample weight 2 on
	// each of them: the same model, bit for bit.
	sw := make([]float64, len(y))
	for i, l := range y {
		sw[i] = 1
		if l == "virginica" {
			sw[i] = 2
		}
	}
	byClass := NewClassifier[string](Options{Epochs: 3, Seed: 2, ClassWeight: map[string]float64{"virginica": 2}})
	bySample := NewClassifier[string](Options{Epochs: 3, Seed: 2})
	plain := NewClassifier[string](Options{Epochs: 3, Seed: 2})
	if _, err := byClass.Fit(ctx, X, y); err != nil {
		t.Fatal(err)
	}
	if _, err := bySample.FitWeighted(ctx, X, y, sw); err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Fit(ctx, X, y); err != nil {
		t.Fatal(err)
	}
	a, b, p := byClass.Model().Network, bySample.Model().Network, plain.Model().Network
	if !tensor.Equal(a.Layers[0].W, b.Layers[0].W) || tensor.Equal(a.Layers[0].W, p.Layers[0].W) {
		t.Error("class weight 2 and sample weight 2 on the same samples differ, or match no weights")
	}
}

// Sample weights of 1 are Fit, bit for bit, for a classifier and a
// regressor, with a validation split.
func TestFitWeightedUnitWeights(t *testing.T) {
	ctx := context.Background()
	iris := data.Iris()
	ones := make([]float64, iris.Len())
	for i := range ones {
		ones[i] = 1
	}
	o := Options{Epochs: 4, Seed: 3, Validation: 0.2}
	a, b := NewClassifier[string](o), NewClassifier[string](o)
	ha, err := a.Fit(ctx, iris.X, iris.Labels)
	if err != nil {
		t.Fatal(err)
	}
	hb, err := b.FitWeighted(ctx, iris.X, iris.Labels, ones)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ha.Epochs) != fmt.Sprint(hb.Epochs) || !tensor.Equal(a.Model().Network.Layers[1].W, b.Model().Network.Layers[1].W) {
		t.Errorf("classifier: weights 1 differ from none:\n%v\n%v", ha.Epochs, hb.Epochs)
	}
	Y := iris.X.Slice(0, 150).Clone() // regress the features on themselves
	ra, rb := NewRegressor(o), NewRegressor(o)
	if _, err := ra.Fit(ctx, iris.X, Y); err != nil {
		t.Fatal(err)
	}
	if _, err := rb.FitWeighted(ctx, iris.X, Y, ones); err != nil {
		t.Fatal(err)
	}
	if !tensor.Equal(ra.Model().Network.Layers[1].W, rb.Model().Network.Layers[1].W) {
		t.Error("regressor: weights 1 differ from none")
	}
}

func TestWeightErrors(t *testing.T) {
	ctx := context.Background()
	iris := data.Iris()
	bad := make([]float64, iris.Len())
	for i := range bad {
		bad[i] = 1
	}
	bad[41] = -2
	for _, tc := range []struct {
		name string
		fit  func() error
		is   error
		want string
	}{
		{"negative sample weight", func() error {
			_, err := NewClassifier[string](Options{Epochs: 1}).FitWeighted(ctx, iris.X, iris.Labels, bad)
			return err
		}, data.ErrData, "sample 42 has weight -2"},
		{"sample weight count", func() error {
			_, err := NewRegressor(Options{Epochs: 1}).FitWeighted(ctx, iris.X, iris.X, bad[:3])
			return err
		}, data.ErrData, "3 weights for 150 samples"},
		{"all zero", func() error {
			_, err := NewClassifier[string](Options{Epochs: 1}).FitWeighted(ctx, iris.X, iris.Labels, make([]float64, 150))
			return err
		}, data.ErrData, "every weight is 0"},
		{"unknown class", func() error {
			_, err := NewClassifier[string](Options{Epochs: 1, ClassWeight: map[string]float64{"rose": 2}}).Fit(ctx, iris.X, iris.Labels)
			return err
		}, ErrOptions, `"rose" is not a class (the classes are setosa, versicolor, virginica)`},
		{"NaN class weight", func() error {
			_, err := NewClassifier[string](Options{Epochs: 1, ClassWeight: map[string]float64{"setosa": math.NaN()}}).Fit(ctx, iris.X, iris.Labels)
			return err
		}, ErrOptions, `class "setosa" has weight NaN`},
		{"both", func() error {
			_, err := NewClassifier[string](Options{Epochs: 1, BalancedClassWeight: true, ClassWeight: map[string]float64{}}).Fit(ctx, iris.X, iris.Labels)
			return err
		}, ErrOptions, "both set"},
		{"regressor", func() error {
			_, err := NewRegressor(Options{Epochs: 1, BalancedClassWeight: true}).Fit(ctx, iris.X, iris.X)
			return err
		}, ErrOptions, "for classifiers"},
	} {
		err := tc.fit()
		if !errors.Is(err, tc.is) || !strings.Contains(fmt.Sprint(err), tc.want) {
			t.Errorf("%s: %v; want %v naming %q", tc.name, err, tc.is, tc.want)
		}
	}
}
