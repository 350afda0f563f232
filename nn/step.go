package nn

import (
	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
)

// BackwardStep is BackwardIntoWeighted(g, c, y, w) followed by
// opt.Step(n.Params(g)), the backward pass and the update of a training
// step (steps 3 and 4 of the tutorials), with the results of those two
// calls bit for bit: g holds the gradients afterwards, and every W and b
// is updated. w holds the sample weights of CostWeighted, nil for none.
// On error nothing is updated and g is left as it was.
//
// When opt is an optim.PartStepper (SGD, Adam and AdamW are), every
// layer's weight gradient is computed after the whole chain of deltas,
// all of them in one job split between threads, and each thread updates
// the block of W whose gradient it has just computed, while that block
// of dW is still in its cache:
//
//	dZ_L, then for l = L … 1: dA_(l−1) = dZ_l·W_lᵀ, dZ_(l−1), db_(l−1)
//	then in one job, for every l and block of rows r: dW_l[r] = A_(l−1)[:,r]ᵀ·dZ_l;  update W_l[r]
//	then update every b
//
// That is one hand-off between threads for all the weight gradients and
// updates, instead of one per product and one per parameter. The list of
// parameters is n.Params(g), built on the first call and kept in g while
// the layers' and g's matrices stay the same (as optimizer state
// requires).
func (n *Network[T]) BackwardStep(g *Gradients[T], c *Cache[T], y *tensor.Dense[T], w []float64, opt optim.Optimizer[T]) error {
	if err := n.checkY(c, y, w); err != nil {
		return err
	}
	n.deltasInto(g, c, y, w)
	prods := g.step.products(n, c, g)
	params := g.step.paramsOf(n, g)
	ps, fused := opt.(optim.PartStepper[T])
	if !fused {
		kernel.GemmThen(prods, nil)
		opt.Step(params)
		return nil
	}
	ps.StartStep(params)
	st := &g.step
	st.opt = ps
	if st.owner != g {
		st.owner, st.then = g, g.step.updateW
	}
	kernel.GemmThen(prods, st.then)
	for _, i := range st.b {
		ps.StepPart(i, 0, len(params[i].Value.Data()))
	}
	st.opt = nil
	return nil
}

// partStep is what BackwardStep keeps in Gradients between calls.
type partStep[T tensor.Float] struct {
	params []optim.Param[T] // n.Params(g)
	w, b   []int            // the index in params of each layer's W, and of every b
	prods  []kernel.Product[T]

	opt   optim.PartStepper[T] // during a step
	then  func(l, lo, hi int)  // updateW, bound to owner
	owner *Gradients[T]
}

// products returns the weight gradients dW = A_prevᵀ·dZ of every layer
// as products for kernel.GemmThen, into g's dW matrices.
func (st *partStep[T]) products(n *Network[T], c *Cache[T], g *Gradients[T]) []kernel.Product[T] {
	st.prods = st.prods[:0]
	for l, layer := range n.Layers {
		aPrev, dz := c.Layers[l].APrev, g.Layers[l].DZ
		m, in := aPrev.Dims()
		out := layer.Outputs()
		// dW = A_prevᵀ·dZ: (in, out) = (in, m)·(m, out)
		st.prods = append(st.prods, kernel.Product[T]{TransA: true, M: in, N: out, K: m,
			A: aPrev.Data(), LDA: max(in, 1), B: dz.Data(), LDB: max(out, 1), C: g.Layers[l].DW.Data()})
	}
	return st.prods
}

// updateW updates elements [lo, hi) of layer l's W from its gradient.
func (st *partStep[T]) updateW(l, lo, hi int) {
	st.opt.StepPart(st.w[l], lo, hi)
}

// paramsOf returns n.Params(g), rebuilding the kept list only when a
// layer's W or b or one of g's gradient matrices is not the one it holds.
func (st *partStep[T]) paramsOf(n *Network[T], g *Gradients[T]) []optim.Param[T] {
	if !st.current(n, g) {
		st.params = n.Params(g)
		st.w, st.b = st.w[:0], st.b[:0]
		for i, l := range n.Layers {
			st.w = append(st.w, len(st.w)+len(st.b))
			if l.B != nil {
				st.b = append(st.b, st.w[i]+1)
			}
		}
	}
	return st.params
}

// current reports whether st.params is n.Params(g).
func (st *partStep[T]) current(n *Network[T], g *Gradients[T]) bool {
	if len(st.w) != len(n.Layers) || len(st.w)+len(st.b) != len(st.params) {
		return false
	}
	for i, l := range n.Layers {
		w, gl := st.params[st.w[i]], g.Layers[i]
		if w.Value != l.W || w.Grad != gl.DW {
			return false
		}
		if l.B != nil {
			if j := st.w[i] + 1; j >= len(st.params) || st.params[j].Value != l.B || st.params[j].Grad != gl.DB {
				return false
			}
		} else if i+1 < len(n.Layers) && st.w[i+1] != st.w[i]+1 {
			return false
		}
	}
	return true
}
