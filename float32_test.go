package nerve

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// float32Data returns n samples of d features that are float32 values,
// as float32 and as their exact float64 copy, with labels of 3 classes
// and one numeric target.
func float32Data(n, d int) (X32 *tensor.Dense[float32], X64 *tensor.Dense[float64], y []int, Y *tensor.Dense[float64]) {
	src := rng.New(3)
	X32 = tensor.Zeros[float32](n, d)
	y = make([]int, n)
	Y = tensor.Zeros[float64](n, 1)
	for i := range n {
		var s float64
		for j := range d {
			v := float32(src.NormFloat64()*2 + 1)
			X32.Set(i, j, v)
			s += float64(v) * float64(j%3-1)
		}
		y[i] = int(math.Abs(s)) % 3
		Y.Set(i, 0, s+src.NormFloat64()*0.1)
	}
	return X32, tensor.Convert[float64](X32), y, Y
}

// TestFitFloat32SameAsFit trains on float32 features with FitFloat32
// and on their float64 copy with Fit, scaled and not, with validation:
// the models must be the same bit for bit.
func TestFitFloat32SameAsFit(t *testing.T) {
	X32, X64, y, Y := float32Data(600, 5)
	for _, noScaling := range []bool{false, true} {
		o := Options{Hidden: []int{8}, Epochs: 4, BatchSize: 50, Validation: 0.2, Seed: 2, NoScaling: noScaling}
		c64, c32 := NewClassifier[int](o), NewClassifier[int](o)
		h64, err := c64.Fit(context.Background(), X64, y)
		if err != nil {
			t.Fatal(err)
		}
		h32, err := c32.FitFloat32(context.Background(), X32, y)
		if err != nil {
			t.Fatal(err)
		}
		sameFit(t, "classifier", noScaling, h64, h32, c64.Model().Network.Layers[0].W, c32.Model().Network.Layers[0].W)
		if (c64.Model().Scaler == nil) != noScaling || c32.Model().Scaler != nil && !equalFloats(c32.Model().Scaler.Mean, c64.Model().Scaler.Mean) {
			t.Errorf("NoScaling %v: the scalers differ", noScaling)
		}
		r64, r32 := NewRegressor(o), NewRegressor(o)
		h64, err = r64.Fit(context.Background(), X64, Y)
		if err != nil {
			t.Fatal(err)
		}
		h32, err = r32.FitFloat32(context.Background(), X32, Y)
		if err != nil {
			t.Fatal(err)
		}
		sameFit(t, "regressor", noScaling, h64, h32, r64.Model().Network.Layers[1].W, r32.Model().Network.Layers[1].W)
	}
}

func sameFit(t *testing.T, what string, noScaling bool, h64, h32 *train.History, w64, w32 *tensor.Dense[float32]) {
	t.Helper()
	if !tensor.Equal(w64, w32) {
		t.Errorf("%s, NoScaling %v: FitFloat32 and Fit reach different weights", what, noScaling)
	}
	for i := range h64.Epochs {
		if h64.Epochs[i].Loss != h32.Epochs[i].Loss || h64.Epochs[i].ValLoss != h32.Epochs[i].ValLoss {
			t.Errorf("%s, NoScaling %v: epoch %d: losses %+v (Fit), %+v (FitFloat32)", what, noScaling, i+1, h64.Epochs[i], h32.Epochs[i])
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFitFloat32NoCopy trains one epoch on 8 MB of float32 features
// without scaling and requires far fewer bytes allocated than the
// features take: the network trains on X itself.
func TestFitFloat32NoCopy(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation sizes are not meaningful under the race detector")
	}
	X32, _, y, _ := float32Data(20000, 100)
	clf := NewClassifier[int](Options{Hidden: []int{4}, Epochs: 1, BatchSize: 256, NoScaling: true})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := clf.FitFloat32(context.Background(), X32, y); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	size := uint64(4 * 20000 * 100)
	if got := after.TotalAlloc - before.TotalAlloc; got > size/4 {
		t.Errorf("FitFloat32 without scaling allocated %d bytes for %d bytes of features; want under a quarter of them", got, size)
	}
}

// TestFitFloat32NotFinite: a NaN among float32 features is an error that
// names its sample and feature.
func TestFitFloat32NotFinite(t *testing.T) {
	X32, _, y, Y := float32Data(50, 3)
	X32.Set(6, 2, float32(math.Inf(1)))
	for _, noScaling := range []bool{false, true} {
		_, err := NewClassifier[int](Options{Epochs: 1, NoScaling: noScaling}).FitFloat32(context.Background(), X32, y)
		if !errors.Is(err, data.ErrData) || !strings.Contains(err.Error(), "sample 7, feature 3") {
			t.Errorf("NoScaling %v: error %v; want one wrapping data.ErrData naming sample 7, feature 3", noScaling, err)
		}
		_, err = NewRegressor(Options{Epochs: 1, NoScaling: noScaling}).FitFloat32(context.Background(), X32, Y)
		if !errors.Is(err, data.ErrData) {
			t.Errorf("regressor, NoScaling %v: error %v; want one wrapping data.ErrData", noScaling, err)
		}
	}
	if _, err := NewClassifier[int](Options{}).FitFloat32(context.Background(), nil, y); !errors.Is(err, data.ErrData) {
		t.Errorf("nil X: error %v; want one wrapping data.ErrData", err)
	}
}
