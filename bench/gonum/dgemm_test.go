// Package gonum compares nerve's float64 matrix product with gonum's
// pure-Go Dgemm, side by side in one run. It is a module of its own so
// that nerve itself does not depend on gonum:
//
//	cd bench/gonum && go test -bench . -count 5
package gonum

import (
	"fmt"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// shapes are (m, k, n) products of the MNIST-shaped MLP and a square one.
var shapes = [][3]int{{128, 784, 256}, {128, 256, 128}, {256, 256, 256}, {512, 512, 512}}

func fill(n int, seed float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64((i*7919)%1000)/1000 - 0.5 + seed
	}
	return s
}

// TestSameProduct checks that both libraries compute the same product.
func TestSameProduct(t *testing.T) {
	m, k, n := 67, 131, 45
	a, b := fill(m*k, 0), fill(k*n, 0.1)
	A, B := tensor.New(m, k, a), tensor.New(k, n, b)
	C := tensor.Zeros[float64](m, n)
	tensor.MatMul(C, A, tensor.NoTrans, B, tensor.NoTrans)
	g := make([]float64, m*n)
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, g, n)
	for i, v := range C.Data() {
		if d := v - g[i]; d > 1e-9 || d < -1e-9 {
			t.Fatalf("element %d: nerve %v, gonum %v", i, v, g[i])
		}
	}
}

func BenchmarkDgemm(b *testing.B) {
	for _, s := range shapes {
		m, k, n := s[0], s[1], s[2]
		flops := 2 * float64(m) * float64(k) * float64(n)
		a, bb := fill(m*k, 0), fill(k*n, 0.1)
		b.Run(fmt.Sprintf("nerve/%dx%dx%d", m, k, n), func(b *testing.B) {
			A, B := tensor.New(m, k, a), tensor.New(k, n, bb)
			C := tensor.Zeros[float64](m, n)
			for b.Loop() {
				tensor.MatMul(C, A, tensor.NoTrans, B, tensor.NoTrans)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("gonum/%dx%dx%d", m, k, n), func(b *testing.B) {
			A := blas64.General{Rows: m, Cols: k, Stride: k, Data: a}
			B := blas64.General{Rows: k, Cols: n, Stride: n, Data: bb}
			C := blas64.General{Rows: m, Cols: n, Stride: n, Data: make([]float64, m*n)}
			blas64.Use(gonum.Implementation{})
			for b.Loop() {
				blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, A, B, 0, C)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
