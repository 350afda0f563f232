package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

// The tasks a Model can declare.
const (
	Classification = "classification"
	Regression     = "regression"
)

// The Go types class labels can have had, for Model.LabelType.
const (
	LabelString = "string"
	LabelInt    = "int"
)

// Model is a trained network together with what it takes to use it on raw
// data: the names of its inputs and outputs, the standardisation its
// inputs went through in training, and how it was trained. It is what a
// model file holds (see WriteTo and Read).
//
// A Model is safe for concurrent use by any number of goroutines that only
// call Predict, Validate, Summary or WriteTo.
type Model[T tensor.Float] struct {
	Network *nn.Network[T]
	// Task is Classification, Regression or "" (unspecified).
	Task string
	// Classes are the class labels: output unit k predicts Classes[k].
	// nil for regression or when the labels are not known.
	Classes []string
	// LabelType is LabelString or LabelInt, the Go type the class labels
	// had; "" when Classes is nil. With LabelInt every class is a base-10
	// integer.
	LabelType string
	// Features names the inputs, one per network input; may be nil.
	Features []string
	// Target names the target column; may be "".
	Target string
	// Scaler standardises the raw inputs before the network sees them;
	// nil means the network takes the raw inputs.
	Scaler *data.Scaler
	// Preprocessing turns the rows of a raw table (text categories,
	// missing cells) into the network's inputs: see PredictTable. nil
	// for a model trained on numbers. With it, Scaler is nil (the
	// preprocessing standardises) and Features are its Features. A file
	// with preprocessing is format version PreprocessingVersion.
	Preprocessing *data.Preprocessing
	// TargetScaler standardised the regression targets in training: the
	// network's outputs are mapped back with its inverse. nil means none.
	TargetScaler *data.Scaler
	// Training describes the training configuration as a JSON object
	// (free-form); may be nil.
	Training json.RawMessage
	// Metrics are the final metrics, e.g. "test_accuracy"; may be nil.
	Metrics map[string]float64
	// Extra are named blocks of values saved after the parameters, in
	// this order, e.g. an optimizer's state in a training checkpoint;
	// nil for a plain model.
	Extra []Extra[T]
}

// Extra is a named block of values saved with a model after its
// parameters, e.g. an optimizer's state in a training checkpoint. Its
// values are stored in the model's precision, like the parameters.
type Extra[T tensor.Float] struct {
	Name   string // non-empty, valid UTF-8, unique within the model
	Values []T    // finite; may be empty
}

// Validate checks that the model can be used and saved: the network is
// valid (Network.Validate) with a reduction of loss.Mean or loss.Sum and
// only finite parameters; Task is known; Classes, when set, has one
// distinct label per output unit (at least two), valid UTF-8, of type
// LabelType; Features has one name per input; Scaler has one column per
// input and TargetScaler one per output, each valid; Training is a JSON
// object; Metrics are finite; every Extra block has a non-empty, valid
// UTF-8 name that no other block has, and finite values. Errors wrap
// ErrConfig (and data.ErrData for an invalid scaler).
func (m *Model[T]) Validate() error {
	if err := m.check(); err != nil {
		return err
	}
	for i, l := range m.Network.Layers {
		if err := finite(l.W); err != nil {
			return fmt.Errorf("%w: layer %d: W%s", nn.ErrConfig, i+1, err)
		}
		if l.B != nil {
			if err := finite(l.B); err != nil {
				return fmt.Errorf("%w: layer %d: b%s", nn.ErrConfig, i+1, err)
			}
		}
	}
	seen := make(map[string]bool, len(m.Extra))
	for i, e := range m.Extra {
		switch {
		case e.Name == "":
			return fmt.Errorf("%w: Extra[%d]: empty name", nn.ErrConfig, i)
		case !utf8.ValidString(e.Name):
			return fmt.Errorf("%w: Extra[%d]: name %q is not valid UTF-8", nn.ErrConfig, i, e.Name)
		case seen[e.Name]:
			return fmt.Errorf("%w: Extra[%d]: name %q appears twice", nn.ErrConfig, i, e.Name)
		}
		seen[e.Name] = true
		for k, v := range e.Values {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("%w: Extra[%d] %q: value %d is %v", nn.ErrConfig, i, e.Name, k, f)
			}
		}
	}
	return nil
}

// finite returns an error naming the first element of p that is NaN or
// infinite, as "[i, j] is NaN".
func finite[T tensor.Float](p *tensor.Dense[T]) error {
	for k, v := range p.Data() {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("[%d, %d] is %v", k/p.Cols(), k%p.Cols(), f)
		}
	}
	return nil
}

// check is Validate without the scan over the parameters: what Predict
// needs to run.
func (m *Model[T]) check() error {
	if m.Network == nil {
		return fmt.Errorf("%w: model has no network", nn.ErrConfig)
	}
	if err := m.Network.Validate(); err != nil {
		return err
	}
	if r := m.Network.Reduction; r != loss.Mean && r != loss.Sum {
		return fmt.Errorf("%w: reduction %d", nn.ErrConfig, int(r))
	}
	p := checkMeta(m.meta(), m.Network.Inputs(), m.Network.Outputs())
	if p != nil {
		if p.err != nil {
			return fmt.Errorf("%w: %s: %w", nn.ErrConfig, p.field, p.err)
		}
		return fmt.Errorf("%w: %s: %s", nn.ErrConfig, p.field, p.msg)
	}
	return nil
}

// meta is the part of a model (or a file header) that describes its data
// rather than its network.
type meta struct {
	task, labelType string
	classes         []string
	features        []string
	target          string
	scaler, tscaler *data.Scaler
	prep            *data.Preprocessing
	training        json.RawMessage
	metrics         map[string]float64
}

func (m *Model[T]) meta() meta {
	return meta{
		task: m.Task, labelType: m.LabelType, classes: m.Classes, features: m.Features,
		target: m.Target, scaler: m.Scaler, tscaler: m.TargetScaler, prep: m.Preprocessing,
		training: m.Training, metrics: m.Metrics,
	}
}

// problem is what checkMeta found wrong: field is the Model field, key
// the header key, msg what is wrong with it.
type problem struct {
	field, key, msg string
	err             error // the cause, if another package found it
}

// checkMeta checks the data description of a model whose network has the
// given inputs and outputs. The rules are listed at Model.Validate.
func checkMeta(md meta, inputs, outputs int) *problem {
	switch md.task {
	case "", Classification, Regression:
	default:
		return &problem{field: "Task", key: "task", msg: fmt.Sprintf("%q is not %q, %q or empty", md.task, Classification, Regression)}
	}
	if md.classes != nil {
		if md.task == Regression {
			return &problem{field: "Classes", key: "classes", msg: "a regression model has no classes"}
		}
		if len(md.classes) != outputs || len(md.classes) < 2 {
			return &problem{field: "Classes", key: "classes", msg: fmt.Sprintf("%d labels for %d output units, want one per unit and at least 2", len(md.classes), outputs)}
		}
		seen := make(map[string]bool, len(md.classes))
		for k, c := range md.classes {
			if !utf8.ValidString(c) {
				return &problem{field: fmt.Sprintf("Classes[%d]", k), key: fmt.Sprintf("classes[%d]", k), msg: "not valid UTF-8"}
			}
			if seen[c] {
				return &problem{field: fmt.Sprintf("Classes[%d]", k), key: fmt.Sprintf("classes[%d]", k), msg: fmt.Sprintf("label %q appears twice", c)}
			}
			seen[c] = true
			if md.labelType == LabelInt {
				if _, err := strconv.Atoi(c); err != nil {
					return &problem{field: fmt.Sprintf("Classes[%d]", k), key: fmt.Sprintf("classes[%d]", k), msg: fmt.Sprintf("label %q is not an integer, but the label type is %q", c, LabelInt)}
				}
			}
		}
		if md.labelType != LabelString && md.labelType != LabelInt {
			return &problem{field: "LabelType", key: "label_type", msg: fmt.Sprintf("%q is not %q or %q", md.labelType, LabelString, LabelInt)}
		}
	} else if md.labelType != "" {
		return &problem{field: "LabelType", key: "label_type", msg: fmt.Sprintf("%q without classes, want \"\"", md.labelType)}
	}
	if md.features != nil {
		if len(md.features) != inputs {
			return &problem{field: "Features", key: "features", msg: fmt.Sprintf("%d names for %d inputs", len(md.features), inputs)}
		}
		for j, f := range md.features {
			if !utf8.ValidString(f) {
				return &problem{field: fmt.Sprintf("Features[%d]", j), key: fmt.Sprintf("features[%d]", j), msg: "not valid UTF-8"}
			}
		}
	}
	if !utf8.ValidString(md.target) {
		return &problem{field: "Target", key: "target", msg: "not valid UTF-8"}
	}
	for _, s := range []struct {
		field, key string
		sc         *data.Scaler
		want       int
		what       string
	}{{"Scaler", "scaling", md.scaler, inputs, "inputs"}, {"TargetScaler", "target_scaling", md.tscaler, outputs, "outputs"}} {
		if s.sc == nil {
			continue
		}
		if err := s.sc.Validate(); err != nil {
			return &problem{field: s.field, key: s.key, msg: err.Error(), err: err}
		}
		if s.sc.Features() != s.want {
			return &problem{field: s.field, key: s.key, msg: fmt.Sprintf("%d features, the network has %d %s", s.sc.Features(), s.want, s.what)}
		}
	}
	if p := checkPrep(md, inputs); p != nil {
		return p
	}
	if md.tscaler != nil && md.task == Classification {
		return &problem{field: "TargetScaler", key: "target_scaling", msg: "a classifier has no target scaling"}
	}
	if len(md.training) > 0 && !isObject(md.training) {
		return &problem{field: "Training", key: "training", msg: "not a JSON object"}
	}
	for name, v := range md.metrics {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &problem{field: "Metrics", key: "metrics", msg: fmt.Sprintf("%q is %v, want a finite number", name, v)}
		}
		if !utf8.ValidString(name) {
			return &problem{field: "Metrics", key: "metrics", msg: fmt.Sprintf("name %q is not valid UTF-8", name)}
		}
	}
	return nil
}

// checkPrep checks the preprocessing of md, if any, against the rest of
// it and the network's inputs.
func checkPrep(md meta, inputs int) *problem {
	pp := md.prep
	if pp == nil {
		return nil
	}
	bad := func(format string, a ...any) *problem {
		return &problem{field: "Preprocessing", key: "preprocessing", msg: fmt.Sprintf(format, a...)}
	}
	if err := pp.Validate(); err != nil {
		return &problem{field: "Preprocessing", key: "preprocessing", msg: err.Error(), err: err}
	}
	if w := pp.Width(); w != inputs {
		return bad("%d inputs, the network has %d", w, inputs)
	}
	if md.scaler != nil {
		return bad("a model with preprocessing has no input scaling (the preprocessing standardises)")
	}
	if md.features != nil && !slices.Equal(md.features, pp.Features()) {
		return bad("the features are not the preprocessing's")
	}
	if pp.Target != "" && md.target != "" && pp.Target != md.target {
		return bad("target %q, the model's is %q", pp.Target, md.target)
	}
	if pp.Target != "" && md.task != "" && pp.Task.String() != md.task {
		return bad("task %s, the model's is %s", pp.Task, md.task)
	}
	return nil
}

// isObject reports whether b is a single valid JSON object.
func isObject(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}

// Predict returns the model's output for the raw samples X
// (samples×features): X is standardised with Scaler (if any) and
// converted to T, run through the network, and the outputs mapped back
// with TargetScaler (if any). For a classifier the rows are the class
// probabilities, column k for Classes[k]. X is not modified, nor is the
// model, so any number of goroutines may call Predict at once. It returns
// an error wrapping nn.ErrShape if X is nil or does not have one column
// per input, one wrapping data.ErrData that names the row and column if X
// holds a NaN or an infinity (a network would turn it into a confident
// but meaningless answer), and one wrapping nn.ErrConfig if the model is
// invalid.
func (m *Model[T]) Predict(X *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if X == nil {
		return nil, fmt.Errorf("%w: Predict: no input (X is nil)", nn.ErrShape)
	}
	if want := m.Network.Inputs(); X.Cols() != want {
		return nil, fmt.Errorf("%w: input has %d features per sample, the model expects %d", nn.ErrShape, X.Cols(), want)
	}
	for k, v := range X.Data() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			i, j := k/X.Cols(), k%X.Cols()
			col := fmt.Sprintf("column %d", j+1)
			if m.Features != nil {
				col += fmt.Sprintf(" (%s)", m.Features[j])
			}
			return nil, fmt.Errorf("%w: row %d, %s is %v: every input must be a finite number", data.ErrData, i+1, col, v)
		}
	}
	var in *tensor.Dense[T]
	if m.Scaler != nil {
		var err error
		if in, err = data.Transform[T](m.Scaler, X); err != nil {
			return nil, err
		}
	} else {
		in = tensor.Convert[T](X)
	}
	out, err := m.Network.Predict(in)
	if err != nil {
		return nil, err
	}
	if m.TargetScaler != nil {
		return data.Inverse(m.TargetScaler, out)
	}
	return tensor.Convert[float64](out), nil
}

// ErrNoPreprocessing is wrapped by the error of PredictTable for a model
// without preprocessing.
var ErrNoPreprocessing = errors.New("the model has no preprocessing: it takes numeric inputs (use Predict)")

// PredictTable returns the model's output for the rows of a raw table:
// the model's Preprocessing turns them into inputs (columns found by
// name; other columns, the target among them, ignored), then Predict
// runs. The report counts the cells that got all zeros: categories the
// training data lacked. It returns an error wrapping ErrNoPreprocessing
// for a model without preprocessing, the *data.ParseError of Transform
// for a table that lacks a column or holds a numeric cell that is not a
// finite number, and Predict's errors.
func (m *Model[T]) PredictTable(t *data.Table) (*tensor.Dense[float64], data.TransformReport, error) {
	if err := m.check(); err != nil {
		return nil, data.TransformReport{}, err
	}
	if m.Preprocessing == nil {
		return nil, data.TransformReport{}, fmt.Errorf("%w: %w", nn.ErrConfig, ErrNoPreprocessing)
	}
	X, rep, err := m.Preprocessing.Transform(t)
	if err != nil {
		return nil, rep, err
	}
	out, err := m.Predict(X)
	return out, rep, err
}
