//go:build !noasm

package kernel

// sgd512s is SGD's loop (sgdGo) for float32 over n elements, n a multiple
// of 16, with AVX-512; flags are the sgd* bits. sgd512d is its float64
// twin (n a multiple of 8).
//
//go:noescape
func sgd512s(p, grad, buf *float32, n int, lr, wd, mu, damp float32, flags int)

//go:noescape
func sgd512d(p, grad, buf *float64, n int, lr, wd, mu, damp float64, flags int)

// adam512s is Adam's loop (adamGo) without AMSGrad for float32 over n
// elements, n a multiple of 16, with AVX-512; mode is adamL2,
// adamDecouple or 0. adam512d is its float64 twin (n a multiple of 8).
//
//go:noescape
func adam512s(p, grad, m, v *float32, n int, step, bc2, b1, c1, b2, c2, eps, wd, decay float32, mode int)

//go:noescape
func adam512d(p, grad, m, v *float64, n int, step, bc2, b1, c1, b2, c2, eps, wd, decay float64, mode int)

// sgdAsm runs SGD's loop in assembly over as many leading elements as it
// can and returns how many it did.
func sgdAsm[T Float](p, g, buf []T, c *SGDCoef[T]) int {
	if !useUpdate512 {
		return 0
	}
	flags := c.flags()
	switch p := any(p).(type) {
	case []float32:
		n := len(p) &^ 15
		if n == 0 {
			return 0
		}
		g, c := any(g).([]float32), any(c).(*SGDCoef[float32])
		var b *float32
		if c.Momentum {
			b = &any(buf).([]float32)[0]
		}
		sgd512s(&p[0], &g[0], b, n, c.NegLR, c.WD, c.Mu, c.Damp, flags)
		return n
	case []float64:
		n := len(p) &^ 7
		if n == 0 {
			return 0
		}
		g, c := any(g).([]float64), any(c).(*SGDCoef[float64])
		var b *float64
		if c.Momentum {
			b = &any(buf).([]float64)[0]
		}
		sgd512d(&p[0], &g[0], b, n, c.NegLR, c.WD, c.Mu, c.Damp, flags)
		return n
	}
	return 0
}

// adamAsm runs Adam's loop in assembly over as many leading elements as
// it can (none with AMSGrad) and returns how many it did.
func adamAsm[T Float](p, g, m, v, _ []T, c *AdamCoef[T]) int {
	if !useUpdate512 || c.AMSGrad {
		return 0
	}
	mode := c.mode()
	switch p := any(p).(type) {
	case []float32:
		n := len(p) &^ 15
		if n == 0 {
			return 0
		}
		g, m, v, c := any(g).([]float32), any(m).([]float32), any(v).([]float32), any(c).(*AdamCoef[float32])
		adam512s(&p[0], &g[0], &m[0], &v[0], n, c.NegStep, c.BC2Sqrt, c.B1, c.C1, c.B2, c.C2, c.Eps, c.WD, c.Decay, mode)
		return n
	case []float64:
		n := len(p) &^ 7
		if n == 0 {
			return 0
		}
		g, m, v, c := any(g).([]float64), any(m).([]float64), any(v).([]float64), any(c).(*AdamCoef[float64])
		adam512d(&p[0], &g[0], &m[0], &v[0], n, c.NegStep, c.BC2Sqrt, c.B1, c.C1, c.B2, c.C2, c.Eps, c.WD, c.Decay, mode)
		return n
	}
	return 0
}

// The flag bits of the SGD assembly.
const (
	sgdDecay    = 1
	sgdMomentum = 2
	sgdFirst    = 4
	sgdNesterov = 8
)

func (c *SGDCoef[T]) flags() int {
	f := 0
	if c.Decay {
		f |= sgdDecay
	}
	if c.Momentum {
		f |= sgdMomentum
		if c.First {
			f |= sgdFirst
		}
		if c.Nesterov {
			f |= sgdNesterov
		}
	}
	return f
}

func (c *AdamCoef[T]) mode() int {
	switch {
	case c.Decouple:
		return adamDecouple
	case c.L2:
		return adamL2
	}
	return 0
}
