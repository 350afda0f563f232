package loss

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// probs returns valid outputs and targets for loss k.
func probs(k Kind) (yhat, y *tensor.Dense[float64]) {
	switch k {
	case CrossEntropy:
		return tensor.FromRows([][]float64{{0.2, 0.5, 0.3}, {0.7, 0.1, 0.2}}), tensor.FromRows([][]float64{{0, 1, 0}, {1, 0, 0}})
	case BinaryCrossEntropy:
		return tensor.FromRows([][]float64{{0.2, 0.9, 0.4}, {0.6, 0.3, 0.8}}), tensor.FromRows([][]float64{{0, 1, 1}, {1, 0, 0.5}})
	}
	return tensor.FromRows([][]float64{{0.2, -1.5, 0.4}, {2, 0.3, 0.8}}), tensor.FromRows([][]float64{{0, 1, 1}, {1, 0, -3}})
}

func TestGradientFiniteDifferences(t *testing.T) {
	for _, k := range Kinds() {
		for _, r := range []Reduction{Sum, Mean} {
			yhat, y := probs(k)
			g := tensor.Zeros[float64](y.Dims())
			Gradient(k, g, yhat, y, r)
			var diff, norm float64
			const h = 1e-6
			for i := range yhat.Data() {
				orig := yhat.Data()[i]
				yhat.Data()[i] = orig + h
				p := Value(k, yhat, y, r)
				yhat.Data()[i] = orig - h
				m := Value(k, yhat, y, r)
				yhat.Data()[i] = orig
				num := (p - m) / (2 * h)
				diff += (num - g.Data()[i]) * (num - g.Data()[i])
				norm += num*num + g.Data()[i]*g.Data()[i]
			}
			if rel := math.Sqrt(diff / norm); rel > 1e-6 {
				t.Errorf("%s/%s: relative error %.3g", k, r, rel)
			}
		}
	}
}

// The logit forms against central differences through the activation,
// and their values against the probability forms.
func TestLogitForms(t *testing.T) {
	z := tensor.FromRows([][]float64{{0.3, -1.2, 2.5}, {-0.4, 0.9, 0.1}})
	for _, k := range []Kind{BinaryCrossEntropy, CrossEntropy} {
		for _, r := range []Reduction{Sum, Mean} {
			_, y := probs(k)
			act := func(z *tensor.Dense[float64]) *tensor.Dense[float64] {
				a := tensor.Zeros[float64](z.Dims())
				for i := 0; i < z.Rows(); i++ {
					var s float64
					for j := 0; j < z.Cols(); j++ {
						if k == BinaryCrossEntropy {
							a.Set(i, j, sigmoid(z.At(i, j)))
						} else {
							s += math.Exp(z.At(i, j))
						}
					}
					for j := 0; j < z.Cols() && k == CrossEntropy; j++ {
						a.Set(i, j, math.Exp(z.At(i, j))/s)
					}
				}
				return a
			}
			a := act(z)
			if v, w := ValueLogits(k, z, y, r), Value(k, a, y, r); math.Abs(v-w) > 1e-14 {
				t.Errorf("%s/%s: ValueLogits %v, Value %v", k, r, v, w)
			}
			g := tensor.Zeros[float64](z.Dims())
			GradientLogits(k, g, a, y, r)
			const h = 1e-6
			for i := range z.Data() {
				orig := z.Data()[i]
				z.Data()[i] = orig + h
				p := ValueLogits(k, z, y, r)
				z.Data()[i] = orig - h
				m := ValueLogits(k, z, y, r)
				z.Data()[i] = orig
				if num := (p - m) / (2 * h); math.Abs(num-g.Data()[i]) > 1e-8 {
					t.Errorf("%s/%s: dZ[%d] = %v; finite difference %v", k, r, i, g.Data()[i], num)
				}
			}
		}
	}
}

// PyTorch's conventions: MSELoss, BCELoss and CrossEntropyLoss with
// reduction='mean' average over every element or sample as documented.
func TestValues(t *testing.T) {
	yhat := tensor.FromRows([][]float64{{0.5, 1}, {2, 0}})
	y := tensor.FromRows([][]float64{{1, 1}, {0, 0}})
	for _, tc := range []struct {
		k    Kind
		r    Reduction
		want float64
	}{
		{SSE, Sum, 0.25 + 4},
		{HalfSSE, Sum, (0.25 + 4) / 2},
		{MSE, Mean, (0.25 + 4) / 4},
		{SSE, Mean, (0.25 + 4) / 2},
	} {
		if got := Value(tc.k, yhat, y, tc.r); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%s/%s = %v; want %v", tc.k, tc.r, got, tc.want)
		}
	}
	p := tensor.FromRows([][]float64{{0.8}, {0.4}})
	t1 := tensor.FromRows([][]float64{{1}, {0}})
	if got, want := Value(BinaryCrossEntropy, p, t1, Mean), -(math.Log(0.8)+math.Log(0.6))/2; math.Abs(got-want) > 1e-15 {
		t.Errorf("BCE = %v; want %v", got, want)
	}
}

func TestNoNaN(t *testing.T) {
	y := tensor.FromRows([][]float64{{1, 0}})
	for _, k := range []Kind{BinaryCrossEntropy, CrossEntropy} {
		p := tensor.FromRows([][]float64{{0, 1}}) // log(0) territory
		g := tensor.Zeros[float64](1, 2)
		Gradient(k, g, p, y, Mean)
		v := Value(k, p, y, Mean)
		if math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(g.At(0, 0)) || math.IsInf(g.At(0, 0), 0) {
			t.Errorf("%s at p=[0 1]: value %v gradient %v", k, v, g)
		}
		z := tensor.FromRows([][]float64{{-1000, 1000}})
		if v := ValueLogits(k, z, y, Mean); math.IsNaN(v) || math.IsInf(v, 0) || v < 999 {
			t.Errorf("%s logits ±1000: %v; want a finite value ≈ 1000", k, v)
		}
	}
	p32 := tensor.FromRows([][]float32{{0, 1}})
	y32 := tensor.FromRows([][]float32{{1, 0}})
	if v := Value(BinaryCrossEntropy, p32, y32, Sum); math.IsInf(v, 0) || math.IsNaN(v) {
		t.Errorf("float32 BCE at 0/1: %v", v)
	}
}

func TestParse(t *testing.T) {
	for _, k := range Kinds() {
		if got, err := Parse(k.String()); err != nil || got != k {
			t.Errorf("Parse(%q) = %v, %v", k, got, err)
		}
	}
	if got, _ := Parse("BCE"); got != BinaryCrossEntropy {
		t.Errorf("Parse(BCE) = %v", got)
	}
	if _, err := Parse("hinge"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Parse(hinge): %v", err)
	}
}

func ExampleValue() {
	yhat := tensor.FromRows([][]float64{{0.9}, {0.2}})
	y := tensor.FromRows([][]float64{{1}, {0}})
	fmt.Printf("SSE %.2f, MSE %.3f\n", Value(SSE, yhat, y, Sum), Value(MSE, yhat, y, Mean))
	// Output: SSE 0.05, MSE 0.025
}
