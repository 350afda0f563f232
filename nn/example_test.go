package nn_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// Training XOR by hand: forward with caches, cost, backward, update.
func Example() {
	X := tensor.FromRows([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}})
	y := tensor.FromRows([][]float64{{0}, {1}, {1}, {0}})
	net, err := nn.New[float64](nn.Config{
		Inputs: 2,
		Layers: []nn.LayerSpec{
			{Units: 4, Activation: activation.Tanh},
			{Units: 1, Activation: activation.Sigmoid},
		},
		Loss: loss.BinaryCrossEntropy,
	}, rng.New(1))
	if err != nil {
		panic(err)
	}
	for epoch := 0; epoch <= 2000; epoch++ {
		cache, _ := net.Forward(X)         // Z = A_prev·W + b, A = f(Z)
		cost, _ := net.Cost(cache, y)      // binary cross-entropy
		grads, _ := net.Backward(cache, y) // dZ, dW, db, dA_prev
		net.Update(grads, 0.5)             // W −= 0.5·dW, b −= 0.5·db
		if epoch%1000 == 0 {
			fmt.Printf("epoch %4d  cost %.4f\n", epoch, cost)
		}
	}
	out, _ := net.Predict(X)
	for i := 0; i < 4; i++ {
		fmt.Printf("%v -> %.0f\n", X.Row(i), out.At(i, 0))
	}
}

// A training loop that reuses one Cache and one Gradients: after the
// first batch, ForwardInto and BackwardInto allocate nothing.
func ExampleNetwork_ForwardInto() {
	X := tensor.FromRows([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}})
	y := tensor.FromRows([][]float64{{0}, {1}, {1}, {0}})
	net, err := nn.New[float64](nn.Config{
		Inputs: 2,
		Layers: []nn.LayerSpec{{Units: 4, Activation: activation.Tanh}, {Units: 1, Activation: activation.Sigmoid}},
		Loss:   loss.BinaryCrossEntropy,
	}, rng.New(1))
	if err != nil {
		panic(err)
	}
	var (
		cache nn.Cache[float64]     // Z and A of every layer, reused
		grads nn.Gradients[float64] // dZ, dW, db … of every layer, reused
	)
	grads.NoInputGrad = true // ∂L/∂X is not needed to train
	for range 2001 {
		if err := net.ForwardInto(&cache, X); err != nil {
			panic(err)
		}
		if err := net.BackwardInto(&grads, &cache, y); err != nil {
			panic(err)
		}
		net.Update(&grads, 0.5)
	}
	cost, _ := net.Cost(&cache, y)
	fmt.Printf("cost %.4f, output %.2f\n", cost, cache.Output().Data())
	// Output:
	// cost 0.0026, output [0.00 1.00 1.00 0.00]
}

// One dense layer's steps by hand: the forward step, then the backward
// step from a gradient dA of the loss with respect to its output.
func ExampleLayer_Backward() {
	layer := &nn.Layer[float64]{
		W:          tensor.FromRows([][]float64{{0.5, -1}, {0.25, 1}}), // 2 inputs, 2 units
		B:          tensor.FromRows([][]float64{{0.1, -0.1}}),
		Activation: activation.ReLU,
	}
	X := tensor.FromRows([][]float64{{1, 2}, {3, -1}})
	c := layer.Forward(X) // Z = X·W + b, A = relu(Z)
	fmt.Println("Z", c.Z.Data(), "A", c.A.Data())
	dA := tensor.FromRows([][]float64{{1, 1}, {1, 1}})
	g := layer.Backward(c, dA) // dZ = dA ⊙ relu′(Z); dW = Xᵀ·dZ; db = Σᵢ dZ[i,:]; dA_prev = dZ·Wᵀ
	fmt.Println("dZ", g.DZ.Data(), "dW", g.DW.Data(), "db", g.DB.Data(), "dA_prev", g.DAPrev.Data())
	// Output:
	// Z [1.1 0.9 1.35 -4.1] A [1.1 0.9 1.35 0]
	// dZ [1 1 1 0] dW [4 1 1 2] db [2 1] dA_prev [-0.5 1.25 0.5 0.25]
}

// Network.Backward by hand: the output delta, the output layer's linear
// part, then each layer below from the dA_prev of the layer above.
func ExampleNetwork_OutputDelta() {
	net := &nn.Network[float64]{ // 2 inputs, 2 tanh units, 1 linear output, MSE
		Layers: []*nn.Layer[float64]{
			{W: tensor.FromRows([][]float64{{0.5, -0.5}, {1, 0.25}}), Activation: activation.Tanh},
			{W: tensor.FromRows([][]float64{{1}, {-2}}), B: tensor.FromRows([][]float64{{0.5}})},
		},
		Loss: loss.MSE,
	}
	X := tensor.FromRows([][]float64{{1, 0}, {0, 1}, {1, 1}})
	y := tensor.FromRows([][]float64{{1}, {0}, {1}})
	cache, _ := net.Forward(X)
	dA, dZ, _ := net.OutputDelta(cache, y) // dA = ∂L/∂ŷ = 2(ŷ − y)/m; dZ = dA ⊙ 1 for a linear output
	top := net.Layers[1].LinearBackward(cache.Layers[1], dZ)
	hidden := net.Layers[0].Backward(cache.Layers[0], top.DAPrev)

	grads, _ := net.Backward(cache, y)
	fmt.Println(tensor.Equal(dA, dZ), tensor.Equal(top.DW, grads.Layers[1].DW), tensor.Equal(hidden.DW, grads.Layers[0].DW))
	// Output: true true true
}

// A dense layer's forward step in one call, the way training runs it.
func ExampleForwardDense() {
	x := tensor.FromRows([][]float64{{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}})
	w := tensor.FromRows([][]float64{{0.5, -1}, {0.25, 1}, {-0.5, 0.75}, {1, -0.25}})
	b := tensor.FromRows([][]float64{{0.1, -0.1}})
	z, a := tensor.Zeros[float64](3, 2), tensor.Zeros[float64](3, 2)
	nn.ForwardDense(activation.ReLU, a, z, x, w, b) // Z = X·W + b; A = relu(Z)
	fmt.Println(z.Row(0), a.Row(0))
	fmt.Println(z.Row(2), a.Row(2))
	// Output:
	// [0.1 -0.35] [0.1 0]
	// [1.35 0.65] [1.35 0.65]
}

// The backward step from a layer with one unit down to a ReLU layer with
// two, in one call, the way training runs it.
func ExampleBackwardDense() {
	z := tensor.FromRows([][]float64{{1, -1}, {0.5, 2}}) // the ReLU layer's Z and A
	a := tensor.FromRows([][]float64{{1, 0}, {0.5, 2}})
	wNext := tensor.FromRows([][]float64{{2}, {3}}) // the layer above: W and its delta dZ
	dzNext := tensor.FromRows([][]float64{{0.5}, {-1}})
	da, dz, db := tensor.Zeros[float64](2, 2), tensor.Zeros[float64](2, 2), tensor.Zeros[float64](1, 2)
	nn.BackwardDense(activation.ReLU, dz, db, da, dzNext, wNext, z, a) // dA = dZ_next·W_nextᵀ; dZ = dA ⊙ relu′(Z); db = Σᵢ dZ[i,:]
	fmt.Println("dA", da.Data(), "dZ", dz.Data(), "db", db.Data())
	// Output: dA [1 1.5 -2 -3] dZ [1 0 -2 -3] db [-1 -3]
}

// A training step with an optimizer: BackwardStep computes the gradients
// and updates every W and b with Adam, each block of W on the thread that
// has just computed its gradient.
func ExampleNetwork_BackwardStep() {
	// y = 1 where x₁ > x₀, from six samples.
	X := tensor.FromRows([][]float32{{0, 1}, {1, 0}, {0.2, 0.9}, {0.8, 0.3}, {0.4, 0.6}, {0.7, 0.1}})
	y := tensor.FromRows([][]float32{{1}, {0}, {1}, {0}, {1}, {0}})
	cfg := nn.Config{Inputs: 2, Loss: loss.BinaryCrossEntropy,
		Layers: []nn.LayerSpec{{Units: 8, Activation: activation.ReLU}, {Units: 1, Activation: activation.Sigmoid}}}
	net, err := nn.New[float32](cfg, rng.New(3))
	if err != nil {
		panic(err)
	}
	opt, err := optim.New[float32]("adam", 0.05)
	if err != nil {
		panic(err)
	}
	var cache nn.Cache[float32]
	grads := nn.Gradients[float32]{NoInputGrad: true}
	for range 300 {
		if err := net.ForwardInto(&cache, X); err != nil {
			panic(err)
		}
		if err := net.BackwardStep(&grads, &cache, y, nil, opt); err != nil { // no sample weights
			panic(err)
		}
	}
	out, _ := net.Predict(X)
	fmt.Printf("%.0f\n", out.Data())
	// Output:
	// [1 0 1 0 1 0]
}

// A training step's forward pass and cost in one call: for softmax +
// cross-entropy the cost comes from the log-sum-exp the output layer's
// softmax computes, and equals ForwardInto followed by Cost, bit for bit.
func ExampleNetwork_ForwardCostInto() {
	X := tensor.FromRows([][]float64{{0, 1}, {1, 0}, {1, 1}})
	y := tensor.FromRows([][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}})
	net, err := nn.New[float64](nn.Config{
		Inputs: 2,
		Layers: []nn.LayerSpec{{Units: 4, Activation: activation.ReLU}, {Units: 3, Activation: activation.Softmax}},
		Loss:   loss.CrossEntropy,
	}, rng.New(1))
	if err != nil {
		panic(err)
	}
	var cache nn.Cache[float64]
	cost, err := net.ForwardCostInto(&cache, X, y, nil) // Z, A of every layer; L
	if err != nil {
		panic(err)
	}
	again, _ := net.Cost(&cache, y)
	fmt.Printf("cost %.4f, same as Cost: %v\n", cost, cost == again)
	// Output:
	// cost 1.3045, same as Cost: true
}
