package nn

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// TestForwardCostInto pins ForwardCostInto to ForwardInto followed by
// CostWeighted, bit for bit: the cost and every cached Z and A, for
// float32 and float64, one and two kernel threads, batches of 1, 7, 16, 32,
// 130 and 512 samples into one reused Cache (so a stale log-sum-exp from
// a bigger batch would show), unweighted and weighted, under Mean and
// Sum. The softmax network's output layer (128 → 10) is the MNIST MLP's:
// on two threads its job is split by rows from 16 samples on, and its
// product from 512. The other losses (sigmoid + binary cross-entropy,
// and a loss on A) take CostWeighted's path and are checked too.
func TestForwardCostInto(t *testing.T) {
	defer tensor.SetThreads(0)
	for _, threads := range []int{1, 2} {
		tensor.SetThreads(threads)
		testForwardCostInto[float32](t, threads)
		testForwardCostInto[float64](t, threads)
	}
}

func testForwardCostInto[T tensor.Float](t *testing.T, threads int) {
	for _, out := range []struct {
		units int
		f     activation.Kind
		k     loss.Kind
	}{
		{10, activation.Softmax, loss.CrossEntropy},
		{3, activation.Sigmoid, loss.BinaryCrossEntropy},
		{3, activation.Tanh, loss.MSE},
	} {
		net, err := New[T](Config{Inputs: 40, Loss: out.k, BiasInit: Uniform, Layers: []LayerSpec{
			{Units: 128, Activation: activation.ReLU}, {Units: out.units, Activation: out.f}}}, rng.New(7))
		if err != nil {
			t.Fatal(err)
		}
		var got, want Cache[T]
		for _, m := range []int{512, 1, 7, 16, 32, 130, 512, 7} {
			X, Y := batch(net, m, uint32(m))
			if out.k == loss.CrossEntropy {
				Y = oneHot(Y)
			}
			w := sampleWeights(m, 1)
			for _, r := range []loss.Reduction{loss.Mean, loss.Sum} {
				net.Reduction = r
				for _, wt := range [][]float64{nil, w} {
					name := fmt.Sprintf("%T, %d threads, %v loss (%v), %d samples, weighted %v", T(0), threads, out.k, r, m, wt != nil)
					if err := net.ForwardInto(&want, X); err != nil {
						t.Fatal(err)
					}
					wantCost, err := net.CostWeighted(&want, Y, wt)
					if err != nil {
						t.Fatal(err)
					}
					cost, err := net.ForwardCostInto(&got, X, Y, wt)
					if err != nil {
						t.Fatal(err)
					}
					if math.Float64bits(cost) != math.Float64bits(wantCost) {
						t.Fatalf("%s: cost %v; ForwardInto + CostWeighted give %v", name, cost, wantCost)
					}
					for l := range net.Layers {
						bitsEqual(t, name, l, "Z", got.Layers[l].Z, want.Layers[l].Z)
						bitsEqual(t, name, l, "A", got.Layers[l].A, want.Layers[l].A)
					}
				}
			}
		}
	}
}

// oneHot returns targets with a 1 in the column of each row's largest
// value of y and 0 elsewhere.
func oneHot[T tensor.Float](y *tensor.Dense[T]) *tensor.Dense[T] {
	h := tensor.Zeros[T](y.Rows(), y.Cols())
	for i := range y.Rows() {
		best := 0
		for j, v := range y.Row(i) {
			if v > y.At(i, best) {
				best = j
			}
		}
		h.Set(i, best, 1)
	}
	return h
}

// TestForwardCostIntoErrors checks that ForwardCostInto rejects targets
// of the wrong shape and bad weights with CostWeighted's errors, before
// the forward pass: the cache keeps its values.
func TestForwardCostIntoErrors(t *testing.T) {
	net := reuseNets[float64](t)[0] // 6 → … → 3, softmax + cross-entropy
	X, Y := batch(net, 4, 1)
	var c Cache[float64]
	if _, err := net.ForwardCostInto(&c, X, Y, nil); err != nil {
		t.Fatal(err)
	}
	before := c.Output().Clone()
	X2, _ := batch(net, 4, 2)
	for _, tc := range []struct {
		name string
		X, y *tensor.Dense[float64]
		w    []float64
		want []error
	}{
		{"5 features", tensor.Zeros[float64](4, 5), Y, nil, []error{ErrShape}},
		{"2 target columns", X2, tensor.Zeros[float64](4, 2), nil, []error{ErrShape}},
		{"3 target rows", X2, tensor.Zeros[float64](3, 3), nil, []error{ErrShape}},
		{"3 weights", X2, Y, []float64{1, 1, 1}, []error{ErrShape, loss.ErrWeight}},
		{"a negative weight", X2, Y, []float64{1, -1, 1, 1}, []error{loss.ErrWeight}},
	} {
		_, err := net.ForwardCostInto(&c, tc.X, tc.y, tc.w)
		for _, want := range tc.want {
			if !errors.Is(err, want) {
				t.Errorf("%s: err %v; want one wrapping %v", tc.name, err, want)
			}
		}
		if c.Layers[0].APrev != X {
			t.Errorf("%s: a failed ForwardCostInto changed the cache", tc.name)
		}
		bitsEqual(t, tc.name, len(net.Layers)-1, "A after the error", c.Output(), before)
	}
}
