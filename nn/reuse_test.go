package nn

import (
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// reuseNets are networks that exercise every path of the forward and
// backward steps: fused and unfused losses, layers with and without bias,
// one layer and several.
func reuseNets[T tensor.Float](t testing.TB) []*Network[T] {
	cfgs := []Config{
		{Inputs: 6, Loss: loss.CrossEntropy, Layers: []LayerSpec{
			{Units: 9, Activation: activation.ReLU}, {Units: 5, Activation: activation.Tanh}, {Units: 3, Activation: activation.Softmax}}},
		{Inputs: 6, Loss: loss.HalfSSE, Reduction: loss.Sum, Layers: []LayerSpec{
			{Units: 4, Activation: activation.Sigmoid, NoBias: true}, {Units: 2, Activation: activation.Sigmoid, NoBias: true}}},
		{Inputs: 6, Loss: loss.BinaryCrossEntropy, Layers: []LayerSpec{
			{Units: 33, Activation: activation.LeakyReLU}, {Units: 1, Activation: activation.Sigmoid}}},
		{Inputs: 6, Loss: loss.MSE, Layers: []LayerSpec{{Units: 2}}},
	}
	var nets []*Network[T]
	for i, cfg := range cfgs {
		net, err := New[T](cfg, rng.New(uint32(i+1)))
		if err != nil {
			t.Fatal(err)
		}
		nets = append(nets, net)
	}
	return nets
}

// batch returns m samples for net with targets in [0, 1).
func batch[T tensor.Float](net *Network[T], m int, seed uint32) (X, Y *tensor.Dense[T]) {
	src := rng.New(seed)
	X, Y = tensor.Zeros[T](m, net.Inputs()), tensor.Zeros[T](m, net.Outputs())
	for i := range X.Data() {
		X.Data()[i] = T(src.Uniform(-2, 2))
	}
	for i := range Y.Data() {
		Y.Data()[i] = T(src.Float64())
	}
	return X, Y
}

func TestIntoAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, net := range reuseNets[float32](t) {
		var c Cache[float32]
		var g Gradients[float32]
		big, bigY := batch(net, 16, 1)
		small, smallY := batch(net, 5, 2)
		step := func(X, Y *tensor.Dense[float32]) {
			if err := net.ForwardInto(&c, X); err != nil {
				t.Fatal(err)
			}
			if err := net.BackwardInto(&g, &c, Y); err != nil {
				t.Fatal(err)
			}
		}
		step(big, bigY)
		// Alternating with a smaller batch, as the last batch of an epoch
		// does, reuses the storage of the bigger one.
		if n := testing.AllocsPerRun(20, func() { step(small, smallY); step(big, bigY) }); n != 0 {
			t.Errorf("%v: ForwardInto + BackwardInto allocate %v times after the first batch; want 0", net.Layers[0].Activation, n)
		}
	}
}

func TestPredictAllocatesOnlyItsResult(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, net := range reuseNets[float32](t) {
		X, _ := batch(net, 64, 3)
		if _, err := net.Predict(X); err != nil {
			t.Fatal(err)
		}
		// The result is a Dense and its storage: two allocations.
		if n := testing.AllocsPerRun(50, func() { net.Predict(X) }); n > 2 {
			t.Errorf("Predict allocates %v times; want ≤ 2", n)
		}
	}
}

func TestIntoErrorsLeaveBuffers(t *testing.T) {
	net := reuseNets[float64](t)[0]
	X, _ := batch(net, 4, 1)
	var c Cache[float64]
	var g Gradients[float64]
	if err := net.ForwardInto(&c, X); err != nil {
		t.Fatal(err)
	}
	if err := net.ForwardInto(&c, tensor.Zeros[float64](4, 5)); err == nil {
		t.Error("ForwardInto accepted 5 features; want an error")
	}
	if c.Layers[0].APrev != X {
		t.Error("a failed ForwardInto changed the cache")
	}
	if err := net.BackwardInto(&g, &c, tensor.Zeros[float64](4, 2)); err == nil || g.Layers != nil {
		t.Errorf("BackwardInto with 2 target columns: err %v, layers %d; want an error and no layers", err, len(g.Layers))
	}
}
