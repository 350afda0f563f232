package activation

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/tensor"
)

func randMatrix(r *rand.Rand, rows, cols int) *tensor.Dense[float32] {
	m := tensor.Zeros[float32](rows, cols)
	for i := range m.Data() {
		m.Data()[i] = float32(r.NormFloat64())
	}
	return m
}

// TestDenseStepsAreUnfused checks ForwardDense and BackwardDense against
// MatMul followed by ForwardBias / BackwardBias, bit for bit, on one and
// two threads, on the MLP's shapes (big enough to be split).
func TestDenseStepsAreUnfused(t *testing.T) {
	defer kernel.SetThreads(0)
	r := rand.New(rand.NewPCG(1, 2))
	const m, in, hidden, out = 96, 300, 200, 50
	x, w1, b1 := randMatrix(r, m, in), randMatrix(r, in, hidden), randMatrix(r, 1, hidden)
	w2, dz2 := randMatrix(r, hidden, out), randMatrix(r, m, out)
	for _, threads := range []int{1, 2} {
		kernel.SetThreads(threads)
		for _, k := range Kinds() {
			z, a := tensor.Zeros[float32](m, hidden), tensor.Zeros[float32](m, hidden)
			ForwardDense(k, a, z, x, w1, b1)
			wantZ, wantA := tensor.Zeros[float32](m, hidden), tensor.Zeros[float32](m, hidden)
			tensor.MatMul(wantZ, x, tensor.NoTrans, w1, tensor.NoTrans)
			ForwardBias(k, wantA, wantZ, b1)
			if !slices.Equal(z.Data(), wantZ.Data()) || !slices.Equal(a.Data(), wantA.Data()) {
				t.Fatalf("%d threads, %v: ForwardDense differs from MatMul + ForwardBias", threads, k)
			}

			da, dz, db := tensor.Zeros[float32](m, hidden), tensor.Zeros[float32](m, hidden), tensor.Zeros[float32](1, hidden)
			BackwardDense(k, dz, db, da, dz2, w2, z, a)
			wantDA, wantDZ, wantDB := tensor.Zeros[float32](m, hidden), tensor.Zeros[float32](m, hidden), tensor.Zeros[float32](1, hidden)
			tensor.MatMul(wantDA, dz2, tensor.NoTrans, w2, tensor.Trans)
			BackwardBias(k, wantDZ, wantDB, wantDA, z, a)
			if !slices.Equal(da.Data(), wantDA.Data()) || !slices.Equal(dz.Data(), wantDZ.Data()) || !slices.Equal(db.Data(), wantDB.Data()) {
				t.Fatalf("%d threads, %v: BackwardDense differs from MatMul + BackwardBias", threads, k)
			}
		}
	}
}

func TestDenseStepsPanic(t *testing.T) {
	x, w := tensor.Zeros[float64](4, 3), tensor.Zeros[float64](3, 2)
	z, a, b := tensor.Zeros[float64](4, 2), tensor.Zeros[float64](4, 2), tensor.Zeros[float64](1, 2)
	dzNext := tensor.Zeros[float64](4, 3)
	wNext := tensor.Zeros[float64](2, 3)
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"W rows", "A_prev (4, 3) · W (2, 2)", func() { ForwardDense(ReLU, a, z, x, tensor.Zeros[float64](2, 2), b) }},
		{"Z shape", "into Z (4, 3)", func() { ForwardDense(ReLU, a, tensor.Zeros[float64](4, 3), x, w, b) }},
		{"bias", "b is (1, 3)", func() { ForwardDense(ReLU, a, z, x, w, tensor.Zeros[float64](1, 3)) }},
		{"Z is A_prev", "shares storage", func() { ForwardDense(ReLU, a, tensor.New(4, 2, x.Data()[:8]), x, w, nil) }},
		{"kind", "invalid kind", func() { ForwardDense(Kind(9), a, z, x, w, b) }},
		{"dA shape", "into dA (4, 3)", func() { BackwardDense(ReLU, z, nil, tensor.Zeros[float64](4, 3), dzNext, wNext, z, a) }},
		{"db", "db is (1, 3)", func() { BackwardDense(ReLU, z, tensor.Zeros[float64](1, 3), a, dzNext, wNext, z, a) }},
		{"dZ is dZ_next", "shares storage", func() {
			d := tensor.Zeros[float64](4, 2)
			BackwardDense(ReLU, d, nil, a, d, tensor.Zeros[float64](2, 2), z, a)
		}},
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("%s: panic %v, want one containing %q", c.name, r, c.want)
				}
			}()
			c.f()
		}()
	}
}

func ExampleForwardDense() {
	x := tensor.FromRows([][]float64{{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}})
	w := tensor.FromRows([][]float64{{0.5, -1}, {0.25, 1}, {-0.5, 0.75}, {1, -0.25}})
	b := tensor.FromRows([][]float64{{0.1, -0.1}})
	z, a := tensor.Zeros[float64](3, 2), tensor.Zeros[float64](3, 2)
	ForwardDense(ReLU, a, z, x, w, b) // Z = X·W + b; A = relu(Z)
	fmt.Println(z.Row(0), a.Row(0))
	fmt.Println(z.Row(2), a.Row(2))
	// Output:
	// [0.1 -0.35] [0.1 0]
	// [1.35 0.65] [1.35 0.65]
}
