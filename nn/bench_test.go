package nn

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// mnistNet returns the 784-256-128-10 ReLU/softmax network of the MNIST
// benchmarks and a batch of m random inputs in [0, 1).
func mnistNet[T tensor.Float](tb testing.TB, m int) (*Network[T], *tensor.Dense[T]) {
	tb.Helper()
	net, err := New[T](Config{
		Inputs: 784,
		Layers: []LayerSpec{
			{Units: 256, Activation: activation.ReLU},
			{Units: 128, Activation: activation.ReLU},
			{Units: 10, Activation: activation.Softmax},
		},
		Loss: loss.CrossEntropy,
	}, rng.New(1))
	if err != nil {
		tb.Fatal(err)
	}
	X := tensor.Zeros[T](m, 784)
	src := rng.New(2)
	for i := range X.Data() {
		X.Data()[i] = T(src.Float64())
	}
	return net, X
}

// BenchmarkPredict times inference of the MNIST MLP in float32 on one
// sample and on batches, with the kernels on one thread (also reporting
// the thread's CPU time, steadier on a busy machine) and on two.
func BenchmarkPredict(b *testing.B) {
	defer kernel.SetThreads(0)
	for _, m := range []int{1, 32, 512} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("batch%d/t%d", m, threads), func(b *testing.B) {
				kernel.SetThreads(threads)
				net, X := mnistNet[float32](b, m)
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				c0 := threadCPU()
				b.ReportAllocs()
				for b.Loop() {
					if _, err := net.Predict(X); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(m)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
				if threads == 1 {
					if c := threadCPU(); c > 0 {
						b.ReportMetric(float64(c-c0)/float64(b.N), "cpu-ns/op")
					}
				}
			})
		}
	}
}

// BenchmarkForwardCost times a training step's forward pass and cost on
// the MNIST MLP in float32 on two threads, both ways in every iteration,
// in alternating order: ForwardInto then CostWeighted (old), and
// ForwardCostInto, whose cost comes from the softmax's log-sum-exps
// (new). It reports the median over iterations of the ratio new/old time
// ("ratio"; below 1: ForwardCostInto is faster), a paired figure that a
// busy machine disturbs far less than two separate timings.
func BenchmarkForwardCost(b *testing.B) {
	defer kernel.SetThreads(0)
	kernel.SetThreads(2)
	for _, m := range []int{32, 128, 512} {
		b.Run(fmt.Sprintf("batch%d", m), func(b *testing.B) {
			net, X := mnistNet[float32](b, m)
			Y := tensor.Zeros[float32](m, 10)
			for i := range m {
				Y.Set(i, i%10, 1)
			}
			var oldC, newC Cache[float32]
			run := [2]func(){
				func() { // old
					if err := net.ForwardInto(&oldC, X); err != nil {
						b.Fatal(err)
					}
					if _, err := net.CostWeighted(&oldC, Y, nil); err != nil {
						b.Fatal(err)
					}
				},
				func() { // new
					if _, err := net.ForwardCostInto(&newC, X, Y, nil); err != nil {
						b.Fatal(err)
					}
				},
			}
			var ratios []float64
			for i := 0; b.Loop(); i++ {
				var d [2]time.Duration
				for _, j := range [2]int{i % 2, 1 - i%2} {
					t0 := time.Now()
					run[j]()
					d[j] = time.Since(t0)
				}
				ratios = append(ratios, float64(d[1])/float64(d[0]))
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "ratio")
		})
	}
}
