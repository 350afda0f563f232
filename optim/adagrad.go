package optim

import (
	"math"

	"github.com/nerve-ml/nerve/tensor"
)

// AdaGrad configures AdaGrad (torch.optim.Adagrad). The zero value is
// AdaGrad with learning rate 0.01, no learning-rate decay, no weight decay,
// accumulators starting at 0 and ε = 1e-10.
type AdaGrad struct {
	LR                      float64 // learning rate; 0 means 0.01
	LRDecay                 float64 // learning-rate decay η; default 0
	WeightDecay             float64 // L2 penalty λ added to the gradient; default 0
	InitialAccumulatorValue float64 // starting value s₀ of the sums of squares; default 0
	Eps                     float64 // ε added to the denominator; 0 means 1e-10
}

type adagrad[T tensor.Float] struct {
	cfg AdaGrad
	st  state[T]
	t   int
}

// NewAdaGrad returns an AdaGrad optimizer for cfg. It returns a
// *ConfigError if a field is negative, as PyTorch does. cfg is not modified.
func NewAdaGrad[T tensor.Float](cfg AdaGrad) (Optimizer[T], error) {
	cfg.LR = orDefault(cfg.LR, 0.01)
	cfg.Eps = orDefault(cfg.Eps, 1e-10)
	for _, c := range []struct {
		f string
		v float64
	}{{"LR", cfg.LR}, {"LRDecay", cfg.LRDecay}, {"WeightDecay", cfg.WeightDecay},
		{"InitialAccumulatorValue", cfg.InitialAccumulatorValue}, {"Eps", cfg.Eps}} {
		if err := checkNonNegative("AdaGrad", c.f, c.v); err != nil {
			return nil, err
		}
	}
	return &adagrad[T]{cfg: cfg, st: state[T]{name: "AdaGrad"}}, nil
}

func (o *adagrad[T]) LR() float64            { return o.cfg.LR }
func (o *adagrad[T]) SetLR(lr float64) error { return setLR("AdaGrad", &o.cfg.LR, lr) }

func (o *adagrad[T]) Step(params []Param[T]) {
	o.st.ready(params, 1, T(o.cfg.InitialAccumulatorValue))
	o.t++
	clr := T(-(o.cfg.LR / (1 + float64(o.t-1)*o.cfg.LRDecay)))
	wd := T(o.cfg.WeightDecay)
	eps := T(o.cfg.Eps)
	decay := o.cfg.WeightDecay != 0
	for i, prm := range params {
		adagradUpdate(prm.Value.Data(), prm.Grad.Data(), o.st.bufs[0][i], clr, wd, eps, decay)
	}
}

// adagradUpdate is one AdaGrad step over one parameter, with the
// coefficients in registers.
func adagradUpdate[T tensor.Float](p, g, s []T, clr, wd, eps T, decay bool) {
	n := len(p)
	g, s = g[:n], s[:n]
	for e, gi := range g {
		if decay {
			gi = gi + wd*p[e]
		}
		se := s[e] + gi*gi
		s[e] = se
		std := T(math.Sqrt(float64(se))) + eps
		p[e] = p[e] + clr*(gi/std)
	}
}
