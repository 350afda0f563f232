package tensor

import (
	"fmt"
	"strings"

	"github.com/nerve-ml/nerve/internal/kernel"
)

// Float is the set of element types a Dense matrix can hold.
type Float interface {
	~float32 | ~float64
}

// Dense is a rows×cols matrix stored row-major in one slice: element (i, j)
// is at index i·cols + j. The zero value is an empty 0×0 matrix.
type Dense[T Float] struct {
	rows, cols int
	data       []T
}

// New returns a rows×cols matrix backed by data, which it does not copy.
// A nil data allocates a zeroed matrix. New panics if a dimension is
// negative or len(data) ≠ rows·cols.
func New[T Float](rows, cols int, data []T) *Dense[T] {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("tensor: New: negative dimension (%d, %d)", rows, cols))
	}
	if data == nil {
		data = make([]T, rows*cols)
	}
	if len(data) != rows*cols {
		panic(fmt.Sprintf("tensor: New: %d values for shape (%d, %d), want %d", len(data), rows, cols, rows*cols))
	}
	// Capped at its length, so that Resize never grows into whatever
	// follows data in the caller's array.
	return &Dense[T]{rows: rows, cols: cols, data: data[:len(data):len(data)]}
}

// Zeros returns a new rows×cols matrix of zeros.
func Zeros[T Float](rows, cols int) *Dense[T] { return New[T](rows, cols, nil) }

// FromRows returns a new matrix holding a copy of rows, one slice per row,
// as np.array([[…], […]]) does. It panics if the rows differ in length.
func FromRows[T Float](rows [][]T) *Dense[T] {
	if len(rows) == 0 {
		return Zeros[T](0, 0)
	}
	m := Zeros[T](len(rows), len(rows[0]))
	for i, r := range rows {
		if len(r) != m.cols {
			panic(fmt.Sprintf("tensor: FromRows: row %d has %d values, row 0 has %d", i, len(r), m.cols))
		}
		copy(m.data[i*m.cols:], r)
	}
	return m
}

// Dims returns the number of rows and columns.
func (m *Dense[T]) Dims() (rows, cols int) { return m.rows, m.cols }

// Rows returns the number of rows.
func (m *Dense[T]) Rows() int { return m.rows }

// Cols returns the number of columns.
func (m *Dense[T]) Cols() int { return m.cols }

// Shape returns the dimensions as numpy prints them, e.g. "(3, 4)".
func (m *Dense[T]) Shape() string { return fmt.Sprintf("(%d, %d)", m.rows, m.cols) }

// Data returns the backing slice, row-major. Writes to it change m.
func (m *Dense[T]) Data() []T { return m.data }

// At returns element (i, j). It panics if the index is out of range.
func (m *Dense[T]) At(i, j int) T {
	m.check(i, j)
	return m.data[i*m.cols+j]
}

// Set sets element (i, j) to v. It panics if the index is out of range.
func (m *Dense[T]) Set(i, j int, v T) {
	m.check(i, j)
	m.data[i*m.cols+j] = v
}

func (m *Dense[T]) check(i, j int) {
	if i < 0 || i >= m.rows || j < 0 || j >= m.cols {
		panic(fmt.Sprintf("tensor: index (%d, %d) out of range for shape %s", i, j, m.Shape()))
	}
}

// Row returns row i as a slice sharing m's storage.
func (m *Dense[T]) Row(i int) []T {
	if i < 0 || i >= m.rows {
		panic(fmt.Sprintf("tensor: row %d out of range for shape %s", i, m.Shape()))
	}
	return m.data[i*m.cols : (i+1)*m.cols]
}

// Slice returns rows [from, to) as a matrix sharing m's storage. Resizing
// the result never reaches the rows of m after it.
func (m *Dense[T]) Slice(from, to int) *Dense[T] {
	if from < 0 || to < from || to > m.rows {
		panic(fmt.Sprintf("tensor: Slice(%d, %d) out of range for shape %s", from, to, m.Shape()))
	}
	return &Dense[T]{rows: to - from, cols: m.cols, data: m.data[from*m.cols : to*m.cols : to*m.cols]}
}

// SliceInto is Slice reusing dst's header: it sets dst to rows [from, to)
// of m, sharing m's storage, and returns it, or a new matrix when dst is
// nil. dst's own storage is dropped, not written. A loop that takes a
// view of a different block of rows each step allocates nothing this way.
func (m *Dense[T]) SliceInto(dst *Dense[T], from, to int) *Dense[T] {
	if dst == nil {
		return m.Slice(from, to)
	}
	if from < 0 || to < from || to > m.rows {
		panic(fmt.Sprintf("tensor: SliceInto(%d, %d) out of range for shape %s", from, to, m.Shape()))
	}
	*dst = Dense[T]{rows: to - from, cols: m.cols, data: m.data[from*m.cols : to*m.cols : to*m.cols]}
	return dst
}

// Resize sets m's shape to rows×cols, for a buffer about to be
// overwritten: it reuses m's storage when that can hold rows·cols
// elements, and allocates new storage otherwise. Storage is never given
// back, so a buffer that alternates between a batch size and a smaller
// last batch allocates only once. The elements' values afterwards are
// unspecified, and matrices sharing m's storage (from Reshape or Data)
// may see them change. Resize panics if a dimension is negative.
func (m *Dense[T]) Resize(rows, cols int) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("tensor: Resize: negative dimension (%d, %d)", rows, cols))
	}
	n := rows * cols
	if n > cap(m.data) {
		m.data = make([]T, n)
	}
	m.rows, m.cols, m.data = rows, cols, m.data[:n]
}

// Reuse returns m resized to rows×cols (see Resize), or a new zero
// rows×cols matrix when m is nil: the way to keep a buffer in a field
// that starts out nil.
func Reuse[T Float](m *Dense[T], rows, cols int) *Dense[T] {
	if m == nil {
		return Zeros[T](rows, cols)
	}
	m.Resize(rows, cols)
	return m
}

// Clone returns a deep copy of m.
func (m *Dense[T]) Clone() *Dense[T] {
	return &Dense[T]{rows: m.rows, cols: m.cols, data: append([]T(nil), m.data...)}
}

// Copy copies src into m. It panics if the shapes differ.
func (m *Dense[T]) Copy(src *Dense[T]) {
	sameShape("Copy", m, src)
	copy(m.data, src.data)
}

// Reshape returns m with a new shape over the same storage, like
// numpy's reshape of a contiguous array. It panics if the sizes differ.
func (m *Dense[T]) Reshape(rows, cols int) *Dense[T] {
	if rows*cols != len(m.data) || rows < 0 || cols < 0 {
		panic(fmt.Sprintf("tensor: Reshape: cannot view %s as (%d, %d)", m.Shape(), rows, cols))
	}
	return &Dense[T]{rows: rows, cols: cols, data: m.data}
}

// Fill sets every element to v.
func (m *Dense[T]) Fill(v T) {
	for i := range m.data {
		m.data[i] = v
	}
}

// Transpose returns a new matrix holding mᵀ.
func (m *Dense[T]) Transpose() *Dense[T] {
	t := Zeros[T](m.cols, m.rows)
	for i := 0; i < m.rows; i++ {
		for j := 0; j < m.cols; j++ {
			t.data[j*m.rows+i] = m.data[i*m.cols+j]
		}
	}
	return t
}

// Equal reports whether a and b have the same shape and identical
// elements.
func Equal[T Float](a, b *Dense[T]) bool {
	if a.rows != b.rows || a.cols != b.cols {
		return false
	}
	for i, v := range a.data {
		if v != b.data[i] {
			return false
		}
	}
	return true
}

// Convert returns a copy of m with its elements converted to type U,
// e.g. float64 to float32.
func Convert[U, T Float](m *Dense[T]) *Dense[U] {
	out := Zeros[U](m.rows, m.cols)
	for i, v := range m.data {
		out.data[i] = U(v)
	}
	return out
}

// String formats m as rows of %.6g values, like numpy's repr.
func (m *Dense[T]) String() string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i := 0; i < m.rows; i++ {
		if i > 0 {
			sb.WriteString("\n ")
		}
		sb.WriteByte('[')
		for j := 0; j < m.cols; j++ {
			if j > 0 {
				sb.WriteByte(' ')
			}
			fmt.Fprintf(&sb, "%.6g", float64(m.data[i*m.cols+j]))
		}
		sb.WriteByte(']')
	}
	sb.WriteByte(']')
	return sb.String()
}

// Op says whether an operand enters a product as stored or transposed.
type Op bool

const (
	// NoTrans uses the operand as stored.
	NoTrans Op = false
	// Trans uses the operand's transpose.
	Trans Op = true
)

func opDims[T Float](m *Dense[T], op Op) (int, int) {
	if op == Trans {
		return m.cols, m.rows
	}
	return m.rows, m.cols
}

func opShape[T Float](m *Dense[T], op Op) string {
	r, c := opDims(m, op)
	return fmt.Sprintf("(%d, %d)", r, c)
}

// MatMul sets dst = op(a)·op(b), where op transposes its operand when told
// to: MatMul(dW, x, Trans, dZ, NoTrans) computes dW = xᵀ·dZ without
// forming xᵀ. It is the one matrix-multiply entry point of nerve; all
// products go through kernel.Gemm.
//
// MatMul panics if the inner dimensions differ, if dst is not the shape of
// the product, or if dst shares storage with a or b.
func MatMul[T Float](dst, a *Dense[T], opA Op, b *Dense[T], opB Op) {
	matMul(dst, a, opA, b, opB, 0)
}

// MatMulAdd sets dst = dst + op(a)·op(b), with the same rules as MatMul.
func MatMulAdd[T Float](dst, a *Dense[T], opA Op, b *Dense[T], opB Op) {
	matMul(dst, a, opA, b, opB, 1)
}

func matMul[T Float](dst, a *Dense[T], opA Op, b *Dense[T], opB Op, beta T) {
	m, k := opDims(a, opA)
	k2, n := opDims(b, opB)
	if k != k2 {
		panic(fmt.Sprintf("tensor: MatMul: op(a) is %s but op(b) is %s", opShape(a, opA), opShape(b, opB)))
	}
	if dst.rows != m || dst.cols != n {
		panic(fmt.Sprintf("tensor: MatMul: dst is %s, want (%d, %d) for op(a) %s · op(b) %s", dst.Shape(), m, n, opShape(a, opA), opShape(b, opB)))
	}
	if overlaps(dst.data, a.data) || overlaps(dst.data, b.data) {
		panic("tensor: MatMul: dst shares storage with an operand")
	}
	kernel.Gemm(bool(opA), bool(opB), m, n, k, 1, a.data, max(a.cols, 1), b.data, max(b.cols, 1), beta, dst.data, max(n, 1))
}

// Dot returns a new matrix holding a·b, like np.dot for 2-D arrays. It
// panics if the inner dimensions differ.
func Dot[T Float](a, b *Dense[T]) *Dense[T] {
	dst := Zeros[T](a.rows, b.cols)
	MatMul(dst, a, NoTrans, b, NoTrans)
	return dst
}

// Overlap reports whether a and b share any storage (a matrix overlaps
// itself).
func Overlap[T Float](a, b *Dense[T]) bool { return overlaps(a.data, b.data) }

func overlaps[T Float](x, y []T) bool {
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	return &x[0] == &y[0] ||
		(addr(x) < addr(y)+uintptr(len(y))*size[T]() && addr(y) < addr(x)+uintptr(len(x))*size[T]())
}

func sameShape[T Float](op string, a, b *Dense[T]) {
	if a.rows != b.rows || a.cols != b.cols {
		panic(fmt.Sprintf("tensor: %s: shapes %s and %s differ", op, a.Shape(), b.Shape()))
	}
}
