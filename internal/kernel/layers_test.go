package kernel

import (
	"fmt"
	"math"
	"testing"
)

// TestGemmLayers checks that the forward pass as one job gives the bits
// of GemmBiasAct layer after layer, on every path and split, on one
// thread and on all, for stacks with every activation, with and without
// biases, and batches that are and are not whole tiles.
func TestGemmLayers(t *testing.T) {
	defer SetThreads(0)
	for _, threads := range []int{1, 0} {
		SetThreads(threads)
		testGemmLayers[float32](t, paths32())
		testGemmLayers[float64](t, paths64())
	}
}

func testGemmLayers[T Float](t *testing.T, paths []path) {
	type layer struct {
		n    int
		f    Act
		bias bool
	}
	stacks := [][]layer{
		{{67, ReLU, true}, {80, Sigmoid, false}, {33, Tanh, true}, {5, Softmax, true}},
		{{9, LeakyReLU, true}, {1, ReLU, true}, {7, Identity, false}},
		{{256, ReLU, true}, {128, ReLU, true}, {10, Softmax, true}},
	}
	inputs := []int{333, 17, 784}
	batches := []int{1, 13, 96, 200}
	if raceEnabled {
		stacks, batches = stacks[:2], []int{1, 13, 40}
	}
	for _, pa := range paths {
		restore := use(pa)
		for si, stack := range stacks {
			for _, m := range batches {
				name := fmt.Sprintf("%T %s threads=%d stack %d batch %d", T(0), pa.name, Threads(), si, m)
				s := lcg(si*31 + m)
				x := fill[T](&s, m*inputs[si])
				var ls, want []DenseStep[T]
				k := inputs[si]
				for _, l := range stack {
					var b []T
					if l.bias {
						b = fill[T](&s, l.n)
					}
					w := fill[T](&s, k*l.n)
					for _, out := range []*[]DenseStep[T]{&ls, &want} {
						z := make([]T, m*l.n)
						a := z
						if l.f != Identity {
							a = make([]T, m*l.n)
						}
						*out = append(*out, DenseStep[T]{l.f, l.n, k, w, max(l.n, 1), b, z, a})
					}
					k = l.n
				}
				GemmLayers(m, x, inputs[si], ls)
				a, lda := x, inputs[si]
				for _, l := range want {
					GemmBiasAct(l.F, m, l.N, l.K, a, lda, l.W, l.LDW, l.B, l.Z, l.A)
					a, lda = l.A, max(l.N, 1)
				}
				for li := range ls {
					for e := range want[li].A {
						if g, w := ls[li].Z[e], want[li].Z[e]; math.Float64bits(float64(g)) != math.Float64bits(float64(w)) {
							t.Fatalf("%s: layer %d: Z[%d] = %v, GemmBiasAct gives %v", name, li, e, g, w)
						}
						if g, w := ls[li].A[e], want[li].A[e]; math.Float64bits(float64(g)) != math.Float64bits(float64(w)) {
							t.Fatalf("%s: layer %d: A[%d] = %v, GemmBiasAct gives %v", name, li, e, g, w)
						}
					}
				}
			}
		}
		restore()
	}
}
