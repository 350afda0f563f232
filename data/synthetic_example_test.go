package data_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/data"
)

// Three interleaved spiral arms: a problem no linear model separates.
func ExampleSpiral() {
	d := data.Spiral(100, 3, 0.2, 1)
	classes, _ := data.NewClasses(d.Labels)
	fmt.Println(d.Len(), "points,", d.X.Cols(), "features, classes", classes.Labels())
	// Output: 300 points, 2 features, classes [0 1 2]
}

// TensorFlow Playground's circle: a disc of one class inside a ring of
// the other, written as the CSV that nerve train reads.
func ExampleGenerate() {
	d, err := data.Generate("circle", data.Synthetic{Samples: 200, Noise: 0.1, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	classes, _ := data.NewClasses(d.Labels)
	fmt.Println(d.Len(), "points, features", d.Features, "classes", classes.Labels())
	// Output: 200 points, features [x1 x2] classes [-1 1]
}
