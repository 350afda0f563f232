package tutorials

import (
	"context"
	"fmt"
	"io"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// HiddenLayerData returns the Analytics Vidhya tutorial's three samples
// X = [[1,0,1,0],[1,0,1,1],[0,1,0,1]] and targets y = [1,1,0]ᵀ.
func HiddenLayerData() (X, y *tensor.Dense[float64]) {
	return tensor.FromRows([][]float64{{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}}),
		tensor.FromRows([][]float64{{1}, {1}, {0}})
}

// HiddenLayerLR is the tutorial's learning rate.
const HiddenLayerLR = 0.1

// NewHiddenLayerNet builds the tutorial's 4-3-1 sigmoid network with
// biases, drawing wh, bh, wout and bout in that order with
// np.random.uniform after np.random.seed(seed). Its loss is half the sum
// of squared errors, summed over the batch, whose output gradient is
// −E = output − y.
func NewHiddenLayerNet(seed uint32) (*nn.Network[float64], error) {
	return nn.New[float64](nn.Config{
		Inputs: 4,
		Layers: []nn.LayerSpec{
			{Units: 3, Activation: activation.Sigmoid},
			{Units: 1, Activation: activation.Sigmoid},
		},
		Loss:       loss.HalfSSE,
		Reduction:  loss.Sum,
		WeightInit: nn.Uniform,
		BiasInit:   nn.Uniform,
	}, rng.New(seed))
}

// HiddenLayer trains the tutorial's network for the given number of
// epochs of full-batch gradient descent at lr 0.1 (or, with sgd, one
// update per sample, in order), and returns the trained network and the
// output the original prints: for full batch, the output of the last
// epoch's forward pass (before its update); for sgd, a forward pass over
// all samples after training.
func HiddenLayer(ctx context.Context, seed uint32, epochs int, sgd bool) (Result, error) {
	X, y := HiddenLayerData()
	net, err := NewHiddenLayerNet(seed)
	if err != nil {
		return Result{}, err
	}
	// hidden_layer_input = X·wh + bh; hiddenlayer_activations; output;
	// E = y − output; slopes; d_output; Error_at_hidden_layer;
	// d_hiddenlayer; wout, bout, wh, bh += …·lr
	if !sgd {
		return descend(ctx, net, X, y, epochs, HiddenLayerLR, 0, nil)
	}
	for range epochs {
		for i := 0; i < X.Rows(); i++ { // one sample per update, in order
			if _, err := descend(ctx, net, X.Slice(i, i+1), y.Slice(i, i+1), 1, HiddenLayerLR, 0, nil); err != nil {
				return Result{}, err
			}
		}
	}
	out, err := net.Predict(X)
	return Result{Net: net, Output: out}, err
}

func runHiddenLayer(ctx context.Context, w io.Writer, o Options) error {
	r, err := HiddenLayer(ctx, o.Seed, o.Iterations, o.SGD)
	if err != nil {
		return err
	}
	X, y := HiddenLayerData()
	fmt.Fprintln(w, "Output After Training:")
	return printTable(w, X, y, r.Output)
}

// SSE is James Loy's class-style network: 3 inputs, 4 sigmoid hidden units,
// one sigmoid output, no biases, weights1 = rand(3,4), weights2 = rand(4,1),
// trained on y = [0,1,1,0]ᵀ with the loss Σ(y − ŷ)² and the update
// weights += its negative gradient (learning rate 1). Every 100 iterations
// it records the loss of that iteration's feedforward.
func SSE(ctx context.Context, seed uint32, iterations int) (Result, error) {
	X, y := X4(), xorY()
	net, err := newNet341(seed, loss.SSE, nn.Uniform)
	if err != nil {
		return Result{}, err
	}
	// feedforward; loss Σ(y − ŷ)²; backprop 2(ŷ − y)·σ′ …; weights += d_weights
	return descend(ctx, net, X, y, iterations, 1, 100, func(c *nn.Cache[float64]) (float64, error) {
		return net.Cost(c, y)
	})
}

func runSSE(ctx context.Context, w io.Writer, o Options) error {
	r, err := SSE(ctx, o.Seed, o.Iterations)
	if err != nil {
		return err
	}
	for i, l := range r.Trace {
		fmt.Fprintf(w, "iteration %-5d loss %.12g\n", r.TraceAt[i], l)
	}
	fmt.Fprintln(w, "Prediction vs actual:")
	return printTable(w, X4(), tensor.FromRows([][]float64{{0}, {1}, {1}, {0}}), r.Output)
}
