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
