package nn

import (
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
)

// Params returns the network's parameters in the order W1, b1, W2, b2 …
// (a layer without a bias contributes only its W), each paired with its
// gradient in g, ready for an optimizer's Step:
//
//	grads, _ := net.Backward(cache, Y)
//	opt.Step(net.Params(grads))
//
// With g nil every Grad is nil (the list of values, e.g. to save them).
// The list points at the network's and g's matrices, not at copies: it
// stays valid across steps while no layer's W or b and no gradient matrix
// is replaced by another, so a training loop can build it once (after its
// first Backward) and reuse it. This order is the one optimizers' state
// and checkpoints are kept in.
func (n *Network[T]) Params(g *Gradients[T]) []optim.Param[T] {
	ps := make([]optim.Param[T], 0, 2*len(n.Layers))
	for i, l := range n.Layers {
		var dW, db *tensor.Dense[T]
		if g != nil {
			dW, db = g.Layers[i].DW, g.Layers[i].DB
		}
		ps = append(ps, optim.Param[T]{Value: l.W, Grad: dW})
		if l.B != nil {
			ps = append(ps, optim.Param[T]{Value: l.B, Grad: db})
		}
	}
	return ps
}
