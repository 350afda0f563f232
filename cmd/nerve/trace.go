package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/trace"
	"github.com/nerve-ml/nerve/tutorials"
)

// defaultTrace is the tutorial "nerve trace" shows when given nothing.
const defaultTrace = "hidden-layer"

// traceTutorials are the tutorials "nerve trace" knows by name.
var traceTutorials = []string{"hidden-layer", "xor", "single-layer", "sse"}

// traceConfig is what the trace command line says.
type traceConfig struct {
	f    *flagSet // the parsed command line
	seed uint32
	dataFlags
	model             string
	rows              int
	layers            []int
	act               string
	input, targetRows string
	format, layout    string
	digits, iteration int
	lr                float64
	out               string
}

func defaultTraceConfig() traceConfig {
	return traceConfig{seed: 1, rows: 4, act: "sigmoid", format: "text", layout: "rows", digits: 4, iteration: 1}
}

// traceOnly names the flags that belong to one way of choosing the
// network.
var traceOnly = []scoped{
	{"seed", []string{"tutorial", "--layers"}}, {"rows", []string{"--model"}},
	{"activation", []string{"--layers"}}, {"input", []string{"--layers"}}, {"target-rows", []string{"--layers"}},
}

func (c *traceConfig) flags(f *flagSet) {
	c.f = f
	f.Var(seedValue(&c.seed), "seed", "seed the random numbers with `N` in 0..4294967295, as np.random.seed(N) does (tutorials and --layers)")
	f.String(&c.model, "model", "trace a model `FILE` written by nerve train (with --data)")
	c.define(f, "with --model: ", "a CSV `FILE` with the model's features and target; its first --rows rows are the batch", false, "")
	f.Var(atLeast(&c.rows, 1), "rows", "with --model: use the first `N` rows of --data")
	f.Var(layersValue(&c.layers), "layers", "trace a new network with these layer sizes `N,N,...`, inputs first (with --input and --target-rows)")
	f.String(&c.act, "activation", "with --layers: every layer's activation, `NAME` (sigmoid, tanh, relu, leaky-relu, identity)")
	f.String(&c.input, "input", "with --layers: the samples X, `ROWS` as \"1,0,1,0;1,0,1,1\" (rows split by ;, values by ,)")
	f.String(&c.targetRows, "target-rows", "with --layers: the targets y, `ROWS` as \"1;1\"")
	f.renamedFrom("target", "target-rows")
	f.Var(choiceValue{&c.format, []string{"text", "markdown", "html"}}, "format", "output format `text|markdown|html`; an --out FILE ending in .html or .md picks html or markdown")
	f.Var(atLeast(&c.digits, 0), "digits", "show `N` digits after the decimal point, 0..17")
	f.Var(atLeast(&c.iteration, 1), "iteration", "trace iteration `K`, after K-1 plain iterations")
	f.Var(choiceValue{&c.layout, []string{"rows", "columns"}}, "layout", "draw samples as `rows|columns` (columns: the L-layer tutorial's Z = W·X + b)")
	f.Var(positive(&c.lr), "lr", "learning rate `X` > 0 (default: the tutorial's own, 0.1 for hidden-layer and 1 for xor, single-layer and sse; 0.1 for --model and --layers)")
	f.String(&c.out, "out", "write the trace to `FILE` instead of standard output")
}

func traceAbout(w io.Writer) {
	fmt.Fprint(w, `Trace shows one iteration of training, step by step, with every matrix
it reads and computes: the forward pass, the error, the slopes, the
deltas, the weight and bias updates. Each step gives its equation, the
names the Analytics Vidhya and iamtrask tutorials use, and the Go
functions in nerve that compute it, and works one cell out with its
numbers. The numbers are nerve's own Forward, Backward and Update.

The network is one of:

  TUTORIAL                      hidden-layer (the default), xor, single-layer or sse
  --model FILE --data FILE      a trained model on the first --rows rows of a CSV file
  --layers N,N,... --input ROWS --target-rows ROWS
                                a new network (weights drawn like hidden-layer's with
                                --seed, half sum of squared errors)

For example:

	nerve trace xor --iteration 100 --digits 6
	nerve trace --format html --out trace.html
	nerve trace --layers 4,3,1 --input "1,0,1,0;1,0,1,1;0,1,0,1" --target-rows "1;1;0" --lr 0.1
`)
}

func (c *traceConfig) run(ctx context.Context, pos []string, stdout, _ io.Writer) error {
	f := c.f
	if c.digits > trace.MaxDigits {
		return usagef("trace: --digits: %d is more than %d", c.digits, trace.MaxDigits)
	}
	mode := "tutorial"
	switch {
	case f.set("model") || f.set("data"):
		mode = "--model"
		if c.model == "" || c.data == "" {
			return usagef("trace: --model and --data go together")
		}
		if f.set("layers") {
			return usagef("trace: --model and --layers are two ways to choose the network; give one")
		}
	case f.set("layers"):
		mode = "--layers"
		if c.input == "" || c.targetRows == "" {
			return usagef("trace: --layers needs --input and --target-rows")
		}
	}
	if mode != "tutorial" && len(pos) > 0 {
		return usagef("trace: a tutorial name (%s) and %s are two ways to choose the network; give one", pos[0], mode)
	}
	orList := func(modes []string) string {
		return strings.Replace(strings.Join(modes, " or "), "tutorial", "a tutorial", 1)
	}
	if err := f.checkScope(traceOnly, mode, describeMode(mode, pos), orList); err != nil {
		return err
	}
	format := c.format
	if !f.set("format") && c.out != "" {
		switch strings.ToLower(filepath.Ext(c.out)) {
		case ".html", ".htm":
			format = "html"
		case ".md", ".markdown":
			format = "markdown"
		}
	}
	layout, err := trace.ParseLayout(c.layout)
	if err != nil {
		return usagef("trace: --layout: %v", err)
	}
	if err := checkDistinct("trace", []namedPath{{"out", c.out}}, []namedPath{{"model", c.model}, {"data", c.data}}); err != nil {
		return err
	}
	if c.out != "" {
		if err := checkOutPath("out", c.out); err != nil {
			return err
		}
	}

	var (
		net   *nn.Network[float64]
		X, y  *tensor.Dense[float64]
		title string
		lr    = 0.1
	)
	switch mode {
	case "tutorial":
		name := defaultTrace
		if len(pos) == 1 {
			name = pos[0]
		}
		if net, X, y, lr, title, err = traceTutorial(name, c.seed); err != nil {
			return err
		}
	case "--model":
		if net, X, y, title, err = traceModel(ctx, c.model, c.data, c.rows); err != nil {
			return err
		}
	case "--layers":
		if net, X, y, title, err = traceLayers(*c); err != nil {
			return err
		}
	}
	if f.set("lr") {
		lr = c.lr
	}
	tr, err := trace.New(net, X, y, trace.Options{Iteration: c.iteration, Layout: layout, LR: lr, Title: title})
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		switch format {
		case "markdown":
			return tr.WriteMarkdown(w, c.digits)
		case "html":
			return tr.WriteHTML(w, c.digits)
		}
		return tr.WriteText(w, c.digits)
	}
	if c.out == "" {
		return write(stdout)
	}
	return writeOutput(c.out, stdout, write)
}

// describeMode names how the network was chosen, for messages.
func describeMode(mode string, pos []string) string {
	if mode != "tutorial" {
		return mode
	}
	if len(pos) == 1 {
		return "the " + pos[0] + " tutorial"
	}
	return "the " + defaultTrace + " tutorial"
}

// traceTutorial returns a tutorial's network at its initial weights, its
// data and learning rate, and a title.
func traceTutorial(name string, seed uint32) (net *nn.Network[float64], X, y *tensor.Dense[float64], lr float64, title string, err error) {
	if !slices.Contains(traceTutorials, name) {
		return nil, nil, nil, 0, "", usagef("trace: unknown tutorial %q (want one of %s)", name, strings.Join(traceTutorials, ", "))
	}
	tu, err := tutorials.Lookup(name)
	if err != nil {
		return nil, nil, nil, 0, "", usagef("trace: %v", err)
	}
	p, err := tutorials.NewProblem(name, seed)
	if err != nil {
		return nil, nil, nil, 0, "", err
	}
	return p.Net, p.X, p.Y, p.LR, fmt.Sprintf("%s, seed %d: %s", name, seed, tu.Title), nil
}

// traceModel loads a model as a float64 network and the first rows of a
// labelled file as its batch, as the network saw them in training (see
// networkData).
func traceModel(ctx context.Context, modelPath, dataPath string, rows int) (net *nn.Network[float64], X, y *tensor.Dense[float64], title string, err error) {
	m, err := model.Load[float64](modelPath)
	if err != nil {
		return nil, nil, nil, "", err
	}
	if X, y, err = networkData(ctx, m, modelPath, dataPath, "", ""); err != nil {
		return nil, nil, nil, "", err
	}
	n := min(rows, X.Rows())
	X, y = X.Slice(0, n).Clone(), y.Slice(0, n).Clone()
	title = fmt.Sprintf("%s on the first %d rows of %s", filepath.Base(modelPath), n, filepath.Base(dataPath))
	return m.Network, X, y, title, nil
}

// traceLayers builds the network --layers describes, with every weight
// and bias drawn from [0, 1) after np.random.seed(--seed) as the
// hidden-layer tutorial draws them, and the half sum of squared errors,
// and reads --input and --target-rows.
func traceLayers(c traceConfig) (net *nn.Network[float64], X, y *tensor.Dense[float64], title string, err error) {
	k, err := activation.Parse(c.act)
	if err != nil {
		return nil, nil, nil, "", usagef("trace: --activation: %v", err)
	}
	if k == activation.Softmax {
		return nil, nil, nil, "", usagef("trace: --activation: softmax has no element-wise slope; use sigmoid, tanh, relu, leaky-relu or identity")
	}
	in, out := c.layers[0], c.layers[len(c.layers)-1]
	if X, err = parseMatrix("input", c.input, in); err != nil {
		return nil, nil, nil, "", err
	}
	if y, err = parseMatrix("target-rows", c.targetRows, out); err != nil {
		return nil, nil, nil, "", err
	}
	if X.Rows() != y.Rows() {
		return nil, nil, nil, "", usagef("trace: --input has %d rows but --target-rows has %d; want one target row per sample", X.Rows(), y.Rows())
	}
	cfg := nn.Config{Inputs: in, Loss: loss.HalfSSE, Reduction: loss.Sum, WeightInit: nn.Uniform, BiasInit: nn.Uniform}
	for _, n := range c.layers[1:] {
		cfg.Layers = append(cfg.Layers, nn.LayerSpec{Units: n, Activation: k})
	}
	if net, err = nn.New[float64](cfg, rng.New(c.seed)); err != nil {
		return nil, nil, nil, "", err
	}
	sizes := make([]string, len(c.layers))
	for i, n := range c.layers {
		sizes[i] = strconv.Itoa(n)
	}
	title = fmt.Sprintf("network %s (%s), seed %d", strings.Join(sizes, ","), k, c.seed)
	return net, X, y, title, nil
}

// parseMatrix reads the value of --flag, rows split by ";" and values by
// ",", each row with cols finite numbers.
func parseMatrix(flag, s string, cols int) (*tensor.Dense[float64], error) {
	var rows [][]float64
	for i, r := range strings.Split(s, ";") {
		fields := strings.Split(r, ",")
		if len(fields) != cols {
			return nil, usagef("trace: --%s: row %d has %d values, want %d", flag, i+1, len(fields), cols)
		}
		row := make([]float64, cols)
		for j, v := range fields {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, usagef("trace: --%s: row %d, value %d is %q, want a finite number", flag, i+1, j+1, strings.TrimSpace(v))
			}
			row[j] = x
		}
		rows = append(rows, row)
	}
	return tensor.FromRows(rows), nil
}
