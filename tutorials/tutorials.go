// Package tutorials ports the five classic "neural network from scratch"
// numpy programs nerve grew out of, step for step, on top of nerve's own
// tensors, activations, losses and layers. With the same seed they print
// the same numbers as the numpy originals (kept with their outputs in
// testdata/).
//
//   - single-layer: a single sigmoid layer learning y = x₁ (iamtrask, part 1)
//   - xor: the 3-4-1 sigmoid network learning XOR (iamtrask, part 2)
//   - hidden-layer: one hidden layer with biases, 5000 epochs at lr 0.1,
//     drawn step by step as matrices (Analytics Vidhya)
//   - sse: the class-style network with the sum-of-squares loss and its
//     loss curve (James Loy)
//   - l-layer: the modular L-layer network with caches, per-layer backward
//     and binary cross-entropy (deeplearning.ai), samples as columns
package tutorials

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/nerve-ml/nerve/activation"
)

// Options are the knobs every tutorial accepts. The zero value of each
// field means the tutorial's own default.
type Options struct {
	Seed         uint32          // np.random.seed value; the CLI defaults it to 1
	Iterations   int             // 0: the tutorial's own count
	SGD          bool            // hidden-layer: one sample per update
	Layers       []int           // l-layer: layer_dims, e.g. 2,8,4,1
	LearningRate float64         // l-layer: 0 means 0.05
	Hidden       activation.Kind // l-layer: ReLU or Sigmoid hidden layers (zero value: ReLU)
}

// Tutorial is one runnable port.
type Tutorial struct {
	Name       string // as typed after "nerve demo"
	Title      string // one line
	Iterations int    // default number of iterations
	run        func(ctx context.Context, w io.Writer, o Options) error
}

// Run runs the tutorial with o and writes what the original printed to w.
// It stops early with ctx.Err() when ctx is cancelled.
func (t Tutorial) Run(ctx context.Context, w io.Writer, o Options) error {
	if o.Iterations < 0 {
		return fmt.Errorf("tutorials: %s: iterations is %d, want ≥ 0", t.Name, o.Iterations)
	}
	if o.Iterations == 0 {
		o.Iterations = t.Iterations
	}
	return t.run(ctx, w, o)
}

// All returns the tutorials in the order of the package documentation.
func All() []Tutorial {
	return []Tutorial{
		{Name: "single-layer", Title: "one sigmoid layer learns y = x1 (iamtrask part 1)", Iterations: 10000, run: runSingleLayer},
		{Name: "xor", Title: "a 3-4-1 sigmoid network learns XOR (iamtrask part 2)", Iterations: 60000, run: runXOR},
		{Name: "hidden-layer", Title: "one hidden layer with biases, step by step (Analytics Vidhya)", Iterations: 5000, run: runHiddenLayer},
		{Name: "sse", Title: "class-style network, sum-of-squares loss curve (James Loy)", Iterations: 1500, run: runSSE},
		{Name: "l-layer", Title: "modular L-layer network, cross-entropy, samples as columns (deeplearning.ai)", Iterations: 2500, run: runLLayer},
	}
}

// Lookup returns the tutorial with the given name.
func Lookup(name string) (Tutorial, error) {
	var names []string
	for _, t := range All() {
		if t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	return Tutorial{}, fmt.Errorf("unknown tutorial %q (want one of %s)", name, strings.Join(names, ", "))
}

// canceled returns ctx.Err() every 1024 iterations, so that long runs stop
// promptly without paying for a check on every iteration.
func canceled(ctx context.Context, i int) error {
	if i%1024 != 0 {
		return nil
	}
	return ctx.Err()
}
