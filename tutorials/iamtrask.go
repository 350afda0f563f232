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
	X := X4()
	y := tensor.FromRows([][]float64{{0}, {0}, {1}, {1}})
	net, err := nn.New[float64](nn.Config{
		Inputs:     3,
		Layers:     []nn.LayerSpec{{Units: 1, Activation: activation.Sigmoid, NoBias: true}},
		Loss:       loss.HalfSSE,
		Reduction:  loss.Sum,
		WeightInit: nn.UniformSym,
	}, rng.New(seed))
	if err != nil {
		return Result{}, err
	}
	var out *tensor.Dense[float64]
	for i := range iterations {
		if err := canceled(ctx, i); err != nil {
			return Result{}, err
		}
		cache, err := net.Forward(X) // l1 = σ(l0·syn0)
		if err != nil {
			return Result{}, err
		}
		out = cache.Output()
		grads, err := net.Backward(cache, y) // l1_delta, Xᵀ·l1_delta
		if err != nil {
			return Result{}, err
		}
		net.Update(grads, 1) // syn0 += Xᵀ·l1_delta
	}
	if out == nil {
		out, err = net.Predict(X)
	}
	return Result{Net: net, Output: out}, err
}

// XOR is iamtrask's second network: 3 inputs, 4 sigmoid hidden units and
// one sigmoid output, no biases, syn0 = 2·random((3,4)) − 1 and
// syn1 = 2·random((4,1)) − 1, trained on y = [0,1,1,0]ᵀ. Every 10000
// iterations it records mean|y − l2| before that iteration's update, as
// the original prints it.
func XOR(ctx context.Context, seed uint32, iterations int) (Result, error) {
	X := X4()
	y := tensor.FromRows([][]float64{{0}, {1}, {1}, {0}})
	net, err := nn.New[float64](nn.Config{
		Inputs: 3,
		Layers: []nn.LayerSpec{
			{Units: 4, Activation: activation.Sigmoid, NoBias: true},
			{Units: 1, Activation: activation.Sigmoid, NoBias: true},
		},
		Loss:       loss.HalfSSE,
		Reduction:  loss.Sum,
		WeightInit: nn.UniformSym,
	}, rng.New(seed))
	if err != nil {
		return Result{}, err
	}
	var r Result
	for j := range iterations {
		if err := canceled(ctx, j); err != nil {
			return Result{}, err
		}
		cache, err := net.Forward(X) // l1 = σ(l0·syn0), l2 = σ(l1·syn1)
		if err != nil {
			return Result{}, err
		}
		r.Output = cache.Output()
		if j%10000 == 0 {
			r.Trace = append(r.Trace, meanAbsError(y, r.Output))
			r.TraceAt = append(r.TraceAt, j)
		}
		grads, err := net.Backward(cache, y) // l2_delta, l1_error, l1_delta
		if err != nil {
			return Result{}, err
		}
		net.Update(grads, 1) // syn1 += l1ᵀ·l2_delta; syn0 += l0ᵀ·l1_delta
	}
	r.Net = net
	if r.Output == nil {
		r.Output, err = net.Predict(X)
	}
	return r, err
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
