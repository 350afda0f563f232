package optim

import (
	"errors"
	"fmt"
	"math"

	"github.com/nerve-ml/nerve/tensor"
)

// Param is one parameter tensor and the gradient of the loss with respect to
// it. Value and Grad must hold the same number of elements.
type Param[T tensor.Float] struct {
	Value, Grad *tensor.Dense[T]
}

// Optimizer updates parameters from their gradients.
//
// Step applies one update to every parameter in params; see the package
// documentation for the contract on the order of params. LR and SetLR read
// and replace the learning rate used by the following steps, for use with a
// Schedule; SetLR returns a *ConfigError (wrapping ErrInvalid), and keeps
// the learning rate it had, if lr is negative, NaN or infinite.
type Optimizer[T tensor.Float] interface {
	Step(params []Param[T])
	LR() float64
	SetLR(lr float64) error
}

// A PartStepper is an Optimizer whose update of each element of a
// parameter depends on that element alone (SGD, Adam and AdamW are), so
// that a step can be run in parts: a training step updates each block of
// a weight matrix as soon as its gradient is computed, on the thread that
// computed it (nn.Network.BackwardStep).
//
// StartStep(params) begins a step as Step(params) would (step count,
// state, coefficients, the same checks) but updates nothing; StepPart(i,
// lo, hi) then updates elements [lo, hi) of params[i] on the calling
// thread. Calling StepPart once for every element of every parameter, in
// any order and on any threads (never two calls on overlapping ranges at
// once), before the next StartStep or Step, gives the results of Step
// bit for bit. params must stay as it is until then.
type PartStepper[T tensor.Float] interface {
	Optimizer[T]
	StartStep(params []Param[T])
	StepPart(i, lo, hi int)
}

// part returns s[lo:hi], or nil for a nil s.
func part[T any](s []T, lo, hi int) []T {
	if s == nil {
		return nil
	}
	return s[lo:hi]
}

// ErrInvalid is wrapped by every error about an invalid hyper-parameter.
var ErrInvalid = errors.New("invalid hyper-parameter")

// ConfigError reports an invalid hyper-parameter of an optimizer's
// configuration. It wraps ErrInvalid.
type ConfigError struct {
	Optimizer string // "SGD", "Adam", …
	Field     string // the configuration field, "Momentum", "Beta1", …
	Value     any    // the value after defaults were applied
	Want      string // what a valid value is
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("optim: %s.%s = %v: %v: want %s", e.Optimizer, e.Field, e.Value, ErrInvalid, e.Want)
}

// Unwrap returns ErrInvalid.
func (e *ConfigError) Unwrap() error { return ErrInvalid }

// orDefault returns v, or def when v is zero.
func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// checkNonNegative returns a ConfigError if v < 0 or v is NaN.
func checkNonNegative(opt, field string, v float64) error {
	if !(v >= 0) {
		return &ConfigError{Optimizer: opt, Field: field, Value: v, Want: ">= 0"}
	}
	return nil
}

// setLR sets *dst to lr, a learning rate of optimizer opt, or returns a
// ConfigError and leaves *dst as it was if lr is negative, NaN or
// infinite.
func setLR(opt string, dst *float64, lr float64) error {
	if !(lr >= 0 && lr <= math.MaxFloat64) {
		return &ConfigError{Optimizer: opt, Field: "LR", Value: lr, Want: "a finite number >= 0"}
	}
	*dst = lr
	return nil
}

// checkBeta returns a ConfigError unless 0 ≤ v < 1.
func checkBeta(opt, field string, v float64) error {
	if !(v >= 0 && v < 1) {
		return &ConfigError{Optimizer: opt, Field: field, Value: v, Want: "in [0, 1)"}
	}
	return nil
}

// state holds k buffers per parameter, each the size of its parameter.
// bufs[j][i] is buffer j of parameter i.
type state[T tensor.Float] struct {
	name  string
	sizes []int
	bufs  [][][]T
}

// ready reports whether the state exists, checking params against it; if it
// does not exist, ready allocates k buffers per parameter filled with fill
// and returns false. It panics on a Value/Grad size mismatch or a change in
// the parameter list.
func (s *state[T]) ready(params []Param[T], k int, fill T) bool {
	for i, p := range params {
		if nv, ng := len(p.Value.Data()), len(p.Grad.Data()); nv != ng {
			panic(fmt.Sprintf("optim: %s.Step: param %d: value %s and grad %s differ in size", s.name, i, p.Value.Shape(), p.Grad.Shape()))
		}
	}
	if s.sizes != nil {
		if len(params) != len(s.sizes) {
			panic(fmt.Sprintf("optim: %s.Step: %d params, want %d as in the first step", s.name, len(params), len(s.sizes)))
		}
		for i, p := range params {
			if n := len(p.Value.Data()); n != s.sizes[i] {
				panic(fmt.Sprintf("optim: %s.Step: param %d has %d elements, want %d as in the first step", s.name, i, n, s.sizes[i]))
			}
		}
		return true
	}
	s.sizes = make([]int, len(params))
	s.bufs = make([][][]T, k)
	for j := range s.bufs {
		s.bufs[j] = make([][]T, len(params))
	}
	for i, p := range params {
		n := len(p.Value.Data())
		s.sizes[i] = n
		for j := range s.bufs {
			b := make([]T, n)
			if fill != 0 {
				for e := range b {
					b[e] = fill
				}
			}
			s.bufs[j][i] = b
		}
	}
	return false
}
