package nerve

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// Classifier is a multilayer perceptron that learns to map feature rows to
// class labels of type L (integers or strings). It maps the labels to
// one-hot targets for a softmax output trained with cross-entropy, and
// predictions back to labels.
//
// Fit trains it; Predict and PredictProba may then be called from any
// number of goroutines at once (they never modify the classifier), but
// not at the same time as Fit.
type Classifier[L data.Label] struct {
	opts    Options
	model   *model.Model[float32]
	classes *data.Classes[L]
	opt     optim.Optimizer[float32] // the last fit's, for PartialFit
}

// NewClassifier returns an untrained classifier with the given options.
// The options are checked by Fit.
func NewClassifier[L data.Label](opts Options) *Classifier[L] {
	return &Classifier[L]{opts: opts}
}

// Fit trains the classifier on the samples X (samples×features) and their
// labels y, replacing what it learnt before. Classes are the distinct
// labels of y, sorted. It returns the training history, and an error if
// the options or data are invalid (wrapping ErrOptions, data.ErrData or
// train.ErrData), if training diverged (*train.DivergedError) or was
// cancelled (ctx.Err(), with the history so far; the classifier then
// holds the weights reached).
func (c *Classifier[L]) Fit(ctx context.Context, X *tensor.Dense[float64], y []L) (*train.History, error) {
	return c.fit(ctx, X, y, nil, nil)
}

// FitTable trains the classifier on a raw table: prep.Target names the
// label column, and data.FitPreprocessing learns from t how the other
// columns (text categories, missing cells and all) become inputs; see
// data.Preprocessing. The preprocessing is stored in the model, so that
// PredictTable, a saved model and the command line apply exactly the same
// steps. Options.NoScaling is ignored (the preprocessing standardises
// numeric columns). The labels are read as L (an int label must be a
// base-10 integer). Errors are Fit's, and the *data.ParseError of
// FitPreprocessing, which names the file, line and column.
func (c *Classifier[L]) FitTable(ctx context.Context, t *data.Table, prep data.PrepOptions) (*train.History, error) {
	p, d, err := fitTable(t, prep, data.TaskClassification)
	if err != nil {
		return &train.History{}, err
	}
	y, err := parseLabels[L](d.Labels, t.Name, p.Target)
	if err != nil {
		return &train.History{}, err
	}
	return c.fit(ctx, d.X, y, p, nil)
}

// PredictTable returns the most probable class of every row of a raw
// table, through the stored preprocessing (columns by name; others, the
// target among them, ignored), and what the preprocessing met that
// training had not (categories it gave all zeros). It returns an error
// before FitTable, for a model without preprocessing, and for a table
// lacking a column the model needs.
func (c *Classifier[L]) PredictTable(t *data.Table) ([]L, data.TransformReport, error) {
	if c.model == nil {
		return nil, data.TransformReport{}, fmt.Errorf("nerve: %w: the classifier has not been trained: call FitTable or LoadClassifier first", ErrNotFitted)
	}
	p, rep, err := c.model.PredictTable(t)
	if err != nil {
		return nil, rep, err
	}
	return c.classes.Decode(data.Argmax(p)), rep, nil
}

// PartialFit continues training the fitted classifier on X and y for
// Options.Epochs more epochs, from its current weights (and optimizer
// state, when it was fitted in this process), as scikit-learn's
// warm_start does: the classes, scaling and preprocessing stay those of
// the first fit, so every label of y must be one of Classes. It returns
// an error wrapping ErrNotFitted before Fit, and for a classifier fitted
// on a table (use PartialFitTable); otherwise Fit's errors.
func (c *Classifier[L]) PartialFit(ctx context.Context, X *tensor.Dense[float64], y []L) (*train.History, error) {
	if c.model == nil || c.model.Preprocessing != nil {
		return &train.History{}, fmt.Errorf("nerve: %w: PartialFit continues a classifier fitted with Fit (FitTable: PartialFitTable)", ErrNotFitted)
	}
	return c.fit(ctx, X, y, nil, &warm{net: c.model.Network, opt: c.opt})
}

// PartialFitTable continues training a classifier fitted with FitTable
// on more rows of a table, through its stored preprocessing; see
// PartialFit.
func (c *Classifier[L]) PartialFitTable(ctx context.Context, t *data.Table) (*train.History, error) {
	if c.model == nil || c.model.Preprocessing == nil {
		return &train.History{}, fmt.Errorf("nerve: %w: PartialFitTable continues a classifier fitted with FitTable", ErrNotFitted)
	}
	p := c.model.Preprocessing
	d, _, err := p.Dataset(t)
	if err != nil {
		return &train.History{}, err
	}
	y, err := parseLabels[L](d.Labels, t.Name, p.Target)
	if err != nil {
		return &train.History{}, err
	}
	return c.fit(ctx, d.X, y, p, &warm{net: c.model.Network, opt: c.opt})
}

// parseLabels reads the labels of a table's target column as L.
func parseLabels[L data.Label](labels []string, name, target string) ([]L, error) {
	y := make([]L, len(labels))
	for i, s := range labels {
		var err error
		if y[i], err = parseLabel[L](s); err != nil {
			return nil, fmt.Errorf("%w: %s: row %d, column %s: %v", data.ErrData, name, i+1, target, err)
		}
	}
	return y, nil
}

// fit is Fit, with the preprocessing X came through, if any, and the
// network to continue from for a warm start.
func (c *Classifier[L]) fit(ctx context.Context, X *tensor.Dense[float64], y []L, prep *data.Preprocessing, start *warm) (*train.History, error) {
	o, act, err := c.opts.withDefaults()
	if err != nil {
		return &train.History{}, err
	}
	if X == nil {
		return &train.History{}, fmt.Errorf("%w: no samples (X is nil)", data.ErrData)
	}
	if len(y) != X.Rows() {
		return &train.History{}, fmt.Errorf("%w: X has %d samples but y has %d labels", data.ErrData, X.Rows(), len(y))
	}
	classes := c.classes
	if start == nil {
		if classes, err = data.NewClasses(y); err != nil {
			return &train.History{}, err
		}
	}
	idx, err := classes.Encode(y)
	if err != nil {
		return &train.History{}, err
	}
	var scaler *data.Scaler
	var Xs *tensor.Dense[float32]
	if start != nil {
		scaler = c.model.Scaler
		Xs, err = scaleWith(X, scaler)
	} else {
		scaler, Xs, err = scale(X, o.NoScaling || prep != nil)
	}
	if err != nil {
		return &train.History{}, err
	}
	Y := data.OneHot[float32](idx, classes.Len())
	m, hist, opt, err := fit(ctx, o, act, activation.Softmax, loss.CrossEntropy, Xs, Y, start, func(net *nn.Network[float32], rec json.RawMessage, h *train.History) *model.Model[float32] {
		return modelOf{
			Network:   net,
			Task:      "classification",
			Classes:   labelStrings(classes.Labels()),
			LabelType: labelType[L](),
			Scaler:    scaler,
			Training:  rec,
			Metrics:   metricsOf(h),
		}.withPreprocessing(prep)
	})
	if m == nil {
		return hist, err
	}
	c.classes, c.model, c.opt = classes, m, opt
	return hist, err
}

// Classes returns the class labels in the order of PredictProba's columns,
// or nil before Fit. The caller must not modify the slice.
func (c *Classifier[L]) Classes() []L {
	if c.classes == nil {
		return nil
	}
	return c.classes.Labels()
}

// Model returns the trained model (network, classes, scaling, training
// record), or nil before Fit. Changing it changes the classifier.
func (c *Classifier[L]) Model() *model.Model[float32] { return c.model }

// PredictProba returns, for every row of X, the probability of each class
// in the order of Classes. It returns an error before Fit, or if X has the
// wrong number of features.
func (c *Classifier[L]) PredictProba(X *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
	if c.model == nil {
		return nil, fmt.Errorf("nerve: %w: the classifier has not been trained: call Fit or LoadClassifier first", ErrNotFitted)
	}
	return c.model.Predict(X)
}

// Predict returns the most probable class of every row of X.
func (c *Classifier[L]) Predict(X *tensor.Dense[float64]) ([]L, error) {
	p, err := c.PredictProba(X)
	if err != nil {
		return nil, err
	}
	return c.classes.Decode(data.Argmax(p)), nil
}

// Save writes the trained classifier to path as a nerve model file
// (docs/model-format.md), atomically.
func (c *Classifier[L]) Save(path string) error {
	if c.model == nil {
		return fmt.Errorf("nerve: %w: the classifier has not been trained: nothing to save", ErrNotFitted)
	}
	return model.Save(path, c.model)
}

// Summary describes the classifier's network, classes and training.
func (c *Classifier[L]) Summary() string {
	if c.model == nil {
		return "untrained classifier"
	}
	return c.model.Summary()
}

// LoadClassifier reads a classifier saved by Save. L must be the label
// type the model was trained with, except that any model's labels can be
// read as strings.
func LoadClassifier[L data.Label](path string) (*Classifier[L], error) {
	m, err := model.Load[float32](path)
	if err != nil {
		return nil, err
	}
	return classifierOf[L](m, path)
}

// classifierOf wraps a loaded model as a Classifier[L].
func classifierOf[L data.Label](m *model.Model[float32], path string) (*Classifier[L], error) {
	if m.Task != "classification" || len(m.Classes) == 0 {
		return nil, fmt.Errorf("nerve: %s: the model is not a classifier (task %q)", path, m.Task)
	}
	want := labelType[L]()
	if want == "int" && m.LabelType != "int" {
		return nil, fmt.Errorf("nerve: %s: the model's class labels are %ss, not ints", path, m.LabelType)
	}
	labels := make([]L, len(m.Classes))
	for i, s := range m.Classes {
		l, err := parseLabel[L](s)
		if err != nil {
			return nil, fmt.Errorf("nerve: %s: class %d: %v", path, i+1, err)
		}
		labels[i] = l
	}
	classes, err := data.ClassesOf(labels)
	if err != nil {
		return nil, fmt.Errorf("nerve: %s: %w", path, err)
	}
	return &Classifier[L]{model: m, classes: classes}, nil
}

// labelType returns "int" or "string", the kind of L.
func labelType[L data.Label]() string {
	var l L
	if reflect.ValueOf(l).Kind() == reflect.String {
		return "string"
	}
	return "int"
}

// labelStrings writes labels as the model file stores them.
func labelStrings[L data.Label](labels []L) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		v := reflect.ValueOf(l)
		if v.Kind() == reflect.String {
			out[i] = v.String()
		} else {
			out[i] = strconv.FormatInt(v.Int(), 10)
		}
	}
	return out
}

// parseLabel reads a stored label back as an L.
func parseLabel[L data.Label](s string) (L, error) {
	var l L
	v := reflect.ValueOf(&l).Elem()
	if v.Kind() == reflect.String {
		v.SetString(s)
		return l, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v.OverflowInt(n) {
		return l, fmt.Errorf("label %q is not an int", s)
	}
	v.SetInt(n)
	return l, nil
}
