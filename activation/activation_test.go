package activation

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/tensor"
)

func testMatrix() *tensor.Dense[float64] {
	return tensor.FromRows([][]float64{{-2.5, -0.3, 0.7, 1.9}, {3.1, -1.2, 0.05, -0.6}, {0.4, 2.2, -3.3, 1.1}})
}

// Backward against central differences of L = Σ da ⊙ f(z), whose
// gradient with respect to z is exactly what Backward computes.
func TestBackwardFiniteDifferences(t *testing.T) {
	da := tensor.FromRows([][]float64{{0.3, -1, 0.5, 2}, {-0.7, 0.2, 1.5, -0.4}, {1, 1, -2, 0.25}})
	for _, k := range Kinds() {
		z := testMatrix()
		a := tensor.Zeros[float64](z.Dims())
		Forward(k, a, z)
		dz := tensor.Zeros[float64](z.Dims())
		Backward(k, dz, da, z, a)
		L := func() float64 {
			Forward(k, a, z)
			var s float64
			for i, v := range a.Data() {
				s += v * da.Data()[i]
			}
			return s
		}
		var diff, norm float64
		const h = 1e-5
		for i := range z.Data() {
			orig := z.Data()[i]
			z.Data()[i] = orig + h
			p := L()
			z.Data()[i] = orig - h
			m := L()
			z.Data()[i] = orig
			num := (p - m) / (2 * h)
			diff += (num - dz.Data()[i]) * (num - dz.Data()[i])
			norm += num*num + dz.Data()[i]*dz.Data()[i]
		}
		if rel := math.Sqrt(diff) / math.Sqrt(norm); rel > 1e-6 {
			t.Errorf("%s: relative error %.3g between Backward and finite differences", k, rel)
		}
	}
}

func TestForwardValues(t *testing.T) {
	z := tensor.FromRows([][]float64{{-1, 0, 2}})
	e := math.Exp
	for _, tc := range []struct {
		k    Kind
		want []float64
	}{
		{Identity, []float64{-1, 0, 2}},
		{Sigmoid, []float64{1 / (1 + e(1)), 0.5, 1 / (1 + e(-2))}},
		{Tanh, []float64{math.Tanh(-1), 0, math.Tanh(2)}},
		{ReLU, []float64{0, 0, 2}},
		{LeakyReLU, []float64{-0.01, 0, 2}},
		{Softmax, []float64{e(-1) / (e(-1) + 1 + e(2)), 1 / (e(-1) + 1 + e(2)), e(2) / (e(-1) + 1 + e(2))}},
	} {
		a := tensor.Zeros[float64](1, 3)
		Forward(tc.k, a, z)
		for i, w := range tc.want {
			if got := a.At(0, i); math.Abs(got-w) > 1e-15 {
				t.Errorf("%s(%v) = %v; want %v", tc.k, z.At(0, i), got, w)
			}
		}
	}
}

// Extreme inputs give finite, correctly saturated outputs and slopes.
func TestStability(t *testing.T) {
	z := tensor.FromRows([][]float64{{-800, -400, 0, 400, 800}})
	for _, k := range Kinds() {
		a := tensor.Zeros[float64](z.Dims())
		Forward(k, a, z)
		s := tensor.Zeros[float64](z.Dims())
		Slope(k, s, z, a)
		dz := tensor.Zeros[float64](z.Dims())
		Backward(k, dz, tensor.FromRows([][]float64{{1, 1, 1, 1, 1}}), z, a)
		for i := range a.Data() {
			for _, v := range []float64{a.Data()[i], s.Data()[i], dz.Data()[i]} {
				if math.IsNaN(v) || (k != Identity && k != ReLU && k != LeakyReLU && math.IsInf(v, 0)) {
					t.Errorf("%s at z=%v: non-finite value %v", k, z.At(0, i), v)
				}
			}
		}
	}
	a := tensor.Zeros[float32](1, 3)
	Forward(Softmax, a, tensor.FromRows([][]float32{{1000, 1000, -1000}}))
	if a.At(0, 0) != 0.5 || a.At(0, 2) != 0 {
		t.Errorf("softmax of large logits: %v; want [0.5 0.5 0]", a)
	}
	Forward(Tanh, a, tensor.FromRows([][]float32{{-400, 0, 400}}))
	if a.At(0, 0) != -1 || a.At(0, 2) != 1 {
		t.Errorf("tanh(±400) = %v", a)
	}
}

func TestSlopeIsDerivative(t *testing.T) {
	for _, k := range []Kind{Identity, Sigmoid, Tanh, ReLU, LeakyReLU} {
		z := testMatrix()
		a := tensor.Zeros[float64](z.Dims())
		Forward(k, a, z)
		s := tensor.Zeros[float64](z.Dims())
		Slope(k, s, z, a)
		one := tensor.Zeros[float64](z.Dims())
		one.Fill(1)
		dz := tensor.Zeros[float64](z.Dims())
		Backward(k, dz, one, z, a)
		if !tensor.Equal(s, dz) {
			t.Errorf("%s: Slope %v differs from Backward with dA = 1: %v", k, s, dz)
		}
	}
}

func TestParse(t *testing.T) {
	for _, k := range Kinds() {
		got, err := Parse(k.String())
		if err != nil || got != k {
			t.Errorf("Parse(%q) = %v, %v", k.String(), got, err)
		}
	}
	for in, want := range map[string]Kind{"ReLU": ReLU, "linear": Identity, "leaky_relu": LeakyReLU, " Tanh ": Tanh} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	_, err := Parse("swish")
	if !errors.Is(err, ErrUnknown) || err.Error() != `unknown activation "swish" (want one of identity, sigmoid, tanh, relu, leaky-relu, softmax)` {
		t.Errorf("Parse(swish): %v", err)
	}
	if s := Kind(42).String(); s != "activation(42)" || Kind(42).Valid() {
		t.Errorf("Kind(42): %q valid=%v", s, Kind(42).Valid())
	}
}

func ExampleForward() {
	z := tensor.FromRows([][]float64{{-1, 0, 1}})
	a := tensor.Zeros[float64](1, 3)
	Forward(Sigmoid, a, z)
	fmt.Printf("%.4f\n", a.Row(0))
	// Output: [0.2689 0.5000 0.7311]
}

func TestKindsAreKernelActs(t *testing.T) {
	want := map[Kind]kernel.Act{Identity: kernel.Identity, Sigmoid: kernel.Sigmoid, Tanh: kernel.Tanh,
		ReLU: kernel.ReLU, LeakyReLU: kernel.LeakyReLU, Softmax: kernel.Softmax}
	for _, k := range Kinds() {
		if kernel.Act(k) != want[k] {
			t.Errorf("%v is %d, kernel's is %d", k, int(k), int(want[k]))
		}
	}
}
