package playground

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/data"
)

// FeatureNames are the input features a network may take, in the order
// the page draws them: X₁, X₂, X₁², X₂², X₁X₂, sin X₁, sin X₂.
var FeatureNames = []string{"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"}

// Activations, Regularizations, Problems, Optimizers and Losses are the
// values the corresponding State fields accept.
var (
	Activations     = []string{"relu", "tanh", "sigmoid", "linear"}
	Regularizations = []string{"none", "l1", "l2"}
	Problems        = []string{"classification", "regression"}
	Optimizers      = []string{"sgd", "momentum", "adam"}
	Losses          = []string{"mse", "cross-entropy"}
)

// Upload is the Dataset of a State whose data a user uploaded as CSV.
const Upload = "upload"

// Limits of the State fields, as TensorFlow Playground's controls have
// them (or a little wider).
const (
	MaxHidden  = 6   // hidden layers
	MaxNeurons = 16  // units per hidden layer
	MaxClasses = 6   // spiral arms
	MaxBatch   = 500 // samples per update
	MaxSamples = 5000
)

// State is everything that decides a run: the data, the network and the
// training. It round-trips through the URL hash (Encode, ParseState), so a
// bookmark reproduces a run exactly. The hash keys are the lower-case
// field names shown in each comment.
type State struct {
	Dataset    string   // dataset: circle, xor, gauss, spiral, plane, multigauss or upload
	Features   []string // features: a subset of FeatureNames, in its order
	Hidden     []int    // hidden: units per hidden layer, 0 to MaxHidden layers
	Activation string   // activation: of the hidden layers, one of Activations
	LR         float64  // lr: learning rate > 0
	Batch      int      // batch: samples per update, 1..MaxBatch
	Noise      int      // noise: percent, 0..50
	Ratio      int      // ratio: percent of the data used for training, 10..90
	Seed       uint32   // seed: for the data, the split and the initial weights
	Reg        string   // reg: none, l1 or l2
	RegRate    float64  // regrate: regularization rate ≥ 0
	Problem    string   // problem: classification or regression
	Optimizer  string   // optimizer: sgd, momentum or adam
	Classes    int      // classes: spiral arms, 2..MaxClasses (softmax output above 2)
	Loss       string   // loss: mse (½(o−t)², TensorFlow Playground's) or cross-entropy
	Samples    int      // samples: points to draw; 0 means 500 (classification) or 1200 (regression)
}

// DefaultState is TensorFlow Playground's opening state: circle, X₁ and
// X₂, two hidden layers of 4 and 2 tanh units, learning rate 0.03, batch
// 10, half the data for training; and seed 1.
func DefaultState() State {
	return State{
		Dataset: "circle", Features: []string{"x1", "x2"}, Hidden: []int{4, 2}, Activation: "tanh",
		LR: 0.03, Batch: 10, Noise: 0, Ratio: 50, Seed: 1, Reg: "none", RegRate: 0,
		Problem: "classification", Optimizer: "sgd", Classes: 2, Loss: "mse",
	}
}

// samples returns how many points the state's generator draws.
func (s State) samples() int {
	switch {
	case s.Samples > 0:
		return s.Samples
	case s.Problem == "regression":
		return 1200
	}
	return 500
}

// Encode writes the state as a URL hash without the leading "#", every
// key in the order of State's fields, e.g.
// "dataset=circle&features=x1,x2&hidden=4,2&activation=tanh&lr=0.03&…".
func (s State) Encode() string {
	hidden := make([]string, len(s.Hidden))
	for i, h := range s.Hidden {
		hidden[i] = strconv.Itoa(h)
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	kv := [][2]string{
		{"dataset", s.Dataset}, {"features", strings.Join(s.Features, ",")}, {"hidden", strings.Join(hidden, ",")},
		{"activation", s.Activation}, {"lr", num(s.LR)}, {"batch", strconv.Itoa(s.Batch)},
		{"noise", strconv.Itoa(s.Noise)}, {"ratio", strconv.Itoa(s.Ratio)}, {"seed", strconv.FormatUint(uint64(s.Seed), 10)},
		{"reg", s.Reg}, {"regrate", num(s.RegRate)}, {"problem", s.Problem}, {"optimizer", s.Optimizer},
		{"classes", strconv.Itoa(s.Classes)}, {"loss", s.Loss},
	}
	if s.Samples > 0 {
		kv = append(kv, [2]string{"samples", strconv.Itoa(s.Samples)})
	}
	var b strings.Builder
	for i, p := range kv {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p[0] + "=" + url.QueryEscape(p[1]))
	}
	return strings.ReplaceAll(b.String(), "%2C", ",")
}

// ParseState reads a URL hash (with or without its leading "#") into a
// State. Keys it does not know are ignored; a key without a value, or
// with a value it cannot use, keeps the default of DefaultState and adds
// a warning that names the key, the value and the default used. A dataset
// and problem that disagree are settled by the dataset.
func ParseState(hash string) (State, []string) {
	s := DefaultState()
	var warnings []string
	warn := func(key, val, want string, def any) {
		warnings = append(warnings, fmt.Sprintf("%s: %q is not %s; using %v", key, val, want, def))
	}
	q, err := url.ParseQuery(strings.TrimPrefix(hash, "#"))
	if err != nil {
		warnings = append(warnings, fmt.Sprintf("the URL hash is not key=value&…: %v", err))
	}
	get := func(key string) (string, bool) {
		v, ok := q[key]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[len(v)-1], true
	}
	choice := func(key string, dst *string, allowed []string) {
		if v, ok := get(key); ok {
			if slices.Contains(allowed, v) {
				*dst = v
			} else {
				warn(key, v, "one of "+strings.Join(allowed, ", "), *dst)
			}
		}
	}
	integer := func(key string, dst *int, lo, hi int) {
		if v, ok := get(key); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < lo || n > hi {
				warn(key, v, fmt.Sprintf("an integer in %d..%d", lo, hi), *dst)
				return
			}
			*dst = n
		}
	}
	number := func(key string, dst *float64, positive bool) {
		if v, ok := get(key); ok {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsInf(x, 0) || math.IsNaN(x) || x < 0 || positive && x == 0 {
				want := "a number ≥ 0"
				if positive {
					want = "a number > 0"
				}
				warn(key, v, want, *dst)
				return
			}
			*dst = x
		}
	}
	choice("dataset", &s.Dataset, append(data.Generators(), Upload))
	if v, ok := get("features"); ok {
		if f, ok := parseFeatures(v); ok {
			s.Features = f
		} else {
			warn("features", v, "a comma list of "+strings.Join(FeatureNames, ","), strings.Join(s.Features, ","))
		}
	}
	if v, ok := get("hidden"); ok {
		if h, ok := parseHidden(v); ok {
			s.Hidden = h
		} else {
			warn("hidden", v, fmt.Sprintf("a comma list of at most %d sizes in 1..%d", MaxHidden, MaxNeurons), "4,2")
		}
	}
	choice("activation", &s.Activation, Activations)
	number("lr", &s.LR, true)
	integer("batch", &s.Batch, 1, MaxBatch)
	integer("noise", &s.Noise, 0, 50)
	integer("ratio", &s.Ratio, 10, 90)
	if v, ok := get("seed"); ok {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			warn("seed", v, "an integer in 0..4294967295", s.Seed)
		} else {
			s.Seed = uint32(n)
		}
	}
	choice("reg", &s.Reg, Regularizations)
	number("regrate", &s.RegRate, false)
	choice("problem", &s.Problem, Problems)
	choice("optimizer", &s.Optimizer, Optimizers)
	integer("classes", &s.Classes, 2, MaxClasses)
	choice("loss", &s.Loss, Losses)
	integer("samples", &s.Samples, 0, MaxSamples)

	if s.Dataset != Upload {
		want := "classification"
		if data.IsRegression(s.Dataset) {
			want = "regression"
		}
		if s.Problem != want {
			if _, given := get("problem"); given {
				warnings = append(warnings, fmt.Sprintf("problem: %s is a %s dataset; using %s", s.Dataset, want, want))
			}
			s.Problem = want
		}
	}
	if s.Classes != 2 && s.Dataset != "spiral" {
		warnings = append(warnings, fmt.Sprintf("classes: only spiral has more than 2 classes; using 2 for %s", s.Dataset))
		s.Classes = 2
	}
	return s, warnings
}

// parseFeatures reads a comma list of feature names, returning them in
// FeatureNames' order, without repeats; at least one.
func parseFeatures(v string) ([]string, bool) {
	var got []string
	for f := range strings.SplitSeq(v, ",") {
		if !slices.Contains(FeatureNames, f) {
			return nil, false
		}
		got = append(got, f)
	}
	var out []string
	for _, f := range FeatureNames {
		if slices.Contains(got, f) {
			out = append(out, f)
		}
	}
	return out, len(out) > 0
}

// parseHidden reads a comma list of layer sizes; "" (or "none") is no
// hidden layer.
func parseHidden(v string) ([]int, bool) {
	if v == "" || v == "none" {
		return []int{}, true
	}
	parts := strings.Split(v, ",")
	if len(parts) > MaxHidden {
		return nil, false
	}
	h := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > MaxNeurons {
			return nil, false
		}
		h[i] = n
	}
	return h, true
}
