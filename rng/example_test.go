package rng_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/rng"
)

// The same numbers as
//
//	np.random.seed(1)
//	for _ in range(3): print("%.12g" % np.random.random())
func Example() {
	s := rng.New(1)
	for range 3 {
		fmt.Printf("%.12g\n", s.Float64())
	}
	// Output:
	// 0.417022004703
	// 0.720324493442
	// 0.000114374817345
}
