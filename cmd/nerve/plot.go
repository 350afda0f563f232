package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/plot"
	"github.com/nerve-ml/nerve/train"
)

// plotKind is one kind of plot, with the flags it requires.
type plotKind struct{ name, needs, what string }

// plotKinds are the kinds of plot, with the flags each one requires.
var plotKinds = []plotKind{
	{"loss", "--log FILE", "loss and accuracy per epoch, from a train --json log"},
	{"boundary", "--model FILE --data FILE", "decision regions of a 2-feature classifier, with the samples"},
	{"network", "--model FILE", "nodes per layer, edges blue or red by sign, as wide as |w|"},
	{"activations", "--model FILE --data FILE", "a heat map of each layer's A for the first --rows samples"},
}

// plotConfig is what the plot command line says.
type plotConfig struct {
	f *flagSet // the parsed command line
	dataFlags
	log, model, out, title        string
	rows, width, height, maxUnits int
	biases                        bool
}

// plotOnly names the flags that only some kinds of plot take.
var plotOnly = []scoped{
	{"log", []string{"loss"}},
	{"model", []string{"boundary", "network", "activations"}},
	{"data", []string{"boundary", "activations"}},
	{"rows", []string{"activations"}},
	{"max-units", []string{"network"}},
	{"biases", []string{"network"}},
}

func defaultPlotConfig() plotConfig { return plotConfig{rows: 32} }

func (c *plotConfig) flags(f *flagSet) {
	c.f = f
	f.String(&c.log, "log", "loss: the `FILE` nerve train --json wrote (one JSON object per epoch, then a summary)")
	f.String(&c.model, "model", "boundary, network, activations: the model `FILE` written by nerve train")
	c.define(f, "boundary, activations: ", "the samples `FILE` (CSV; columns named like the model's features are picked by name; boundary colours the samples by the model's target column if the file has it)", false, "")
	f.Var(atLeast(&c.rows, 1), "rows", "activations: draw the first `N` samples of --data")
	f.Var(atLeast(&c.maxUnits, 1), "max-units", "network: draw at most `N` units per layer, with an ellipsis for the rest (default 16)")
	f.Bool(&c.biases, "biases", "network: draw each layer's bias as a node with its edges")
	f.String(&c.out, "out", "write the image to `FILE`, .png or .svg (default KIND.png)")
	f.String(&c.title, "title", "the plot's `TITLE` (default: one for the kind)")
	f.Var(atLeast(&c.width, 1), "width", "image width in `PIXELS` (default: the kind's own)")
	f.Var(atLeast(&c.height, 1), "height", "image height in `PIXELS` (default: the kind's own)")
}

func plotAbout(w io.Writer) {
	fmt.Fprint(w, `Plot draws one picture of a training run or a trained model and writes
it as PNG or SVG, chosen by the --out file's extension. KIND is one of:

`)
	for _, k := range plotKinds {
		fmt.Fprintf(w, "  %-12s %s\n  %-12s   needs %s\n", k.name, k.what, "", k.needs)
	}
	fmt.Fprint(w, `
nerve train --plot DIR draws the loss curve, the network and (for a
classifier of 2 features) the decision boundary after training.

Examples:

	nerve train --data spiral.csv --val 0.2 --json > train.jsonl
	nerve plot loss --log train.jsonl --out loss.png
	nerve plot boundary --model model.nerve --data spiral.csv
	nerve plot network --model model.nerve --out network.svg --biases
	nerve plot activations --model model.nerve --data spiral.csv --rows 20
`)
}

func plotKindNames() string {
	var names []string
	for _, k := range plotKinds {
		names = append(names, k.name)
	}
	return strings.Join(names, ", ")
}

func (c *plotConfig) run(ctx context.Context, pos []string, stdout, _ io.Writer) error {
	f := c.f
	if len(pos) == 0 {
		return usagef("plot: no KIND given (want one of %s)", plotKindNames())
	}
	kind := pos[0]
	if !slices.ContainsFunc(plotKinds, func(k plotKind) bool { return k.name == kind }) {
		return usagef("plot: unknown KIND %q (want one of %s)", kind, plotKindNames())
	}
	plots := func(kinds []string) string { return strings.Join(kinds, " and ") + " plots" }
	if err := f.checkScope(plotOnly, kind, kind, plots); err != nil {
		return err
	}
	if c.out == "" {
		c.out = kind + ".png"
	}
	if err := plot.CheckFormat(c.out); err != nil {
		return usagef("plot: --out %s: the extension must be .png or .svg", c.out)
	}
	if err := checkDistinct("plot", []namedPath{{"out", c.out}}, []namedPath{{"log", c.log}, {"model", c.model}, {"data", c.data}}); err != nil {
		return err
	}
	if err := checkOutPath("out", c.out); err != nil {
		return err
	}
	if c.width != 0 && c.width < 100 || c.height != 0 && c.height < 100 {
		return usagef("plot: --width and --height must be at least 100 pixels")
	}
	opts := plot.Options{Width: c.width, Height: c.height, Title: c.title, MaxUnits: c.maxUnits, Biases: c.biases}
	if c.maxUnits != 0 && c.maxUnits < 3 {
		return usagef("plot: --max-units must be at least 3")
	}
	switch kind {
	case "loss":
		if c.log == "" {
			return usagef("plot: loss needs --log FILE (the output of nerve train --json)")
		}
		h, err := readTrainLog(c.log)
		if err != nil {
			return err
		}
		err = plot.Loss(c.out, h, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", c.log, err)
		}
	case "network":
		if c.model == "" {
			return usagef("plot: network needs --model FILE")
		}
		m, err := model.Load[float32](c.model)
		if err != nil {
			return err
		}
		if err := plot.Network(c.out, m, opts); err != nil {
			return fmt.Errorf("%s: %w", c.model, err)
		}
	case "boundary", "activations":
		if c.model == "" || c.data == "" {
			return usagef("plot: %s needs --model FILE and --data FILE", kind)
		}
		m, err := model.Load[float32](c.model)
		if err != nil {
			return err
		}
		if kind == "boundary" {
			if err := checkBoundaryModel(c.model, m); err != nil {
				return err
			}
		}
		b, err := readInput(ctx, c.data)
		if err != nil {
			return err
		}
		d, err := featuresOf(ctx, c.data, b, m)
		if err != nil {
			return err
		}
		if kind == "boundary" {
			if d.Labels, err = sampleLabels(c.data, b, m, d.Len()); err != nil {
				return err
			}
			err = plot.Boundary(c.out, m, m.Classes, d, opts)
		} else {
			if d.Len() > c.rows {
				d.X = d.X.Slice(0, c.rows)
			}
			err = plot.Activations(c.out, m, d.X, opts)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", c.data, err)
		}
	}
	fmt.Fprintf(stdout, "%s plot written to %s\n", kind, c.out)
	return nil
}

// checkBoundaryModel returns an error unless m is a classifier of two
// features, which is what a decision-boundary plot can show.
func checkBoundaryModel(path string, m *model.Model[float32]) error {
	if len(m.Classes) == 0 {
		return fmt.Errorf("%s: a decision boundary needs a classifier, but this is a %s model (no classes)", path, orDefault(m.Task, "regression"))
	}
	if n := m.Network.Inputs(); n != 2 {
		return fmt.Errorf("%s: a decision boundary needs a model of 2 features, but this one has %d", path, n)
	}
	return nil
}

// sampleLabels returns the class labels of the n samples of a CSV file,
// read from the model's target column (the last column when the model
// names none) when the file has one besides the model's features, and nil
// when it has only the features. A label that is not one of the model's
// classes is an error naming the file and sample.
func sampleLabels(path string, b []byte, m *model.Model[float32], n int) ([]string, error) {
	if isIDX(path, b) {
		return nil, nil
	}
	d, err := data.ReadCSV(bytes.NewReader(b), path, data.CSVOptions{Target: m.Target, Task: data.TaskClassification})
	if err != nil || d.Len() != n {
		return nil, nil // no target column: the samples are drawn uncoloured
	}
	if m.Target == "" && d.X.Cols() != m.Network.Inputs() {
		return nil, nil // the last column is a feature, not a target
	}
	for i, l := range d.Labels {
		if !slices.Contains(m.Classes, l) {
			return nil, fmt.Errorf("%s: sample %d has label %q, which is not one of the model's classes (%s)", path, i+1, l, shortList(m.Classes, 8))
		}
	}
	return d.Labels, nil
}

// readTrainLog reads the JSON lines nerve train --json writes, one
// object per epoch ("epoch", "loss", and where they apply "accuracy",
// "val_loss", "val_accuracy", "lr") and a summary object ("best_epoch",
// "stopped_early", ...), into a training history. A log that a resumed
// run appended to may repeat epochs: a record for epoch e drops the
// records of epoch e and later that came before it. Without a summary the
// best epoch is the one with the lowest validation loss, or training loss
// without validation.
func readTrainLog(path string) (*train.History, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := &train.History{}
	summary := false
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("%s:%d: not a JSON object (want the output of nerve train --json): %v", path, line, err)
		}
		if _, ok := rec["epoch"]; !ok {
			if best, ok := rec["best_epoch"].(float64); ok {
				h.BestEpoch = int(best)
				h.StoppedEarly, _ = rec["stopped_early"].(bool)
				summary = true
				continue
			}
			return nil, fmt.Errorf("%s:%d: neither an epoch record (no \"epoch\") nor a summary (no \"best_epoch\")", path, line)
		}
		num := func(key string, required bool) (float64, error) {
			v, ok := rec[key]
			if !ok {
				if required {
					return 0, fmt.Errorf("%s:%d: the epoch record has no %q", path, line, key)
				}
				return math.NaN(), nil
			}
			x, ok := v.(float64)
			if !ok {
				return 0, fmt.Errorf("%s:%d: %q is %v, want a number", path, line, key, v)
			}
			return x, nil
		}
		var e train.EpochStats
		var ep float64
		for _, fl := range []struct {
			key      string
			p        *float64
			required bool
		}{{"epoch", &ep, true}, {"loss", &e.Loss, true}, {"lr", &e.LR, false}, {"accuracy", &e.Accuracy, false}, {"val_loss", &e.ValLoss, false}, {"val_accuracy", &e.ValAccuracy, false}} {
			if *fl.p, err = num(fl.key, fl.required); err != nil {
				return nil, err
			}
		}
		if ep != math.Trunc(ep) || ep < 1 {
			return nil, fmt.Errorf("%s:%d: epoch %v, want an integer ≥ 1", path, line, ep)
		}
		e.Epoch = int(ep)
		for len(h.Epochs) > 0 && h.Last().Epoch >= e.Epoch {
			h.Epochs = h.Epochs[:len(h.Epochs)-1]
		}
		h.Epochs = append(h.Epochs, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(h.Epochs) == 0 {
		return nil, fmt.Errorf("%s: no epoch records (want the output of nerve train --json)", path)
	}
	if !summary || h.BestEpoch > h.Last().Epoch {
		h.BestEpoch = bestEpoch(h.Epochs)
	}
	return h, nil
}

// bestEpoch returns the epoch with the lowest validation loss, or the
// lowest training loss when there is no validation loss.
func bestEpoch(epochs []train.EpochStats) int {
	best, bestLoss := 0, math.Inf(1)
	for _, e := range epochs {
		l := e.ValLoss
		if math.IsNaN(l) {
			l = e.Loss
		}
		if l < bestLoss {
			best, bestLoss = e.Epoch, l
		}
	}
	return best
}

// plotDirValue is the --plot flag of train: a directory that exists or
// can be created. It fails at once if the path is a file.
type plotDirValue struct{ p *string }

func (v plotDirValue) Set(s string) error {
	if s == "" {
		return errors.New("empty directory name")
	}
	if fi, err := os.Stat(s); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", s)
	}
	*v.p = s
	return nil
}

func (v plotDirValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}

// writeTrainPlots draws what train --plot asks for into dir, creating it
// if needed: loss.png from the history, network.svg from the model and,
// for a classifier of 2 features, boundary.png with the training samples.
// It does nothing when dir is "".
func writeTrainPlots(dir string, hist *train.History, m *model.Model[float32], d *data.Dataset, log *progress) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--plot %s: %w", dir, err)
	}
	files := []string{"loss.png", "network.svg"}
	if err := plot.Loss(filepath.Join(dir, "loss.png"), hist, plot.Options{}); err != nil {
		return fmt.Errorf("--plot %s: %w", dir, err)
	}
	if err := plot.Network(filepath.Join(dir, "network.svg"), m, plot.Options{}); err != nil {
		return fmt.Errorf("--plot %s: %w", dir, err)
	}
	if len(m.Classes) > 0 && m.Network.Inputs() == 2 && d.Cols() == 2 {
		if d.X == nil { // features loaded in float32: the plot takes float64
			c := *d
			c.X, c.X32 = d.Float64(), nil
			d = &c
		}
		if err := plot.Boundary(filepath.Join(dir, "boundary.png"), m, m.Classes, d, plot.Options{}); err != nil {
			return fmt.Errorf("--plot %s: %w", dir, err)
		}
		files = append(files, "boundary.png")
	}
	log.say("plots written to %s: %s", dir, strings.Join(files, ", "))
	return nil
}
