package tensor

import (
	"fmt"
	"strings"
	"testing"
)

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic; want one containing %q", want)
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			t.Fatalf("panic %q; want it to contain %q", msg, want)
		}
	}()
	f()
}

func seq[T Float](rows, cols int, start T) *Dense[T] {
	m := Zeros[T](rows, cols)
	for i := range m.data {
		m.data[i] = start + T(i)*0.5
	}
	return m
}

func naiveMul(a *Dense[float64], ta Op, b *Dense[float64], tb Op) *Dense[float64] {
	at, bt := a, b
	if ta == Trans {
		at = a.Transpose()
	}
	if tb == Trans {
		bt = b.Transpose()
	}
	out := Zeros[float64](at.rows, bt.cols)
	for i := 0; i < at.rows; i++ {
		for j := 0; j < bt.cols; j++ {
			var s float64
			for p := 0; p < at.cols; p++ {
				s += at.At(i, p) * bt.At(p, j)
			}
			out.Set(i, j, s)
		}
	}
	return out
}

func TestMatMulAllOps(t *testing.T) {
	for _, sz := range [][3]int{{1, 1, 1}, {3, 4, 2}, {5, 1, 7}, {2, 9, 3}} {
		m, k, n := sz[0], sz[1], sz[2]
		for _, ops := range [][2]Op{{NoTrans, NoTrans}, {Trans, NoTrans}, {NoTrans, Trans}, {Trans, Trans}} {
			a := seq[float64](m, k, -1)
			if ops[0] == Trans {
				a = seq[float64](k, m, -1)
			}
			b := seq[float64](k, n, 0.25)
			if ops[1] == Trans {
				b = seq[float64](n, k, 0.25)
			}
			a0, b0 := a.Clone(), b.Clone()
			got := Zeros[float64](m, n)
			MatMul(got, a, ops[0], b, ops[1])
			want := naiveMul(a, ops[0], b, ops[1])
			if !Equal(got, want) {
				t.Errorf("%v ops %v: got %v; want %v", sz, ops, got, want)
			}
			MatMulAdd(got, a, ops[0], b, ops[1])
			want.Add(want, want)
			if !Equal(got, want) {
				t.Errorf("%v ops %v: MatMulAdd got %v; want %v", sz, ops, got, want)
			}
			if !Equal(a, a0) || !Equal(b, b0) {
				t.Errorf("%v ops %v: inputs modified", sz, ops)
			}
		}
	}
}

func TestMatMulPanicsNameShapes(t *testing.T) {
	a, b := Zeros[float32](3, 4), Zeros[float32](5, 1)
	mustPanic(t, "op(a) is (3, 4) but op(b) is (5, 1)", func() { MatMul(Zeros[float32](3, 1), a, NoTrans, b, NoTrans) })
	mustPanic(t, "op(a) is (4, 3) but op(b) is (5, 1)", func() { MatMul(Zeros[float32](4, 1), a, Trans, b, NoTrans) })
	mustPanic(t, "dst is (2, 2), want (3, 1)", func() { MatMul(Zeros[float32](2, 2), a, NoTrans, Zeros[float32](4, 1), NoTrans) })
	sq := Zeros[float32](2, 2)
	mustPanic(t, "shares storage", func() { MatMul(sq, sq, NoTrans, Zeros[float32](2, 2), NoTrans) })
	mustPanic(t, "shapes (2, 2) and (3, 4) differ", func() { sq.Add(sq, a) })
	mustPanic(t, "vector is (1, 3), want (1, 4)", func() { a.AddRowVector(a, Zeros[float32](1, 3)) })
	mustPanic(t, "index (3, 0) out of range for shape (3, 4)", func() { a.At(3, 0) })
	mustPanic(t, "row 1 has 1 values, row 0 has 2", func() { FromRows([][]float64{{1, 2}, {3}}) })
	mustPanic(t, "5 values for shape (2, 2)", func() { New(2, 2, []float64{1, 2, 3, 4, 5}) })
}

func TestElementwise(t *testing.T) {
	a := FromRows([][]float64{{1, 2, 3}, {4, 5, 6}})
	b := FromRows([][]float64{{0.5, -1, 2}, {3, 0, -2}})
	a0, b0 := a.Clone(), b.Clone()
	tests := []struct {
		name string
		op   func(dst *Dense[float64])
		want [][]float64
	}{
		{"Add", func(d *Dense[float64]) { d.Add(a, b) }, [][]float64{{1.5, 1, 5}, {7, 5, 4}}},
		{"Sub", func(d *Dense[float64]) { d.Sub(a, b) }, [][]float64{{0.5, 3, 1}, {1, 5, 8}}},
		{"MulElem", func(d *Dense[float64]) { d.MulElem(a, b) }, [][]float64{{0.5, -2, 6}, {12, 0, -12}}},
		{"Scale", func(d *Dense[float64]) { d.Scale(-2, a) }, [][]float64{{-2, -4, -6}, {-8, -10, -12}}},
		{"AddScaled", func(d *Dense[float64]) { d.AddScaled(a, 2, b) }, [][]float64{{2, 0, 7}, {10, 5, 2}}},
		{"AddRowVector", func(d *Dense[float64]) { d.AddRowVector(a, FromRows([][]float64{{10, 20, 30}})) }, [][]float64{{11, 22, 33}, {14, 25, 36}}},
		{"Apply", func(d *Dense[float64]) { d.Apply(func(x float64) float64 { return x * x }, a) }, [][]float64{{1, 4, 9}, {16, 25, 36}}},
	}
	for _, tt := range tests {
		d := Zeros[float64](2, 3)
		tt.op(d)
		if want := FromRows(tt.want); !Equal(d, want) {
			t.Errorf("%s: got %v; want %v", tt.name, d, want)
		}
		if !Equal(a, a0) || !Equal(b, b0) {
			t.Fatalf("%s modified an input", tt.name)
		}
	}
	s := Zeros[float64](1, 3)
	s.SumRows(a)
	if want := FromRows([][]float64{{5, 7, 9}}); !Equal(s, want) {
		t.Errorf("SumRows: got %v; want %v", s, want)
	}
	sc := Zeros[float64](2, 1)
	sc.SumCols(a)
	if want := FromRows([][]float64{{6}, {15}}); !Equal(sc, want) {
		t.Errorf("SumCols: got %v; want %v", sc, want)
	}
	cv := Zeros[float64](2, 3)
	cv.AddColVector(a, FromRows([][]float64{{10}, {20}}))
	if want := FromRows([][]float64{{11, 12, 13}, {24, 25, 26}}); !Equal(cv, want) {
		t.Errorf("AddColVector: got %v; want %v", cv, want)
	}
	if got := a.Sum(); got != 21 {
		t.Errorf("Sum: got %v; want 21", got)
	}
	// In place: the receiver may be an operand of an element-wise op.
	c := a.Clone()
	c.Add(c, b)
	if want := FromRows([][]float64{{1.5, 1, 5}, {7, 5, 4}}); !Equal(c, want) {
		t.Errorf("in-place Add: got %v; want %v", c, want)
	}
}

func TestViewsAndConversions(t *testing.T) {
	a := FromRows([][]float32{{1, 2}, {3, 4}, {5, 6}})
	if got := a.Transpose(); !Equal(got, FromRows([][]float32{{1, 3, 5}, {2, 4, 6}})) {
		t.Errorf("Transpose: got %v", got)
	}
	s := a.Slice(1, 3)
	s.Set(0, 0, 30)
	if a.At(1, 0) != 30 || s.Rows() != 2 {
		t.Errorf("Slice must share storage: a=%v s=%v", a, s)
	}
	if got := Convert[float64](a); got.At(2, 1) != 6 || got.Shape() != "(3, 2)" {
		t.Errorf("Convert: got %v", got)
	}
	if got := a.Reshape(2, 3).Row(1); fmt.Sprint(got) != "[4 5 6]" {
		t.Errorf("Reshape row 1: got %v", got)
	}
}

func ExampleMatMul() {
	// dW = Xᵀ·dZ for a batch of 2 samples with 3 features and 1 output.
	x := FromRows([][]float64{{0, 0, 1}, {1, 1, 1}})
	dZ := FromRows([][]float64{{0.5}, {-0.25}})
	dW := Zeros[float64](3, 1)
	MatMul(dW, x, Trans, dZ, NoTrans)
	fmt.Println(dW)
	// Output:
	// [[-0.25]
	//  [-0.25]
	//  [0.25]]
}

func ExampleDense_AddRowVector() {
	z := FromRows([][]float64{{1, 2}, {3, 4}})
	b := FromRows([][]float64{{10, 20}})
	z.AddRowVector(z, b)
	fmt.Println(z)
	// Output:
	// [[11 22]
	//  [13 24]]
}

func TestResize(t *testing.T) {
	m := Zeros[float32](4, 3)
	data := &m.Data()[0]
	m.Resize(2, 5)
	if r, c := m.Dims(); r != 2 || c != 5 || len(m.Data()) != 10 || &m.Data()[0] != data {
		t.Fatalf("Resize(2, 5) of a 4×3 matrix: shape %s, %d values, same storage %v; want (2, 5), 10, true", m.Shape(), len(m.Data()), &m.Data()[0] == data)
	}
	m.Resize(3, 4) // back up to the capacity: no new storage
	if &m.Data()[0] != data || len(m.Data()) != 12 {
		t.Fatal("Resize within the capacity allocated")
	}
	m.Resize(5, 5)
	if len(m.Data()) != 25 || m.Rows() != 5 {
		t.Fatalf("Resize(5, 5): shape %s, %d values", m.Shape(), len(m.Data()))
	}
	if n := testing.AllocsPerRun(10, func() { m.Resize(1, 7); m.Resize(5, 5) }); n != 0 {
		t.Errorf("Resize within the capacity allocates %v times; want 0", n)
	}
	// A view never grows into the rows after it.
	p := FromRows([][]float64{{1, 2}, {3, 4}, {5, 6}})
	v := p.Slice(0, 1)
	v.Resize(2, 2)
	v.Fill(-1)
	if p.At(1, 0) != 3 {
		t.Errorf("resizing a Slice overwrote the parent: %v", p)
	}
	// Neither does a matrix over a caller's slice.
	buf := []float64{1, 2, 3, 4}
	w := New(1, 2, buf[:2])
	w.Resize(2, 2)
	w.Fill(0)
	if buf[2] != 3 {
		t.Errorf("resizing New's matrix overwrote the caller's array: %v", buf)
	}
	if got := Reuse[float64](nil, 2, 3); got.Rows() != 2 || got.Cols() != 3 {
		t.Errorf("Reuse(nil, 2, 3) is %s", got.Shape())
	}
	mustPanic(t, "negative dimension", func() { m.Resize(-1, 2) })
}

func ExampleDense_SliceInto() {
	X := FromRows([][]float64{{1, 2}, {3, 4}, {5, 6}, {7, 8}})
	var batch *Dense[float64] // one header, reused for every batch
	for lo := 0; lo < X.Rows(); lo += 2 {
		batch = X.SliceInto(batch, lo, lo+2)
		fmt.Println(batch.Row(0), batch.Row(1))
	}
	// Output:
	// [1 2] [3 4]
	// [5 6] [7 8]
}

func TestSliceInto(t *testing.T) {
	a := FromRows([][]float32{{1, 2}, {3, 4}, {5, 6}})
	own := Zeros[float32](5, 5)
	own.Data()[0] = 9
	v := a.SliceInto(own, 1, 3)
	if v != own || v.Shape() != "(2, 2)" || fmt.Sprint(v.Row(1)) != "[5 6]" {
		t.Fatalf("SliceInto(own, 1, 3) = %p %v, want own (%p) holding rows 1–2", v, v, own)
	}
	v.Set(0, 0, -3)
	if a.At(1, 0) != -3 {
		t.Errorf("SliceInto must share a's storage")
	}
	v.Resize(3, 2) // must not reach row 3 of a (there is none) nor grow into a's storage past the view
	if a.At(2, 0) != 5 {
		t.Errorf("resizing the view overwrote a: %v", a)
	}
	if got := a.SliceInto(nil, 0, 1); got.Shape() != "(1, 2)" {
		t.Errorf("SliceInto(nil, 0, 1): shape %s", got.Shape())
	}
	defer func() {
		if recover() == nil {
			t.Errorf("SliceInto(2, 4) of 3 rows did not panic")
		}
	}()
	a.SliceInto(own, 2, 4)
}
