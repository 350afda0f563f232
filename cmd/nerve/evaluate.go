package main

import (
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

func (c *evaluateConfig) run(_ context.Context, _ []string, stdout, _ io.Writer) error {
	if c.model == "" || c.data == "" {
		return usagef("evaluate: --model and --data are required")
	}
	m, err := model.Load[float32](c.model)
	if err != nil {
		return err
	}
	task := taskOfModel(m)
	var d *data.Dataset
	if c.target == "" && m.Target != "" && c.labels == "" {
		// The model's target column, when the file has it.
		d, err = loadLabelled(c.data, "", m.Target, task)
		// The file has the target column but a bad cell: report that
		// cell, not what reading the file another way would say.
		if _, ok := cellError(err); ok {
			return err
		}
	}
	if d == nil {
		if d, err = loadLabelled(c.data, c.labels, c.target, task); err != nil {
			return err
		}
	}
	if err := checkWidth(c.data, d, m); err != nil {
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
