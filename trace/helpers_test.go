package trace

import (
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// withData builds the network cfg describes from seed and returns it with
// the samples X and targets y, given as rows.
func withData(t testing.TB, cfg nn.Config, seed uint32, X, y [][]float64) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
	t.Helper()
	net, err := nn.New[float64](cfg, rng.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	return net, tensor.FromRows(X), tensor.FromRows(y)
}

// hiddenLayer returns the Analytics Vidhya tutorial's network and data,
// built as tutorials.NewHiddenLayerNet and tutorials.HiddenLayerData
// build them (package trace may not import tutorials): a 4-3-1 sigmoid
// network with biases, wh, bh, wout, bout drawn with np.random.uniform
// after np.random.seed(seed), half-SSE loss summed over the batch.
func hiddenLayer(t testing.TB, seed uint32) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
	t.Helper()
	return withData(t, nn.Config{
		Inputs: 4,
		Layers: []nn.LayerSpec{
			{Units: 3, Activation: activation.Sigmoid},
			{Units: 1, Activation: activation.Sigmoid},
		},
		Loss:       loss.HalfSSE,
		Reduction:  loss.Sum,
		WeightInit: nn.Uniform,
		BiasInit:   nn.Uniform,
	}, seed,
		[][]float64{{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}},
		[][]float64{{1}, {1}, {0}})
}

// xor returns iamtrask's 3-4-1 network without biases and its data, as
// tutorials.XOR builds them: syn0 = 2·random((3,4)) − 1 and
// syn1 = 2·random((4,1)) − 1 after np.random.seed(seed).
func xor(t testing.TB, seed uint32) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
	t.Helper()
	return withData(t, nn.Config{
		Inputs: 3,
		Layers: []nn.LayerSpec{
			{Units: 4, Activation: activation.Sigmoid, NoBias: true},
			{Units: 1, Activation: activation.Sigmoid, NoBias: true},
		},
		Loss:       loss.HalfSSE,
		Reduction:  loss.Sum,
		WeightInit: nn.UniformSym,
	}, seed,
		[][]float64{{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}},
		[][]float64{{0}, {1}, {1}, {0}})
}

// deep returns a 4-5-3-2 network with biases (tanh, relu, sigmoid), MSE
// averaged over the batch, drawn with Glorot/He and uniform biases, and
// five samples of made-up data.
func deep(t testing.TB) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
	t.Helper()
	return withData(t, nn.Config{
		Inputs: 4,
		Layers: []nn.LayerSpec{
			{Units: 5, Activation: activation.Tanh},
			{Units: 3, Activation: activation.ReLU},
			{Units: 2, Activation: activation.Sigmoid},
		},
		Loss:     loss.MSE,
		BiasInit: nn.Uniform,
	}, 7,
		[][]float64{{0.5, -1, 2, 0}, {1, 1, -0.5, 0.25}, {-2, 0.5, 0, 1}, {0, 0, 1, -1}, {0.3, -0.7, 0.1, 0.9}},
		[][]float64{{1, 0}, {0, 1}, {1, 1}, {0, 0}, {0.5, 0.5}})
}

// softmaxNet returns a 3-4-3 network with a leaky-ReLU hidden layer and
// a softmax output with the cross-entropy loss, summed, whose output
// delta nerve computes straight from the logits.
func softmaxNet(t testing.TB) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
	t.Helper()
	return withData(t, nn.Config{
		Inputs: 3,
		Layers: []nn.LayerSpec{
			{Units: 4, Activation: activation.LeakyReLU},
			{Units: 3, Activation: activation.Softmax},
		},
		Loss:      loss.CrossEntropy,
		Reduction: loss.Sum,
		BiasInit:  nn.Uniform,
	}, 3,
		[][]float64{{1, 2, 3}, {-1, 0.5, 2}, {0, -1, 1}, {2, 2, -2}},
		[][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}})
}

// logistic returns a single sigmoid layer (no hidden layer) with binary
// cross-entropy averaged over the batch: a fused output and no slopes.
func logistic(t testing.TB) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
	t.Helper()
	return withData(t, nn.Config{
		Inputs:   2,
		Layers:   []nn.LayerSpec{{Units: 1, Activation: activation.Sigmoid}},
		Loss:     loss.BinaryCrossEntropy,
		BiasInit: nn.Uniform,
	}, 5,
		[][]float64{{0, 1}, {1, 0}, {2, 2}},
		[][]float64{{1}, {0}, {1}})
}

// singleLayer is iamtrask's first network: one sigmoid layer, no bias,
// half-SSE summed.
func singleLayer(t testing.TB) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
	t.Helper()
	return withData(t, nn.Config{
		Inputs:     3,
		Layers:     []nn.LayerSpec{{Units: 1, Activation: activation.Sigmoid, NoBias: true}},
		Loss:       loss.HalfSSE,
		Reduction:  loss.Sum,
		WeightInit: nn.UniformSym,
	}, 1,
		[][]float64{{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}},
		[][]float64{{0}, {0}, {1}, {1}})
}

// network is a test network with its data and learning rate.
type network struct {
	name string
	make func(testing.TB) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64])
	lr   float64
}

var networks = []network{
	{"hidden-layer", func(t testing.TB) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
		return hiddenLayer(t, 1)
	}, 0.1},
	{"xor", func(t testing.TB) (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
		return xor(t, 1)
	}, 1},
	{"deep", deep, 0.5},
	{"softmax", softmaxNet, 0.05},
	{"logistic", logistic, 0.3},
	{"single-layer", singleLayer, 1},
}
