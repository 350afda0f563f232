package tensor_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/tensor"
)

// Products give the same bits on one thread as on many.
func ExampleSetThreads() {
	a := tensor.Zeros[float32](300, 200)
	b := tensor.Zeros[float32](200, 100)
	for i := range a.Data() {
		a.Data()[i] = float32(i%7) - 3
	}
	for i := range b.Data() {
		b.Data()[i] = float32(i%5) / 4
	}
	product := func(threads int) *tensor.Dense[float32] {
		tensor.SetThreads(threads)
		c := tensor.Zeros[float32](300, 100)
		tensor.MatMul(c, a, tensor.NoTrans, b, tensor.NoTrans)
		return c
	}
	one, many := product(1), product(4)
	tensor.SetThreads(0) // back to the default, GOMAXPROCS
	fmt.Println("same bits:", tensor.Equal(one, many))
	// Output:
	// same bits: true
}
