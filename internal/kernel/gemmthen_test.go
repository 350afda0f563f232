package kernel

import (
	"math"
	"testing"
)

// TestGemmThen checks that GemmThen gives every product the bits of Gemm,
// on every path and split, and that it hands each element of each C to
// then exactly once, after the element is final.
func TestGemmThen(t *testing.T) {
	defer SetThreads(0)
	for _, threads := range []int{1, 0} {
		SetThreads(threads)
		testGemmThen[float32](t, paths32())
		testGemmThen[float64](t, paths64())
	}
}

// thenShapes are sets of products run as one GemmThen job: a training
// step's weight gradients (Aᵀ·dZ), shapes that are not whole tiles, both
// transposes, and empty products.
var thenShapes = [][]benchShape{
	{{"", true, false, 784, 128, 256}, {"", true, false, 256, 128, 128}, {"", true, false, 128, 128, 10}},
	{{"", true, false, 70, 33, 40}, {"", false, false, 17, 9, 33}, {"", false, true, 40, 65, 70}, {"", true, true, 9, 17, 300}},
	{{"", false, false, 3, 0, 5}, {"", false, false, 0, 4, 5}, {"", true, false, 300, 2, 20}},
}

func testGemmThen[T Float](t *testing.T, paths []path) {
	for _, pa := range paths {
		restore := use(pa)
		for si, set := range thenShapes {
			if raceEnabled && si == 0 {
				continue // the MLP's shapes: minutes under the race detector
			}
			s := lcg(si + 3)
			ps := make([]Product[T], len(set))
			want := make([][]T, len(set))
			seen := make([][]int, len(set))
			got := make([][]T, len(set))
			for i, sh := range set {
				a, lda, b, ldb, c := benchOperands[T](sh)
				for j := range c {
					c[j] = T(s.next()) // overwritten: beta is 0
				}
				ps[i] = Product[T]{sh.transA, sh.transB, sh.m, sh.n, sh.k, a, lda, b, ldb, c}
				want[i] = make([]T, len(c))
				Gemm(sh.transA, sh.transB, sh.m, sh.n, sh.k, 1, a, lda, b, ldb, 0, want[i], max(sh.n, 1))
				seen[i], got[i] = make([]int, len(c)), make([]T, len(c))
			}
			GemmThen(ps, func(i, lo, hi int) {
				for j := lo; j < hi; j++ {
					seen[i][j]++
					got[i][j] = ps[i].C[j]
				}
			})
			for i, sh := range set {
				for j := range want[i] {
					switch {
					case seen[i][j] != 1:
						t.Fatalf("%T %s threads=%d %+v: element %d handed to then %d times, want 1", T(0), pa.name, Threads(), sh, j, seen[i][j])
					case math.Float64bits(float64(ps[i].C[j])) != math.Float64bits(float64(want[i][j])):
						t.Fatalf("%T %s threads=%d %+v: C[%d] = %v, Gemm gives %v", T(0), pa.name, Threads(), sh, j, ps[i].C[j], want[i][j])
					case math.Float64bits(float64(got[i][j])) != math.Float64bits(float64(want[i][j])):
						t.Fatalf("%T %s threads=%d %+v: then saw C[%d] = %v before it was final (%v)", T(0), pa.name, Threads(), sh, j, got[i][j], want[i][j])
					}
				}
			}
		}
		restore()
	}
}
