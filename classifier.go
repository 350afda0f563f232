package nerve

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

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
	return c.fit(ctx, inputs{x64: X}, y, nil, nil, nil)
}

// FitFloat32 is Fit for features already in float32, such as the X32 of
// a data.Dataset loaded with data.CSVOptions.Float32 or
// data.IDXOptions.Float32. With Options.NoScaling the network trains on
// X itself, without a copy; otherwise the scaler is fitted on X's values
// (in float64) and the scaled copy trains. For features that are float32
// values, FitFloat32 on them and Fit on their float64 copy train the
// same network. X is not modified.
func (c *Classifier[L]) FitFloat32(ctx context.Context, X *tensor.Dense[float32], y []L) (*train.History, error) {
	return c.fit(ctx, inputs{x32: X}, y, nil, nil, nil)
}

// FitWeighted is Fit with a weight sampleWeight[i] for every sample, as
// scikit-learn's fit(X, y, sample_weight) takes: the loss weighs sample
// i by it (times its class's weight, Options.ClassWeight), and under the
// mean reduction is Σᵢ wᵢℓᵢ / Σᵢ wᵢ, so that a weight of 2 counts like a
// second copy of the sample. Samples held out by Options.Validation
// carry their weights into the validation loss; accuracies are not
// weighted. A weight that is negative, NaN or infinite, a count that is
// not X's samples, or weights that are all 0 are errors wrapping
// data.ErrData that name the sample. A nil sampleWeight is Fit.
func (c *Classifier[L]) FitWeighted(ctx context.Context, X *tensor.Dense[float64], y []L, sampleWeight []float64) (*train.History, error) {
	return c.fit(ctx, inputs{x64: X}, y, sampleWeight, nil, nil)
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
	return c.FitTableWeighted(ctx, t, prep, nil)
}

// FitTableWeighted is FitTable with a weight sampleWeight[i] for row i of
// the table, as FitWeighted takes them: they weigh each row's loss (and
// its validation loss), not the preprocessing's statistics (medians,
// means, scales and categories are learnt from the rows unweighted, as
// scikit-learn's imputer and encoder do). A nil sampleWeight is FitTable.
func (c *Classifier[L]) FitTableWeighted(ctx context.Context, t *data.Table, prep data.PrepOptions, sampleWeight []float64) (*train.History, error) {
	p, d, err := fitTable(t, prep, data.TaskClassification)
	if err != nil {
		return &train.History{}, err
	}
	y, err := parseLabels[L](d.Labels, t.Name, p.Target)
	if err != nil {
		return &train.History{}, err
	}
	return c.fit(ctx, inputs{x64: d.X}, y, sampleWeight, p, nil)
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
	return c.fit(ctx, inputs{x64: X}, y, nil, nil, &warm{net: c.model.Network, opt: c.opt})
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
	return c.fit(ctx, inputs{x64: d.X}, y, nil, p, &warm{net: c.model.Network, opt: c.opt})
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

// fit is FitWeighted, with the preprocessing X came through, if any, and
// the network to continue from for a warm start.
func (c *Classifier[L]) fit(ctx context.Context, X inputs, y []L, sw []float64, prep *data.Preprocessing, start *warm) (*train.History, error) {
	o, act, err := c.opts.withDefaults()
	if err != nil {
		return &train.History{}, err
	}
	n, ok := X.rows()
	if !ok {
		return &train.History{}, fmt.Errorf("%w: no samples (X is nil)", data.ErrData)
	}
	if len(y) != n {
		return &train.History{}, fmt.Errorf("%w: X has %d samples but y has %d labels", data.ErrData, n, len(y))
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
	wt, err := classWeighting(o, labelStrings(classes.Labels()), idx, sw)
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
	m, hist, opt, err := fit(ctx, o, act, activation.Softmax, loss.CrossEntropy, Xs, Y, wt, start, func(net *nn.Network[float32], rec json.RawMessage, h *train.History) *model.Model[float32] {
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

// classWeighting returns the weights of the samples, whose classes are
// idx (indices into labels), as o's class weights and the sample weights
// sw (nil for none) make them; a nil weighting.w when neither is set.
func classWeighting(o Options, labels []string, idx []int, sw []float64) (weighting, error) {
	if err := sampleWeightsOK(sw, len(idx)); err != nil {
		return weighting{}, err
	}
	perClass := make([]float64, len(labels))
	for k := range perClass {
		perClass[k] = 1
	}
	switch {
	case o.BalancedClassWeight:
		perClass = balanced(idx, len(labels))
	case o.ClassWeight != nil:
		index := make(map[string]int, len(labels))
		for k, l := range labels {
			index[l] = k
		}
		for _, l := range slices.Sorted(maps.Keys(o.ClassWeight)) {
			k, ok := index[l]
			if !ok {
				return weighting{}, fmt.Errorf("%w: ClassWeight: %q is not a class (the classes are %s)", ErrOptions, l, strings.Join(labels, ", "))
			}
			perClass[k] = o.ClassWeight[l]
		}
	default:
		return weighting{w: sw, sampleWeighted: sw != nil}, nil
	}
	wt := weighting{w: make([]float64, len(idx)), class: map[string]float64{}, sampleWeighted: sw != nil}
	for k, l := range labels {
		wt.class[l] = perClass[k]
	}
	for i, k := range idx {
		wt.w[i] = perClass[k]
		if sw != nil {
			wt.w[i] *= sw[i]
		}
	}
	return wt, nil
}

// BalancedClassWeight returns the weight Options.BalancedClassWeight
// gives each class of the labels y: n / (k · count(c)) for n labels in k
// distinct classes, as scikit-learn's compute_class_weight('balanced')
// computes it. Every class then carries a total weight of n/k.
func BalancedClassWeight[L data.Label](y []L) map[L]float64 {
	index := map[L]int{}
	var labels []L
	idx := make([]int, len(y))
	for i, l := range y {
		k, ok := index[l]
		if !ok {
			k = len(labels)
			index[l] = k
			labels = append(labels, l)
		}
		idx[i] = k
	}
	out := make(map[L]float64, len(labels))
	for k, w := range balanced(idx, len(labels)) {
		out[labels[k]] = w
	}
	return out
}

// balanced returns the balanced weight of each of the k classes of the
// samples whose classes are idx: n / (classes present · count), and 1
// for a class with no samples.
func balanced(idx []int, k int) []float64 {
	count := make([]int, k)
	for _, c := range idx {
		count[c]++
	}
	present := 0
	for _, n := range count {
		if n > 0 {
			present++
		}
	}
	w := make([]float64, k)
	for c, n := range count {
		w[c] = 1
		if n > 0 {
			w[c] = float64(len(idx)) / (float64(present) * float64(n)) // n_samples / (n_classes · count)
		}
	}
	return w
}

// sampleWeightsOK returns an error wrapping data.ErrData, naming the
// sample, unless sw is nil or holds n finite weights ≥ 0.
func sampleWeightsOK(sw []float64, n int) error {
	if err := loss.CheckWeights(sw, n); err != nil {
		return fmt.Errorf("%w: sample weights: %w", data.ErrData, err)
	}
	return nil
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
