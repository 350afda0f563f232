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
	var c LayerCache[T]
	l.forwardInto(&c, aPrev)
	return c
}

// forwardInto is Forward into c, reusing c.Z and c.A (see tensor.Reuse).
func (l *Layer[T]) forwardInto(c *LayerCache[T], aPrev *tensor.Dense[T]) {
	m := aPrev.Rows()
	c.APrev = aPrev
	c.Z = tensor.Reuse(c.Z, m, l.Outputs())
	c.A = tensor.Reuse(c.A, m, l.Outputs())
	l.forwardTo(c.Z, c.A, aPrev)
}

// forwardTo computes Z = A_prev·W, Z += b and A = f(Z), the last two on
// each block of Z as soon as it is computed.
// a may be z when Z need not be kept.
func (l *Layer[T]) forwardTo(z, a, aPrev *tensor.Dense[T]) {
	activation.ForwardDense(l.Activation, a, z, aPrev, l.W, l.B) // Z = A_prev·W; Z += b; A = f(Z)
}

// Backward runs the layer's backward step from dA = ∂L/∂A: the delta
// dZ = dA ⊙ f′(Z), then LinearBackward.
func (l *Layer[T]) Backward(c LayerCache[T], dA *tensor.Dense[T]) LayerGradients[T] {
	var g LayerGradients[T]
	l.backwardInto(&g, c, dA, true)
	return g
}

// backwardInto is Backward into g, reusing its matrices; dA_prev is
// computed only when inputGrad is set (else g.DAPrev is nil).
func (l *Layer[T]) backwardInto(g *LayerGradients[T], c LayerCache[T], dA *tensor.Dense[T], inputGrad bool) {
	g.DA = dA
	g.DZ = tensor.Reuse(g.DZ, dA.Rows(), dA.Cols())
	g.DB = l.reuseDB(g.DB)
	activation.BackwardBias(l.Activation, g.DZ, g.DB, dA, c.Z, c.A) // dZ = dA ⊙ f′(Z); db = Σᵢ dZ[i,:]
	l.linearInto(g, c, false, inputGrad, lower[T]{})
}

// reuseDB returns db resized for the layer's bias gradient, or nil for a
// layer without bias.
func (l *Layer[T]) reuseDB(db *tensor.Dense[T]) *tensor.Dense[T] {
	if l.B == nil {
		return nil
	}
	return tensor.Reuse(db, 1, l.Outputs())
}

// LinearBackward computes the gradients of the linear part Z = A_prev·W + b
// from the delta dZ:
//
//	dW      = A_prevᵀ·dZ   (inputs×outputs)
//	db      = Σᵢ dZ[i,:]   (1×outputs)
//	dA_prev = dZ·Wᵀ        (samples×inputs)
func (l *Layer[T]) LinearBackward(c LayerCache[T], dZ *tensor.Dense[T]) LayerGradients[T] {
	g := LayerGradients[T]{DZ: dZ}
	l.linearInto(&g, c, true, true, lower[T]{})
	return g
}

// linearInto computes g.DW, g.DB (when withDB; else it is already done)
// and, when inputGrad is set, g.DAPrev from g.DZ, reusing g's matrices.
// When below.layer is not nil it is the layer under this one, with its cache
// and gradients: its delta dZ and bias gradient db are then computed in
// the same job as dA_prev, which is its dA.
func (l *Layer[T]) linearInto(g *LayerGradients[T], c LayerCache[T], withDB, inputGrad bool, below lower[T]) {
	g.DW = tensor.Reuse(g.DW, l.Inputs(), l.Outputs())
	tensor.MatMul(g.DW, c.APrev, tensor.Trans, g.DZ, tensor.NoTrans) // dW = A_prevᵀ·dZ
	if withDB {
		if g.DB = l.reuseDB(g.DB); g.DB != nil {
			g.DB.SumRows(g.DZ) // db = Σᵢ dZ[i,:]
		}
	}
	if !inputGrad {
		g.DAPrev = nil
		return
	}
	g.DAPrev = tensor.Reuse(g.DAPrev, c.APrev.Rows(), c.APrev.Cols())
	if below.layer == nil {
		tensor.MatMul(g.DAPrev, g.DZ, tensor.NoTrans, l.W, tensor.Trans) // dA_prev = dZ·Wᵀ
		return
	}
	lg, lc := below.g, below.c
	lg.DA = g.DAPrev
	lg.DZ = tensor.Reuse(lg.DZ, lg.DA.Rows(), lg.DA.Cols())
	lg.DB = below.layer.reuseDB(lg.DB)
	// dA_prev = dZ·Wᵀ, then below: dZ = dA ⊙ f′(Z), db = Σᵢ dZ[i,:]
	activation.BackwardDense(below.layer.Activation, lg.DZ, lg.DB, lg.DA, g.DZ, l.W, lc.Z, lc.A)
}

// lower is the layer under the one whose backward step is running, with
// its cache and the gradients being filled in.
type lower[T tensor.Float] struct {
	layer *Layer[T]
	c     LayerCache[T]
	g     *LayerGradients[T]
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
