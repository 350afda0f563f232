package data_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/rng"
)

// Holding out a quarter of 16 samples of class 0 and 4 of class 1 keeps
// the 4:1 mix: 4 and 1.
func ExampleStratify() {
	class := make([]int, 20)
	for i := 16; i < 20; i++ {
		class[i] = 1
	}
	held := data.Stratify(class, 0.25, rng.New(1))
	count := map[int]int{}
	for i, h := range held {
		if h {
			count[class[i]]++
		}
	}
	fmt.Println(count[0], count[1])
	// Output: 4 1
}
