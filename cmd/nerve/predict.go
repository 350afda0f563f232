package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/serve"
)

func predictAbout(w io.Writer) {
	fmt.Fprint(w, `Predict applies a trained model to every sample of a file and prints CSV:
one row per sample, with the class label (or each class's probability
with --proba) for a classifier, and the predicted values for a
regressor. The model's feature scaling is applied first.
`)
}

func (c *predictConfig) flags(f *flagSet) {
	f.String(&c.model, "model", "the model `FILE` written by nerve train")
	c.define(f, "", "the samples `FILE`: CSV (columns named like the model's features are picked by name; a file without a header must have exactly the model's features) or IDX images", false, "")
	f.String(&c.out, "out", "write the predictions to `FILE` instead of standard output (- is standard output)")
	f.Bool(&c.proba, "proba", "classifiers: print each class's probability instead of the most likely class")
}

type predictConfig struct {
	dataFlags
	model, out string
	proba      bool
}

func (c *predictConfig) run(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
	if c.model == "" || c.data == "" {
		return usagef("predict: --model and --data are required")
	}
	if err := checkDistinct("predict", []namedPath{{"out", c.out}}, []namedPath{{"model", c.model}, {"data", c.data}}); err != nil {
		return err
	}
	if c.out != "" {
		if err := checkOutPath("out", c.out); err != nil {
			return err
		}
	}
	m, err := model.Load[float32](c.model)
	if err != nil {
		return err
	}
	var d *data.Dataset
	if m.Preprocessing != nil {
		d, err = tableDataset(c.data, m, false, stderr)
	} else {
		d, err = loadFeatures(ctx, c.data, m)
	}
	if err != nil {
		return err
	}
	P, err := m.Predict(d.X)
	if err != nil {
		return fmt.Errorf("%s: %w", c.data, err)
	}
	if c.proba && len(m.Classes) == 0 {
		return usagef("predict: --proba applies to classifiers; %s is a %s model", c.model, m.Task)
	}
	write := func(w io.Writer) error { return serve.WritePredictions(w, m, P, c.proba) }
	if c.out == "" {
		return write(stdout)
	}
	return writeOutput(c.out, stdout, write)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
