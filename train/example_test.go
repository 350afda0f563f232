package train_test

import (
	"context"
	"fmt"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// Fit a 2-4-1 network to XOR with Adam, full batch, and stop as soon as
// every sample is classified right.
func ExampleFit() {
	X := tensor.FromRows([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}})
	Y := tensor.FromRows([][]float64{{0}, {1}, {1}, {0}})
	net, _ := nn.New[float64](nn.Config{
		Inputs: 2,
		Layers: []nn.LayerSpec{{Units: 4, Activation: activation.Tanh}, {Units: 1, Activation: activation.Sigmoid}},
		Loss:   loss.BinaryCrossEntropy,
	}, rng.New(1))
	adam, _ := optim.NewAdam[float64](optim.Adam{LR: 0.05})
	hist, err := train.Fit(context.Background(), net, X, Y, train.Config[float64]{
		Epochs:    1000,
		Optimizer: adam,
		OnEpoch: func(e train.EpochEnd) error {
			if e.Accuracy == 1 && e.Loss < 0.1 {
				return train.ErrStop
			}
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := net.Predict(X)
	fmt.Printf("stopped after %d epochs with loss < 0.1\n", len(hist.Epochs))
	for i := range 4 {
		fmt.Printf("%v → %.0f\n", X.Row(i), out.At(i, 0))
	}
	// Output:
	// stopped after 43 epochs with loss < 0.1
	// [0 0] → 0
	// [0 1] → 1
	// [1 0] → 1
	// [1 1] → 0
}
