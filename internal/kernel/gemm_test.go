package kernel

import (
	"fmt"
	"math"
	"testing"
)

// lcg is a tiny deterministic generator so this layer-0 test needs no other
// package.
type lcg uint64

func (s *lcg) next() float64 {
	*s = *s*6364136223846793005 + 1442695040888963407
	return float64(*s>>11)/float64(1<<53)*2 - 1
}

func fill[T Float](s *lcg, n int) []T {
	x := make([]T, n)
	for i := range x {
		x[i] = T(s.next())
	}
	return x
}

// naive64 computes alpha·op(A)·op(B) + beta·C in float64 from the stored
// operands, as an independent definition.
func naive64[T Float](transA, transB bool, m, n, k int, alpha float64, a []T, lda int, b []T, ldb int, beta float64, c []T, ldc int) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				var ai, bj T
				if transA {
					ai = a[p*lda+i]
				} else {
					ai = a[i*lda+p]
				}
				if transB {
					bj = b[j*ldb+p]
				} else {
					bj = b[p*ldb+j]
				}
				s += float64(ai) * float64(bj)
			}
			out[i*n+j] = alpha*s + beta*float64(c[i*ldc+j])
		}
	}
	return out
}

const guard = 1e30

func testGemm[T Float](t *testing.T, tol float64) {
	s := lcg(7)
	dims := []int{1, 2, 3, 7, 16, 33}
	for _, m := range dims {
		for _, n := range dims {
			for _, k := range []int{0, 1, 5, 17} {
				for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
					for _, ab := range [][2]float64{{1, 0}, {1, 1}, {-0.5, 2}} {
						tA, tB := tr[0], tr[1]
						// Stored shapes, with a padded leading dimension.
						ar, ac := m, k
						if tA {
							ar, ac = k, m
						}
						br, bc := k, n
						if tB {
							br, bc = n, k
						}
						lda, ldb, ldc := ac+1, bc+2, n+3
						a := fill[T](&s, max(ar*lda, 1))
						b := fill[T](&s, max(br*ldb, 1))
						c0 := fill[T](&s, m*ldc+2)
						// Guard values after each row's n elements and at the end.
						for i := 0; i < m; i++ {
							for j := n; j < ldc; j++ {
								c0[i*ldc+j] = guard
							}
						}
						c0[m*ldc] = guard
						c0[m*ldc+1] = guard
						aCopy, bCopy := append([]T(nil), a...), append([]T(nil), b...)

						want := naive64(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], c0, ldc)
						c1 := append([]T(nil), c0...)
						c2 := append([]T(nil), c0...)
						Gemm(tA, tB, m, n, k, T(ab[0]), a, lda, b, ldb, T(ab[1]), c1, ldc)
						GemmRef(tA, tB, m, n, k, T(ab[0]), a, lda, b, ldb, T(ab[1]), c2, ldc)
						name := fmt.Sprintf("m=%d n=%d k=%d tA=%v tB=%v alpha=%v beta=%v", m, n, k, tA, tB, ab[0], ab[1])
						for i := range c1 {
							row, col := i/ldc, i%ldc
							if row >= m || col >= n {
								if c1[i] != guard || c2[i] != guard {
									t.Fatalf("%s: guard at %d overwritten: Gemm %v, GemmRef %v", name, i, c1[i], c2[i])
								}
								continue
							}
							if math.Float64bits(float64(c1[i])) != math.Float64bits(float64(c2[i])) {
								t.Fatalf("%s: C[%d,%d]: Gemm %v != GemmRef %v (must be bit-identical)", name, row, col, c1[i], c2[i])
							}
							w := want[row*n+col]
							if d := math.Abs(float64(c1[i]) - w); d > tol*(1+math.Abs(w))*float64(k+1) {
								t.Fatalf("%s: C[%d,%d] = %v; want %v", name, row, col, c1[i], w)
							}
						}
						for i := range a {
							if a[i] != aCopy[i] {
								t.Fatalf("%s: A modified", name)
							}
						}
						for i := range b {
							if b[i] != bCopy[i] {
								t.Fatalf("%s: B modified", name)
							}
						}
					}
				}
			}
		}
	}
}

func TestGemm64(t *testing.T) { testGemm[float64](t, 1e-15) }
func TestGemm32(t *testing.T) { testGemm[float32](t, 1e-6) }

func TestGemmBetaZeroIgnoresNaN(t *testing.T) {
	// op(A) = [1 2], op(B) = [3 4]ᵀ, whichever way they are stored.
	a := []float64{1, 2}
	b := []float64{3, 4}
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		lda, ldb := 2, 1 // A stored 1×2, B stored 2×1
		if tr[0] {
			lda = 1 // A stored 2×1
		}
		if tr[1] {
			ldb = 2 // B stored 1×2
		}
		c := []float64{math.NaN()}
		Gemm(tr[0], tr[1], 1, 1, 2, 1, a, lda, b, ldb, 0, c, 1)
		if c[0] != 11 {
			t.Errorf("transA=%v transB=%v: got %v; want 11", tr[0], tr[1], c[0])
		}
	}
}

func BenchmarkGemm(b *testing.B) {
	for _, sz := range [][3]int{{128, 784, 256}, {32, 128, 10}} {
		m, k, n := sz[0], sz[1], sz[2]
		s := lcg(1)
		a, bb, c := fill[float32](&s, m*k), fill[float32](&s, k*n), make([]float32, m*n)
		b.Run(fmt.Sprintf("fast/%dx%dx%d", m, k, n), func(b *testing.B) {
			for b.Loop() {
				Gemm(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
			}
			b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("naive/%dx%dx%d", m, k, n), func(b *testing.B) {
			for b.Loop() {
				GemmRef(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
			}
			b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
