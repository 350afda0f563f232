package playground

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// ErrState is wrapped by the errors of a State that cannot be run, such
// as an uploaded dataset that is missing or does not fit the problem.
var ErrState = errors.New("invalid playground state")

// Session is one run of the playground: the data a State describes, split
// into training and test points, a network built from it and its
// training so far. Reset starts a run, Step trains one epoch, Frame draws
// what the page shows. A Session is not safe for concurrent use; Server
// serialises the calls of each session.
type Session struct {
	state       State
	upload      *data.Dataset // the user's data, kept across resets
	points      *data.Dataset // the raw points, x1 and x2, after the shuffle
	nTrain      int
	classes     []string // class labels in output order; nil for regression
	Xtr, Ytr    *tensor.Dense[float64]
	Xte, Yte    *tensor.Dense[float64]
	net         *nn.Network[float64]
	opt         optim.Optimizer[float64]
	run         int // counts resets, so that a page can drop frames of an earlier run
	epoch       int
	history     []LossPoint
	grads       *nn.Gradients[float64] // full-batch gradients at the current weights
	diverged    string
	grid        *tensor.Dense[float64] // the plane's pixels as network inputs, density²×features
	gridCache   nn.Cache[float64]
	trainCache  nn.Cache[float64]
	gradScratch nn.Gradients[float64]
}

// LossPoint is the training and test loss after an epoch (0: before any).
type LossPoint struct {
	Epoch int     `json:"epoch"`
	Train float64 `json:"train"`
	Test  float64 `json:"test"`
}

// NewSession returns a session started from st, with no uploaded data.
func NewSession(st State) (*Session, error) {
	s := &Session{}
	return s, s.Reset(st)
}

// SetUpload keeps d, which must have two numeric features and labels or
// one regression target, as the data of states whose Dataset is Upload.
// It returns an error wrapping ErrState for other data.
func (s *Session) SetUpload(d *data.Dataset) error {
	switch {
	case d.X.Cols() != 2:
		return fmt.Errorf("%w: %s has %d features; want 2 (x1, x2) and a label", ErrState, d.Name, d.X.Cols())
	case d.Labels == nil && (d.Y == nil || d.Y.Cols() != 1):
		return fmt.Errorf("%w: %s has no label column", ErrState, d.Name)
	case d.Len() < 2:
		return fmt.Errorf("%w: %s has %d rows; want at least 2", ErrState, d.Name, d.Len())
	}
	if d.Labels != nil {
		c, err := data.NewClasses(d.Labels)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrState, d.Name, err)
		}
		if n := len(c.Labels()); n < 2 || n > MaxClasses {
			return fmt.Errorf("%w: %s has %d classes; want 2..%d", ErrState, d.Name, n, MaxClasses)
		}
	}
	s.upload = d
	return nil
}

// State returns the state the session runs.
func (s *Session) State() State { return s.state }

// Epoch returns the number of epochs trained since the last Reset.
func (s *Session) Epoch() int { return s.epoch }

// History returns the losses after every epoch, starting with epoch 0.
func (s *Session) History() []LossPoint { return slices.Clone(s.history) }

// Reset starts the run st describes: it draws (or takes the uploaded)
// data, shuffles and splits it with st.Seed, builds the network with
// initial weights drawn from st.Seed and computes the starting losses.
// The same state always gives the same data, weights and losses. On
// error the session is left as it was.
func (s *Session) Reset(st State) error {
	d, err := s.dataset(st)
	if err != nil {
		return err
	}
	if d.Y != nil {
		st.Problem = "regression"
	} else {
		st.Problem = "classification"
	}
	n := *s
	n.state = st
	n.classes = nil
	if d.Labels != nil {
		c, err := data.NewClasses(d.Labels)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrState, err)
		}
		n.classes = c.Labels()
		slices.SortFunc(n.classes, compareLabels)
	}
	// Shuffle once, then the first Ratio % train: TensorFlow Playground's
	// split. Epochs go through the training points in this order.
	perm := rng.New(st.Seed).Perm(d.Len())
	n.points = d.Subset(perm)
	n.nTrain = min(max(1, d.Len()*st.Ratio/100), d.Len()-1)
	X, Y := n.encode(n.points)
	n.Xtr, n.Ytr = X.Slice(0, n.nTrain), Y.Slice(0, n.nTrain)
	n.Xte, n.Yte = X.Slice(n.nTrain, X.Rows()), Y.Slice(n.nTrain, Y.Rows())
	if n.net, err = n.build(); err != nil {
		return err
	}
	if n.opt, err = optim.New[float64](st.Optimizer, st.LR); err != nil {
		return fmt.Errorf("%w: %v", ErrState, err)
	}
	n.grid = gridInputs(st.Features)
	n.gridCache, n.trainCache, n.gradScratch = nn.Cache[float64]{}, nn.Cache[float64]{}, nn.Gradients[float64]{}
	n.run++
	n.epoch, n.history, n.diverged, n.grads = 0, nil, "", nil
	if err := n.measure(); err != nil {
		return err
	}
	*s = n
	return nil
}

// dataset returns the raw points of st: the upload or a generator's.
func (s *Session) dataset(st State) (*data.Dataset, error) {
	if st.Dataset == Upload {
		if s.upload == nil {
			return nil, fmt.Errorf("%w: dataset=upload but no CSV was uploaded in this session", ErrState)
		}
		return s.upload, nil
	}
	d, err := data.Generate(st.Dataset, data.Synthetic{Samples: st.samples(), Noise: float64(st.Noise) / 100, Seed: st.Seed, Classes: st.Classes})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrState, err)
	}
	return d, nil
}

// compareLabels orders class labels numerically when both are numbers,
// so that TensorFlow Playground's −1 comes before 1, and as text
// otherwise.
func compareLabels(a, b string) int {
	var x, y float64
	if _, err := fmt.Sscan(a, &x); err == nil {
		if _, err := fmt.Sscan(b, &y); err == nil && x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// multiClass reports whether the output is a softmax over more than two
// classes.
func (s *Session) multiClass() bool { return len(s.classes) > 2 }

// crossEntropy reports whether the loss is a cross-entropy: chosen, or
// forced by more than two classes.
func (s *Session) crossEntropy() bool {
	return s.classes != nil && (s.state.Loss == "cross-entropy" || s.multiClass())
}

// encode returns the network's inputs (the state's features of every
// point) and targets: ±1 for two classes with ½(o−t)² (TensorFlow
// Playground's tanh output), 0/1 for two classes with cross-entropy
// (sigmoid output), one-hot rows for more, the number for regression.
func (s *Session) encode(d *data.Dataset) (X, Y *tensor.Dense[float64]) {
	X = features(d.X, s.state.Features)
	n := d.Len()
	switch {
	case s.classes == nil:
		Y = d.Y.Clone()
	case s.multiClass():
		Y = tensor.Zeros[float64](n, len(s.classes))
		for i, l := range d.Labels {
			Y.Set(i, slices.Index(s.classes, l), 1)
		}
	default:
		Y = tensor.Zeros[float64](n, 1)
		lo := -1.0
		if s.crossEntropy() {
			lo = 0
		}
		for i, l := range d.Labels {
			v := lo
			if l == s.classes[1] {
				v = 1
			}
			Y.Set(i, 0, v)
		}
	}
	return X, Y
}

// features returns the named features of the points P (n×2: x1, x2),
// n×len(names).
func features(P *tensor.Dense[float64], names []string) *tensor.Dense[float64] {
	X := tensor.Zeros[float64](P.Rows(), len(names))
	for i := range P.Rows() {
		x1, x2 := P.At(i, 0), P.At(i, 1)
		for j, f := range names {
			X.Set(i, j, feature(f, x1, x2))
		}
	}
	return X
}

// feature returns the feature named f of the point (x1, x2).
func feature(f string, x1, x2 float64) float64 {
	switch f {
	case "x1":
		return x1
	case "x2":
		return x2
	case "x1sq":
		return x1 * x1
	case "x2sq":
		return x2 * x2
	case "x1x2":
		return x1 * x2
	case "sinx1":
		return math.Sin(x1)
	case "sinx2":
		return math.Sin(x2)
	}
	panic("playground: unknown feature " + f)
}

// outputSpec returns the output layer and loss: tanh with ½(o−t)² for two
// classes (sigmoid with binary cross-entropy if chosen), softmax with
// cross-entropy for more, identity with ½(o−t)² for regression.
func (s *Session) outputSpec() (nn.LayerSpec, loss.Kind) {
	switch {
	case s.classes == nil:
		return nn.LayerSpec{Units: 1, Activation: activation.Identity}, loss.HalfSSE
	case s.multiClass():
		return nn.LayerSpec{Units: len(s.classes), Activation: activation.Softmax}, loss.CrossEntropy
	case s.crossEntropy():
		return nn.LayerSpec{Units: 1, Activation: activation.Sigmoid}, loss.BinaryCrossEntropy
	}
	return nn.LayerSpec{Units: 1, Activation: activation.Tanh}, loss.HalfSSE
}

// hiddenActivation maps the page's activation names to nerve's.
func hiddenActivation(name string) activation.Kind {
	switch name {
	case "relu":
		return activation.ReLU
	case "sigmoid":
		return activation.Sigmoid
	case "linear":
		return activation.Identity
	}
	return activation.Tanh
}

// build returns the state's network with weights drawn from its seed.
// The loss is averaged over the batch, as TensorFlow Playground averages
// its gradients.
func (s *Session) build() (*nn.Network[float64], error) {
	cfg := nn.Config{Inputs: len(s.state.Features), Reduction: loss.Mean}
	for _, h := range s.state.Hidden {
		cfg.Layers = append(cfg.Layers, nn.LayerSpec{Units: h, Activation: hiddenActivation(s.state.Activation)})
	}
	out, k := s.outputSpec()
	cfg.Layers = append(cfg.Layers, out)
	cfg.Loss = k
	net, err := nn.New[float64](cfg, rng.New(s.state.Seed))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrState, err)
	}
	return net, nil
}

// Step trains one epoch: the training points in order, in batches of
// state.Batch, each batch a forward pass, a backward pass, the
// optimizer's update and then, as in TensorFlow Playground, the
// regularization's own step on every weight (not the biases). A run that
// diverged does not step again until Reset; Step then returns an error
// wrapping train's DivergedError or ErrState, and Diverged explains it.
func (s *Session) Step(ctx context.Context) error {
	if s.diverged != "" {
		return fmt.Errorf("%w: the run diverged; reset it: %s", ErrState, s.diverged)
	}
	cfg := train.Config[float64]{
		Epochs: 1, BatchSize: s.state.Batch, Optimizer: s.opt, NoShuffle: true,
		OnBatch: func(train.BatchEnd) error { s.regularize(); return nil },
	}
	if _, err := train.Fit(ctx, s.net, s.Xtr, s.Ytr, cfg); err != nil {
		var d *train.DivergedError
		if errors.As(err, &d) {
			s.diverge(fmt.Sprintf("the %s became %v in epoch %d, batch %d", d.What, d.Value, s.epoch+1, d.Batch))
		}
		return err
	}
	s.epoch++
	return s.measure()
}

// regularize moves every weight towards 0 after an update:
// w −= lr·rate·w (L2) or lr·rate·sign(w) (L1), an L1 step that would
// cross 0 stopping at 0.
func (s *Session) regularize() {
	st := s.state
	if st.Reg == "none" || st.RegRate == 0 {
		return
	}
	step := st.LR * st.RegRate
	for _, l := range s.net.Layers {
		w := l.W.Data()
		for i, v := range w {
			switch st.Reg {
			case "l2":
				w[i] = v - step*v
			case "l1":
				nv := v - step*math.Copysign(1, v)
				if v == 0 || math.Signbit(nv) != math.Signbit(v) {
					nv = 0 // sign(0) = 0, and a step past 0 stops there
				}
				w[i] = nv
			}
		}
	}
}

// diverge pauses the run with a message and a suggestion.
func (s *Session) diverge(what string) {
	s.diverged = what + ": the steps overshoot. Lower the learning rate (it is " +
		fmt.Sprint(s.state.LR) + "), use a smaller regularization rate, or pick tanh instead of ReLU or linear, then reset."
}

// Diverged returns the explanation of a run stopped by NaN or Inf, or "".
func (s *Session) Diverged() string { return s.diverged }

// measure computes the losses on the training and test points and the
// gradients of the training loss at the current weights, and appends the
// losses to the history. A loss that is not finite marks the run
// diverged.
func (s *Session) measure() error {
	trainLoss, err := s.cost(s.Xtr, s.Ytr, true)
	if err != nil {
		return err
	}
	testLoss, err := s.cost(s.Xte, s.Yte, false)
	if err != nil {
		return err
	}
	s.history = append(s.history, LossPoint{Epoch: s.epoch, Train: trainLoss, Test: testLoss})
	if math.IsNaN(trainLoss+testLoss) || math.IsInf(trainLoss+testLoss, 0) {
		s.diverge(fmt.Sprintf("the loss became %v after epoch %d", trainLoss+testLoss, s.epoch))
	}
	return nil
}

// cost returns the loss of the network on X, Y; with grads it also keeps
// the gradients of that loss in s.grads.
func (s *Session) cost(X, Y *tensor.Dense[float64], grads bool) (float64, error) {
	if X.Rows() == 0 {
		return 0, nil
	}
	c := &s.trainCache
	v, err := s.net.ForwardCostInto(c, X, Y, nil)
	if err != nil || !grads {
		return v, err
	}
	s.gradScratch.NoInputGrad = true
	if err := s.net.BackwardInto(&s.gradScratch, c, Y); err != nil {
		return 0, err
	}
	s.grads = &s.gradScratch
	return v, nil
}
