package nerve_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/metrics"
	"github.com/nerve-ml/nerve/tensor"
)

// Features that are float32 already (data.CSVOptions.Float32 and
// data.IDXOptions.Float32 load them so) train without a float64 copy;
// with NoScaling the network trains on them as they are.
func ExampleClassifier_FitFloat32() {
	// Points of two classes on either side of x1 = x2.
	X := tensor.Zeros[float32](200, 2)
	y := make([]string, 200)
	for i := range 200 {
		a, b := float32(i%20)/20, float32(i/20)/10
		X.Set(i, 0, a)
		X.Set(i, 1, b)
		y[i] = "below"
		if b > a {
			y[i] = "above"
		}
	}
	clf := nerve.NewClassifier[string](nerve.Options{Hidden: []int{16}, Epochs: 200, LR: 0.01, NoScaling: true})
	if _, err := clf.FitFloat32(context.Background(), X, y); err != nil {
		log.Fatal(err)
	}
	pred, _ := clf.Predict(tensor.Convert[float64](X))
	fmt.Printf("training accuracy ≥ 0.95: %v\n", metrics.Accuracy(y, pred) >= 0.95)
	// Output: training accuracy ≥ 0.95: true
}
