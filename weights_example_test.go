package nerve_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/tensor"
)

// Balanced class weights for 8 "ok" and 2 "fraud" labels: each class then
// weighs 5 in all, as scikit-learn's compute_class_weight('balanced')
// gives.
func ExampleBalancedClassWeight() {
	y := []string{"ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "fraud", "fraud"}
	w := nerve.BalancedClassWeight(y)
	fmt.Println("ok", w["ok"], "fraud", w["fraud"])
	// Output: ok 0.625 fraud 2.5
}

// A classifier trained with balanced class weights (Options) and sample
// weights (FitWeighted) that count the last sample three times: its
// weight is 3 × the class weight 3 of "b". A negative sample weight is
// an error that names the sample.
func ExampleClassifier_FitWeighted() {
	X := tensor.FromRows([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.1, 0.2}, {0.9, 0.8}})
	y := []string{"a", "a", "a", "a", "a", "b"}
	sampleWeight := []float64{1, 1, 1, 1, 1, 3}
	clf := nerve.NewClassifier[string](nerve.Options{Epochs: 5, BalancedClassWeight: true})
	if _, err := clf.FitWeighted(context.Background(), X, y, sampleWeight); err != nil {
		log.Fatal(err)
	}
	fmt.Println(nerve.BalancedClassWeight(y))
	_, err := clf.FitWeighted(context.Background(), X, y, []float64{1, 1, -1, 1, 1, 1})
	fmt.Println(err)
	// Output:
	// map[a:0.6 b:3]
	// invalid data: sample weights: invalid sample weight: sample 3 has weight -1, want a finite number ≥ 0
}
