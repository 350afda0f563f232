package nerve

import (
	"encoding/json"
	"fmt"
	"maps"

	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/train"
)

// A checkpoint of a Classifier or Regressor is model.NewCheckpoint's,
// whose training record is the run's trainingRecord: the options, so that
// Resume can refuse to continue a run with other options.

// checkpointModel makes the model Options.Checkpoint receives at the end
// of an epoch.
func checkpointModel(ck train.Checkpoint[float32], net *nn.Network[float32], opt optim.Optimizer[float32], rec trainingRecord, digest string, wrap wrapFunc) (*model.Model[float32], error) {
	rec.EpochsRun, rec.BestEpoch = len(ck.History.Epochs), ck.History.BestEpoch
	raw, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	m, err := model.NewCheckpoint(wrap(net.Clone(), raw, ck.History), opt, ck, digest)
	if err != nil {
		return nil, fmt.Errorf("%w: Checkpoint: %w", ErrOptions, err)
	}
	return m, nil
}

// readRecord returns a checkpoint's training record, or an error wrapping
// ErrOptions if m is not a checkpoint.
func readRecord(m *model.Model[float32]) (trainingRecord, error) {
	var rec trainingRecord
	ck, err := model.ReadCheckpointRecord(m)
	if err != nil {
		return rec, fmt.Errorf("%w: Resume: %w (checkpoints come from Options.Checkpoint)", ErrOptions, err)
	}
	if err := json.Unmarshal(m.Training, &rec); err != nil {
		return rec, fmt.Errorf("%w: Resume: the checkpoint's training record: %v", ErrOptions, err)
	}
	rec.Checkpoint = ck
	return rec, nil
}

// ResumeOptions returns the options of the run that the checkpoint m was
// taken from, with Resume set to m, ready for the Fit of a new Classifier
// or Regressor (add callbacks, or raise Epochs, as needed). A run with
// the converging default gets Epochs and Patience 0 back, and converges
// as it would have; raising its Epochs is refused by Fit. It returns an
// error wrapping ErrOptions if m is not a checkpoint.
func ResumeOptions(m *model.Model[float32]) (Options, error) {
	rec, err := readRecord(m)
	if err != nil {
		return Options{}, err
	}
	o := Options{
		Hidden: append(make([]int, 0, len(rec.Hidden)), rec.Hidden...), Activation: rec.Activation,
		Optimizer: rec.Optimizer, LR: rec.LR, Epochs: rec.Epochs, BatchSize: rec.BatchSize,
		Validation: rec.Validation, Patience: rec.Patience, Tol: rec.Tol, Seed: rec.Seed, NoScaling: !rec.Scaling,
		ClassWeight: maps.Clone(rec.ClassWeight), Resume: m,
	}
	if rec.Converge {
		o.Epochs, o.Patience = 0, 0
	}
	return o, nil
}

// resumeFrom checks that the checkpoint m belongs to a run with the
// training record want (the options of this Fit) on data with the given
// digest, copies its parameters into net and its optimizer state into
// opt, and returns the train.Checkpoint to resume from.
func resumeFrom(m *model.Model[float32], want trainingRecord, digest string, net *nn.Network[float32], opt optim.Optimizer[float32]) (*train.Checkpoint[float32], error) {
	rec, err := readRecord(m)
	if err != nil {
		return nil, err
	}
	ck := rec.Checkpoint
	fail := func(format string, a ...any) error {
		return fmt.Errorf("%w: Resume: "+format, append([]any{ErrOptions}, a...)...)
	}
	type field struct {
		name      string
		run, this any
	}
	for _, f := range []field{
		{"Hidden", rec.Hidden, want.Hidden}, {"Activation", rec.Activation, want.Activation},
		{"Optimizer", rec.Optimizer, want.Optimizer}, {"LR", rec.LR, want.LR},
		{"BatchSize", rec.BatchSize, want.BatchSize}, {"Validation", rec.Validation, want.Validation},
		{"Patience", rec.Patience, want.Patience}, {"Seed", rec.Seed, want.Seed},
		{"NoScaling", !rec.Scaling, !want.Scaling},
		{"ClassWeight", rec.ClassWeight, want.ClassWeight}, {"sample weights", rec.SampleWeighted, want.SampleWeighted},
	} {
		if fmt.Sprint(f.run) != fmt.Sprint(f.this) {
			return nil, fail("%s is %v, but the checkpoint's run had %v", f.name, f.this, f.run)
		}
	}
	if done := len(ck.History.Epochs); want.Epochs < done {
		return nil, fail("Epochs is %d, but the checkpoint has already run %d", want.Epochs, done)
	}
	if ck.Data != digest {
		return nil, fail("the training data differ from the checkpoint's (the same samples, in the same order, with the same labels and sample weights, are needed)")
	}
	out, _, err := model.Resume(m, net, opt)
	if err != nil {
		return nil, fmt.Errorf("%w: Resume: %w", ErrOptions, err)
	}
	return out, nil
}
