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
	switch strings.ToLower(name) {
	case "sgd":
		return NewSGD[T](SGD{LR: lr})
	case "momentum":
		return NewSGD[T](SGD{LR: lr, Momentum: 0.9})
	case "nesterov":
		return NewSGD[T](SGD{LR: lr, Momentum: 0.9, Nesterov: true})
	case "rmsprop":
		return NewRMSProp[T](RMSProp{LR: lr})
	case "adagrad":
		return NewAdaGrad[T](AdaGrad{LR: lr})
	case "adam":
		return NewAdam[T](Adam{LR: lr})
	case "adamw":
		return NewAdamW[T](AdamW{LR: lr})
	}
	return nil, fmt.Errorf("optim: unknown optimizer %q: %w: want one of %s", name, ErrInvalid, strings.Join(names, ", "))
}
