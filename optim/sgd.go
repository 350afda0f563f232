package optim

import (
	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/tensor"
)

// SGD configures stochastic gradient descent, optionally with momentum
// (torch.optim.SGD). The zero value is plain SGD with learning rate 0.01.
type SGD struct {
	LR          float64 // learning rate; 0 means 0.01
	Momentum    float64 // momentum factor μ; 0 disables momentum
	Dampening   float64 // dampening τ of the momentum; default 0
	Nesterov    bool    // Nesterov momentum; needs Momentum > 0 and Dampening = 0
	WeightDecay float64 // L2 penalty λ added to the gradient; default 0
}

type sgd[T tensor.Float] struct {
	cfg   SGD
	st    state[T]
	steps stepCount

	// The step under way (StartStep).
	params []Param[T]
	coef   kernel.SGDCoef[T]
}

// NewSGD returns an SGD optimizer for cfg. It returns a *ConfigError if a
// field is negative, or if Nesterov is set without momentum or with
// dampening, as PyTorch does. cfg is not modified.
func NewSGD[T tensor.Float](cfg SGD) (Optimizer[T], error) {
	cfg.LR = orDefault(cfg.LR, 0.01)
	for _, c := range []struct {
		f string
		v float64
	}{{"LR", cfg.LR}, {"Momentum", cfg.Momentum}, {"WeightDecay", cfg.WeightDecay}} {
		if err := checkNonNegative("SGD", c.f, c.v); err != nil {
			return nil, err
		}
	}
	if cfg.Nesterov && (cfg.Momentum <= 0 || cfg.Dampening != 0) {
		return nil, &ConfigError{Optimizer: "SGD", Field: "Nesterov", Value: true, Want: "Momentum > 0 and Dampening = 0"}
	}
	return &sgd[T]{cfg: cfg, st: state[T]{name: "SGD"}}, nil
}

func (o *sgd[T]) LR() float64            { return o.cfg.LR }
func (o *sgd[T]) SetLR(lr float64) error { return setLR("SGD", &o.cfg.LR, lr) }

func (o *sgd[T]) Step(params []Param[T]) {
	o.StartStep(params)
	for i, prm := range params {
		kernel.SGD(prm.Value.Data(), prm.Grad.Data(), o.buf(i), o.coef)
	}
	o.params = nil
}

// StartStep begins a step as Step does: it counts the step, sets up the
// momentum buffers on the first one and fixes the step's coefficients.
func (o *sgd[T]) StartStep(params []Param[T]) {
	o.steps.n++
	k := 0
	if o.cfg.Momentum != 0 {
		k = 1
	}
	first := !o.st.ready(params, k, 0)
	o.coef = kernel.SGDCoef[T]{
		NegLR:    T(-o.cfg.LR),
		WD:       T(o.cfg.WeightDecay),
		Mu:       T(o.cfg.Momentum),
		Damp:     T(1 - o.cfg.Dampening),
		Decay:    o.cfg.WeightDecay != 0,
		Momentum: k == 1,
		First:    first,
		Nesterov: o.cfg.Nesterov,
	}
	o.params = params
}

// StepPart updates elements [lo, hi) of parameter i on the calling thread.
func (o *sgd[T]) StepPart(i, lo, hi int) {
	prm := o.params[i]
	kernel.SGDSerial(prm.Value.Data()[lo:hi], prm.Grad.Data()[lo:hi], part(o.buf(i), lo, hi), o.coef)
}

// buf returns parameter i's momentum buffer, or nil without momentum.
func (o *sgd[T]) buf(i int) []T {
	if !o.coef.Momentum {
		return nil
	}
	return o.st.bufs[0][i]
}
