// Package activation holds the element-wise (and row-wise, for softmax)
// non-linearities of a dense layer: the function itself (forward), its
// slope, and the backward step dZ = dA ⊙ f′(Z).
//
// An activation is a Kind, a small enum, rather than an interface value:
// the set is closed, every kind has a name that model files and the command
// line use, and one switch per matrix keeps the inner loops free of
// indirect calls.
package activation

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/tensor"
)

// Kind names an activation function.
type Kind int

// The activation functions. The zero value is Identity. The numbering is
// kernel.Act's, where the loops are.
const (
	Identity  Kind = iota // f(z) = z
	Sigmoid               // f(z) = 1/(1+e⁻ᶻ)
	Tanh                  // f(z) = tanh z
	ReLU                  // f(z) = max(0, z)
	LeakyReLU             // f(z) = z for z > 0, LeakySlope·z otherwise
	Softmax               // f(z)ⱼ = e^zⱼ / Σₖ e^zₖ over each row
)

// LeakySlope is the slope of LeakyReLU for z ≤ 0.
const LeakySlope = kernel.LeakySlope

// ErrUnknown is wrapped by Parse when a name is not an activation.
var ErrUnknown = errors.New("unknown activation")

var names = [...]string{
	Identity:  "identity",
	Sigmoid:   "sigmoid",
	Tanh:      "tanh",
	ReLU:      "relu",
	LeakyReLU: "leaky-relu",
	Softmax:   "softmax",
}

// Kinds lists every activation in declaration order.
func Kinds() []Kind { return []Kind{Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax} }

// String returns the activation's name as Parse accepts it, e.g. "relu".
func (k Kind) String() string {
	if k < 0 || int(k) >= len(names) {
		return fmt.Sprintf("activation(%d)", int(k))
	}
	return names[k]
}

// Valid reports whether k is one of the declared kinds.
func (k Kind) Valid() bool { return k >= 0 && int(k) < len(names) }

// Parse returns the activation named s. It accepts the names String
// returns, case-insensitively, plus "linear" for identity and
// "leaky_relu"/"leakyrelu" for leaky ReLU. An unknown name gives an error
// wrapping ErrUnknown that lists the valid names.
func Parse(s string) (Kind, error) {
	n := strings.ToLower(strings.TrimSpace(s))
	switch n {
	case "linear", "none":
		return Identity, nil
	case "leaky_relu", "leakyrelu":
		return LeakyReLU, nil
	}
	for k, name := range names {
		if n == name {
			return Kind(k), nil
		}
	}
	return 0, fmt.Errorf("%w %q (want one of %s)", ErrUnknown, s, strings.Join(names[:], ", "))
}

// Forward sets a = f(z). a may be z itself.
func Forward[T tensor.Float](k Kind, a, z *tensor.Dense[T]) {
	same("Forward", a, z)
	valid("Forward", k)
	kernel.BiasAct(kernel.Act(k), z.Rows(), z.Cols(), z.Data(), nil, a.Data())
}

// Slope sets s = f′(z), using the activation a = f(z) where that is how
// the tutorials compute it (sigmoid: a·(1−a); tanh: 1−a²). For Softmax,
// whose derivative is a Jacobian per row, it gives the diagonal
// aⱼ·(1−aⱼ); Backward uses the full Jacobian.
func Slope[T tensor.Float](k Kind, s, z, a *tensor.Dense[T]) {
	same("Slope", s, z)
	same("Slope", s, a)
	sd, zd, ad := s.Data(), z.Data(), a.Data()
	switch k {
	case Identity:
		for i := range sd {
			sd[i] = 1
		}
	case Sigmoid, Softmax:
		for i, v := range ad {
			sd[i] = v * (1 - v)
		}
	case Tanh:
		for i, v := range ad {
			sd[i] = 1 - v*v
		}
	case ReLU:
		for i, v := range zd {
			if v > 0 {
				sd[i] = 1
			} else {
				sd[i] = 0
			}
		}
	case LeakyReLU:
		for i, v := range zd {
			if v > 0 {
				sd[i] = 1
			} else {
				sd[i] = LeakySlope
			}
		}
	default:
		panic(fmt.Sprintf("activation: Slope: invalid kind %d", int(k)))
	}
}

// Backward sets dz = ∂L/∂Z from da = ∂L/∂A, where a = f(z) is the output
// Forward produced: dz = da ⊙ f′(z) for the element-wise kinds, and for
// Softmax the Jacobian-vector product per row,
// dzⱼ = aⱼ·(daⱼ − Σₖ daₖ·aₖ). dz may be da itself.
func Backward[T tensor.Float](k Kind, dz, da, z, a *tensor.Dense[T]) {
	same("Backward", dz, da)
	same("Backward", dz, z)
	same("Backward", dz, a)
	valid("Backward", k)
	kernel.ActBackward(kernel.Act(k), dz.Rows(), dz.Cols(), dz.Data(), da.Data(), z.Data(), a.Data(), nil)
}

func valid(op string, k Kind) {
	if !k.Valid() {
		panic(fmt.Sprintf("activation: %s: invalid kind %d", op, int(k)))
	}
}

func same[T tensor.Float](op string, a, b *tensor.Dense[T]) {
	if a.Rows() != b.Rows() || a.Cols() != b.Cols() {
		panic(fmt.Sprintf("activation: %s: shapes %s and %s differ", op, a.Shape(), b.Shape()))
	}
}
