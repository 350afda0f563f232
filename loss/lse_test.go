package loss

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

// rowLSE is each row's log-sum-exp of z in the order ValueLogits takes
// it: the maximum, the sum of e^(z−max) from column 0, one log.
func rowLSE[T tensor.Float](z *tensor.Dense[T]) []float64 {
	lse := make([]float64, z.Rows())
	for i := range lse {
		mx := math.Inf(-1)
		for _, v := range z.Row(i) {
			mx = math.Max(mx, float64(v))
		}
		var se float64
		for _, v := range z.Row(i) {
			se += math.Exp(float64(v) - mx)
		}
		lse[i] = mx + math.Log(se)
	}
	return lse
}

// TestValueLogitsLSE checks that the cross-entropy from given
// log-sum-exps has the bits of ValueLogitsWeighted, weighted or not,
// under both reductions, and that it does use them.
func TestValueLogitsLSE(t *testing.T) {
	testValueLogitsLSE[float32](t)
	testValueLogitsLSE[float64](t)
}

func testValueLogitsLSE[T tensor.Float](t *testing.T) {
	for _, m := range []int{1, 7, 33} {
		z, _, y := weightCase[T](CrossEntropy, m, uint32(m))
		lse := rowLSE(z)
		w := make([]float64, m)
		for i := range w {
			w[i] = float64(i%4) * 0.75
		}
		for _, r := range []Reduction{Mean, Sum} {
			for _, wt := range [][]float64{nil, w} {
				name := fmt.Sprintf("%T m=%d %v weighted=%v", T(0), m, r, wt != nil)
				got, want := ValueLogitsLSE(z, y, lse, wt, r), ValueLogitsWeighted(CrossEntropy, z, y, wt, r)
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("%s: got %v; want %v, bit for bit", name, got, want)
				}
				off := append([]float64(nil), lse...)
				off[m-1] += 0.5
				if wt == nil && ValueLogitsLSE(z, y, off, wt, r) == want {
					t.Errorf("%s: a changed log-sum-exp gave the same loss", name)
				}
			}
		}
	}
}

func TestValueLogitsLSEShortPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "2 log-sum-exps for 3 samples") {
			t.Errorf("panic %v; want one naming 2 log-sum-exps for 3 samples", r)
		}
	}()
	z, _, y := weightCase[float64](CrossEntropy, 3, 1)
	ValueLogitsLSE(z, y, []float64{0, 0}, nil, Mean)
}

// The log-sum-exp of the logits (0, log 3) is log 4, and the
// cross-entropy of class 1 is log 4 − log 3 = −log ¾, as from the
// logits alone.
func ExampleValueLogitsLSE() {
	z := tensor.FromRows([][]float64{{0, math.Log(3)}})
	y := tensor.FromRows([][]float64{{0, 1}})
	lse := []float64{math.Log(4)}
	fmt.Printf("%.4f %.4f %.4f\n", ValueLogitsLSE(z, y, lse, nil, Mean),
		ValueLogits(CrossEntropy, z, y, Mean), -math.Log(0.75))
	// Output: 0.2877 0.2877 0.2877
}
