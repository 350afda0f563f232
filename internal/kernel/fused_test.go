package kernel

import (
	"fmt"
	"math"
	"testing"
)

// guarded returns n values from s inside a buffer with guard values on
// both sides; check fails t if a guard changed.
type guarded[T Float] struct {
	buf []T
	n   int
}

const pad = 9

func newGuarded[T Float](s *lcg, n int) *guarded[T] {
	g := &guarded[T]{buf: make([]T, n+2*pad), n: n}
	for i := range g.buf {
		g.buf[i] = guard
	}
	for i := range n {
		g.buf[pad+i] = T(s.next())
	}
	return g
}

func (g *guarded[T]) s() []T { return g.buf[pad : pad+g.n] }

func (g *guarded[T]) clone() *guarded[T] {
	return &guarded[T]{buf: append([]T(nil), g.buf...), n: g.n}
}

func (g *guarded[T]) check(t *testing.T, what string) {
	t.Helper()
	for i, v := range g.buf {
		if (i < pad || i >= pad+g.n) && v != guard {
			t.Fatalf("%s: guard at %d overwritten: %v", what, i-pad, v)
		}
	}
}

// sameBits reports whether x and y hold the same bits (NaNs included).
func sameBits[T Float](x, y []T) int {
	for i := range x {
		if !(x[i] == y[i] && math.Signbit(float64(x[i])) == math.Signbit(float64(y[i]))) && !(x[i] != x[i] && y[i] != y[i]) {
			return i
		}
	}
	return -1
}

// checkBits fails t unless got holds the bits of want.
func checkBits[T Float](t *testing.T, what string, got, want []T) {
	t.Helper()
	if i := sameBits(got, want); i >= 0 {
		t.Fatalf("%s[%d] = %v; want %v", what, i, got[i], want[i])
	}
}

// refAct is the unfused reference: f applied to one element (Softmax
// separately, per row).
func refAct[T Float](f Act, v T) T {
	switch f {
	case Identity:
		return v
	case Sigmoid:
		return T(1 / (1 + math.Exp(-float64(v))))
	case Tanh:
		return T(math.Tanh(float64(v)))
	case ReLU:
		if v > 0 {
			return v
		}
		return 0
	case LeakyReLU:
		if v > 0 {
			return v
		}
		return LeakySlope * v
	}
	panic("refAct")
}

// refBiasAct is BiasAct unfused: the bias pass, then the activation pass.
func refBiasAct[T Float](f Act, m, n int, z, b, a []T) {
	if b != nil {
		for i := range m {
			for j := range n {
				z[i*n+j] = z[i*n+j] + b[j]
			}
		}
	}
	if f != Softmax {
		for i := range m * n {
			a[i] = refAct(f, z[i])
		}
		return
	}
	for i := range m {
		mx := math.Inf(-1)
		for j := range n {
			mx = math.Max(mx, float64(z[i*n+j]))
		}
		var sum float64
		e := make([]float64, n)
		for j := range n {
			e[j] = math.Exp(float64(z[i*n+j]) - mx)
			sum += e[j]
		}
		for j := range n {
			a[i*n+j] = T(float64(T(e[j])) / sum)
		}
	}
}

// refActBackward is ActBackward unfused: dZ, then the column sums.
func refActBackward[T Float](f Act, m, n int, dz, da, z, a, db []T) {
	for i := range m * n {
		g := da[i]
		switch f {
		case Identity:
			dz[i] = g
		case Sigmoid:
			dz[i] = g * (a[i] * (1 - a[i]))
		case Tanh:
			dz[i] = g * (1 - a[i]*a[i])
		case ReLU:
			if z[i] > 0 {
				dz[i] = g
			} else {
				dz[i] = 0
			}
		case LeakyReLU:
			if z[i] <= 0 {
				dz[i] = LeakySlope * g
			} else {
				dz[i] = g
			}
		}
	}
	if f == Softmax {
		for i := range m {
			var dot T
			for j := range n {
				dot += da[i*n+j] * a[i*n+j]
			}
			for j := range n {
				dz[i*n+j] = a[i*n+j] * (da[i*n+j] - dot)
			}
		}
	}
	if db != nil {
		for j := range n {
			db[j] = 0
		}
		for i := range m {
			for j := range n {
				db[j] += dz[i*n+j]
			}
		}
	}
}

var acts = []Act{Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax}

// actShapes are (m, n) pairs with odd sizes, to hit every tail.
func actShapes() [][2]int {
	var s [][2]int
	for n := 1; n <= 67; n += 3 {
		s = append(s, [2]int{1 + n%5, n})
	}
	return append(s, [2]int{32, 256}, [2]int{17, 10})
}

// eachActMode runs check with the Go loops and, where this build has
// it, the assembly of the activations, for both precisions.
func eachActMode(t *testing.T, check32 func(*testing.T, bool), check64 func(*testing.T, bool)) {
	defer func(u bool) { useAct512 = u }(useAct512)
	for _, asm := range asmModes() {
		useAct512 = asm
		check32(t, asm)
		check64(t, asm)
	}
}

func TestBiasAct(t *testing.T) {
	eachActMode(t, testBiasActPath[float32], testBiasActPath[float64])
}

// specials puts −0, +0 and NaN into x where it is long enough.
func specials[T Float](x []T) {
	if len(x) >= 5 {
		x[1], x[2], x[3] = T(math.Copysign(0, -1)), 0, T(math.NaN())
	}
}

func testBiasActPath[T Float](t *testing.T, asm bool) {
	s := lcg(3)
	eachActShape(func(f Act, m, n int, bias bool) {
		for _, inPlace := range []bool{false, true} {
			name := fmt.Sprintf("%T asm=%v %d %dx%d bias=%v inplace=%v", T(0), asm, f, m, n, bias, inPlace)
			z := newGuarded[T](&s, m*n)
			for i := range z.s() {
				z.s()[i] *= 4 // values in (−4, 4): both sides of every kink
			}
			specials(z.s())
			b := newGuarded[T](&s, n)
			a := newGuarded[T](&s, m*n)
			zr, ar := z.clone(), a.clone()
			var bs []T
			if bias {
				bs = b.s()
			}
			b0 := b.clone()
			if inPlace {
				BiasAct(f, m, n, z.s(), bs, z.s())
				refBiasAct(f, m, n, zr.s(), bs, zr.s())
				checkBits(t, name+": A", z.s(), zr.s())
			} else {
				BiasAct(f, m, n, z.s(), bs, a.s())
				refBiasAct(f, m, n, zr.s(), bs, ar.s())
				checkBits(t, name+": Z", z.s(), zr.s())
				checkBits(t, name+": A", a.s(), ar.s())
			}
			z.check(t, name+" Z")
			a.check(t, name+" A")
			if sameBits(b.buf, b0.buf) >= 0 {
				t.Fatalf("%s: b modified", name)
			}
		}
	})
}

// eachActShape calls check for every activation and shape, with a flag
// true and false.
func eachActShape(check func(f Act, m, n int, flag bool)) {
	for _, f := range acts {
		for _, sh := range actShapes() {
			for _, flag := range []bool{true, false} {
				check(f, sh[0], sh[1], flag)
			}
		}
	}
}

func TestActBackward(t *testing.T) {
	eachActMode(t, testActBackwardPath[float32], testActBackwardPath[float64])
}

func testActBackwardPath[T Float](t *testing.T, asm bool) {
	s := lcg(5)
	eachActShape(func(f Act, m, n int, withDB bool) {
		name := fmt.Sprintf("%T asm=%v %d %dx%d db=%v", T(0), asm, f, m, n, withDB)
		z, da := newGuarded[T](&s, m*n), newGuarded[T](&s, m*n)
		specials(z.s())
		a := newGuarded[T](&s, m*n)
		refBiasAct(f, m, n, z.s(), nil, a.s())
		dz, db := newGuarded[T](&s, m*n), newGuarded[T](&s, n)
		dzr, dbr := dz.clone(), db.clone()
		in := [][]T{append([]T(nil), z.buf...), append([]T(nil), a.buf...), append([]T(nil), da.buf...)}
		var dbs, dbrs []T
		if withDB {
			dbs, dbrs = db.s(), dbr.s()
		}
		ActBackward(f, m, n, dz.s(), da.s(), z.s(), a.s(), dbs)
		refActBackward(f, m, n, dzr.s(), da.s(), z.s(), a.s(), dbrs)
		checkBits(t, name+": dZ", dz.s(), dzr.s())
		checkBits(t, name+": db", db.s(), dbr.s())
		dz.check(t, name+" dZ")
		db.check(t, name+" db")
		for k, x := range [][]T{z.buf, a.buf, da.buf} {
			if sameBits(x, in[k]) >= 0 {
				t.Fatalf("%s: input %d modified", name, k)
			}
		}
		// In place: dZ over dA.
		da2 := da.clone()
		ActBackward(f, m, n, da2.s(), da2.s(), z.s(), a.s(), nil)
		checkBits(t, name+" in place: dZ", da2.s(), dzr.s())
	})
}

func TestSumRows(t *testing.T) {
	s := lcg(9)
	for _, sh := range actShapes() {
		m, n := sh[0], sh[1]
		x, db := newGuarded[float32](&s, m*n), newGuarded[float32](&s, n)
		SumRows(m, n, x.s(), db.s())
		for j := range n {
			var want float32
			for i := range m {
				want += x.s()[i*n+j]
			}
			if db.s()[j] != want {
				t.Fatalf("%dx%d: db[%d] = %v; want %v", m, n, j, db.s()[j], want)
			}
		}
		db.check(t, "SumRows")
	}
}
