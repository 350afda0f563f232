package kernel

import (
	"fmt"
	"math"
	"testing"
)

// TestGemmDeltas checks that the backward chain as one job gives the bits
// of GemmActBackward step after step (dA, dZ and db), on every path and split, on one
// thread and on all, through every activation, from deltas of batches
// that are and are not whole tiles.
func TestGemmDeltas(t *testing.T) {
	defer SetThreads(0)
	for _, threads := range []int{1, 0} {
		SetThreads(threads)
		testGemmDeltas[float32](t, paths32())
		testGemmDeltas[float64](t, paths64())
	}
}

func testGemmDeltas[T Float](t *testing.T, paths []path) {
	// Units from the top layer down: the first is dZ_next's width.
	chains := [][]int{{5, 33, 80, 67, 96, 40, 21}, {10, 128, 256}, {3, 1, 9}}
	batches := []int{1, 13, 96, 200}
	if raceEnabled {
		chains, batches = [][]int{chains[0][:4], chains[2]}, []int{1, 13, 40}
	}
	for _, pa := range paths {
		restore := use(pa)
		for ci, units := range chains {
			for _, m := range batches {
				name := fmt.Sprintf("%T %s threads=%d chain %d batch %d", T(0), pa.name, Threads(), ci, m)
				s := lcg(ci*17 + m)
				dz := fill[T](&s, m*units[0])
				var got, want []DeltaStep[T]
				for i, n := range units[1:] {
					k := units[i]
					f := acts[(ci+i)%len(acts)]
					w, z, a := fill[T](&s, n*k), fill[T](&s, m*n), fill[T](&s, m*n)
					for _, out := range []*[]DeltaStep[T]{&got, &want} {
						da := make([]T, m*n)
						dzl := da
						if i%2 == 0 {
							dzl = make([]T, m*n)
						}
						var db []T // a bias gradient on every other step
						if i%2 == 1 {
							db = fill[T](&s, n) // overwritten
						}
						*out = append(*out, DeltaStep[T]{f, n, k, w, k, da, dzl, z, a, db})
					}
				}
				GemmDeltas(m, dz, units[0], got)
				d, ldd := dz, units[0]
				for _, l := range want {
					GemmActBackward(l.F, m, l.N, l.K, d, ldd, l.W, l.LDW, l.DA, l.Z, l.A, l.DZ, l.DB)
					d, ldd = l.DZ, l.N
				}
				for li := range got {
					for e, w := range want[li].DB {
						if g := got[li].DB[e]; math.Float64bits(float64(g)) != math.Float64bits(float64(w)) {
							t.Fatalf("%s: step %d (%v): db[%d] = %v, GemmActBackward gives %v", name, li, got[li].F, e, g, w)
						}
					}
					for e, w := range want[li].DZ {
						if g := got[li].DZ[e]; math.Float64bits(float64(g)) != math.Float64bits(float64(w)) {
							t.Fatalf("%s: step %d (%v): dZ[%d] = %v, GemmActBackward gives %v", name, li, got[li].F, e, g, w)
						}
						if g, w := got[li].DA[e], want[li].DA[e]; math.Float64bits(float64(g)) != math.Float64bits(float64(w)) {
							t.Fatalf("%s: step %d (%v): dA[%d] = %v, GemmActBackward gives %v", name, li, got[li].F, e, g, w)
						}
					}
				}
			}
		}
		restore()
	}
}
