package optim

import (
	"math"

	"github.com/nerve-ml/nerve/tensor"
)

// RMSProp configures RMSProp (torch.optim.RMSprop). The zero value is
// RMSProp with learning rate 0.01, α = 0.99, ε = 1e-8, no momentum, not
// centered and no weight decay.
type RMSProp struct {
	LR          float64 // learning rate; 0 means 0.01
	Alpha       float64 // smoothing constant α; 0 means 0.99
	Eps         float64 // ε added to the denominator; 0 means 1e-8
	Momentum    float64 // momentum factor μ; default 0
	Centered    bool    // normalize by the estimated variance of the gradient
	WeightDecay float64 // L2 penalty λ added to the gradient; default 0
}

type rmsprop[T tensor.Float] struct {
	cfg   RMSProp
	st    state[T]
	steps stepCount
}

// NewRMSProp returns an RMSProp optimizer for cfg. It returns a
// *ConfigError if a field is negative, as PyTorch does. cfg is not modified.
func NewRMSProp[T tensor.Float](cfg RMSProp) (Optimizer[T], error) {
	cfg.LR = orDefault(cfg.LR, 0.01)
	cfg.Alpha = orDefault(cfg.Alpha, 0.99)
	cfg.Eps = orDefault(cfg.Eps, 1e-8)
	for _, c := range []struct {
		f string
		v float64
	}{{"LR", cfg.LR}, {"Alpha", cfg.Alpha}, {"Eps", cfg.Eps}, {"Momentum", cfg.Momentum}, {"WeightDecay", cfg.WeightDecay}} {
		if err := checkNonNegative("RMSProp", c.f, c.v); err != nil {
			return nil, err
		}
	}
	return &rmsprop[T]{cfg: cfg, st: state[T]{name: "RMSProp"}}, nil
}

func (o *rmsprop[T]) LR() float64            { return o.cfg.LR }
func (o *rmsprop[T]) SetLR(lr float64) error { return setLR("RMSProp", &o.cfg.LR, lr) }

// Buffers: 0 square average s, 1 gradient average a, 2 momentum b.
func (o *rmsprop[T]) Step(params []Param[T]) {
	o.steps.n++
	o.st.ready(params, 3, 0)
	c := rmspropCoef[T]{
		lr:       T(-o.cfg.LR),
		wd:       T(o.cfg.WeightDecay),
		alpha:    T(o.cfg.Alpha),
		c:        T(1 - o.cfg.Alpha),
		eps:      T(o.cfg.Eps),
		mu:       T(o.cfg.Momentum),
		decay:    o.cfg.WeightDecay != 0,
		centered: o.cfg.Centered,
		momentum: o.cfg.Momentum > 0,
	}
	for i, prm := range params {
		c.update(prm.Value.Data(), prm.Grad.Data(), o.st.bufs[0][i], o.st.bufs[1][i], o.st.bufs[2][i])
	}
}

// rmspropCoef holds one step's coefficients in T, so that the loop over
// the elements reads them from registers.
type rmspropCoef[T tensor.Float] struct {
	lr, wd, alpha, c, eps, mu T
	decay, centered, momentum bool
}

func (c rmspropCoef[T]) update(p, g, s, a, b []T) {
	n := len(p)
	g, s, a, b = g[:n], s[:n], a[:n], b[:n]
	for e, gi := range g {
		if c.decay {
			gi = gi + c.wd*p[e]
		}
		se := s[e]*c.alpha + c.c*gi*gi
		s[e] = se
		var d T
		if c.centered {
			ae := a[e]*c.alpha + c.c*gi
			a[e] = ae
			d = T(math.Sqrt(float64(se - ae*ae)))
		} else {
			d = T(math.Sqrt(float64(se)))
		}
		d = d + c.eps
		if c.momentum {
			be := b[e]*c.mu + gi/d
			b[e] = be
			p[e] = p[e] + c.lr*be
		} else {
			p[e] = p[e] + c.lr*(gi/d)
		}
	}
}
