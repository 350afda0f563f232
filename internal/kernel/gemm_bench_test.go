package kernel

import (
	"fmt"
	"runtime"
	"testing"
)

// benchShape is one benchmarked product: op(A) is m×k, op(B) is k×n.
type benchShape struct {
	name           string
	transA, transB bool
	m, k, n        int
}

var benchShapes = []benchShape{
	{"NN128x784x256", false, false, 128, 784, 256}, // MNIST forward, hidden layer
	{"NN128x256x128", false, false, 128, 256, 128},
	{"TN784x128x256", true, false, 784, 128, 256},  // (128×784)ᵀ·(128×256): dW
	{"NT128x256x784", false, true, 128, 256, 784},  // (128×256)·(784×256)ᵀ: dX
	{"NN1x784x256", false, false, 1, 784, 256},     // one sample
	{"NN32x128x10", false, false, 32, 128, 10},     // output layer, batch 32
	{"NN512x512x512", false, false, 512, 512, 512}, //
}

func benchOperands[T Float](sh benchShape) (a []T, lda int, b []T, ldb int, c []T) {
	s := lcg(1)
	lda, ldb = sh.k, sh.n
	if sh.transA {
		lda = sh.m
	}
	if sh.transB {
		ldb = sh.k
	}
	return fill[T](&s, sh.m*sh.k), lda, fill[T](&s, sh.k*sh.n), ldb, make([]T, sh.m*sh.n)
}

func reportGFLOPS(b *testing.B, sh benchShape) {
	b.ReportMetric(2*float64(sh.m*sh.n*sh.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// onThread, when measure is set, locks the benchmark to its OS thread and
// returns a function that reports the thread's CPU time per operation
// (cpu-ns/op) and unlocks it: on a busy machine that figure is steadier
// than the wall time, from which it leaves out the spells the thread
// waited for a core. Only a one-thread product is measured this way.
func onThread(b *testing.B, measure bool) (report func()) {
	if !measure {
		return func() {}
	}
	runtime.LockOSThread()
	t0 := threadCPU()
	return func() {
		if t := threadCPU(); t > 0 {
			b.ReportMetric(float64(t-t0)/float64(b.N), "cpu-ns/op")
		}
		runtime.UnlockOSThread()
	}
}

// BenchmarkGemm32 runs every float32 path at 1 and 2 threads beside the
// naive triple loop (GemmRef).
func BenchmarkGemm32(b *testing.B) { benchGemm[float32](b) }

// BenchmarkGemm64 runs every float64 path at 1 and 2 threads beside the
// naive triple loop. Products under 64³ (NN1x784x256, NN32x128x10) take
// the exact loops on every path.
func BenchmarkGemm64(b *testing.B) { benchGemm[float64](b) }

func benchGemm[T Float](b *testing.B) {
	defer SetThreads(0)
	for _, sh := range benchShapes {
		a, lda, bb, ldb, c := benchOperands[T](sh)
		for _, pa := range []path{{"avx512", true, false, false, 0, 0}, {"avx2", false, true, false, 0, 0}, {"neon", false, false, true, 0, 0}, {"go", false, false, false, 0, 0}} {
			if (pa.avx512 && !canAVX512) || (pa.avx2 && !canAVX2) || (pa.neon && kernelsOf[T]().gemm128 == nil) {
				continue
			}
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/t%d/%s", pa.name, threads, sh.name), func(b *testing.B) {
					defer use(pa)()
					SetThreads(threads)
					b.ReportAllocs()
					cpu := onThread(b, threads == 1)
					for b.Loop() {
						Gemm(sh.transA, sh.transB, sh.m, sh.n, sh.k, 1, a, lda, bb, ldb, 0, c, sh.n)
					}
					reportGFLOPS(b, sh)
					cpu()
				})
			}
		}
		b.Run("naive/"+sh.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := onThread(b, true)
			for b.Loop() {
				GemmRef(sh.transA, sh.transB, sh.m, sh.n, sh.k, 1, a, lda, bb, ldb, 0, c, sh.n)
			}
			reportGFLOPS(b, sh)
			cpu()
		})
	}
}
