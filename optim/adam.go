package optim

import (
	"math"

	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/tensor"
)

// Adam configures Adam (torch.optim.Adam). The zero value is Adam with
// learning rate 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no weight decay and no
// AMSGrad. A β of exactly 0 cannot be asked for; use a tiny positive value.
type Adam struct {
	LR          float64 // learning rate; 0 means 1e-3
	Beta1       float64 // decay of the first moment β₁; 0 means 0.9
	Beta2       float64 // decay of the second moment β₂; 0 means 0.999
	Eps         float64 // ε added to the denominator; 0 means 1e-8
	WeightDecay float64 // L2 penalty λ added to the gradient; default 0
	AMSGrad     bool    // use the running maximum of the second moment
}

// AdamW configures AdamW (torch.optim.AdamW), Adam with decoupled weight
// decay. The zero value is AdamW with learning rate 1e-3, β₁ = 0.9,
// β₂ = 0.999, ε = 1e-8, weight decay 1e-2 and no AMSGrad. For no weight
// decay at all, use Adam.
type AdamW struct {
	LR          float64 // learning rate; 0 means 1e-3
	Beta1       float64 // decay of the first moment β₁; 0 means 0.9
	Beta2       float64 // decay of the second moment β₂; 0 means 0.999
	Eps         float64 // ε added to the denominator; 0 means 1e-8
	WeightDecay float64 // decoupled weight decay λ; 0 means 1e-2
	AMSGrad     bool    // use the running maximum of the second moment
}

// adam implements both Adam and AdamW.
type adam[T tensor.Float] struct {
	cfg       Adam
	decoupled bool // AdamW: cfg.WeightDecay decays p, not g
	st        state[T]
	t         int

	// The step under way (StartStep).
	params []Param[T]
	coef   kernel.AdamCoef[T]
}

// NewAdam returns an Adam optimizer for cfg. It returns a *ConfigError if a
// field is negative or a β is outside [0, 1), as PyTorch does. cfg is not
// modified.
func NewAdam[T tensor.Float](cfg Adam) (Optimizer[T], error) {
	return newAdam[T]("Adam", cfg, false)
}

// NewAdamW returns an AdamW optimizer for cfg. It returns a *ConfigError if
// a field is negative or a β is outside [0, 1), as PyTorch does. cfg is not
// modified.
func NewAdamW[T tensor.Float](cfg AdamW) (Optimizer[T], error) {
	return newAdam[T]("AdamW", Adam{
		LR: cfg.LR, Beta1: cfg.Beta1, Beta2: cfg.Beta2, Eps: cfg.Eps,
		WeightDecay: orDefault(cfg.WeightDecay, 1e-2), AMSGrad: cfg.AMSGrad,
	}, true)
}

func newAdam[T tensor.Float](name string, cfg Adam, decoupled bool) (Optimizer[T], error) {
	cfg.LR = orDefault(cfg.LR, 1e-3)
	cfg.Beta1 = orDefault(cfg.Beta1, 0.9)
	cfg.Beta2 = orDefault(cfg.Beta2, 0.999)
	cfg.Eps = orDefault(cfg.Eps, 1e-8)
	if err := checkNonNegative(name, "LR", cfg.LR); err != nil {
		return nil, err
	}
	if err := checkNonNegative(name, "Eps", cfg.Eps); err != nil {
		return nil, err
	}
	if err := checkBeta(name, "Beta1", cfg.Beta1); err != nil {
		return nil, err
	}
	if err := checkBeta(name, "Beta2", cfg.Beta2); err != nil {
		return nil, err
	}
	if err := checkNonNegative(name, "WeightDecay", cfg.WeightDecay); err != nil {
		return nil, err
	}
	return &adam[T]{cfg: cfg, decoupled: decoupled, st: state[T]{name: name}}, nil
}

func (o *adam[T]) LR() float64            { return o.cfg.LR }
func (o *adam[T]) SetLR(lr float64) error { return setLR(o.st.name, &o.cfg.LR, lr) }

// Buffers: 0 first moment m, 1 second moment v, 2 running maximum v̂.
func (o *adam[T]) Step(params []Param[T]) {
	o.StartStep(params)
	for i, prm := range params {
		kernel.Adam(prm.Value.Data(), prm.Grad.Data(), o.st.bufs[0][i], o.st.bufs[1][i], o.vmax(i), o.coef)
	}
	o.params = nil
}

// StartStep begins a step as Step does: it sets up the moment buffers on
// the first one, counts the step and fixes the step's coefficients.
func (o *adam[T]) StartStep(params []Param[T]) {
	k := 2
	if o.cfg.AMSGrad {
		k = 3
	}
	o.st.ready(params, k, 0)
	o.t++
	c := o.cfg
	bc1 := 1 - math.Pow(c.Beta1, float64(o.t))
	bc2 := 1 - math.Pow(c.Beta2, float64(o.t))
	o.coef = kernel.AdamCoef[T]{
		NegStep:  T(-(c.LR / bc1)),
		BC2Sqrt:  T(math.Sqrt(bc2)),
		B1:       T(c.Beta1),
		C1:       T(1 - c.Beta1),
		B2:       T(c.Beta2),
		C2:       T(1 - c.Beta2),
		Eps:      T(c.Eps),
		WD:       T(c.WeightDecay),
		Decay:    T(1 - c.LR*c.WeightDecay),
		L2:       !o.decoupled && c.WeightDecay != 0,
		Decouple: o.decoupled,
		AMSGrad:  c.AMSGrad,
	}
	o.params = params
}

// StepPart updates elements [lo, hi) of parameter i on the calling thread.
func (o *adam[T]) StepPart(i, lo, hi int) {
	prm := o.params[i]
	m, v := o.st.bufs[0][i], o.st.bufs[1][i]
	kernel.AdamSerial(prm.Value.Data()[lo:hi], prm.Grad.Data()[lo:hi], m[lo:hi], v[lo:hi], part(o.vmax(i), lo, hi), o.coef)
}

// vmax returns parameter i's running maximum of v, or nil without AMSGrad.
func (o *adam[T]) vmax(i int) []T {
	if !o.cfg.AMSGrad {
		return nil
	}
	return o.st.bufs[2][i]
}
