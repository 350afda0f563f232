package optim

import (
	"fmt"

	"github.com/nerve-ml/nerve/tensor"
)

// State is an optimizer's internal state, for checkpoints: the number of
// steps taken and its per-parameter buffers. Buffers[j][i] is buffer j
// (a momentum, a running average …) of parameter i, with as many elements
// as that parameter. A State from an optimizer that has not stepped yet
// has no buffers.
type State[T tensor.Float] struct {
	Steps   int
	Buffers [][][]T
}

// Stateful is implemented by every optimizer of this package: State
// returns a deep copy of the state, and SetState replaces the state with
// a deep copy of s, so that the next Step continues exactly where the
// optimizer that produced s stopped. SetState returns an error wrapping
// ErrInvalid if s cannot be this optimizer's state (a different number of
// buffers, or buffers of different sizes).
type Stateful[T tensor.Float] interface {
	State() State[T]
	SetState(s State[T]) error
}

func (s *state[T]) get(steps int) State[T] {
	out := State[T]{Steps: steps}
	for _, bufs := range s.bufs {
		cp := make([][]T, len(bufs))
		for i, b := range bufs {
			cp[i] = append([]T(nil), b...)
		}
		out.Buffers = append(out.Buffers, cp)
	}
	return out
}

// set installs st after checking that it has k buffers per parameter
// (or none at all), all the same size per parameter.
func (s *state[T]) set(st State[T], k int) error {
	if st.Steps < 0 {
		return fmt.Errorf("optim: %s state: %d steps: %w", s.name, st.Steps, ErrInvalid)
	}
	if len(st.Buffers) == 0 {
		if st.Steps > 0 && k > 0 {
			return fmt.Errorf("optim: %s state after %d steps has no buffers, want %d per parameter: %w", s.name, st.Steps, k, ErrInvalid)
		}
		s.sizes, s.bufs = nil, nil
		return nil
	}
	if len(st.Buffers) != k {
		return fmt.Errorf("optim: %s state has %d buffers per parameter, want %d: %w", s.name, len(st.Buffers), k, ErrInvalid)
	}
	params := len(st.Buffers[0])
	sizes := make([]int, params)
	for i := range params {
		sizes[i] = len(st.Buffers[0][i])
	}
	for j, bufs := range st.Buffers {
		if len(bufs) != params {
			return fmt.Errorf("optim: %s state: buffer %d covers %d parameters, buffer 1 covers %d: %w", s.name, j+1, len(bufs), params, ErrInvalid)
		}
		for i, b := range bufs {
			if len(b) != sizes[i] {
				return fmt.Errorf("optim: %s state: buffer %d of parameter %d has %d elements, want %d: %w", s.name, j+1, i+1, len(b), sizes[i], ErrInvalid)
			}
		}
	}
	s.sizes = sizes
	s.bufs = nil
	for _, bufs := range st.Buffers {
		cp := make([][]T, len(bufs))
		for i, b := range bufs {
			cp[i] = append([]T(nil), b...)
		}
		s.bufs = append(s.bufs, cp)
	}
	return nil
}

// stepCount counts Steps for the optimizers whose formulas do not use
// the step number.
type stepCount struct{ n int }

func (o *sgd[T]) State() State[T] { return o.st.get(o.steps.n) }
func (o *sgd[T]) SetState(s State[T]) error {
	k := 0
	if o.cfg.Momentum != 0 {
		k = 1
	}
	if err := o.st.set(s, k); err != nil {
		return err
	}
	o.steps.n = s.Steps
	return nil
}

func (o *rmsprop[T]) State() State[T] { return o.st.get(o.steps.n) }
func (o *rmsprop[T]) SetState(s State[T]) error {
	if err := o.st.set(s, 3); err != nil {
		return err
	}
	o.steps.n = s.Steps
	return nil
}

func (o *adagrad[T]) State() State[T] { return o.st.get(o.t) }
func (o *adagrad[T]) SetState(s State[T]) error {
	if err := o.st.set(s, 1); err != nil {
		return err
	}
	o.t = s.Steps
	return nil
}

func (o *adam[T]) State() State[T] { return o.st.get(o.t) }
func (o *adam[T]) SetState(s State[T]) error {
	k := 2
	if o.cfg.AMSGrad {
		k = 3
	}
	if err := o.st.set(s, k); err != nil {
		return err
	}
	o.t = s.Steps
	return nil
}
