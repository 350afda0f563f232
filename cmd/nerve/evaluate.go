package main

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

func evaluateAbout(w io.Writer) {
	fmt.Fprint(w, `Evaluate scores a trained model on labelled data. For a classifier it
prints accuracy, log-loss, precision, recall and F1 per class with their
macro and weighted averages, and the confusion matrix; for a regressor
MSE, MAE and R².
`)
}

func (c *evaluateConfig) flags(f *flagSet) {
	f.String(&c.model, "model", "the model `FILE` written by nerve train")
	c.define(f, "", "labelled samples `FILE`: CSV, or IDX images with --labels", true, "the model's target column if the file has it, else the last column")
}

type evaluateConfig struct {
	dataFlags
	model string
}

func (c *evaluateConfig) run(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
	if c.model == "" || c.data == "" {
		return usagef("evaluate: --model and --data are required")
	}
	m, err := model.Load[float32](c.model)
	if err != nil {
		return err
	}
	var d *data.Dataset
	if m.Preprocessing != nil {
		if d, err = tableDataset(c.data, m, true, stderr); err == nil && d.Labels == nil && d.Y == nil {
			err = fmt.Errorf("%s: no column %q: evaluate needs the targets", c.data, m.Preprocessing.Target)
		}
	} else if d, err = c.load(ctx, m); err == nil {
		d, err = pickFeatures(c.data, d, m)
	}
	if err != nil {
		return err
	}
	P, err := m.Predict(d.X)
	if err != nil {
		return fmt.Errorf("%s: %w", c.data, err)
	}
	_, report, err := score(d, P, m.Classes)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s on %s (%d samples):\n%s\n", c.model, c.data, d.Len(), report)
	return nil
}

// load reads the labelled samples, once: IDX images with their labels,
// or a CSV file with the target --target names, else the model's target
// column if the file has it, else the last column.
func (c *evaluateConfig) load(ctx context.Context, m *model.Model[float32]) (*data.Dataset, error) {
	task := taskOfModel(m)
	if c.labels != "" {
		return loadLabelled(ctx, c.data, c.labels, c.target, task, false)
	}
	b, err := readInput(ctx, c.data)
	if err != nil {
		return nil, err
	}
	read := func(target string) (*data.Dataset, error) {
		return cancellable(ctx, func() (*data.Dataset, error) {
			return data.ReadCSV(bytes.NewReader(b), c.data, data.CSVOptions{Target: target, Task: task})
		})
	}
	if c.target == "" && m.Target != "" {
		// The model's target column, when the file has it; a bad cell
		// of it is reported as it is, not what reading the file
		// another way would say.
		d, err := read(m.Target)
		if _, ok := data.CellError(err); ok || err == nil {
			return d, err
		}
	}
	return read(c.target)
}
