package tutorials

import (
	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// Problem is what one training iteration of a tutorial needs: its network
// at the initial weights, its data with samples as rows, and its learning
// rate.
type Problem struct {
	Net  *nn.Network[float64]
	X, Y *tensor.Dense[float64]
	LR   float64
}

// NewProblem returns the named tutorial's network, seeded as
// np.random.seed(seed) seeds the original, with its data and learning
// rate. The l-layer tutorial keeps samples as columns and W as
// outputs×inputs; its Problem is the transposed view that nn uses, with
// ReLU hidden layers and the default layer_dims. It returns an error for
// an unknown name.
func NewProblem(name string, seed uint32) (Problem, error) {
	if _, err := Lookup(name); err != nil {
		return Problem{}, err
	}
	var p Problem
	var err error
	switch name {
	case "single-layer":
		p.X, p.Y, p.LR = X4(), singleLayerY(), 1
		p.Net, err = newSingleLayerNet(seed)
	case "xor":
		p.X, p.Y, p.LR = X4(), xorY(), 1
		p.Net, err = newNet341(seed, loss.HalfSSE, nn.UniformSym)
	case "sse":
		p.X, p.Y, p.LR = X4(), xorY(), 1
		p.Net, err = newNet341(seed, loss.SSE, nn.Uniform)
	case "hidden-layer":
		p.X, p.Y = HiddenLayerData()
		p.LR = HiddenLayerLR
		p.Net, err = NewHiddenLayerNet(seed)
	case "l-layer":
		X, Y, perr := Planar()
		if perr != nil {
			return Problem{}, perr
		}
		p.X, p.Y, p.LR = X.Transpose(), Y.Transpose(), LLayerDefaults.LR
		params := InitializeParametersDeep(LLayerDefaults.Layers, rng.New(seed))
		p.Net = &nn.Network[float64]{Loss: loss.BinaryCrossEntropy, Reduction: loss.Mean}
		for l := range params.W {
			act := activation.ReLU
			if l == len(params.W)-1 {
				act = activation.Sigmoid
			}
			p.Net.Layers = append(p.Net.Layers, &nn.Layer[float64]{W: params.W[l].Transpose(), B: params.B[l].Transpose(), Activation: act})
		}
	}
	if err != nil {
		return Problem{}, err
	}
	return p, nil
}

// singleLayerY is iamtrask part 1's target: y = x₁.
func singleLayerY() *tensor.Dense[float64] {
	return tensor.FromRows([][]float64{{0}, {0}, {1}, {1}})
}

// xorY is the XOR target that xor and sse train on.
func xorY() *tensor.Dense[float64] {
	return tensor.FromRows([][]float64{{0}, {1}, {1}, {0}})
}

// newSingleLayerNet builds iamtrask part 1's single sigmoid layer without
// bias, syn0 = 2·random((3,1)) − 1.
func newSingleLayerNet(seed uint32) (*nn.Network[float64], error) {
	return nn.New[float64](nn.Config{
		Inputs:     3,
		Layers:     []nn.LayerSpec{{Units: 1, Activation: activation.Sigmoid, NoBias: true}},
		Loss:       loss.HalfSSE,
		Reduction:  loss.Sum,
		WeightInit: nn.UniformSym,
	}, rng.New(seed))
}
