package nn

import (
	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/tensor"
)

// Layer is a dense (fully connected) layer: A = f(A_prev·W + b).
type Layer[T tensor.Float] struct {
	W          *tensor.Dense[T] // inputs×outputs
	B          *tensor.Dense[T] // 1×outputs; nil when the layer has no bias
	Activation activation.Kind
}

// Inputs returns the number of inputs (rows of W).
func (l *Layer[T]) Inputs() int { return l.W.Rows() }

// Outputs returns the number of units (columns of W).
func (l *Layer[T]) Outputs() int { return l.W.Cols() }

// LayerCache is what a layer's forward step keeps for its backward step.
type LayerCache[T tensor.Float] struct {
	APrev *tensor.Dense[T] // the layer's input: X for the first layer
	Z     *tensor.Dense[T] // A_prev·W + b, samples×outputs
	A     *tensor.Dense[T] // f(Z), samples×outputs
}

// LayerGradients holds one layer's backward step: the gradients of the
// loss with respect to the layer's output, pre-activation, parameters and
// input.
type LayerGradients[T tensor.Float] struct {
	DA     *tensor.Dense[T] // ∂L/∂A; nil when the loss was fused with the activation
	DZ     *tensor.Dense[T] // ∂L/∂Z = dA ⊙ f′(Z), the layer's delta
	DW     *tensor.Dense[T] // ∂L/∂W = A_prevᵀ·dZ
	DB     *tensor.Dense[T] // ∂L/∂b = Σᵢ dZ[i,:]; nil without bias
	DAPrev *tensor.Dense[T] // ∂L/∂A_prev = dZ·Wᵀ, passed to the layer below
}

// Forward runs the layer on a batch: Z = A_prev·W + b, then A = f(Z). It
// allocates Z and A and returns them with A_prev as the cache. It panics
// if aPrev does not have Inputs() columns; Network.Forward checks this and
// returns an error instead.
func (l *Layer[T]) Forward(aPrev *tensor.Dense[T]) LayerCache[T] {
	m := aPrev.Rows()
	z := tensor.Zeros[T](m, l.Outputs())
	a := tensor.Zeros[T](m, l.Outputs())
	l.forwardTo(z, a, aPrev)
	return LayerCache[T]{APrev: aPrev, Z: z, A: a}
}

func (l *Layer[T]) forwardTo(z, a, aPrev *tensor.Dense[T]) {
	tensor.MatMul(z, aPrev, tensor.NoTrans, l.W, tensor.NoTrans) // Z = A_prev·W
	if l.B != nil {
		z.AddRowVector(z, l.B) // Z += b
	}
	activation.Forward(l.Activation, a, z) // A = f(Z)
}

// Backward runs the layer's backward step from dA = ∂L/∂A: the delta
// dZ = dA ⊙ f′(Z), then LinearBackward.
func (l *Layer[T]) Backward(c LayerCache[T], dA *tensor.Dense[T]) LayerGradients[T] {
	dZ := tensor.Zeros[T](dA.Dims())
	activation.Backward(l.Activation, dZ, dA, c.Z, c.A)
	g := l.LinearBackward(c, dZ)
	g.DA = dA
	return g
}

// LinearBackward computes the gradients of the linear part Z = A_prev·W + b
// from the delta dZ:
//
//	dW      = A_prevᵀ·dZ   (inputs×outputs)
//	db      = Σᵢ dZ[i,:]   (1×outputs)
//	dA_prev = dZ·Wᵀ        (samples×inputs)
func (l *Layer[T]) LinearBackward(c LayerCache[T], dZ *tensor.Dense[T]) LayerGradients[T] {
	g := LayerGradients[T]{
		DZ:     dZ,
		DW:     tensor.Zeros[T](l.W.Dims()),
		DAPrev: tensor.Zeros[T](c.APrev.Dims()),
	}
	tensor.MatMul(g.DW, c.APrev, tensor.Trans, dZ, tensor.NoTrans)
	if l.B != nil {
		g.DB = tensor.Zeros[T](1, l.Outputs())
		g.DB.SumRows(dZ)
	}
	tensor.MatMul(g.DAPrev, dZ, tensor.NoTrans, l.W, tensor.Trans)
	return g
}

// Update applies one plain gradient-descent step to the layer:
// W = W − lr·dW and b = b − lr·db.
func (l *Layer[T]) Update(g LayerGradients[T], lr float64) {
	l.W.AddScaled(l.W, T(-lr), g.DW)
	if l.B != nil {
		l.B.AddScaled(l.B, T(-lr), g.DB)
	}
}

func (l *Layer[T]) clone() *Layer[T] {
	c := &Layer[T]{W: l.W.Clone(), Activation: l.Activation}
	if l.B != nil {
		c.B = l.B.Clone()
	}
	return c
}
