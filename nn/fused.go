package nn

import (
	"fmt"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/tensor"
)

// This file is the path training runs: the forward and backward steps of
// layer.go and network.go, fused and into reused buffers. Going up, each
// layer is one job (ForwardDense: Z = A_prev·W, Z += b, A = f(Z), the
// bias and activation on each block of Z as it is computed; taking
// blocks of rows through every layer in one job measured slower in whole
// training steps, BENCHMARKS.md). Going down, each product does the
// element-wise work of the layer below in the same job (the activation
// derivative and bias gradient after dA_prev = dZ·Wᵀ), and the weight
// gradients of all layers form one more job (with, in BackwardStep, the
// optimizer updates of W). Every thread works on the block it has just
// computed, while it is in its cache. The results are those of the plain
// steps, bit for bit, on any number of threads (TestPlainMatchesFused):
// every element is summed in the same order.

// ForwardDense is a dense layer's whole forward step (steps 2–3 of the
// tutorials), with f the activation k:
//
//	Z = A_prev·W;  Z += b;  A = f(Z)
//
// with the results of tensor.MatMul(z, aPrev, tensor.NoTrans, w,
// tensor.NoTrans), z.AddRowVector(z, b) and activation.Forward(k, a, z),
// bit for bit. When the product is split between threads, each thread
// adds the bias and applies f to the block of Z it has just computed. a
// may be z itself; b may be nil. ForwardDense panics if the shapes do not
// fit, if k is not a valid kind, or if Z or A shares storage with A_prev
// or W.
func ForwardDense[T tensor.Float](k activation.Kind, a, z, aPrev, w, b *tensor.Dense[T]) {
	forwardDense(k, a, z, aPrev, w, b, nil)
}

// forwardDense is ForwardDense that, for a softmax layer and a non-nil
// lse (one element per row of Z), also writes the log-sum-exp of each row
// of Z into lse, from the maximum and sum its softmax computes (see
// kernel.GemmBiasSoftmax).
func forwardDense[T tensor.Float](k activation.Kind, a, z, aPrev, w, b *tensor.Dense[T], lse []float64) {
	m, n, kk := product("ForwardDense", k, aPrev, w, z, false, "A_prev %s · W %s into Z %s")
	sameShape("ForwardDense", "A", a, z)
	bd := rowData("ForwardDense", "b", b, n)
	disjoint("ForwardDense", "Z or A", "A_prev or W", []*tensor.Dense[T]{z, a}, aPrev, w)
	if lse != nil && k == activation.Softmax {
		kernel.GemmBiasSoftmax(m, n, kk, aPrev.Data(), max(kk, 1), w.Data(), max(n, 1), bd, z.Data(), a.Data(), lse)
		return
	}
	kernel.GemmBiasAct(kernel.Act(k), m, n, kk, aPrev.Data(), max(kk, 1), w.Data(), max(n, 1), bd, z.Data(), a.Data())
}

// BackwardDense is the backward step from a dense layer down to the dense
// layer below it, whose activation is k (steps 8–9 of the tutorials):
//
//	dA = dZ_next·W_nextᵀ;  dZ = dA ⊙ f′(Z);  db = Σᵢ dZ[i,:]
//
// where dZ_next and W_next belong to the layer above and Z, A to this
// one. The results are those of tensor.MatMul(da, dzNext, tensor.NoTrans,
// wNext, tensor.Trans), activation.Backward(k, dz, da, z, a) and
// db.SumRows(dz), bit for bit; when the product is split between
// threads, each thread finishes its own block of dA (for db, a block of
// whole columns). db may be nil; dz may be da. BackwardDense panics if the
// shapes do not fit, if k is not a valid kind, or if dA, dZ or db shares
// storage with dZ_next or W_next.
func BackwardDense[T tensor.Float](k activation.Kind, dz, db, da, dzNext, wNext, z, a *tensor.Dense[T]) {
	m, n, kk := product("BackwardDense", k, dzNext, wNext, da, true, "dZ_next %s · W_nextᵀ %s into dA %s")
	sameShape("BackwardDense", "dZ", dz, da)
	sameShape("BackwardDense", "Z", z, da)
	sameShape("BackwardDense", "A", a, da)
	dbd := rowData("BackwardDense", "db", db, n)
	disjoint("BackwardDense", "dA, dZ or db", "dZ_next or W_next", []*tensor.Dense[T]{da, dz, db}, dzNext, wNext)
	kernel.GemmActBackward(kernel.Act(k), m, n, kk, dzNext.Data(), max(kk, 1), wNext.Data(), max(kk, 1), da.Data(), z.Data(), a.Data(), dz.Data(), dbd)
}

// product panics unless k is a valid activation and C can hold the
// product A·B, or A·Bᵀ when bT is set, naming the operands as format
// does; it returns C's dimensions m×n and the inner dimension kk.
func product[T tensor.Float](op string, k activation.Kind, a, b, c *tensor.Dense[T], bT bool, format string) (m, n, kk int) {
	if !k.Valid() {
		panic(fmt.Sprintf("nn: %s: invalid kind %d", op, int(k)))
	}
	m, kk = a.Dims()
	bk, n := b.Dims()
	if bT {
		bk, n = n, bk
	}
	if bk != kk || c.Rows() != m || c.Cols() != n {
		panic(fmt.Sprintf("nn: "+op+": "+format, a.Shape(), b.Shape(), c.Shape()))
	}
	return m, n, kk
}

// sameShape panics unless x (named name) has the shape of want.
func sameShape[T tensor.Float](op, name string, x, want *tensor.Dense[T]) {
	if x.Rows() != want.Rows() || x.Cols() != want.Cols() {
		panic(fmt.Sprintf("nn: %s: %s is %s, want %s", op, name, x.Shape(), want.Shape()))
	}
}

// rowData returns the data of the (1, n) row v (a bias or its gradient),
// or nil for a nil v.
func rowData[T tensor.Float](op, name string, v *tensor.Dense[T], n int) []T {
	if v == nil {
		return nil
	}
	if v.Rows() != 1 || v.Cols() != n {
		panic(fmt.Sprintf("nn: %s: %s is %s, want (1, %d)", op, name, v.Shape(), n))
	}
	return v.Data()
}

// disjoint panics if one of outs (non-nil) shares storage with x or y.
func disjoint[T tensor.Float](op, outNames, inNames string, outs []*tensor.Dense[T], x, y *tensor.Dense[T]) {
	for _, out := range outs {
		if out != nil && (tensor.Overlap(out, x) || tensor.Overlap(out, y)) {
			panic(fmt.Sprintf("nn: %s: %s shares storage with %s", op, outNames, inNames))
		}
	}
}

// ForwardInto is Forward writing into c instead of a new Cache: it
// reuses the Z and A matrices that c holds from an earlier call, resized
// to X's number of samples (see tensor.Dense.Resize), so that a training
// loop that keeps one Cache allocates nothing after its first batch. c's
// earlier values are overwritten, also in matrices taken from it before;
// X must not share storage with them. A zero Cache is filled with new
// matrices. On error c is left as it was. Its results are Forward's, bit
// for bit.
func (n *Network[T]) ForwardInto(c *Cache[T], X *tensor.Dense[T]) error {
	if err := n.checkX(X); err != nil {
		return err
	}
	n.forwardInto(c, X, nil)
	return nil
}

// forwardInto is ForwardInto on a checked X; for a softmax output layer
// and a non-nil lse it also writes the log-sum-exp of each row of Z_L
// into lse (see forwardDense).
func (n *Network[T]) forwardInto(c *Cache[T], X *tensor.Dense[T], lse []float64) {
	c.Layers = resize(c.Layers, len(n.Layers))
	a := X
	for i, l := range n.Layers {
		lc := &c.Layers[i]
		lc.APrev = a
		lc.Z = tensor.Reuse(lc.Z, a.Rows(), l.Outputs())
		lc.A = tensor.Reuse(lc.A, a.Rows(), l.Outputs())
		var out []float64
		if i == len(n.Layers)-1 {
			out = lse
		}
		forwardDense(l.Activation, lc.A, lc.Z, a, l.W, l.B, out)
		a = lc.A
	}
}

// ForwardCostInto is ForwardInto followed by CostWeighted: it runs the
// forward pass on X into c and returns the loss of its output against
// the targets y with sample weights w (nil for none), the same loss, bit
// for bit. For softmax + cross-entropy the cost comes from the forward
// pass itself: the output layer's softmax computes each row's maximum mᵢ
// and Σⱼ e^(Z[i,j]−mᵢ), and hands on the log-sum-exp
//
//	lseᵢ = mᵢ + log Σⱼ e^(Z[i,j]−mᵢ);  ℓᵢ = −Σⱼ y[i,j]·(Z[i,j] − lseᵢ)
//
// so the cost takes no exponential (loss.ValueLogitsLSE); the other
// losses are computed from the cache as CostWeighted computes them.
// Training runs it for every batch. It returns ForwardInto's errors, and
// CostWeighted's for y and w, checked before the pass: on error c is
// left as it was.
func (n *Network[T]) ForwardCostInto(c *Cache[T], X, y *tensor.Dense[T], w []float64) (float64, error) {
	if err := n.checkX(X); err != nil {
		return 0, err
	}
	if err := checkTargets(y, w, X.Rows(), n.Outputs()); err != nil {
		return 0, err
	}
	if n.Loss != loss.CrossEntropy {
		n.forwardInto(c, X, nil)
		return n.costWeighted(c, y, w), nil
	}
	c.lse = resize(c.lse, X.Rows())
	n.forwardInto(c, X, c.lse)
	z := c.Layers[len(c.Layers)-1].Z
	return loss.ValueLogitsLSE(z, y, c.lse, w, n.Reduction), nil
}

// resize returns s with length n, reusing its elements and storage.
func resize[E any](s []E, n int) []E {
	if cap(s) < n {
		s = append(s[:cap(s)], make([]E, n-cap(s))...)
	}
	return s[:n]
}

// forwardTo computes Z = A_prev·W, Z += b and A = f(Z), the last two on
// each block of Z as soon as it is computed. a may be z when Z need not
// be kept.
func (l *Layer[T]) forwardTo(z, a, aPrev *tensor.Dense[T]) {
	ForwardDense(l.Activation, a, z, aPrev, l.W, l.B)
}

// BackwardInto is Backward writing into g instead of a new Gradients: it
// reuses the matrices g holds from an earlier call, resized to the
// batch (see tensor.Dense.Resize), so that a training loop that keeps one
// Gradients allocates nothing after its first batch. g's earlier values
// are overwritten, also in matrices taken from it before. With
// g.NoInputGrad set it does not compute ∂L/∂X. On error g is left as it
// was. Its results are Backward's, bit for bit.
func (n *Network[T]) BackwardInto(g *Gradients[T], c *Cache[T], y *tensor.Dense[T]) error {
	return n.BackwardIntoWeighted(g, c, y, nil)
}

// BackwardIntoWeighted is BackwardInto for the weighted loss of
// CostWeighted; its results are BackwardWeighted's, bit for bit, and a
// nil w is BackwardInto. Errors are CostWeighted's.
func (n *Network[T]) BackwardIntoWeighted(g *Gradients[T], c *Cache[T], y *tensor.Dense[T], w []float64) error {
	if err := n.checkY(c, y, w); err != nil {
		return err
	}
	n.deltasInto(g, c, y, w)
	kernel.GemmThen(g.step.products(n, c, g), nil) // every dW = A_prevᵀ·dZ
	return nil
}

// deltasInto is BackwardIntoWeighted on checked arguments but for the
// weight gradients dW, which depend on nothing else of the backward pass:
// it leaves them to the caller, in g's matrices resized for them.
func (n *Network[T]) deltasInto(g *Gradients[T], c *Cache[T], y *tensor.Dense[T], w []float64) {
	L := len(n.Layers)
	g.Layers = resize(g.Layers, L)
	n.outputDelta(&g.Layers[L-1], c.Layers[L-1], y, w) // dZ of the output layer
	// Each layer's dA_prev is computed together with the layer below's
	// delta dZ and db (BackwardDense), so every layer under the top one
	// arrives with its dZ and db done.
	for l := L - 1; l >= 0; l-- {
		var below lower[T]
		if l > 0 {
			below = lower[T]{n.Layers[l-1], c.Layers[l-1], &g.Layers[l-1]}
		}
		inputGrad := l > 0 || !g.NoInputGrad
		n.Layers[l].deltaInto(&g.Layers[l], c.Layers[l], l == L-1, inputGrad, below)
	}
}

// lower is the layer under the one whose backward step is running, with
// its cache and the gradients being filled in.
type lower[T tensor.Float] struct {
	layer *Layer[T]
	c     LayerCache[T]
	g     *LayerGradients[T]
}

// deltaInto is LinearBackward into g but for dW (only its matrix is
// resized), reusing g's matrices: it computes g.DB (when withDB; else it
// is already done) and, when inputGrad is set, g.DAPrev from g.DZ (else
// g.DAPrev is nil). When below.layer is not nil it is the layer under
// this one, with its cache and gradients: its delta dZ and bias gradient
// db are then computed in the same job as dA_prev, which is its dA.
func (l *Layer[T]) deltaInto(g *LayerGradients[T], c LayerCache[T], withDB, inputGrad bool, below lower[T]) {
	g.DW = tensor.Reuse(g.DW, l.Inputs(), l.Outputs())
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
	BackwardDense(below.layer.Activation, lg.DZ, lg.DB, lg.DA, g.DZ, l.W, lc.Z, lc.A)
}

// reuseDB returns db resized for the layer's bias gradient, or nil for a
// layer without bias.
func (l *Layer[T]) reuseDB(db *tensor.Dense[T]) *tensor.Dense[T] {
	if l.B == nil {
		return nil
	}
	return tensor.Reuse(db, 1, l.Outputs())
}
