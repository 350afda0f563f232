package tensor

import (
	"fmt"

	"github.com/nerve-ml/nerve/internal/kernel"
)

// Add sets m = a + b element by element.
func (m *Dense[T]) Add(a, b *Dense[T]) {
	sameShape("Add", a, b)
	sameShape("Add", m, a)
	for i, v := range a.data {
		m.data[i] = v + b.data[i]
	}
}

// Sub sets m = a − b element by element.
func (m *Dense[T]) Sub(a, b *Dense[T]) {
	sameShape("Sub", a, b)
	sameShape("Sub", m, a)
	for i, v := range a.data {
		m.data[i] = v - b.data[i]
	}
}

// MulElem sets m = a ⊙ b, the element-wise (Hadamard) product that numpy
// writes a * b.
func (m *Dense[T]) MulElem(a, b *Dense[T]) {
	sameShape("MulElem", a, b)
	sameShape("MulElem", m, a)
	for i, v := range a.data {
		m.data[i] = v * b.data[i]
	}
}

// Scale sets m = s·a.
func (m *Dense[T]) Scale(s T, a *Dense[T]) {
	sameShape("Scale", m, a)
	for i, v := range a.data {
		m.data[i] = s * v
	}
}

// AddScaled sets m = a + s·b, the gradient-descent step W − lr·dW when s
// is −lr.
func (m *Dense[T]) AddScaled(a *Dense[T], s T, b *Dense[T]) {
	sameShape("AddScaled", a, b)
	sameShape("AddScaled", m, a)
	for i, v := range a.data {
		m.data[i] = v + s*b.data[i]
	}
}

// AddRowVector sets m = a + v with the 1×cols row v added to every row of
// a, as numpy broadcasts a bias: Z = X·W + b.
func (m *Dense[T]) AddRowVector(a, v *Dense[T]) {
	sameShape("AddRowVector", m, a)
	if v.rows != 1 || v.cols != a.cols {
		panic(fmt.Sprintf("tensor: AddRowVector: vector is %s, want (1, %d) for matrix %s", v.Shape(), a.cols, a.Shape()))
	}
	for i := 0; i < a.rows; i++ {
		row := a.data[i*a.cols : (i+1)*a.cols]
		out := m.data[i*a.cols : (i+1)*a.cols]
		for j, x := range row {
			out[j] = x + v.data[j]
		}
	}
}

// SumRows sets the 1×cols matrix m to the column sums of a, adding the
// rows in order: np.sum(a, axis=0, keepdims=True), the bias gradient
// db = Σᵢ dZ[i,:].
func (m *Dense[T]) SumRows(a *Dense[T]) {
	if m.rows != 1 || m.cols != a.cols {
		panic(fmt.Sprintf("tensor: SumRows: dst is %s, want (1, %d) for matrix %s", m.Shape(), a.cols, a.Shape()))
	}
	if overlaps(m.data, a.data) {
		panic("tensor: SumRows: dst shares storage with its input")
	}
	kernel.SumRows(a.rows, a.cols, a.data, m.data)
}

// Apply sets m[i,j] = f(a[i,j]).
func (m *Dense[T]) Apply(f func(T) T, a *Dense[T]) {
	sameShape("Apply", m, a)
	for i, v := range a.data {
		m.data[i] = f(v)
	}
}

// Sum returns the sum of all elements, accumulated in float64.
func (m *Dense[T]) Sum() float64 {
	var s float64
	for _, v := range m.data {
		s += float64(v)
	}
	return s
}

// AddColVector sets m = a + v with the rows×1 column v added to every
// column of a: the bias broadcast Z = W·A + b of the samples-as-columns
// layout (deeplearning.ai).
func (m *Dense[T]) AddColVector(a, v *Dense[T]) {
	sameShape("AddColVector", m, a)
	if v.cols != 1 || v.rows != a.rows {
		panic(fmt.Sprintf("tensor: AddColVector: vector is %s, want (%d, 1) for matrix %s", v.Shape(), a.rows, a.Shape()))
	}
	for i := 0; i < a.rows; i++ {
		b := v.data[i]
		out := m.data[i*a.cols : (i+1)*a.cols]
		for j, x := range a.data[i*a.cols : (i+1)*a.cols] {
			out[j] = x + b
		}
	}
}

// SumCols sets the rows×1 matrix m to the row sums of a:
// np.sum(a, axis=1, keepdims=True), the bias gradient of the
// samples-as-columns layout.
func (m *Dense[T]) SumCols(a *Dense[T]) {
	if m.cols != 1 || m.rows != a.rows {
		panic(fmt.Sprintf("tensor: SumCols: dst is %s, want (%d, 1) for matrix %s", m.Shape(), a.rows, a.Shape()))
	}
	for i := 0; i < a.rows; i++ {
		var s T
		for _, x := range a.data[i*a.cols : (i+1)*a.cols] {
			s += x
		}
		m.data[i] = s
	}
}
