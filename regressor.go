package nerve

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// Regressor is a multilayer perceptron that learns to map feature rows to
// one or more numeric targets, with an identity output trained on the
// mean squared error. Features and targets are standardised for training
// (unless Options.NoScaling) and predictions are mapped back to the
// targets' units.
//
// Predict may be called from any number of goroutines at once, but not at
// the same time as Fit.
type Regressor struct {
	opts  Options
	model *model.Model[float32]
	opt   optim.Optimizer[float32] // the last fit's, for PartialFit
}

// NewRegressor returns an untrained regressor with the given options.
func NewRegressor(opts Options) *Regressor { return &Regressor{opts: opts} }

// Fit trains the regressor on X (samples×features) and Y (samples×targets),
// replacing what it learnt before. Errors are as for Classifier.Fit.
func (r *Regressor) Fit(ctx context.Context, X, Y *tensor.Dense[float64]) (*train.History, error) {
	return r.fit(ctx, inputs{x64: X}, Y, nil, nil, nil)
}

// FitFloat32 is Fit for features already in float32, as
// Classifier.FitFloat32: without scaling the network trains on X itself.
// The targets Y stay float64. X and Y are not modified.
func (r *Regressor) FitFloat32(ctx context.Context, X *tensor.Dense[float32], Y *tensor.Dense[float64]) (*train.History, error) {
	return r.fit(ctx, inputs{x32: X}, Y, nil, nil, nil)
}

// FitWeighted is Fit with a weight sampleWeight[i] for every sample; see
// Classifier.FitWeighted.
func (r *Regressor) FitWeighted(ctx context.Context, X, Y *tensor.Dense[float64], sampleWeight []float64) (*train.History, error) {
	return r.fit(ctx, inputs{x64: X}, Y, sampleWeight, nil, nil)
}

// FitTable trains the regressor on a raw table: prep.Target names the
// numeric target column, and the other columns become inputs as for
// Classifier.FitTable, with the preprocessing stored in the model.
func (r *Regressor) FitTable(ctx context.Context, t *data.Table, prep data.PrepOptions) (*train.History, error) {
	return r.FitTableWeighted(ctx, t, prep, nil)
}

// FitTableWeighted is FitTable with a weight sampleWeight[i] for row i of
// the table; see Classifier.FitTableWeighted.
func (r *Regressor) FitTableWeighted(ctx context.Context, t *data.Table, prep data.PrepOptions, sampleWeight []float64) (*train.History, error) {
	p, d, err := fitTable(t, prep, data.TaskRegression)
	if err != nil {
		return &train.History{}, err
	}
	return r.fit(ctx, inputs{x64: d.X}, d.Y, sampleWeight, p, nil)
}

// PredictTable returns the predicted target of every row of a raw table,
// through the stored preprocessing; see Classifier.PredictTable.
func (r *Regressor) PredictTable(t *data.Table) (*tensor.Dense[float64], data.TransformReport, error) {
	if r.model == nil {
		return nil, data.TransformReport{}, fmt.Errorf("nerve: %w: the regressor has not been trained: call FitTable or LoadRegressor first", ErrNotFitted)
	}
	return r.model.PredictTable(t)
}

// PartialFit continues training the fitted regressor on X and Y for
// Options.Epochs more epochs, from its current weights, with the scaling
// of the first fit; see Classifier.PartialFit.
func (r *Regressor) PartialFit(ctx context.Context, X, Y *tensor.Dense[float64]) (*train.History, error) {
	if r.model == nil || r.model.Preprocessing != nil {
		return &train.History{}, fmt.Errorf("nerve: %w: PartialFit continues a regressor fitted with Fit (FitTable: PartialFitTable)", ErrNotFitted)
	}
	return r.fit(ctx, inputs{x64: X}, Y, nil, nil, &warm{net: r.model.Network, opt: r.opt})
}

// PartialFitTable continues training a regressor fitted with FitTable on
// more rows of a table, through its stored preprocessing.
func (r *Regressor) PartialFitTable(ctx context.Context, t *data.Table) (*train.History, error) {
	if r.model == nil || r.model.Preprocessing == nil {
		return &train.History{}, fmt.Errorf("nerve: %w: PartialFitTable continues a regressor fitted with FitTable", ErrNotFitted)
	}
	d, _, err := r.model.Preprocessing.Dataset(t)
	if err != nil {
		return &train.History{}, err
	}
	return r.fit(ctx, inputs{x64: d.X}, d.Y, nil, r.model.Preprocessing, &warm{net: r.model.Network, opt: r.opt})
}

// fit is FitWeighted, with the preprocessing X came through, if any,
// and the network to continue from for a warm start.
func (r *Regressor) fit(ctx context.Context, X inputs, Y *tensor.Dense[float64], sw []float64, prep *data.Preprocessing, start *warm) (*train.History, error) {
	o, act, err := r.opts.withDefaults()
	if err != nil {
		return &train.History{}, err
	}
	if o.ClassWeight != nil || o.BalancedClassWeight {
		return &train.History{}, fmt.Errorf("%w: ClassWeight and BalancedClassWeight are for classifiers: a regressor has no classes (use FitWeighted's sample weights)", ErrOptions)
	}
	n, ok := X.rows()
	if !ok || Y == nil {
		return &train.History{}, fmt.Errorf("%w: no samples (X or Y is nil)", data.ErrData)
	}
	if Y.Rows() != n {
		return &train.History{}, fmt.Errorf("%w: X has %d samples but Y has %d", data.ErrData, n, Y.Rows())
	}
	var scaler, yScaler *data.Scaler
	var Xs, Ys *tensor.Dense[float32]
	if start != nil {
		scaler, yScaler = r.model.Scaler, r.model.TargetScaler
		if Xs, err = scaleWith(X, scaler); err == nil {
			Ys, err = scaleWith(inputs{x64: Y}, yScaler)
		}
	} else if scaler, Xs, err = scale(X, o.NoScaling || prep != nil); err == nil {
		yScaler, Ys, err = scale(inputs{x64: Y}, o.NoScaling)
	}
	if err != nil {
		return &train.History{}, err
	}
	if err := sampleWeightsOK(sw, n); err != nil {
		return &train.History{}, err
	}
	m, hist, opt, err := fit(ctx, o, act, activation.Identity, loss.MSE, Xs, Ys, weighting{w: sw, sampleWeighted: sw != nil}, start, func(net *nn.Network[float32], rec json.RawMessage, h *train.History) *model.Model[float32] {
		return modelOf{
			Network:      net,
			Task:         "regression",
			Scaler:       scaler,
			TargetScaler: yScaler,
			Training:     rec,
			Metrics:      metricsOf(h),
		}.withPreprocessing(prep)
	})
	if m == nil {
		return hist, err
	}
	r.model, r.opt = m, opt
	return hist, err
}

// Model returns the trained model, or nil before Fit.
func (r *Regressor) Model() *model.Model[float32] { return r.model }

// Predict returns the predicted targets for every row of X, in the
// targets' original units.
func (r *Regressor) Predict(X *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
	if r.model == nil {
		return nil, fmt.Errorf("nerve: %w: the regressor has not been trained: call Fit or LoadRegressor first", ErrNotFitted)
	}
	return r.model.Predict(X)
}

// Save writes the trained regressor to path as a nerve model file.
func (r *Regressor) Save(path string) error {
	if r.model == nil {
		return fmt.Errorf("nerve: %w: the regressor has not been trained: nothing to save", ErrNotFitted)
	}
	return model.Save(path, r.model)
}

// Summary describes the regressor's network and training.
func (r *Regressor) Summary() string {
	if r.model == nil {
		return "untrained regressor"
	}
	return r.model.Summary()
}

// LoadRegressor reads a regressor saved by Save.
func LoadRegressor(path string) (*Regressor, error) {
	m, err := model.Load[float32](path)
	if err != nil {
		return nil, err
	}
	if m.Task != "regression" {
		return nil, fmt.Errorf("nerve: %s: the model is not a regressor (task %q)", path, m.Task)
	}
	return &Regressor{model: m}, nil
}
