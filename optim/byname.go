package optim

import (
	"fmt"
	"strings"

	"github.com/nerve-ml/nerve/tensor"
)

// names are the optimizers New builds, in the order Names lists them.
var names = []string{"sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam", "adamw"}

// Names returns the optimizer names New accepts.
func Names() []string { return append([]string(nil), names...) }

// New returns the named optimizer with learning rate lr (0 means the
// optimizer's default) and every other hyper-parameter at PyTorch's
// default: "sgd" is plain SGD, "momentum" SGD with momentum 0.9,
// "nesterov" SGD with Nesterov momentum 0.9, then "rmsprop", "adagrad",
// "adam" and "adamw". Names are case-insensitive. An unknown name or an
// invalid lr gives an error wrapping ErrInvalid.
func New[T tensor.Float](name string, lr float64) (Optimizer[T], error) {
	return NewDecay[T](name, lr, 0)
}

// NewDecay is New with weight decay λ (0 means the optimizer's default):
// the L2 penalty λ·p added to every parameter's gradient, except for
// "adamw", whose decay is decoupled (p ← p − lr·λ·p). A negative λ gives
// an error wrapping ErrInvalid.
func NewDecay[T tensor.Float](name string, lr, weightDecay float64) (Optimizer[T], error) {
	wd := weightDecay
	switch strings.ToLower(name) {
	case "sgd":
		return NewSGD[T](SGD{LR: lr, WeightDecay: wd})
	case "momentum":
		return NewSGD[T](SGD{LR: lr, Momentum: 0.9, WeightDecay: wd})
	case "nesterov":
		return NewSGD[T](SGD{LR: lr, Momentum: 0.9, Nesterov: true, WeightDecay: wd})
	case "rmsprop":
		return NewRMSProp[T](RMSProp{LR: lr, WeightDecay: wd})
	case "adagrad":
		return NewAdaGrad[T](AdaGrad{LR: lr, WeightDecay: wd})
	case "adam":
		return NewAdam[T](Adam{LR: lr, WeightDecay: wd})
	case "adamw":
		return NewAdamW[T](AdamW{LR: lr, WeightDecay: wd})
	}
	return nil, fmt.Errorf("optim: unknown optimizer %q: %w: want one of %s", name, ErrInvalid, strings.Join(names, ", "))
}
