package nerve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// ErrOptions is wrapped by errors about invalid Options. It wraps
// nn.ErrConfig, so that errors.Is(err, nn.ErrConfig) holds for every
// configuration error, whichever package found it.
var ErrOptions error = &sentinel{"invalid options", nn.ErrConfig}

// ErrNotFitted is wrapped by the errors of a Classifier's or Regressor's
// Predict, PredictProba and Save before Fit (or a Load).
var ErrNotFitted = errors.New("not fitted")

// sentinel is an error value with its own text that is also its parent.
type sentinel struct {
	msg    string
	parent error
}

func (e *sentinel) Error() string { return e.msg }
func (e *sentinel) Unwrap() error { return e.parent }

// Default values of Options fields left at zero.
const (
	DefaultActivation = "relu"
	DefaultOptimizer  = "adam"
	DefaultEpochs     = train.DefaultEpochs    // as in train.Config
	DefaultBatchSize  = train.DefaultBatchSize // as in train.Config
	// DefaultPatience and DefaultTol stop a run whose Epochs is 0 once
	// the monitored loss has not improved by DefaultTol for
	// DefaultPatience epochs, and DefaultMaxEpochs after at most that
	// many epochs, as scikit-learn's n_iter_no_change, tol and max_iter
	// do. The cap is higher than DefaultEpochs because small tables get
	// few updates per epoch.
	DefaultPatience  = 10
	DefaultTol       = 1e-4
	DefaultMaxEpochs = 500
)

// DefaultHidden is the hidden layer sizes used when Options.Hidden is nil.
var DefaultHidden = []int{32}

// Options configure a Classifier or a Regressor. The zero value is a
// sensible default: one hidden layer of 32 ReLU units, Adam at its default
// learning rate, mini-batches of 32 until the training loss stops
// improving (at most 500 epochs), standardised features, seed 0, no
// validation.
type Options struct {
	Hidden     []int  // hidden layer sizes; nil means DefaultHidden, an empty non-nil slice none
	Activation string // hidden activation (activation.Parse names); "" means "relu"

	Optimizer string  // an optim.New name; "" means "adam"
	LR        float64 // learning rate; 0 means the optimizer's default
	// WeightDecay is the L2 penalty λ: λ·p is added to the gradient of
	// every parameter (for "adamw", decoupled decay; 0 means its default
	// 0.01). scikit-learn's alpha, which it divides by the batch's
	// samples and applies to weights only, is close to λ = alpha /
	// BatchSize. 0 means none.
	WeightDecay float64
	// Schedule, if set, gives the learning rate of every epoch (counted
	// from 0), as train.Config.Schedule; see optim.Step, optim.Cosine.
	Schedule optim.Schedule
	// Optim, if set, is the optimizer to train with, instead of the one
	// Optimizer, LR and WeightDecay describe (which are then only
	// recorded). Its state carries over between fits.
	Optim optim.Optimizer[float32]
	// Epochs is the number of passes over the data. 0 means train until
	// the monitored loss converges: stop when it has not improved by Tol
	// for DefaultPatience epochs, and after DefaultMaxEpochs at most;
	// with Patience set, run DefaultEpochs with that early stopping. The
	// history's Stop says which ended the run.
	Epochs    int
	BatchSize int // samples per update; 0 means DefaultBatchSize, −1 full batch, as in train.Config

	// Validation is the fraction of the training data held out to
	// measure the validation loss after every epoch; 0 means none.
	Validation float64
	// Patience stops training when the monitored loss (validation loss
	// when Validation > 0, else training loss) has not improved for this
	// many epochs, and puts back the best epoch's weights; 0 means never.
	Patience int
	// Tol is the least decrease of the monitored loss that counts as an
	// improvement for Patience; 0 means DefaultTol when Epochs is 0 and
	// no minimum otherwise.
	Tol float64
	// converge is set by withDefaults when Epochs was 0 and Patience
	// too: the patience is the convergence test's, and the weights
	// reached are kept unless there is validation.
	converge bool

	Seed uint32 // seeds the initial weights, the shuffling and the validation split

	// ClassWeight weights the loss of every sample of a class, by the
	// class's label as the model file writes it (an int label in base
	// 10), as scikit-learn's class_weight does; a class it does not name
	// weighs 1. Each weight must be finite and ≥ 0. With sample weights
	// (FitWeighted) a sample's weight is the product of the two. Under
	// the mean reduction the loss is Σᵢ wᵢℓᵢ / Σᵢ wᵢ (see
	// train.Config.SampleWeights). Classifiers only.
	ClassWeight map[string]float64
	// BalancedClassWeight weights class c by n / (k · count(c)), with n
	// samples in k classes (those present in the data), as
	// scikit-learn's compute_class_weight('balanced') does: every class
	// then carries the same total weight, and the weights sum to n.
	// ClassWeight must then be nil. Classifiers only.
	BalancedClassWeight bool

	// NoScaling feeds the features to the network as given. By default
	// each feature is standardised to mean 0 and variance 1 with
	// statistics from the training data, stored in the model.
	NoScaling bool

	// OnEpoch and OnBatch receive progress; see train.Config.
	OnEpoch func(train.EpochEnd) error
	OnBatch func(train.BatchEnd) error

	// Checkpoint, if set, is called at the end of every epoch with a
	// checkpoint of the run: a complete model of the network as it is
	// (Predict works on it) that also carries what Resume needs — the
	// optimizer's state, the history so far, the best epoch's weights and
	// a digest of the training data — in its extra blocks and training
	// record. Save it with model.Save. An error ends training, as one from
	// OnEpoch does. Each call gets a model of its own.
	Checkpoint func(*model.Model[float32]) error
	// Resume continues the run a checkpoint was taken from. The options
	// must be the run's own (ResumeOptions returns them), except that
	// Epochs may be raised and the callbacks may differ, and Fit must be
	// given the same data. Fit then reaches the same weights and history
	// as the run would have without the interruption.
	Resume *model.Model[float32]
}

// withDefaults returns o with every zero field replaced by its default,
// and checks the result. o itself is not modified.
func (o Options) withDefaults() (Options, activation.Kind, error) {
	if o.Hidden == nil {
		o.Hidden = DefaultHidden
	}
	o.Hidden = slices.Clone(o.Hidden) // an empty non-nil slice stays one
	if o.Activation == "" {
		o.Activation = DefaultActivation
	}
	if o.Optimizer == "" {
		o.Optimizer = DefaultOptimizer
	}
	if o.Epochs == 0 {
		o.Epochs = DefaultEpochs
		if o.Patience == 0 {
			o.Epochs = DefaultMaxEpochs
			o.Patience, o.converge = DefaultPatience, true
		}
		if o.Tol == 0 {
			o.Tol = DefaultTol
		}
	}
	if o.BatchSize == 0 {
		o.BatchSize = DefaultBatchSize
	}
	act, err := activation.Parse(o.Activation)
	if err != nil {
		return o, 0, fmt.Errorf("%w: Activation: %v", ErrOptions, err)
	}
	for i, h := range o.Hidden {
		if h <= 0 {
			return o, 0, fmt.Errorf("%w: hidden layer %d has %d units, want > 0", ErrOptions, i+1, h)
		}
	}
	switch {
	case o.Epochs < 0:
		return o, 0, fmt.Errorf("%w: Epochs is %d, want > 0", ErrOptions, o.Epochs)
	case o.BatchSize < -1:
		return o, 0, fmt.Errorf("%w: BatchSize is %d, want > 0 (or −1 for full batch)", ErrOptions, o.BatchSize)
	case !(o.Validation >= 0 && o.Validation < 1):
		return o, 0, fmt.Errorf("%w: Validation is %v, want a fraction in [0, 1)", ErrOptions, o.Validation)
	case !(o.Tol >= 0) || math.IsInf(o.Tol, 0):
		return o, 0, fmt.Errorf("%w: Tol is %v, want a finite number ≥ 0", ErrOptions, o.Tol)
	case o.Patience < 0:
		return o, 0, fmt.Errorf("%w: Patience is %d, want ≥ 0", ErrOptions, o.Patience)
	case !(o.LR >= 0):
		return o, 0, fmt.Errorf("%w: LR is %v, want ≥ 0", ErrOptions, o.LR)
	case !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0):
		return o, 0, fmt.Errorf("%w: WeightDecay is %v, want a finite number ≥ 0", ErrOptions, o.WeightDecay)
	case o.BalancedClassWeight && o.ClassWeight != nil:
		return o, 0, fmt.Errorf("%w: BalancedClassWeight and ClassWeight are both set: choose one", ErrOptions)
	}
	for _, label := range slices.Sorted(maps.Keys(o.ClassWeight)) {
		if v := o.ClassWeight[label]; !(v >= 0 && v <= math.MaxFloat64) {
			return o, 0, fmt.Errorf("%w: ClassWeight: class %q has weight %v, want a finite number ≥ 0", ErrOptions, label, v)
		}
	}
	if _, err := optim.NewDecay[float32](o.Optimizer, o.LR, o.WeightDecay); err != nil {
		return o, 0, fmt.Errorf("%w: %v", ErrOptions, err)
	}
	return o, act, nil
}

// trainingRecord is the training configuration stored in a model file.
type trainingRecord struct {
	Hidden      []int   `json:"hidden"`
	Activation  string  `json:"activation"`
	Optimizer   string  `json:"optimizer"`
	LR          float64 `json:"lr"`
	WeightDecay float64 `json:"weight_decay,omitempty"`
	Schedule    bool    `json:"schedule,omitempty"`
	WarmStart   bool    `json:"warm_start,omitempty"`
	Epochs      int     `json:"epochs"`
	EpochsRun   int     `json:"epochs_run"`
	BestEpoch   int     `json:"best_epoch"`
	BatchSize   int     `json:"batch_size"`
	Validation  float64 `json:"validation"`
	Patience    int     `json:"patience"`
	Tol         float64 `json:"tol,omitempty"`
	// Converge is true for a run with the converging default (Epochs
	// and Patience 0), which ResumeOptions gives back as such.
	Converge bool   `json:"converge,omitempty"`
	Seed     uint32 `json:"seed"`
	Scaling  bool   `json:"scaling"`
	Samples  int    `json:"samples"`
	// ClassWeight holds the class weights trained with (the balanced
	// ones as computed), SampleWeighted whether FitWeighted gave sample
	// weights.
	ClassWeight    map[string]float64 `json:"class_weight,omitempty"`
	SampleWeighted bool               `json:"sample_weighted,omitempty"`
	// Checkpoint is set in checkpoints only: what Resume needs beyond
	// the parameters and the extra blocks.
	Checkpoint *model.CheckpointRecord `json:"checkpoint,omitempty"`
}

// wrapFunc makes a Classifier's or Regressor's model around a network,
// its training record and history.
type wrapFunc func(net *nn.Network[float32], rec json.RawMessage, h *train.History) *model.Model[float32]

// warm is what a PartialFit continues from: the trained network, and
// the optimizer with its state (nil for a model that was loaded).
type warm struct {
	net *nn.Network[float32]
	opt optim.Optimizer[float32]
}

// fit builds a float32 network for the options (or takes it from
// o.Resume, or from start for a warm start) and trains it on X and Y,
// which are already scaled. It returns the trained model, made by wrap,
// the history and the optimizer (for a later warm start). The model is
// nil if training could not start.
func fit(ctx context.Context, o Options, act activation.Kind, out activation.Kind, lk loss.Kind, X, Y *tensor.Dense[float32], wt weighting, start *warm, wrap wrapFunc) (*model.Model[float32], *train.History, optim.Optimizer[float32], error) {
	m, h, opt, err := fitNet(ctx, o, act, out, lk, X, Y, wt, start, wrap)
	if h == nil {
		h = &train.History{}
	}
	return m, h, opt, err
}

// weighting is the sample weights a fit trains with (nil for none), the
// class weights they include and whether sample weights were given.
type weighting struct {
	w              []float64
	class          map[string]float64
	sampleWeighted bool
}

func fitNet(ctx context.Context, o Options, act activation.Kind, out activation.Kind, lk loss.Kind, X, Y *tensor.Dense[float32], wt weighting, start *warm, wrap wrapFunc) (*model.Model[float32], *train.History, optim.Optimizer[float32], error) {
	var net *nn.Network[float32]
	var opt optim.Optimizer[float32]
	if start != nil {
		net, opt = start.net, start.opt
		if net.Inputs() != X.Cols() || net.Outputs() != Y.Cols() {
			return nil, nil, nil, fmt.Errorf("%w: the data has %d features and %d outputs, the trained network %d and %d", data.ErrData, X.Cols(), Y.Cols(), net.Inputs(), net.Outputs())
		}
		o.Resume, o.Checkpoint = nil, nil
	} else {
		cfg := nn.Config{Inputs: X.Cols(), Loss: lk}
		for _, h := range o.Hidden {
			cfg.Layers = append(cfg.Layers, nn.LayerSpec{Units: h, Activation: act})
		}
		cfg.Layers = append(cfg.Layers, nn.LayerSpec{Units: Y.Cols(), Activation: out})
		var err error
		if net, err = nn.New[float32](cfg, rng.New(o.Seed)); err != nil {
			return nil, nil, nil, err
		}
	}
	if o.Optim != nil {
		opt = o.Optim
	}
	if opt == nil {
		var err error
		if opt, err = optim.NewDecay[float32](o.Optimizer, o.LR, o.WeightDecay); err != nil {
			return nil, nil, nil, err
		}
	}
	rec := trainingRecord{
		Hidden: o.Hidden, Activation: act.String(), Optimizer: o.Optimizer, LR: opt.LR(),
		WeightDecay: o.WeightDecay, Schedule: o.Schedule != nil, WarmStart: start != nil,
		Epochs: o.Epochs, BatchSize: o.BatchSize,
		Validation: o.Validation, Patience: o.Patience, Tol: o.Tol, Converge: o.converge, Seed: o.Seed, Scaling: !o.NoScaling, Samples: X.Rows(),
		ClassWeight: wt.class, SampleWeighted: wt.sampleWeighted,
	}
	var digest string
	if o.Checkpoint != nil || o.Resume != nil {
		digest = model.DataDigest(X, Y)
		if wt.sampleWeighted {
			digest = model.DataDigestWeighted(X, Y, wt.w)
		}
	}
	var resume *train.Checkpoint[float32]
	if o.Resume != nil {
		var err error
		if resume, err = resumeFrom(o.Resume, rec, digest, net, opt); err != nil {
			return nil, nil, nil, err
		}
	}
	tc := train.Config[float32]{
		Epochs:             o.Epochs,
		BatchSize:          o.BatchSize,
		Optimizer:          opt,
		Schedule:           o.Schedule,
		Seed:               o.Seed,
		ValidationFraction: o.Validation,
		SampleWeights:      wt.w,
		EarlyStopping:      train.EarlyStopping{Patience: o.Patience, MinDelta: o.Tol, RestoreBest: o.Patience > 0 && (!o.converge || o.Validation > 0)},
		OnEpoch:            o.OnEpoch,
		OnBatch:            o.OnBatch,
		Resume:             resume,
	}
	if o.Checkpoint != nil {
		tc.Checkpoint = func(ck train.Checkpoint[float32]) error {
			m, err := checkpointModel(ck, net, opt, rec, digest, wrap)
			if err != nil {
				return err
			}
			return o.Checkpoint(m)
		}
	}
	hist, err := train.Fit(ctx, net, X, Y, tc)
	rec.EpochsRun, rec.BestEpoch = len(hist.Epochs), hist.BestEpoch
	raw, _ := json.Marshal(rec)
	return wrap(net, raw, hist), hist, opt, err
}

// inputs are the features as Fit (x64) or FitFloat32 (x32) got them;
// one of the two is set, or neither when the caller passed nil.
type inputs struct {
	x64 *tensor.Dense[float64]
	x32 *tensor.Dense[float32]
}

// rows returns the number of samples, and false when there are no
// features at all (a nil matrix).
func (in inputs) rows() (int, bool) {
	switch {
	case in.x64 != nil:
		return in.x64.Rows(), true
	case in.x32 != nil:
		return in.x32.Rows(), true
	}
	return 0, false
}

// scale fits a Scaler on X unless disabled, and returns X scaled and
// converted to float32. Unscaled float32 features are returned as they
// are, after a check that they are finite: training never copies them.
func scale(X inputs, off bool) (*data.Scaler, *tensor.Dense[float32], error) {
	if X.x32 != nil {
		return scaleFrom(X.x32, off)
	}
	return scaleFrom(X.x64, off)
}

func scaleFrom[T tensor.Float](X *tensor.Dense[T], off bool) (*data.Scaler, *tensor.Dense[float32], error) {
	if off {
		for i, x := range X.Data() {
			if v := float64(x); v != v || v > maxFinite || v < -maxFinite {
				return nil, nil, fmt.Errorf("%w: sample %d, feature %d is %v", data.ErrData, i/X.Cols()+1, i%X.Cols()+1, v)
			}
		}
		if X32, ok := any(X).(*tensor.Dense[float32]); ok {
			return nil, X32, nil
		}
		return nil, tensor.Convert[float32](X), nil
	}
	s, err := data.FitScaler(X)
	if err != nil {
		return nil, nil, err
	}
	Xs, err := data.Transform[float32](s, X)
	return s, Xs, err
}

const maxFinite = 1.7976931348623157e308

// scaleWith checks that X is finite and returns it scaled with s (if
// not nil) and converted to float32: the inputs of a warm start.
func scaleWith(X inputs, s *data.Scaler) (*tensor.Dense[float32], error) {
	_, Xs, err := scale(X, true)
	if err != nil || s == nil {
		return Xs, err
	}
	if X.x32 != nil {
		return data.Transform[float32](s, X.x32)
	}
	return data.Transform[float32](s, X.x64)
}

// metricsOf collects the final metrics of a history for the model file.
func metricsOf(h *train.History) map[string]float64 {
	m := map[string]float64{}
	if len(h.Epochs) == 0 {
		return m
	}
	e := h.Last()
	if h.Restored {
		e = h.Epochs[h.BestEpoch-1]
	}
	put := func(k string, v float64) {
		if v == v { // not NaN
			m[k] = v
		}
	}
	put("train_loss", e.Loss)
	put("train_accuracy", e.Accuracy)
	put("val_loss", e.ValLoss)
	put("val_accuracy", e.ValAccuracy)
	return m
}

// modelOf is a model under construction; withPreprocessing finishes it.
type modelOf model.Model[float32]

// withPreprocessing returns the model, with the preprocessing its inputs
// came through (and the feature names and target it gives), if any.
func (m modelOf) withPreprocessing(p *data.Preprocessing) *model.Model[float32] {
	mm := model.Model[float32](m)
	if p != nil {
		mm.Preprocessing, mm.Features, mm.Target = p, p.Features(), p.Target
	}
	return &mm
}

// fitTable fits the preprocessing of t for task and returns it with the
// table as a dataset.
func fitTable(t *data.Table, prep data.PrepOptions, task data.Task) (*data.Preprocessing, *data.Dataset, error) {
	if t == nil {
		return nil, nil, fmt.Errorf("%w: no table (t is nil)", data.ErrData)
	}
	if prep.Target == "" {
		return nil, nil, fmt.Errorf("%w: PrepOptions.Target: name the target column", ErrOptions)
	}
	prep.Task = task
	p, err := data.FitPreprocessing(t, prep)
	if err != nil {
		return nil, nil, err
	}
	d, _, err := p.Dataset(t)
	return p, d, err
}
