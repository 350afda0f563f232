package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/gradcheck"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/tutorials"
)

// gradcheckTutorials are the tutorials whose networks gradcheck can
// build, in the order of nerve demo --list.
var gradcheckTutorials = []string{"single-layer", "xor", "hidden-layer", "sse", "l-layer"}

// gradcheckConfig is what the gradcheck command line says.
type gradcheckConfig struct {
	f *flagSet // the parsed command line
	dataFlags
	model                    string
	layers                   []int
	activation, output, loss string
	reduction                string
	rows                     int
	seed                     uint32
	eps, threshold           float64
}

func defaultGradcheckConfig() gradcheckConfig {
	return gradcheckConfig{
		activation: "tanh", output: "auto", loss: "mse", reduction: "mean",
		seed: 1, eps: gradcheck.DefaultEpsilon, threshold: gradcheck.Threshold,
	}
}

// gradcheckOnly names the flags that only one way of choosing the
// network takes.
var gradcheckOnly = []scoped{
	{"data", []string{"--model"}}, {"labels", []string{"--model"}}, {"target", []string{"--model"}},
	{"activation", []string{"--layers"}}, {"output", []string{"--layers"}}, {"loss", []string{"--layers"}}, {"reduction", []string{"--layers"}},
}

func (c *gradcheckConfig) flags(f *flagSet) {
	c.f = f
	f.String(&c.model, "model", "check the network of the model `FILE` (converted to float64) on --data")
	c.define(f, "with --model: ", "labelled samples `FILE`, CSV (the model's target column, else the last) or IDX images with --labels", true, "the model's, else the last")
	f.Var(layersValue(&c.layers), "layers", "check a fresh network of sizes `N,N,...` from inputs to outputs, e.g. 4,3,1, on random data")
	f.String(&c.activation, "activation", "with --layers: the hidden layers' activation `NAME`: "+kindNames(activation.Kinds()))
	f.String(&c.output, "output", "with --layers: the output activation `NAME`, or auto: sigmoid for binary-cross-entropy, softmax for cross-entropy, identity otherwise")
	f.String(&c.loss, "loss", "with --layers: the loss `NAME`: "+kindNames(loss.Kinds()))
	f.Var(choiceValue{&c.reduction, []string{"mean", "sum"}}, "reduction", "with --layers: `mean|sum` of the per-sample losses")
	f.Var(atLeast(&c.rows, 1), "rows", "check on the first `N` samples (default: 16 of --data, 8 random ones with --layers, all of a tutorial's)")
	f.Var(seedValue(&c.seed), "seed", "seed `N` for a tutorial's initial weights, or --layers' weights and random data")
	f.Var(positive(&c.eps), "eps", "finite-difference step `X`")
	f.Var(nonNegative(&c.threshold), "threshold", "fail when a relative error is not below `X` (0 always fails)")
}

func gradcheckAbout(w io.Writer) {
	fmt.Fprintf(w, `Gradcheck compares the gradients backpropagation gives for every weight,
bias and input of a network with the fourth-order central differences

	(L(θ−2ε) − 8·L(θ−ε) + 8·L(θ+ε) − L(θ+2ε)) / 12ε

in float64, prints the relative error ‖analytic − numeric‖ / (‖analytic‖
+ ‖numeric‖) of each tensor (layer 0 is the input X) and fails, with
exit status 1, when one is not below --threshold. Right gradients give
errors around 1e-9 or less, wrong ones errors near 1; the default
threshold %g is the one nerve's own gradient tests use.

The network is one of:

  TUTORIAL                a tutorial's network with its initial weights
                          for --seed, on its data: %s
  --model FILE --data F   a trained model, on the first --rows samples of F
                          (standardised as the model does it)
  --layers N,N,...        a fresh network (--activation, --output, --loss,
                          --reduction) on --rows random samples

Finite differences are meaningless across the kink of relu and
leaky-relu at 0: a sample whose pre-activation a step of ε could move
across 0 can fail a right gradient. Such samples are left out, and the
count is printed. Every value is evaluated four times, so a big model
takes long: check it on few --rows.

Examples:

	nerve gradcheck xor
	nerve gradcheck l-layer --seed 3
	nerve gradcheck --model model.nerve --data train.csv --rows 32
	nerve gradcheck --layers 4,8,3 --activation relu --loss cross-entropy
`, gradcheck.Threshold, strings.Join(gradcheckTutorials, ", "))
}

func (c *gradcheckConfig) run(ctx context.Context, pos []string, stdout, _ io.Writer) error {
	f := c.f
	modes := 0
	for _, on := range []bool{len(pos) == 1, c.model != "", c.layers != nil} {
		if on {
			modes++
		}
	}
	if modes != 1 {
		return usagef("gradcheck: want exactly one of a TUTORIAL name (%s), --model FILE or --layers N,N,...", strings.Join(gradcheckTutorials, ", "))
	}
	mode, desc := "tutorial", "a tutorial"
	switch {
	case c.model != "":
		mode, desc = "--model", "--model"
	case c.layers != nil:
		mode, desc = "--layers", "--layers"
	}
	if err := f.checkScope(gradcheckOnly, mode, desc, func(m []string) string { return m[0] }); err != nil {
		return err
	}

	var job *gradJob
	var err error
	switch {
	case len(pos) == 1:
		if !slices.Contains(gradcheckTutorials, pos[0]) {
			return usagef("gradcheck: unknown tutorial %q (want one of %s)", pos[0], strings.Join(gradcheckTutorials, ", "))
		}
		job, err = tutorialJob(pos[0], c.seed)
	case c.model != "":
		if c.data == "" {
			return usagef("gradcheck: --model needs --data FILE (labelled samples)")
		}
		if c.labels != "" && c.target != "" {
			return usagef("gradcheck: --target applies to CSV files, not IDX images with --labels")
		}
		job, err = modelJob(ctx, c.model, c.data, c.labels, c.target)
		if c.rows == 0 {
			c.rows = 16
		}
	default:
		if c.rows == 0 {
			c.rows = 8
		}
		job, err = layersJob(*c)
	}
	if err != nil {
		return err
	}
	if c.rows > 0 && c.rows < job.X.Rows() {
		job.X, job.Y = job.X.Slice(0, c.rows), job.Y.Slice(0, c.rows)
	}
	var dropped int
	job.X, job.Y, dropped = awayFromKinks(job.net, job.X, job.Y, c.eps)
	if dropped > 0 {
		job.note = fmt.Sprintf("%d of %d samples left out: a relu pre-activation too near its kink at 0 for steps of ε", dropped, dropped+job.X.Rows())
	}
	if job.X.Rows() == 0 {
		return fmt.Errorf("gradcheck: every sample has a relu pre-activation too near the kink at 0 for steps of ε = %g; nothing to check (try a smaller --eps)", c.eps)
	}

	fmt.Fprintf(stdout, "gradient check of %s\n", job.what)
	evals := 4 * (job.net.NumParams() + job.X.Rows()*job.X.Cols())
	fmt.Fprintf(stdout, "%s, %s, ε = %g, %d loss evaluations\n", describeNet(job.net), nounCount(job.X.Rows(), "sample"), c.eps, evals)
	if job.note != "" {
		fmt.Fprintln(stdout, job.note)
	}
	fmt.Fprintln(stdout)
	rep, err := checkCtx(ctx, job.net, job.X, job.Y, c.eps)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rep.String())
	worst := slices.MaxFunc(rep.Results, func(a, b gradcheck.Result) int { return cmp.Compare(a.RelErr, b.RelErr) })
	where := fmt.Sprintf("layer %d %s %s", worst.Layer, worst.Param, worst.Shape)
	if !rep.OK(c.threshold) {
		fmt.Fprintf(stdout, "\nFAIL: max relative error %.3e (%s) is not below the threshold %g\n", worst.RelErr, where, c.threshold)
		return fmt.Errorf("gradient check failed: max relative error %.3e at %s is not below the threshold %g", worst.RelErr, where, c.threshold)
	}
	fmt.Fprintf(stdout, "\nok: max relative error %.3e (%s) is below the threshold %g\n", worst.RelErr, where, c.threshold)
	return nil
}

// gradJob is a network and the data to check it on.
type gradJob struct {
	what string // what the network is, for the heading
	net  *nn.Network[float64]
	X, Y *tensor.Dense[float64]
	note string // printed under the heading
}

// checkCtx runs gradcheck.Check, giving up when ctx is cancelled: a big
// model can take minutes and Check does not look at ctx. The goroutine
// is left to finish on its own, which is fine in a command that exits.
func checkCtx(ctx context.Context, net *nn.Network[float64], X, Y *tensor.Dense[float64], eps float64) (gradcheck.Report, error) {
	type result struct {
		rep gradcheck.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := gradcheck.Check(net, X, Y, eps)
		done <- result{rep, err}
	}()
	select {
	case r := <-done:
		return r.rep, r.err
	case <-ctx.Done():
		return gradcheck.Report{}, ctx.Err()
	}
}

// tutorialJob is a tutorial's network at its initial weights, with its
// data.
func tutorialJob(name string, seed uint32) (*gradJob, error) {
	p, err := tutorials.NewProblem(name, seed)
	if err != nil {
		return nil, fmt.Errorf("gradcheck: %s: %w", name, err)
	}
	return &gradJob{what: fmt.Sprintf("the %s tutorial's network (seed %d)", name, seed), net: p.Net, X: p.X, Y: p.Y}, nil
}

// modelJob reads a model file as float64 and labelled data for it, as
// the network saw them in training (see networkData).
func modelJob(ctx context.Context, modelPath, dataPath, labels, target string) (*gradJob, error) {
	m, err := model.Load[float64](modelPath)
	if err != nil {
		return nil, err
	}
	X, Y, err := networkData(ctx, m, modelPath, dataPath, labels, target)
	if err != nil {
		return nil, err
	}
	return &gradJob{what: fmt.Sprintf("the model %s on %s", modelPath, dataPath), net: m.Network, X: X, Y: Y}, nil
}

// layersJob builds a fresh network from --layers and its flags, with
// random weights and biases, and random data fitting its loss.
func layersJob(c gradcheckConfig) (*gradJob, error) {
	lk, err := loss.Parse(c.loss)
	if err != nil {
		return nil, usagef("gradcheck: --loss: %v", err)
	}
	hidden, err := activation.Parse(c.activation)
	if err != nil {
		return nil, usagef("gradcheck: --activation: %v", err)
	}
	out := activation.Identity
	switch {
	case c.output != "auto":
		if out, err = activation.Parse(c.output); err != nil {
			return nil, usagef("gradcheck: --output: %v", err)
		}
	case lk == loss.BinaryCrossEntropy:
		out = activation.Sigmoid
	case lk == loss.CrossEntropy:
		out = activation.Softmax
	}
	cfg := nn.Config{Inputs: c.layers[0], Loss: lk, WeightInit: nn.GlorotNormal, BiasInit: nn.StandardNormal}
	if c.reduction == "sum" {
		cfg.Reduction = loss.Sum
	}
	sizes := c.layers[1:]
	for i, n := range sizes {
		a := hidden
		if i == len(sizes)-1 {
			a = out
		}
		cfg.Layers = append(cfg.Layers, nn.LayerSpec{Units: n, Activation: a})
	}
	src := rng.New(c.seed)
	net, err := nn.New[float64](cfg, src)
	if err != nil {
		return nil, usagef("gradcheck: --layers %s: %v", layersValue(&c.layers), err)
	}
	m, outputs := c.rows, sizes[len(sizes)-1]
	X := tensor.Zeros[float64](m, c.layers[0])
	for i := range X.Data() {
		X.Data()[i] = src.Uniform(-1, 1)
	}
	Y := tensor.Zeros[float64](m, outputs)
	for i := range m {
		switch lk {
		case loss.CrossEntropy:
			Y.Set(i, int(src.Interval(uint64(outputs-1))), 1)
		case loss.BinaryCrossEntropy:
			for j := range outputs {
				Y.Set(i, j, float64(src.Interval(1)))
			}
		default:
			for j := range outputs {
				Y.Set(i, j, src.Uniform(-1, 1))
			}
		}
	}
	what := fmt.Sprintf("a fresh network (seed %d) on random data", c.seed)
	return &gradJob{what: what, net: net, X: X, Y: Y}, nil
}

// awayFromKinks returns the samples whose pre-activations at every relu
// or leaky-relu layer stay on one side of the kink at 0 whichever single
// value the check moves by up to ±2·eps, and how many it left out.
//
// For one sample, moving an input moves it by 2·eps, and moving a weight
// or bias of layer l moves Z of layer l by at most 2·eps·max(1, |A_prev|);
// a change of size δ in A_prev moves Z by at most δ·max_j Σ_i |W_ij|, and
// an activation's output moves by at most its input's change (each has a
// slope of at most 1). Since the check moves one value at a time, the
// bound at layer l is the larger of the direct and the propagated change;
// a sample is kept when every relu pre-activation is at least twice its
// layer's bound away from 0.
func awayFromKinks(net *nn.Network[float64], X, Y *tensor.Dense[float64], eps float64) (x, y *tensor.Dense[float64], dropped int) {
	cache, err := net.Forward(X)
	if err != nil {
		return X, Y, 0 // the check will report the shape error
	}
	// norm[l] is max_j Σ_i |W_ij| of layer l.
	norm := make([]float64, len(net.Layers))
	for l, layer := range net.Layers {
		for j := range layer.Outputs() {
			s := 0.0
			for i := range layer.Inputs() {
				s += math.Abs(layer.W.At(i, j))
			}
			norm[l] = math.Max(norm[l], s)
		}
	}
	var keep []int
	for i := range X.Rows() {
		ok := true
		delta := 2 * eps // the largest move of the layer's input
		for l, lc := range cache.Layers {
			inMax := 1.0
			for _, v := range lc.APrev.Row(i) {
				inMax = math.Max(inMax, math.Abs(v))
			}
			delta = math.Max(2*eps*inMax, delta*norm[l])
			if a := net.Layers[l].Activation; a != activation.ReLU && a != activation.LeakyReLU {
				continue
			}
			for _, z := range lc.Z.Row(i) {
				if math.Abs(z) < 2*delta {
					ok = false
				}
			}
		}
		if ok {
			keep = append(keep, i)
		}
	}
	if len(keep) == X.Rows() {
		return X, Y, 0
	}
	x, y = tensor.Zeros[float64](len(keep), X.Cols()), tensor.Zeros[float64](len(keep), Y.Cols())
	for k, i := range keep {
		copy(x.Row(k), X.Row(i))
		copy(y.Row(k), Y.Row(i))
	}
	return x, y, X.Rows() - len(keep)
}

// describeNet returns e.g. "3 → 4 sigmoid → 1 sigmoid, loss half-sse (sum)".
func describeNet(net *nn.Network[float64]) string {
	parts := []string{fmt.Sprint(net.Inputs())}
	for _, l := range net.Layers {
		p := fmt.Sprintf("%d %s", l.Outputs(), l.Activation)
		if l.B == nil {
			p += " (no bias)"
		}
		parts = append(parts, p)
	}
	return fmt.Sprintf("%s, loss %s (%s)", strings.Join(parts, " → "), net.Loss, net.Reduction)
}

// kindNames lists the names of activations or losses, comma-separated.
func kindNames[K fmt.Stringer](kinds []K) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.String()
	}
	return strings.Join(names, ", ")
}

// nounCount returns e.g. "1 sample" or "4 samples".
func nounCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
