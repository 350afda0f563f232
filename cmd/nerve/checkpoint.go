package main

import (
	"encoding/json"
	"fmt"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/model"
)

// cliRecord is what train stores in a checkpoint's training record beyond
// the library's options: where the data came from, so that --resume needs
// no other flag.
type cliRecord struct {
	Data       string `json:"data,omitempty"` // "" is the embedded iris data
	Labels     string `json:"labels,omitempty"`
	Target     string `json:"target,omitempty"`
	Task       string `json:"task,omitempty"`
	Test       string `json:"test,omitempty"`
	TestLabels string `json:"test_labels,omitempty"`
	// Table says the run read --data as a raw table (text or missing
	// cells, column flags or --sample-weight), with these column flags.
	Table        bool     `json:"table,omitempty"`
	Categorical  []string `json:"categorical,omitempty"`
	Numeric      []string `json:"numeric,omitempty"`
	Drop         []string `json:"drop,omitempty"`
	Features     []string `json:"features,omitempty"`
	NA           []string `json:"na,omitempty"`
	SampleWeight string   `json:"sample_weight,omitempty"`
}

// record returns what a checkpoint keeps of the command line; table says
// whether --data was read as a raw table.
func (c *trainConfig) record(table bool) cliRecord {
	return cliRecord{Data: c.data, Labels: c.labels, Target: c.target, Task: c.task, Test: c.test, TestLabels: c.testLabels,
		Table: table, Categorical: c.categorical, Numeric: c.numeric, Drop: c.drop, Features: c.features, NA: c.na, SampleWeight: c.sampleWeight}
}

// withRecord returns the JSON object raw with key set to v.
func withRecord(raw json.RawMessage, key string, v any) json.RawMessage {
	obj := map[string]json.RawMessage{}
	_ = json.Unmarshal(raw, &obj) // the library always writes an object
	obj[key], _ = json.Marshal(v)
	out, _ := json.Marshal(obj)
	return out
}

// fixedOnResume are the train flags whose values a resumed run takes from
// its checkpoint: changing any of them would make a different run.
var fixedOnResume = []string{"hidden", "activation", "optimizer", "lr", "batch", "val", "early-stop", "seed", "no-scaling", "task", "target", "class-weight",
	"categorical", "numeric", "drop", "features", "na", "sample-weight"}

// fromCheckpoint reads the checkpoint --resume names and fills in c's
// training settings from it, and the data flags that were not given. It
// returns the checkpoint.
func (c *trainConfig) fromCheckpoint(f *flagSet) (*model.Model[float32], error) {
	for _, name := range fixedOnResume {
		if f.set(name) {
			return nil, usagef("train: --%s cannot be used with --resume: a resumed run keeps the settings of its checkpoint", name)
		}
	}
	m, err := model.Load[float32](c.resume)
	if err != nil {
		return nil, err
	}
	o, err := nerve.ResumeOptions(m)
	if err != nil {
		return nil, fmt.Errorf("--resume %s: not a checkpoint: it has no training state (checkpoints are written by nerve train --checkpoint)", c.resume)
	}
	var rec struct {
		CLI *cliRecord `json:"cli"`
	}
	if err := json.Unmarshal(m.Training, &rec); err != nil || rec.CLI == nil {
		return nil, fmt.Errorf("--resume %s: the checkpoint does not say what data it was trained on (it was not written by nerve train --checkpoint)", c.resume)
	}
	c.hidden, c.activation, c.optimizer, c.lr = o.Hidden, o.Activation, o.Optimizer, o.LR
	c.batch, c.val, c.earlyStop, c.seed, c.noScaling = o.BatchSize, o.Validation, o.Patience, o.Seed, o.NoScaling
	c.task, c.target = rec.CLI.Task, rec.CLI.Target
	c.columnFlags = columnFlags{categorical: rec.CLI.Categorical, numeric: rec.CLI.Numeric, drop: rec.CLI.Drop, features: rec.CLI.Features, na: rec.CLI.NA}
	c.sampleWeight, c.table = rec.CLI.SampleWeight, rec.CLI.Table
	c.classWeight = classWeightValue{byLabel: o.ClassWeight} // as computed, balanced or not
	switch {
	case o.Epochs == 0 && f.set("epochs"):
		return nil, usagef("train: --epochs cannot be used with --resume %s: its run trains until the loss converges (it had no --epochs)", c.resume)
	case !f.set("epochs"):
		c.epochs = o.Epochs // 0 for a run that converges
	}
	if !f.set("data") && !f.set("labels") {
		c.data, c.labels = rec.CLI.Data, rec.CLI.Labels
	}
	if !f.set("test") && !f.set("test-labels") {
		c.test, c.testLabels = rec.CLI.Test, rec.CLI.TestLabels
	}
	if !f.set("checkpoint") {
		c.checkpoint = c.resume
	}
	return m, nil
}

// resumedEpochs returns the number of epochs a checkpoint had finished.
func resumedEpochs(m *model.Model[float32]) int {
	var rec struct {
		EpochsRun int `json:"epochs_run"`
	}
	_ = json.Unmarshal(m.Training, &rec)
	return rec.EpochsRun
}

// interrupted is the error train returns after Ctrl-C: what was kept and
// how to go on.
func interrupted(checkpoint string, epochs, checkpointed int) error {
	if checkpoint == "" || checkpointed == 0 {
		return fmt.Errorf("interrupted after %d epochs; no model written", epochs)
	}
	return fmt.Errorf("interrupted in epoch %d; %s holds the run after epoch %d: continue it with nerve train --resume %s", epochs+1, checkpoint, checkpointed, checkpoint)
}
