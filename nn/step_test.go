package nn

import (
	"fmt"
	"testing"

	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
)

// TestBackwardStep pins BackwardStep to BackwardIntoWeighted followed
// by opt.Step(net.Params(g)), with and without sample weights, bit for
// bit: every gradient and, after the update, every W and b, for every
// optimizer (the PartSteppers take the one-job path, the others the
// fallback), every activation, float32 and float64, on one and two kernel
// threads, over batches of changing size (the 96-sample batches split the
// weight gradients between threads).
func TestBackwardStep(t *testing.T) {
	defer tensor.SetThreads(0)
	for _, threads := range []int{1, 2} {
		tensor.SetThreads(threads)
		testBackwardStep[float32](t, threads)
		testBackwardStep[float64](t, threads)
	}
}

func testBackwardStep[T tensor.Float](t *testing.T, threads int) {
	nets := fusedNets[T](t, 333, []int{67, 80, 33, 96, 71, 64}, 5, false)
	for _, name := range optim.Names() {
		for ni, net := range nets {
			if ni > 0 && name != "adam" && name != "sgd" {
				continue // the other optimizers on one network
			}
			ref, step := net.Clone(), net.Clone()
			refOpt, _ := optim.NewDecay[T](name, 0.01, 0.001)
			stepOpt, _ := optim.NewDecay[T](name, 0.01, 0.001)
			var rc, sc Cache[T]
			var rg, sg Gradients[T]
			rg.NoInputGrad, sg.NoInputGrad = true, true
			for bi, m := range []int{96, 1, 13, 96} {
				what := fmt.Sprintf("%T %s, %d threads, net %d, batch %d of %d samples", T(0), name, threads, ni, bi, m)
				X, Y := batch(net, m, uint32(bi+1))
				var w []float64 // sample weights in the second and last batch
				if bi%2 == 1 {
					for i := range m {
						w = append(w, float64(i%3)*0.75)
					}
				}
				if err := ref.ForwardInto(&rc, X); err != nil {
					t.Fatal(err)
				}
				if err := ref.BackwardIntoWeighted(&rg, &rc, Y, w); err != nil {
					t.Fatal(err)
				}
				refOpt.Step(ref.Params(&rg))
				if err := step.ForwardInto(&sc, X); err != nil {
					t.Fatal(err)
				}
				if err := step.BackwardStep(&sg, &sc, Y, w, stepOpt); err != nil {
					t.Fatal(err)
				}
				for l := range net.Layers {
					bitsEqual(t, what, l, "dZ", sg.Layers[l].DZ, rg.Layers[l].DZ)
					bitsEqual(t, what, l, "dW", sg.Layers[l].DW, rg.Layers[l].DW)
					bitsEqual(t, what, l, "db", sg.Layers[l].DB, rg.Layers[l].DB)
					bitsEqual(t, what, l, "updated W", step.Layers[l].W, ref.Layers[l].W)
					bitsEqual(t, what, l, "updated b", step.Layers[l].B, ref.Layers[l].B)
				}
			}
		}
	}
}

// TestBackwardStepShape checks that BackwardStep refuses targets of the
// wrong shape and leaves the parameters alone.
func TestBackwardStepShape(t *testing.T) {
	net := fusedNets[float64](t, 4, []int{3, 3, 3, 3, 3, 3}, 2, false)[0]
	w := net.Layers[0].W.Clone()
	var c Cache[float64]
	var g Gradients[float64]
	X, _ := batch(net, 5, 1)
	if err := net.ForwardInto(&c, X); err != nil {
		t.Fatal(err)
	}
	opt, _ := optim.New[float64]("sgd", 0.1)
	if err := net.BackwardStep(&g, &c, tensor.Zeros[float64](4, 2), nil, opt); err == nil {
		t.Fatal("BackwardStep took 4 targets for 5 samples")
	}
	bitsEqual(t, "after the refused step", 0, "W", net.Layers[0].W, w)
}
