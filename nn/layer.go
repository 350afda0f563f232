package nn

import (
	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/tensor"
)

// This file is the learner's path: a dense layer's forward and backward
// steps written as the equations, one named call per step, each returning
// new matrices. Training runs the fused steps of fused.go instead, which
// reuse their buffers and do the element-wise work inside the matrix
// products' jobs; TestPlainMatchesFused pins them to these, bit for bit.
// Shapes are for a batch of m samples through a layer with n_in inputs
// and n_out units.

// Layer is a dense (fully connected) layer: A = f(A_prev·W + b).
type Layer[T tensor.Float] struct {
	W          *tensor.Dense[T] // (n_in, n_out)
	B          *tensor.Dense[T] // (1, n_out); nil when the layer has no bias
	Activation activation.Kind
}

// Inputs returns the number of inputs (rows of W).
func (l *Layer[T]) Inputs() int { return l.W.Rows() }

// Outputs returns the number of units (columns of W).
func (l *Layer[T]) Outputs() int { return l.W.Cols() }

// LayerCache is what a layer's forward step keeps for its backward step.
type LayerCache[T tensor.Float] struct {
	APrev *tensor.Dense[T] // the layer's input, (m, n_in): X for the first layer
	Z     *tensor.Dense[T] // A_prev·W + b, (m, n_out)
	A     *tensor.Dense[T] // f(Z), (m, n_out)
}

// LayerGradients holds one layer's backward step: the gradients of the
// loss with respect to the layer's output, pre-activation, parameters and
// input.
type LayerGradients[T tensor.Float] struct {
	DA     *tensor.Dense[T] // ∂L/∂A, (m, n_out); nil when the loss was fused with the activation
	DZ     *tensor.Dense[T] // ∂L/∂Z = dA ⊙ f′(Z), (m, n_out): the layer's delta
	DW     *tensor.Dense[T] // ∂L/∂W = A_prevᵀ·dZ, (n_in, n_out)
	DB     *tensor.Dense[T] // ∂L/∂b = Σᵢ dZ[i,:], (1, n_out); nil without bias
	DAPrev *tensor.Dense[T] // ∂L/∂A_prev = dZ·Wᵀ, (m, n_in): the dA of the layer below
}

// Forward runs the layer on a batch A_prev of m samples:
//
//	Z = A_prev·W + b   (m, n_out) = (m, n_in)·(n_in, n_out) + (1, n_out) on every row
//	A = f(Z)           (m, n_out)
//
// It returns new matrices Z and A, with A_prev, as the cache for
// Backward. It panics if aPrev does not have Inputs() columns;
// Network.Forward checks this and returns an error instead.
func (l *Layer[T]) Forward(aPrev *tensor.Dense[T]) LayerCache[T] {
	m := aPrev.Rows()
	z := tensor.Zeros[T](m, l.Outputs())                         // (m, n_out)
	tensor.MatMul(z, aPrev, tensor.NoTrans, l.W, tensor.NoTrans) // Z = A_prev·W: (m, n_in)·(n_in, n_out)
	if l.B != nil {
		z.AddRowVector(z, l.B) // Z += b: (1, n_out) added to each of the m rows
	}
	a := tensor.Zeros[T](m, l.Outputs())   // (m, n_out)
	activation.Forward(l.Activation, a, z) // A = f(Z), element by element (softmax: row by row)
	return LayerCache[T]{APrev: aPrev, Z: z, A: a}
}

// Backward runs the layer's backward step from dA = ∂L/∂A, (m, n_out),
// the dA_prev of the layer above or, for the output layer, the loss's
// gradient:
//
//	dZ      = dA ⊙ f′(Z)   (m, n_out)     activation.Backward
//	dW      = A_prevᵀ·dZ   (n_in, n_out)  ┐
//	db      = Σᵢ dZ[i,:]   (1, n_out)     ├ LinearBackward
//	dA_prev = dZ·Wᵀ        (m, n_in)      ┘
//
// It returns new matrices.
func (l *Layer[T]) Backward(c LayerCache[T], dA *tensor.Dense[T]) LayerGradients[T] {
	dZ := tensor.Zeros[T](dA.Dims())                    // (m, n_out)
	activation.Backward(l.Activation, dZ, dA, c.Z, c.A) // dZ = dA ⊙ f′(Z)
	g := l.LinearBackward(c, dZ)                        // dW = A_prevᵀ·dZ; db = Σᵢ dZ[i,:]; dA_prev = dZ·Wᵀ
	g.DA = dA
	return g
}

// LinearBackward computes the gradients of the linear part
// Z = A_prev·W + b from the layer's delta dZ = ∂L/∂Z, (m, n_out):
//
//	dW      = A_prevᵀ·dZ   (n_in, n_out) = (n_in, m)·(m, n_out)
//	db      = Σᵢ dZ[i,:]   (1, n_out), the rows added in order
//	dA_prev = dZ·Wᵀ        (m, n_in) = (m, n_out)·(n_out, n_in)
//
// It is the second half of Backward, and the whole backward step of an
// output layer whose delta comes straight from the loss (see
// Network.OutputDelta). It returns new matrices, with DA nil.
func (l *Layer[T]) LinearBackward(c LayerCache[T], dZ *tensor.Dense[T]) LayerGradients[T] {
	dW := tensor.Zeros[T](l.Inputs(), l.Outputs())               // (n_in, n_out)
	tensor.MatMul(dW, c.APrev, tensor.Trans, dZ, tensor.NoTrans) // dW = A_prevᵀ·dZ: (n_in, m)·(m, n_out)
	var db *tensor.Dense[T]
	if l.B != nil {
		db = tensor.Zeros[T](1, l.Outputs()) // (1, n_out)
		db.SumRows(dZ)                       // db = Σᵢ dZ[i,:], the m rows added in order
	}
	dAPrev := tensor.Zeros[T](c.APrev.Dims())                    // (m, n_in)
	tensor.MatMul(dAPrev, dZ, tensor.NoTrans, l.W, tensor.Trans) // dA_prev = dZ·Wᵀ: (m, n_out)·(n_out, n_in)
	return LayerGradients[T]{DZ: dZ, DW: dW, DB: db, DAPrev: dAPrev}
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
