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

func init() {
	kernels32.sgd, kernels64.sgd = sgdAsm(sgd512s, 16), sgdAsm(sgd512d, 8)
	kernels32.adam, kernels64.adam = adamAsm(adam512s, 16), adamAsm(adam512d, 8)
}

// sgdAsm returns SGD's loop in assembly f (over a multiple of lanes
// elements): it runs over as many leading elements as it can and returns
// how many it did.
func sgdAsm[T Float](f func(p, grad, buf *T, n int, lr, wd, mu, damp T, flags int), lanes int) func(p, g, buf []T, c SGDCoef[T]) int {
	return func(p, g, buf []T, c SGDCoef[T]) int {
		n := len(p) &^ (lanes - 1)
		if !useUpdate512 || n == 0 {
			return 0
		}
		var b *T
		if c.Momentum {
			b = &buf[0]
		}
		f(&p[0], &g[0], b, n, c.NegLR, c.WD, c.Mu, c.Damp, c.flags())
		return n
	}
}

// adamAsm returns Adam's loop in assembly f, as sgdAsm does SGD's (none
// with AMSGrad).
func adamAsm[T Float](f func(p, grad, m, v *T, n int, step, bc2, b1, c1, b2, c2, eps, wd, decay T, mode int), lanes int) func(p, g, m, v []T, c AdamCoef[T]) int {
	return func(p, g, m, v []T, c AdamCoef[T]) int {
		n := len(p) &^ (lanes - 1)
		if !useUpdate512 || c.AMSGrad || n == 0 {
			return 0
		}
		f(&p[0], &g[0], &m[0], &v[0], n, c.NegStep, c.BC2Sqrt, c.B1, c.C1, c.B2, c.C2, c.Eps, c.WD, c.Decay, c.mode())
		return n
	}
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
