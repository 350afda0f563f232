package nerve_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/metrics"
)

// A classifier for Fisher's irises, embedded in nerve: hold out 30 % of
// the flowers, train on the rest, and score the held-out ones.
func Example() {
	trainSet, testSet, _ := data.Iris().Split(0.3, 0)
	clf := nerve.NewClassifier[string](nerve.Options{Hidden: []int{8}, Activation: "tanh", LR: 0.01, Epochs: 100})
	if _, err := clf.Fit(context.Background(), trainSet.X, trainSet.Labels); err != nil {
		log.Fatal(err)
	}
	pred, _ := clf.Predict(testSet.X)
	fmt.Printf("test accuracy %.2f\n", metrics.Accuracy(testSet.Labels, pred))
	// Output: test accuracy 0.98
}
