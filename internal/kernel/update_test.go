package kernel

import (
	"fmt"
	"math"
	"testing"
)

// refSGD is the SGD update as optim wrote it before it was fused: one
// element at a time, every option tested per element.
func refSGD[T Float](p, g, buf []T, c SGDCoef[T]) {
	for e := range p {
		d := g[e]
		if c.Decay {
			d = d + c.WD*p[e]
		}
		if c.Momentum {
			if c.First {
				buf[e] = d
			} else {
				buf[e] = buf[e]*c.Mu + c.Damp*d
			}
			if c.Nesterov {
				d = d + c.Mu*buf[e]
			} else {
				d = buf[e]
			}
		}
		p[e] = p[e] + c.NegLR*d
	}
}

// refAdam is the Adam update as optim wrote it before it was fused.
func refAdam[T Float](p, g, m, v, vmax []T, c AdamCoef[T]) {
	for e := range p {
		gi := g[e]
		if c.Decouple {
			p[e] = p[e] * c.Decay
		} else if c.L2 {
			gi = gi + c.WD*p[e]
		}
		m[e] = m[e]*c.B1 + c.C1*gi
		v[e] = v[e]*c.B2 + c.C2*gi*gi
		vh := v[e]
		if c.AMSGrad {
			vmax[e] = max(vmax[e], v[e])
			vh = vmax[e]
		}
		denom := T(math.Sqrt(float64(vh)))/c.BC2Sqrt + c.Eps
		p[e] = p[e] + c.NegStep*(m[e]/denom)
	}
}

func sgdCoefs[T Float]() []SGDCoef[T] {
	base := SGDCoef[T]{NegLR: -0.05, WD: 0.01, Mu: 0.9, Damp: 0.7}
	var cs []SGDCoef[T]
	for f := range 16 {
		c := base
		c.Decay, c.Momentum, c.First, c.Nesterov = f&1 != 0, f&2 != 0, f&4 != 0, f&8 != 0
		if !c.Momentum && (c.First || c.Nesterov) {
			continue
		}
		cs = append(cs, c)
	}
	return cs
}

func adamCoefs[T Float]() []AdamCoef[T] {
	b1, b2, lr, t := 0.9, 0.999, 0.01, 3.0
	base := AdamCoef[T]{
		NegStep: T(-lr / (1 - math.Pow(b1, t))), BC2Sqrt: T(math.Sqrt(1 - math.Pow(b2, t))),
		B1: T(b1), C1: T(1 - b1), B2: T(b2), C2: T(1 - b2), Eps: 1e-8, WD: 0.1, Decay: T(1 - lr*0.1),
	}
	var cs []AdamCoef[T]
	for _, mode := range []int{0, adamL2, adamDecouple} {
		for _, ams := range []bool{false, true} {
			c := base
			c.L2, c.Decouple, c.AMSGrad = mode == adamL2, mode == adamDecouple, ams
			cs = append(cs, c)
		}
	}
	return cs
}

// updateLengths are parameter sizes that hit every vector tail.
func updateLengths() []int {
	var ns []int
	for n := 0; n <= 67; n++ {
		ns = append(ns, n)
	}
	return append(ns, 1000, 4099, updateMin+37)
}

// updateSplits are the forceParts settings the updates run under: the
// default (split from updateMin elements when there are threads), and
// two and three parts whatever the size.
var updateSplits = []int{0, 2, 3}

// asmModes are the update paths this build can run: the Go loops, and
// the assembly where there is some.
func asmModes() []bool {
	if asmKernels && canAVX512 {
		return []bool{false, true}
	}
	return []bool{false}
}

func TestSGD(t *testing.T) {
	testSGD[float32](t)
	testSGD[float64](t)
}

// eachUpdateCase calls check for every update path (Go loops, assembly),
// set of coefficients and length, with the split into parts varied and a
// seeded generator for the case.
func eachUpdateCase[T Float, C any](coefs []C, seed uint64, check func(name string, c C, n int, s *lcg)) {
	defer func(u bool) { useUpdate512 = u }(useUpdate512)
	defer func(p int) { forceParts = p }(forceParts)
	for i, asm := range asmModes() {
		useUpdate512 = asm
		for _, c := range coefs {
			for k, n := range updateLengths() {
				forceParts = updateSplits[(i+k)%len(updateSplits)]
				s := lcg(uint64(n) + seed)
				check(fmt.Sprintf("%T asm=%v parts=%d %+v n=%d", T(0), asm, forceParts, c, n), c, n, &s)
			}
		}
	}
}

func testSGD[T Float](t *testing.T) {
	eachUpdateCase[T](sgdCoefs[T](), 1, func(name string, c SGDCoef[T], n int, s *lcg) {
		p, g, buf := newGuarded[T](s, n), newGuarded[T](s, n), newGuarded[T](s, n)
		pr, bufr := p.clone(), buf.clone()
		g0 := g.clone()
		var bs, brs []T
		if c.Momentum {
			bs, brs = buf.s(), bufr.s()
		}
		SGD(p.s(), g.s(), bs, c)
		refSGD(pr.s(), g.s(), brs, c)
		checkBits(t, name+": p", p.s(), pr.s())
		checkBits(t, name+": buf", buf.s(), bufr.s())
		if sameBits(g.buf, g0.buf) >= 0 {
			t.Fatalf("%s: gradient modified", name)
		}
		p.check(t, name+" p")
		buf.check(t, name+" buf")
	})
}

func TestAdam(t *testing.T) {
	testAdam[float32](t)
	testAdam[float64](t)
}

func testAdam[T Float](t *testing.T) {
	eachUpdateCase[T](adamCoefs[T](), 7, func(name string, c AdamCoef[T], n int, s *lcg) {
		p, g := newGuarded[T](s, n), newGuarded[T](s, n)
		m, v, vmax := newGuarded[T](s, n), newGuarded[T](s, n), newGuarded[T](s, n)
		for _, x := range []*guarded[T]{v, vmax} { // second moments are ≥ 0
			for i, e := range x.s() {
				x.s()[i] = e * e
			}
		}
		pr, mr, vr, vmaxr := p.clone(), m.clone(), v.clone(), vmax.clone()
		g0 := g.clone()
		var vm, vmr []T
		if c.AMSGrad {
			vm, vmr = vmax.s(), vmaxr.s()
		}
		for range 3 { // the moments carry over between steps
			Adam(p.s(), g.s(), m.s(), v.s(), vm, c)
			refAdam(pr.s(), g.s(), mr.s(), vr.s(), vmr, c)
		}
		for _, x := range []struct {
			name      string
			got, want *guarded[T]
		}{{"p", p, pr}, {"m", m, mr}, {"v", v, vr}, {"vmax", vmax, vmaxr}} {
			if i := sameBits(x.got.s(), x.want.s()); i >= 0 {
				t.Fatalf("%s: %s[%d] = %v; want %v", name, x.name, i, x.got.s()[i], x.want.s()[i])
			}
			x.got.check(t, name+" "+x.name)
		}
		if sameBits(g.buf, g0.buf) >= 0 {
			t.Fatalf("%s: gradient modified", name)
		}
	})
}

// TestUpdateSplitAllocatesNothing checks that running an update in parts
// through the thread pool allocates nothing after the first call.
func TestUpdateSplitAllocatesNothing(t *testing.T) {
	defer func(p int) { forceParts = p }(forceParts)
	forceParts = 2
	s := lcg(1)
	const n = updateMin + 100
	p, g, m, v := fill[float32](&s, n), fill[float32](&s, n), fill[float32](&s, n), make([]float32, n)
	sc := SGDCoef[float32]{NegLR: -1e-9}
	ac := adamCoefs[float32]()[0]
	step := func() {
		SGD(p, g, nil, sc)
		Adam(p, g, m, v, nil, ac)
	}
	step()
	if a := testing.AllocsPerRun(20, step); a != 0 {
		t.Errorf("SGD and Adam in two parts allocate %v times; want 0", a)
	}
}
