package kernel

import (
	"fmt"
	"math"
	"testing"
)

// gemmIKJ is the naive twin that is fair to the naive side: the plain
// triple loop in the order that walks op(B) and C along their rows (i, p,
// j for B as stored; i, j, p, a dot product of two rows, for Bᵀ), with no
// blocking, packing or threads. GemmRef keeps the i, j, p order of the
// definition instead, whatever the transposes, and is slower still.
//
//	for i, p, j: C[i,j] += alpha·op(A)[i,p]·op(B)[p,j]   (C scaled by beta first)
func gemmIKJ[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := range m {
		ci := c[i*ldc : i*ldc+n]
		for j := range ci {
			if beta == 0 {
				ci[j] = 0
			} else {
				ci[j] *= beta
			}
		}
		if transB { // op(B)[p,j] = B[j,p]: C[i,j] += alpha·(A's row i)·(B's row j)
			for j := range ci {
				var sum T
				for p := range k {
					sum += opA(transA, a, lda, i, p) * b[j*ldb+p]
				}
				ci[j] += alpha * sum
			}
			continue
		}
		for p := range k {
			av := alpha * opA(transA, a, lda, i, p)
			bp := b[p*ldb : p*ldb+n]
			for j, bv := range bp {
				ci[j] += av * bv
			}
		}
	}
}

// opA returns op(A)[i,p].
func opA[T Float](transA bool, a []T, lda, i, p int) T {
	if transA {
		return a[p*lda+i]
	}
	return a[i*lda+p]
}

// BenchmarkGemmNaive32 runs the i-k-j naive twin on the shapes of
// BenchmarkGemm32, so that "fast kernel against plain loop" can be read
// off one run with either naive loop.
func BenchmarkGemmNaive32(b *testing.B) {
	for _, sh := range benchShapes {
		a, lda, bb, ldb, c := benchOperands[float32](sh)
		b.Run("ikj/"+sh.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				gemmIKJ(sh.transA, sh.transB, sh.m, sh.n, sh.k, 1, a, lda, bb, ldb, 0, c, sh.n)
			}
			reportGFLOPS(b, sh)
		})
	}
}

// mlpStep lists the matrix multiplies of one SGD step of a dense network
// with the given layer sizes on a batch of the given size: forward
// Z = A_prev·W (batch×in·in×out) for every layer, then, from the top,
// dW = A_prevᵀ·dZ (in×batch·batch×out) and, except at the first layer,
// dA_prev = dZ·Wᵀ (batch×out·out×in). This is the work nerve bench
// counts as its GEMM FLOPs.
func mlpStep(sizes []int, batch int) []benchShape {
	var s []benchShape
	for l := 1; l < len(sizes); l++ {
		in, out := sizes[l-1], sizes[l]
		s = append(s, benchShape{fmt.Sprintf("Z%d", l), false, false, batch, in, out})
	}
	for l := len(sizes) - 1; l >= 1; l-- {
		in, out := sizes[l-1], sizes[l]
		s = append(s, benchShape{fmt.Sprintf("dW%d", l), true, false, in, batch, out})
		if l > 1 {
			s = append(s, benchShape{fmt.Sprintf("dA%d", l-1), false, true, batch, out, in})
		}
	}
	return s
}

// BenchmarkMLPStepGemm32 times the matrix multiplies of one training step
// of the 784-256-128-10 network nerve bench trains by default, through
// Gemm at 1 and 2 threads and through the naive twins, and reports samples
// per second and GFLOP/s. It is the ceiling for nerve bench's samples/s:
// the rest of a step (activations, loss, update, batching) only adds time.
func BenchmarkMLPStepGemm32(b *testing.B) {
	defer SetThreads(0)
	sizes := []int{784, 256, 128, 10}
	type operands struct {
		a, bb, c []float32
		lda, ldb int
	}
	for _, batch := range []int{1, 32, 128, 512} {
		step := mlpStep(sizes, batch)
		ops := make([]operands, len(step))
		var flops float64
		for i, sh := range step {
			a, lda, bb, ldb, c := benchOperands[float32](sh)
			ops[i] = operands{a, bb, c, lda, ldb}
			flops += 2 * float64(sh.m*sh.n*sh.k)
		}
		run := func(gemm func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) func(*testing.B) {
			return func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					for i, sh := range step {
						o := ops[i]
						gemm(sh.transA, sh.transB, sh.m, sh.n, sh.k, 1, o.a, o.lda, o.bb, o.ldb, 0, o.c, sh.n)
					}
				}
				sec := b.Elapsed().Seconds()
				b.ReportMetric(float64(batch)*float64(b.N)/sec, "samples/s")
				b.ReportMetric(flops*float64(b.N)/sec/1e9, "GFLOP/s")
			}
		}
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("gemm/t%d/b%d", threads, batch), func(b *testing.B) {
				SetThreads(threads)
				run(Gemm[float32])(b)
			})
		}
		b.Run(fmt.Sprintf("ikj/b%d", batch), run(gemmIKJ[float32]))
		b.Run(fmt.Sprintf("naive/b%d", batch), run(GemmRef[float32]))
	}
}

// TestGemmIKJ checks the naive twin against GemmRef, guards included,
// so that its benchmark times a correct multiply.
func TestGemmIKJ(t *testing.T) {
	s := lcg(3)
	for _, tr := range transposes {
		for _, ab := range alphaBetas {
			p := newProblem[float64](&s, tr[0], tr[1], 7, 9, 5, ab[0], ab[1])
			want := append([]float64(nil), p.c0...)
			GemmRef(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, want[p.pre:], p.ldc)
			got := append([]float64(nil), p.c0...)
			gemmIKJ(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, got[p.pre:], p.ldc)
			for i := range got {
				if d := math.Abs(got[i] - want[i]); !(d <= 1e-12*max(1, math.Abs(want[i]))) {
					t.Fatalf("%v: element %d of C's buffer is %v; want %v", p, i-p.pre, got[i], want[i])
				}
			}
		}
	}
}
