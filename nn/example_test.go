package nn_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
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
		Layers: []nn.LayerSpec{
			{Units: 4, Activation: activation.Tanh},
			{Units: 1, Activation: activation.Sigmoid},
		},
		Loss: loss.BinaryCrossEntropy,
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
