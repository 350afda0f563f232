package nn_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
)

// A classifier for Iris-like data: 4 features, 3 classes.
func ExampleNetwork_Summary() {
	net, err := nn.New[float32](nn.Config{
		Inputs: 4,
		Layers: []nn.LayerSpec{
			{Units: 16, Activation: activation.ReLU},
			{Units: 8, Activation: activation.Tanh, NoBias: true},
			{Units: 3, Activation: activation.Softmax},
		},
		Loss: loss.CrossEntropy,
	}, rng.New(1))
	if err != nil {
		panic(err)
	}
	fmt.Print(net.Summary())
	// Output:
	// layer  type   W        b    activation  params
	// 1      dense  (4, 16)  yes  relu            80
	// 2      dense  (16, 8)  no   tanh           128
	// 3      dense  (8, 3)   yes  softmax         27
	// parameters: 235 (940 bytes as float32)
	// loss: cross-entropy, mean over the batch
}
