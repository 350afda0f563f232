package train

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

func TestStepAllocatesNothing(t *testing.T) {
	testStepAllocatesNothing[float32](t)
	testStepAllocatesNothing[float64](t)
}

// testStepAllocatesNothing runs the training step the way Fit does,
// gathering shuffled samples into the trainer's batch, and counts the
// allocations of a step after the first, alternating a full batch with a
// short last one, with sample weights.
func testStepAllocatesNothing[T tensor.Float](t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	X, Y := iris[T](t)
	order := rng.New(1).Perm(X.Rows())
	W := make([]float64, X.Rows())
	for i := range W {
		W[i] = float64(1 + i%3)
	}
	for _, name := range []string{"sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad"} {
		t.Run(fmt.Sprintf("%T/%s", T(0), name), func(t *testing.T) {
			opt, err := optim.New[T](name, 0.01)
			if err != nil {
				t.Fatal(err)
			}
			tr := newTrainer(newClassifier[T](t, 1, 16, 8), opt)
			step := func(idx []int) {
				xb, yb, wb := tr.gather(samples[T]{X: X, Y: Y, W: W}, idx)
				if _, _, err := tr.step(xb, yb, wb); err != nil {
					t.Fatal(err)
				}
			}
			step(order[:32])
			if n := testing.AllocsPerRun(20, func() { step(order[32:64]); step(order[64:71]) }); n != 0 {
				t.Errorf("a training step allocates %v times after the first; want 0", n)
			}
		})
	}
}

// TestFitAllocationsDoNotGrowWithBatches counts the allocations of whole
// Fit calls that differ only in their number of batches per epoch: if a
// batch allocated (the gathering of its samples, the step, the progress
// callback), 200 batches would allocate far more than 20. Each run holds
// out a validation fraction (scored in blocks of EvalRows) or is given
// one, and shuffles or not.
func TestFitAllocationsDoNotGrowWithBatches(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	const n = 2000
	X, Y := allocData(n)
	for _, c := range []struct {
		name string
		cfg  Config[float32]
	}{
		{"given validation", Config[float32]{ValX: X.Slice(0, 100), ValY: Y.Slice(0, 100)}},
		{"held-out validation", Config[float32]{ValidationFraction: 0.6}},
		{"no shuffle", Config[float32]{NoShuffle: true, ValidationFraction: 0.1}},
	} {
		allocs := func(batch int) float64 {
			cfg := c.cfg
			cfg.Epochs, cfg.BatchSize = 2, batch
			var seen int
			cfg.OnBatch = func(b BatchEnd) error { seen += b.Samples; return nil }
			return fitAllocs(t, X, Y, cfg)
		}
		a20, a200 := allocs(n/20), allocs(n/200)
		t.Logf("%s: allocations of a 2-epoch Fit: %v with 20 batches per epoch, %v with 200", c.name, a20, a200)
		if a200 > a20+4 {
			t.Errorf("%s: Fit with 200 batches per epoch allocates %v times, with 20 %v: the batches allocate", c.name, a200, a20)
		}
	}
}

// TestFitAllocationsPerEpoch counts the allocations of Fit calls that
// differ only in their number of epochs: an epoch may allocate only its
// record in the history (amortised by append), not a new order of the
// samples, nor buffers for its validation.
func TestFitAllocationsPerEpoch(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	X, Y := allocData(3000)
	allocs := func(epochs int) float64 {
		return fitAllocs(t, X, Y, Config[float32]{Epochs: epochs, BatchSize: 500, ValidationFraction: 0.5, OnEpoch: func(EpochEnd) error { return nil }})
	}
	a2, a12 := allocs(2), allocs(12)
	t.Logf("allocations of Fit: %v in 2 epochs, %v in 12", a2, a12)
	if a12 > a2+8 { // the history's growth: 4 reallocations from 2 to 12 epochs, and the kernel pool's slack
		t.Errorf("Fit allocates %v times in 12 epochs, %v in 2: the epochs allocate", a12, a2)
	}
}

// allocData returns n samples of 4 features and their one-hot targets
// of 3 classes.
func allocData(n int) (X, Y *tensor.Dense[float32]) {
	src := rng.New(4)
	X, Y = tensor.Zeros[float32](n, 4), tensor.Zeros[float32](n, 3)
	for i := range n {
		for j := range 4 {
			X.Set(i, j, float32(src.NormFloat64()))
		}
		Y.Set(i, i%3, 1)
	}
	return X, Y
}

// fitAllocs returns the allocations of a Fit of a fresh network with
// momentum SGD and cfg.
func fitAllocs(t *testing.T, X, Y *tensor.Dense[float32], cfg Config[float32]) float64 {
	net := newClassifier[float32](t, 1, 16)
	opt, _ := optim.NewSGD[float32](optim.SGD{LR: 0.01, Momentum: 0.9})
	cfg.Optimizer = opt
	return testing.AllocsPerRun(5, func() {
		if _, err := Fit(context.Background(), net, X, Y, cfg); err != nil {
			t.Fatal(err)
		}
	})
}

// TestStepAllocatesNothingThreaded counts the allocations of MNIST-sized
// steps at the process's GOMAXPROCS (AllocsPerRun runs at 1), so that
// products big enough for the kernel's thread pool are split between
// threads. The pool itself allocates now and then: a helper goroutine
// that idled out is started again (with its timer), a garbage collection
// empties the buffer pools. So the test asks for fewer allocations than
// steps, which any allocation in the step itself would exceed.
func TestStepAllocatesNothingThreaded(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	if testing.Short() {
		t.Skip("MNIST-sized steps")
	}
	for _, name := range []string{"sgd", "adam"} {
		net, X, Y := mnistMLP[float32](t, 64)
		opt, _ := optim.New[float32](name, 0.01)
		tr := newTrainer(net, opt)
		for range 3 {
			tr.step(X, Y, nil)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		const steps = 50
		for range steps {
			if _, _, err := tr.step(X, Y, nil); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		n := after.Mallocs - before.Mallocs
		t.Logf("%s: %d allocations in %d steps at GOMAXPROCS %d", name, n, steps, runtime.GOMAXPROCS(0))
		if n >= steps {
			t.Errorf("%s: %d allocations in %d steps; want fewer than one a step", name, n, steps)
		}
	}
}

// TestStepSameBitsAnyThreads trains MNIST-sized steps with the kernels on
// one thread and on two: the split of the products and of the optimizer
// updates between threads must not change a bit of the weights.
func TestStepSameBitsAnyThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("MNIST-sized steps")
	}
	defer kernel.SetThreads(0)
	for _, name := range []string{"sgd", "adam"} {
		var nets [2]*nn.Network[float32]
		for i, threads := range []int{1, 2} {
			kernel.SetThreads(threads)
			net, X, Y := mnistMLP[float32](t, 96)
			opt, _ := optim.New[float32](name, 0.01)
			tr := newTrainer(net, opt)
			for range 3 {
				if _, _, err := tr.step(X, Y, nil); err != nil {
					t.Fatal(err)
				}
			}
			nets[i] = net
		}
		if !sameNetworks(nets[0], nets[1]) {
			t.Errorf("%s: one thread and two give different weights", name)
		}
	}
}
