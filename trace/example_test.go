package trace_test

import (
	"fmt"
	"os"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/trace"
)

// iamtrask's XOR network: 3 inputs, 4 sigmoid hidden units, 1 sigmoid
// output, no biases, weights 2·random − 1 after np.random.seed(1), the
// half sum of squared errors.
func xorNet() (*nn.Network[float64], *tensor.Dense[float64], *tensor.Dense[float64]) {
	net, err := nn.New[float64](nn.Config{
		Inputs: 3,
		Layers: []nn.LayerSpec{
			{Units: 4, Activation: activation.Sigmoid, NoBias: true},
			{Units: 1, Activation: activation.Sigmoid, NoBias: true},
		},
		Loss:       loss.HalfSSE,
		Reduction:  loss.Sum,
		WeightInit: nn.UniformSym,
	}, rng.New(1))
	if err != nil {
		panic(err)
	}
	X := tensor.FromRows([][]float64{{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}})
	y := tensor.FromRows([][]float64{{0}, {1}, {1}, {0}})
	return net, X, y
}

// The steps of the first iteration of iamtrask's XOR network, with
// iamtrask's names and the worked-out focus cell of each backward step.
func ExampleNew() {
	net, X, y := xorNet()
	tr, err := trace.New(net, X, y, trace.Options{})
	if err != nil {
		panic(err)
	}
	for _, s := range tr.Steps {
		var names []string
		for _, m := range s.Results {
			if m.Trask != "" {
				names = append(names, m.Trask)
			}
		}
		fmt.Printf("step %-2d  %-22s %v\n", s.Number, s.Equations[0], names)
	}
	fmt.Println(tr.Steps[7].Explain(4)[0])
	fmt.Println(tr.Steps[8].Explain(4)[0])
	// Output:
	// step 0   X is 4×3: one sample per row [l0 y]
	// step 1   W1 is 3×4 (inputs×units), activation sigmoid [syn0 syn1]
	// step 2   Z1 = X·W1              []
	// step 3   A1 = σ(Z1)             [l1]
	// step 4   Z2 = A1·W2             [l2]
	// step 5   E = y − output         [l2_error]
	// step 6   slope2 = σ′(Z2) = A2 ⊙ (1 − A2) []
	// step 7   d2 = E ⊙ slope2        [l2_delta]
	// step 8   Error1 = d2·W2ᵀ        [l1_error]
	// step 9   d1 = Error1 ⊙ slope1   [l1_delta]
	// step 10  W2 += A1ᵀ·d2·lr        [syn1 syn0]
	// d2[0,0] = E[0,0]·slope2[0,0] = (-0.4737)·0.2493 = -0.1181
	// Error1[0,0] = d2[0,:]·W2[0,:] = (-0.1181)·(-0.5911) = 0.0698
}

// Which cells the first hidden unit's input for the second sample was
// computed from: row 1 of X, column 0 of W1.
func ExampleStep_Sources() {
	net, X, y := xorNet()
	tr, err := trace.New(net, X, y, trace.Options{})
	if err != nil {
		panic(err)
	}
	s := tr.Steps[2] // Z1 = X·W1
	for _, src := range s.Sources(0, trace.Cell{Row: 1, Col: 0}) {
		fmt.Println(src.Matrix.Name, src.Cells)
	}
	// Output:
	// X [{1 0} {1 1} {1 2}]
	// W1 [{0 0} {1 0} {2 0}]
}

// The weight updates of the third iteration, drawn with samples as
// columns as deeplearning.ai's L-layer tutorial does, 3 digits.
func ExampleTrace_WriteText() {
	net, X, y := xorNet()
	tr, err := trace.New(net, X, y, trace.Options{Iteration: 3, Layout: trace.Columns, Title: "xor, iteration 3"})
	if err != nil {
		panic(err)
	}
	tr.Steps = tr.Steps[10:] // print the last step only
	if err := tr.WriteText(os.Stdout, 3); err != nil {
		panic(err)
	}
	// Output:
	// xor, iteration 3
	// network 3-4-1 (sigmoid, sigmoid), loss half-sse summed over 4 samples, iteration 3, lr 1, samples as columns
	//
	// Step 10. Update the weights
	//     W2 += d2·A1ᵀ·lr
	//     W1 += d1·Xᵀ·lr
	//     lr = 1
	//   Analytics Vidhya: wout += hiddenlayer_activations.T.dot(d_output) * lr
	//                     wh += X.T.dot(d_hiddenlayer) * lr
	//   iamtrask:         syn1 += l1.T.dot(l2_delta)
	//                     syn0 += l0.T.dot(l1_delta)
	//   Go:               (*nn.Layer).Backward and LinearBackward (nn/layer.go): dW = A_prevᵀ·dZ = −A_prevᵀ·d by tensor.MatMul
	//                     (*nn.Layer).Update (nn/layer.go): W = W − lr·dW
	//
	//   new W2  1×4  (Analytics Vidhya: wout; iamtrask: syn1; Go: net.Layers[1].Wᵀ after Update)
	//   from W2 1×4, A1 4×4, d2 1×4
	//              0        1         2        3
	//     0  [-0.602]   0.740    -0.964    0.331
	//
	//   new W1  4×3  (Analytics Vidhya: wh; iamtrask: syn0; Go: net.Layers[0].Wᵀ after Update)
	//   from W1 4×3, X 3×4, d1 4×4
	//              0         1         2
	//     0   -0.170    -0.708    -0.205
	//     1    0.427    -0.826     0.061
	//     2   -1.012    -0.659    -0.169
	//     3   -0.400    -0.310     0.370
	//
	//   Worked out: new W2[0,0] = W2[0,0] + lr·d2[0,:]·A1[0,:] = -0.599 + 1·((-0.117)·0.449 + 0.128·0.287 + 0.115·0.408 + (-0.134)·0.253) = -0.602
}
