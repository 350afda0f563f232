package train

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// mnistMLP returns the 784-256-128-10 ReLU network with a softmax +
// cross-entropy output that the MNIST benchmarks train, and a batch of m
// random inputs in [0, 1) with one-hot targets.
func mnistMLP[T tensor.Float](tb testing.TB, m int) (net *nn.Network[T], X, Y *tensor.Dense[T]) {
	tb.Helper()
	net, err := nn.New[T](nn.Config{
		Inputs: 784,
		Layers: []nn.LayerSpec{
			{Units: 256, Activation: activation.ReLU},
			{Units: 128, Activation: activation.ReLU},
			{Units: 10, Activation: activation.Softmax},
		},
		Loss: loss.CrossEntropy,
	}, rng.New(1))
	if err != nil {
		tb.Fatal(err)
	}
	src := rng.New(2)
	X, Y = tensor.Zeros[T](m, 784), tensor.Zeros[T](m, 10)
	for i := range X.Data() {
		X.Data()[i] = T(src.Float64())
	}
	for i := range m {
		Y.Set(i, int(src.Interval(9)), 1)
	}
	return net, X, Y
}

// BenchmarkTrainStep times one training step (forward, cost, backward and
// the optimizer's update) of the 784-256-128-10 MLP in float32, through
// the trainer Fit uses, at three batch sizes, with the kernels on one
// thread and on two. On one thread it also reports the thread's CPU time
// per step, which other processes on a busy machine disturb less than
// the wall-clock time.
func BenchmarkTrainStep(b *testing.B) {
	defer kernel.SetThreads(0)
	for _, opt := range []string{"sgd", "adam"} {
		for _, m := range []int{32, 128, 512} {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/batch%d/t%d", opt, m, threads), func(b *testing.B) {
					kernel.SetThreads(threads)
					net, X, Y := mnistMLP[float32](b, m)
					o, err := optim.New[float32](opt, 0.01)
					if err != nil {
						b.Fatal(err)
					}
					t := &trainer[float32]{net: net, opt: o, classify: classifier(net), softmax: softmaxOutput(net)}
					if _, _, err := t.step(X, Y, nil); err != nil {
						b.Fatal(err)
					}
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					c0 := threadCPU()
					b.ReportAllocs()
					for b.Loop() {
						if _, _, err := t.step(X, Y, nil); err != nil {
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
}

// BenchmarkStepCost times whole SGD steps of the MNIST MLP in float32 on
// two threads, two ways in every iteration, in alternating order, on two
// copies of the network that stay equal: the step as it ran before
// ForwardCostInto (ForwardInto, then CostWeighted with its exponentials,
// hits, BackwardStep) and trainer.step (the cost from the softmax's
// log-sum-exps). It reports the median over iterations of the ratio
// new/old time ("ratio"; below 1: the step is faster now).
func BenchmarkStepCost(b *testing.B) {
	defer kernel.SetThreads(0)
	kernel.SetThreads(2)
	for _, m := range []int{32, 128, 512} {
		b.Run(fmt.Sprintf("batch%d", m), func(b *testing.B) {
			var ts [2]*trainer[float32]
			for i := range ts {
				net, _, _ := mnistMLP[float32](b, m)
				o, err := optim.New[float32]("sgd", 0.01)
				if err != nil {
					b.Fatal(err)
				}
				ts[i] = newTrainer(net, o)
			}
			_, X, Y := mnistMLP[float32](b, m)
			old := func(t *trainer[float32]) error {
				if err := t.net.ForwardInto(&t.cache, X); err != nil {
					return err
				}
				if _, err := t.net.CostWeighted(&t.cache, Y, nil); err != nil {
					return err
				}
				hits(t.cache.Output(), Y, t.softmax)
				t.grads.NoInputGrad = true
				return t.net.BackwardStep(&t.grads, &t.cache, Y, nil, t.opt)
			}
			run := [2]func() error{
				func() error { return old(ts[0]) },
				func() error { _, _, err := ts[1].step(X, Y, nil); return err },
			}
			var ratios []float64
			for i := 0; b.Loop(); i++ {
				var d [2]time.Duration
				for _, j := range [2]int{i % 2, 1 - i%2} {
					t0 := time.Now()
					if err := run[j](); err != nil {
						b.Fatal(err)
					}
					d[j] = time.Since(t0)
				}
				ratios = append(ratios, float64(d[1])/float64(d[0]))
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "ratio")
		})
	}
}
