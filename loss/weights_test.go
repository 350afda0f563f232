package loss

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// weightCase is a batch for loss k: outputs (probabilities for the
// cross-entropies) and targets, m samples of 3 outputs, and the logits
// the probabilities came from.
func weightCase[T tensor.Float](k Kind, m int, seed uint32) (z, yhat, y *tensor.Dense[T]) {
	src := rng.New(seed)
	z, yhat, y = tensor.Zeros[T](m, 3), tensor.Zeros[T](m, 3), tensor.Zeros[T](m, 3)
	for i := range m {
		var se float64
		for j := range 3 {
			v := src.Uniform(-2, 2)
			z.Set(i, j, T(v))
			se += math.Exp(v)
		}
		for j := range 3 {
			v := float64(z.At(i, j))
			switch k {
			case CrossEntropy:
				yhat.Set(i, j, T(math.Exp(v)/se))
			case BinaryCrossEntropy:
				yhat.Set(i, j, T(sigmoid(v)))
				y.Set(i, j, T(src.Float64()))
			default:
				yhat.Set(i, j, T(v))
				y.Set(i, j, T(src.Uniform(-1, 1)))
			}
		}
		if k == CrossEntropy {
			y.Set(i, int(src.Interval(2)), 1)
		}
	}
	return z, yhat, y
}

// lossForms returns the batch loss and its gradient (with respect to ŷ,
// or to Z for the fused forms) of loss k, weighted by w.
func lossForms[T tensor.Float](k Kind, logits bool, r Reduction) (value func(z, yhat, y *tensor.Dense[T], w []float64) float64, grad func(g, yhat, y *tensor.Dense[T], w []float64)) {
	if logits {
		return func(z, _, y *tensor.Dense[T], w []float64) float64 { return ValueLogitsWeighted(k, z, y, w, r) },
			func(g, a, y *tensor.Dense[T], w []float64) { GradientLogitsWeighted(k, g, a, y, w, r) }
	}
	return func(_, yhat, y *tensor.Dense[T], w []float64) float64 { return ValueWeighted(k, yhat, y, w, r) },
		func(g, yhat, y *tensor.Dense[T], w []float64) { GradientWeighted(k, g, yhat, y, w, r) }
}

// forEachForm calls f for every loss, reduction and form (probabilities,
// and logits where the loss has a fused form).
func forEachForm(f func(name string, k Kind, logits bool, r Reduction)) {
	for _, k := range Kinds() {
		for _, r := range []Reduction{Mean, Sum} {
			for _, logits := range []bool{false, true} {
				if logits && LogitActivation(k) == "" {
					continue
				}
				f(fmt.Sprintf("%s/%s/logits %v", k, r, logits), k, logits, r)
			}
		}
	}
}

// Integer weights count a sample that many times: the weighted loss is
// the loss of the batch with each row repeated wᵢ times (and dropped for
// 0), under either reduction, and row i's gradient is the sum of its
// copies' gradients.
func TestWeightsRepeatRows(t *testing.T) {
	w := []float64{2, 0, 1, 3, 1}
	forEachForm(func(name string, k Kind, logits bool, r Reduction) {
		value, grad := lossForms[float64](k, logits, r)
		z, yhat, y := weightCase[float64](k, len(w), 7)
		var rows []int
		for i, n := range w {
			for range int(n) {
				rows = append(rows, i)
			}
		}
		take := func(d *tensor.Dense[float64]) *tensor.Dense[float64] {
			out := tensor.Zeros[float64](len(rows), d.Cols())
			for i, j := range rows {
				copy(out.Row(i), d.Row(j))
			}
			return out
		}
		rz, ryhat, ry := take(z), take(yhat), take(y)
		got, want := value(z, yhat, y, w), value(rz, ryhat, ry, nil)
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s: weighted loss %v; repeated rows %v", name, got, want)
		}
		g, rg := tensor.Zeros[float64](y.Dims()), tensor.Zeros[float64](ry.Dims())
		grad(g, yhat, y, w)
		grad(rg, ryhat, ry, nil)
		sum := tensor.Zeros[float64](y.Dims())
		for i, j := range rows {
			for c, v := range rg.Row(i) {
				sum.Set(j, c, sum.At(j, c)+v)
			}
		}
		for i, v := range sum.Data() {
			if d := g.Data()[i]; math.Abs(d-v) > 1e-12*(1+math.Abs(v)) {
				t.Errorf("%s: gradient [%d, %d] = %v; repeated rows give %v", name, i/3, i%3, d, v)
			}
		}
	})
}

// Weights of 1 are no weights, bit for bit, in both precisions.
func TestUnitWeightsBitIdentical(t *testing.T) {
	testUnitWeights[float32](t)
	testUnitWeights[float64](t)
}

func testUnitWeights[T tensor.Float](t *testing.T) {
	ones := []float64{1, 1, 1, 1, 1, 1, 1}
	forEachForm(func(name string, k Kind, logits bool, r Reduction) {
		name = fmt.Sprintf("%T %s", T(0), name)
		value, grad := lossForms[T](k, logits, r)
		z, yhat, y := weightCase[T](k, len(ones), 3)
		if a, b := value(z, yhat, y, ones), value(z, yhat, y, nil); math.Float64bits(a) != math.Float64bits(b) {
			t.Errorf("%s: loss with weights 1 is %v, without weights %v", name, a, b)
		}
		g, g1 := tensor.Zeros[T](y.Dims()), tensor.Zeros[T](y.Dims())
		grad(g, yhat, y, nil)
		grad(g1, yhat, y, ones)
		for i, v := range g.Data() {
			if math.Float64bits(float64(v)) != math.Float64bits(float64(g1.Data()[i])) {
				t.Errorf("%s: gradient [%d] with weights 1 is %v, without %v", name, i, g1.Data()[i], v)
			}
		}
	})
}

// The weighted gradients against central differences of the weighted
// loss, with fractional and zero weights.
func TestWeightedFiniteDifferences(t *testing.T) {
	w := []float64{0.5, 2.25, 0, 1.75}
	forEachForm(func(name string, k Kind, logits bool, r Reduction) {
		value, grad := lossForms[float64](k, logits, r)
		z, yhat, y := weightCase[float64](k, len(w), 11)
		g := tensor.Zeros[float64](y.Dims())
		grad(g, yhat, y, w)
		x := yhat // the variable: ŷ, or Z for the fused forms
		if logits {
			x = z
		}
		var diff, norm float64
		for i := range x.Data() {
			orig := x.Data()[i]
			at := func(h float64) float64 {
				x.Data()[i] = orig + h
				return value(z, yhat, y, w)
			}
			const h = 1e-4
			num := (at(-2*h) - 8*at(-h) + 8*at(h) - at(2*h)) / (12 * h)
			x.Data()[i] = orig
			diff += (num - g.Data()[i]) * (num - g.Data()[i])
			norm += num*num + g.Data()[i]*g.Data()[i]
		}
		if rel := math.Sqrt(diff / norm); !(rel < 1e-6) {
			t.Errorf("%s: relative error %.3g", name, rel)
		}
	})
}

// Every weight 0: the loss and its gradient are 0, not NaN.
func TestZeroWeights(t *testing.T) {
	forEachForm(func(name string, k Kind, logits bool, r Reduction) {
		value, grad := lossForms[float64](k, logits, r)
		z, yhat, y := weightCase[float64](k, 3, 5)
		w := []float64{0, 0, 0}
		g := tensor.Zeros[float64](y.Dims())
		grad(g, yhat, y, w)
		if v := value(z, yhat, y, w); v != 0 {
			t.Errorf("%s: loss %v with every weight 0; want 0", name, v)
		}
		for i, v := range g.Data() {
			if v != 0 {
				t.Errorf("%s: gradient [%d] = %v with every weight 0; want 0", name, i, v)
			}
		}
	})
}

func TestCheckWeights(t *testing.T) {
	for _, c := range []struct {
		w    []float64
		m    int
		want string
	}{
		{[]float64{1, -0.5, 2}, 3, "sample 2 has weight -0.5"},
		{[]float64{1, 2, math.NaN()}, 3, "sample 3 has weight NaN"},
		{[]float64{math.Inf(1)}, 1, "sample 1 has weight +Inf"},
		{[]float64{1, 2}, 3, "2 weights for 3 samples"},
		{[]float64{}, 1, "0 weights for 1 samples"},
	} {
		err := CheckWeights(c.w, c.m)
		if !errors.Is(err, ErrWeight) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CheckWeights(%v, %d) = %v; want an ErrWeight naming %q", c.w, c.m, err, c.want)
		}
	}
	for _, w := range [][]float64{nil, {0, 0.5, 3}} {
		if err := CheckWeights(w, len(w)); err != nil {
			t.Errorf("CheckWeights(%v) = %v; want nil", w, err)
		}
	}
}

func TestWeightLengthPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "2 weights for 3 samples") {
			t.Errorf("panic %v; want one naming 2 weights for 3 samples", r)
		}
	}()
	_, yhat, y := weightCase[float64](MSE, 3, 1)
	ValueWeighted(MSE, yhat, y, []float64{1, 2}, Mean)
}

// A weight of 2 on the second sample counts it twice: the weighted mean
// (0.01 + 2·0.04) / 3 is the mean over the rows 1, 2, 2.
func ExampleValueWeighted() {
	yhat := tensor.FromRows([][]float64{{0.9}, {0.2}})
	y := tensor.FromRows([][]float64{{1}, {0}})
	repeated := tensor.FromRows([][]float64{{0.9}, {0.2}, {0.2}})
	repeatedY := tensor.FromRows([][]float64{{1}, {0}, {0}})
	fmt.Printf("weighted %.4f, repeated %.4f\n",
		ValueWeighted(SSE, yhat, y, []float64{1, 2}, Mean), Value(SSE, repeated, repeatedY, Mean))
	// Output: weighted 0.0300, repeated 0.0300
}
