package optim_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
)

// Minimize (w − 3)² with SGD and momentum, halving the learning rate every
// 10 epochs.
func Example() {
	w := tensor.Zeros[float64](1, 1)
	dw := tensor.Zeros[float64](1, 1)
	params := []optim.Param[float64]{{Value: w, Grad: dw}}

	opt, err := optim.NewSGD[float64](optim.SGD{LR: 0.1, Momentum: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	sched := optim.Step(0.1, 10, 0.5)
	for epoch := range 40 {
		if err := opt.SetLR(sched.LR(epoch)); err != nil {
			fmt.Println(err)
			return
		}
		dw.Data()[0] = 2 * (w.Data()[0] - 3) // ∂(w−3)²/∂w
		opt.Step(params)
	}
	fmt.Printf("w = %.4f, lr = %g\n", w.Data()[0], opt.LR())

	_, err = optim.NewSGD[float64](optim.SGD{Nesterov: true})
	fmt.Println(err)
	// Output:
	// w = 3.0003, lr = 0.0125
	// optim: SGD.Nesterov = true: invalid hyper-parameter: want Momentum > 0 and Dampening = 0
}

// A step in parts: StartStep, then StepPart over every element (here in
// two halves, second half first) gives the parameters Step would.
func ExamplePartStepper() {
	w := tensor.FromRows([][]float64{{1, 2, 3, 4}})
	dw := tensor.FromRows([][]float64{{0.5, -0.5, 1, -1}})
	params := []optim.Param[float64]{{Value: w, Grad: dw}}

	opt, err := optim.New[float64]("sgd", 0.1)
	if err != nil {
		fmt.Println(err)
		return
	}
	ps := opt.(optim.PartStepper[float64])
	ps.StartStep(params)
	ps.StepPart(0, 2, 4) // w[2:4] −= 0.1·dw[2:4]
	ps.StepPart(0, 0, 2)
	fmt.Println(w.Data())
	// Output:
	// [0.95 2.05 2.9 4.1]
}
