package tutorials

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// X4 returns the four 3-feature samples of the iamtrask tutorials and of
// the sse tutorial: [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]. The third column is
// a constant 1 that plays the part of a bias.
func X4() *tensor.Dense[float64] {
	return tensor.FromRows([][]float64{{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}})
}

// Result is what a tutorial's training run produced.
type Result struct {
	Net    *nn.Network[float64]   // the trained network
	Output *tensor.Dense[float64] // the output the original prints at the end
	Trace  []float64              // per-checkpoint values: errors, losses or costs
	// TraceAt holds the iteration number of each Trace value.
	TraceAt []int
}

// SingleLayer is iamtrask's first network: one sigmoid layer, no bias,
// syn0 = 2·random((3,1)) − 1, trained on y = [0,0,1,1]ᵀ for the given
// iterations with
//
//	l1 = σ(X·syn0); l1_delta = (y − l1)·l1·(1 − l1); syn0 += Xᵀ·l1_delta
//
// which is nerve's Forward, Backward and Update with the half-SSE loss,
// summed over the batch, at learning rate 1.
func SingleLayer(ctx context.Context, seed uint32, iterations int) (Result, error) {
	X, y := X4(), singleLayerY()
	net, err := newSingleLayerNet(seed)
	if err != nil {
		return Result{}, err
	}
	// l1 = σ(l0·syn0); l1_delta = (y − l1)·l1·(1 − l1); syn0 += Xᵀ·l1_delta
	return descend(ctx, net, X, y, iterations, 1, 0, nil)
}

// XOR is iamtrask's second network: 3 inputs, 4 sigmoid hidden units and
// one sigmoid output, no biases, syn0 = 2·random((3,4)) − 1 and
// syn1 = 2·random((4,1)) − 1, trained on y = [0,1,1,0]ᵀ. Every 10000
// iterations it records mean|y − l2| before that iteration's update, as
// the original prints it.
func XOR(ctx context.Context, seed uint32, iterations int) (Result, error) {
	X, y := X4(), xorY()
	net, err := newNet341(seed, loss.HalfSSE, nn.UniformSym)
	if err != nil {
		return Result{}, err
	}
	// l1 = σ(l0·syn0); l2 = σ(l1·syn1); l2_delta; l1_error = l2_delta·syn1ᵀ;
	// l1_delta; syn1 += l1ᵀ·l2_delta; syn0 += l0ᵀ·l1_delta
	return descend(ctx, net, X, y, iterations, 1, 10000, func(c *nn.Cache[float64]) (float64, error) {
		return meanAbsError(y, c.Output()), nil
	})
}

// descend runs the given iterations of full-batch gradient descent at
// learning rate lr: Forward, Backward, Update. Every `every` iterations
// (never if 0) it records probe of that iteration's forward pass, before
// its update, as the originals print their progress. The Result's Output
// is the last forward pass's output, the array the originals print after
// their loop.
func descend(ctx context.Context, net *nn.Network[float64], X, y *tensor.Dense[float64], iterations int, lr float64, every int, probe func(*nn.Cache[float64]) (float64, error)) (Result, error) {
	r := Result{Net: net}
	// One cache and one set of gradients serve every iteration: the
	// same Forward and Backward, without allocating each time.
	cache := &nn.Cache[float64]{}
	grads := &nn.Gradients[float64]{}
	for i := range iterations {
		if err := canceled(ctx, i); err != nil {
			return Result{}, err
		}
		if err := net.ForwardInto(cache, X); err != nil {
			return Result{}, err
		}
		if every > 0 && i%every == 0 {
			v, err := probe(cache)
			if err != nil {
				return Result{}, err
			}
			r.Trace = append(r.Trace, v)
			r.TraceAt = append(r.TraceAt, i)
		}
		if err := net.BackwardInto(grads, cache, y); err != nil {
			return Result{}, err
		}
		net.Update(grads, lr)
	}
	if iterations > 0 {
		r.Output = cache.Output()
	}
	if r.Output == nil { // zero iterations
		var err error
		if r.Output, err = net.Predict(X); err != nil {
			return Result{}, err
		}
	}
	return r, nil
}

// newNet341 builds the 3-4-1 sigmoid network without biases that xor and
// sse share; they differ in the loss and in how the weights are drawn.
func newNet341(seed uint32, l loss.Kind, init nn.Initializer) (*nn.Network[float64], error) {
	return nn.New[float64](nn.Config{
		Inputs: 3,
		Layers: []nn.LayerSpec{
			{Units: 4, Activation: activation.Sigmoid, NoBias: true},
			{Units: 1, Activation: activation.Sigmoid, NoBias: true},
		},
		Loss:       l,
		Reduction:  loss.Sum,
		WeightInit: init,
	}, rng.New(seed))
}

// meanAbsError is np.mean(np.abs(y − ŷ)).
func meanAbsError(y, yhat *tensor.Dense[float64]) float64 {
	var s float64
	for i, v := range y.Data() {
		s += math.Abs(v - yhat.Data()[i])
	}
	return s / float64(len(y.Data()))
}

func runSingleLayer(ctx context.Context, w io.Writer, o Options) error {
	r, err := SingleLayer(ctx, o.Seed, o.Iterations)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Output After Training:")
	return printTable(w, X4(), tensor.FromRows([][]float64{{0}, {0}, {1}, {1}}), r.Output)
}

func runXOR(ctx context.Context, w io.Writer, o Options) error {
	r, err := XOR(ctx, o.Seed, o.Iterations)
	if err != nil {
		return err
	}
	for _, e := range r.Trace {
		fmt.Fprintf(w, "Error:%.12g\n", e)
	}
	fmt.Fprintln(w, "Output After Training:")
	return printTable(w, X4(), tensor.FromRows([][]float64{{0}, {1}, {1}, {0}}), r.Output)
}

// printTable writes one line per sample: its inputs, its target and the
// network's output as %.12g.
func printTable(w io.Writer, X, y, out *tensor.Dense[float64]) error {
	for j := 0; j < X.Cols(); j++ {
		fmt.Fprintf(w, "x%-3d", j+1)
	}
	fmt.Fprintf(w, "%-7s %s\n", "target", "output")
	for i := 0; i < X.Rows(); i++ {
		for _, v := range X.Row(i) {
			fmt.Fprintf(w, "%-4g", v)
		}
		fmt.Fprintf(w, "%-7g", y.At(i, 0))
		for _, v := range out.Row(i) {
			fmt.Fprintf(w, " %.12g", v)
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	return nil
}
