package tutorials_test

import (
	"context"
	"fmt"
	"os"

	"github.com/nerve-ml/nerve/tutorials"
)

// The iamtrask XOR network with np.random.seed(1): the errors it prints
// every 10000 iterations.
func ExampleXOR() {
	r, err := tutorials.XOR(context.Background(), 1, 30000)
	if err != nil {
		panic(err)
	}
	for i, e := range r.Trace {
		fmt.Printf("iteration %5d: mean |y - l2| = %.12g\n", r.TraceAt[i], e)
	}
	// Output:
	// iteration     0: mean |y - l2| = 0.496410031903
	// iteration 10000: mean |y - l2| = 0.00858452565325
	// iteration 20000: mean |y - l2| = 0.00578945986251
}

func ExampleTutorial_Run() {
	t, err := tutorials.Lookup("single-layer")
	if err != nil {
		panic(err)
	}
	if err := t.Run(context.Background(), os.Stdout, tutorials.Options{Seed: 1}); err != nil {
		panic(err)
	}
	// Output:
	// Output After Training:
	// x1  x2  x3  target  output
	// 0   0   1   0       0.00966449168797
	// 0   1   1   0       0.00786505967131
	// 1   0   1   1       0.993588980497
	// 1   1   1   1       0.992119573219
}

// One iteration of the hidden-layer tutorial by hand: forward, backward
// and update on the tutorial's own network, data and learning rate.
func ExampleNewProblem() {
	p, err := tutorials.NewProblem("hidden-layer", 1)
	if err != nil {
		panic(err)
	}
	cache, err := p.Net.Forward(p.X)
	if err != nil {
		panic(err)
	}
	cost, _ := p.Net.Cost(cache, p.Y)
	grads, _ := p.Net.Backward(cache, p.Y)
	p.Net.Update(grads, p.LR)
	again, _ := p.Net.Forward(p.X)
	costAfter, _ := p.Net.Cost(again, p.Y)
	fmt.Printf("%d samples, lr %g: loss %.4f before the update, %.4f after\n", p.X.Rows(), p.LR, cost, costAfter)
	// Output: 3 samples, lr 0.1: loss 0.3567 before the update, 0.3554 after
}
