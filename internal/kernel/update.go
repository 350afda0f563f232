package kernel

import (
	"math"
	"sync"
)

// The optimizer updates: one pass over a parameter and its gradient (and
// the optimizer's buffers), each element updated with the formulas of
// torch.optim in the order package optim documents. Every operation is
// rounded to T on its own, as Go evaluates the expressions below, with no
// fused multiply-adds, so the assembly versions give the same bits as the
// Go loops.

// SGDCoef holds the coefficients of an SGD step, already converted to T.
type SGDCoef[T Float] struct {
	NegLR    T    // −learning rate
	WD       T    // weight decay λ, used when Decay
	Mu, Damp T    // momentum μ and 1 − dampening, used when Momentum
	Decay    bool // add λ·p to the gradient
	Momentum bool // keep a momentum buffer
	First    bool // first step: the buffer is set to the gradient
	Nesterov bool // Nesterov momentum
}

// SGD applies one torch.optim.SGD step to the parameter p with gradient g
// and, with momentum, buffer buf (all of the same length):
//
//	d = g + λ·p                               when Decay
//	buf = d (First) or buf·μ + (1−τ)·d         when Momentum
//	d = d + μ·buf (Nesterov) or d = buf        when Momentum
//	p = p + (−lr)·d
//
// A large parameter is split between threads (see SetThreads) in fixed
// parts; no element's arithmetic depends on the split.
func SGD[T Float](p, g, buf []T, c SGDCoef[T]) {
	if !c.Momentum {
		buf = nil
	}
	n := len(p)
	g, buf = g[:n], sub(buf, 0, n)
	ks := kernelsOf[T]()
	if ks == nil || !runUpdate(&ks.sgdTasks, n, sgdTask[T]{ks: ks, p: p, g: g, buf: buf, c: c}) {
		sgdSerial(ks, p, g, buf, &c)
	}
}

// SGDSerial is SGD on the calling thread alone: for one part of a
// parameter inside a job that is already split between threads (see
// GemmThen). Its results are SGD's, bit for bit.
func SGDSerial[T Float](p, g, buf []T, c SGDCoef[T]) {
	if !c.Momentum {
		buf = nil
	}
	n := len(p)
	sgdSerial(kernelsOf[T](), p, g[:n], sub(buf, 0, n), &c)
}

// sgdSerial is SGD on the calling thread, in assembly where ks has it.
func sgdSerial[T Float](ks *kernels[T], p, g, buf []T, c *SGDCoef[T]) {
	done := 0
	if ks != nil && ks.sgd != nil {
		done = ks.sgd(p, g, buf, *c)
	}
	sgdGo(p[done:], g[done:], sliceFrom(buf, done), c)
}

// sgdTask is an SGD step as a task for the thread pool, in parts of chunk
// elements.
type sgdTask[T Float] struct {
	j         job
	ks        *kernels[T]
	chunk     int
	p, g, buf []T
	c         SGDCoef[T]
}

func (t *sgdTask[T]) run(i int) {
	lo, hi := i*t.chunk, min((i+1)*t.chunk, len(t.p))
	if lo < hi {
		sgdSerial(t.ks, t.p[lo:hi], t.g[lo:hi], sub(t.buf, lo, hi), &t.c)
	}
}

func (t *sgdTask[T]) getJob() *job { return &t.j }

func (t *sgdTask[T]) setChunk(n int) { t.chunk = n }

func (t *sgdTask[T]) release() {
	ks := t.ks
	*t = sgdTask[T]{}
	ks.sgdTasks.Put(t)
}

// sub returns s[lo:hi], or nil for a nil s.
func sub[T any](s []T, lo, hi int) []T {
	if s == nil {
		return nil
	}
	return s[lo:hi]
}

func sliceFrom[T any](s []T, i int) []T {
	if s == nil {
		return nil
	}
	return s[i:]
}

// sgdGo is the reference loop of SGD.
func sgdGo[T Float](p, g, buf []T, c *SGDCoef[T]) {
	lr, wd, mu, damp := c.NegLR, c.WD, c.Mu, c.Damp
	g = g[:len(p)]
	switch {
	case !c.Momentum && !c.Decay:
		for i, gi := range g {
			p[i] = p[i] + lr*gi
		}
	case !c.Momentum:
		for i, gi := range g {
			d := gi + wd*p[i]
			p[i] = p[i] + lr*d
		}
	default:
		buf = buf[:len(p)]
		for i, d := range g {
			if c.Decay {
				d = d + wd*p[i]
			}
			var b T
			if c.First {
				b = d
			} else {
				b = buf[i]*mu + damp*d
			}
			buf[i] = b
			if c.Nesterov {
				d = d + mu*b
			} else {
				d = b
			}
			p[i] = p[i] + lr*d
		}
	}
}

// AdamCoef holds the coefficients of an Adam or AdamW step, already
// converted to T.
type AdamCoef[T Float] struct {
	NegStep  T // −lr/(1−β₁ᵗ)
	BC2Sqrt  T // √(1−β₂ᵗ)
	B1, C1   T // β₁ and 1−β₁
	B2, C2   T // β₂ and 1−β₂
	Eps      T
	WD       T // λ, used when L2
	Decay    T // 1 − lr·λ, used when Decoupled
	L2       bool
	Decouple bool
	AMSGrad  bool
}

// Adam applies one torch.optim.Adam (AdamW when Decouple) step to the
// parameter p with gradient g, first moment m, second moment v and, with
// AMSGrad, the running maximum vmax (all of the same length):
//
//	p = p·(1 − lr·λ)                      when Decouple
//	g' = g + λ·p                          when L2
//	m = m·β₁ + (1−β₁)·g'
//	v = v·β₂ + (1−β₂)·g'·g'
//	vmax = max(vmax, v)                   when AMSGrad, and v̂ = vmax, else v̂ = v
//	p = p + (−step)·(m / (√v̂ / √bc₂ + ε))
//
// A large parameter is split between threads (see SetThreads) in fixed
// parts; no element's arithmetic depends on the split.
func Adam[T Float](p, g, m, v, vmax []T, c AdamCoef[T]) {
	if !c.AMSGrad {
		vmax = nil
	}
	n := len(p)
	g, m, v, vmax = g[:n], m[:n], v[:n], sub(vmax, 0, n)
	ks := kernelsOf[T]()
	if ks == nil || !runUpdate(&ks.adamTasks, n, adamTask[T]{ks: ks, p: p, g: g, m: m, v: v, vmax: vmax, c: c}) {
		adamSerial(ks, p, g, m, v, vmax, &c)
	}
}

// AdamSerial is Adam on the calling thread alone: for one part of a
// parameter inside a job that is already split between threads (see
// GemmThen). Its results are Adam's, bit for bit.
func AdamSerial[T Float](p, g, m, v, vmax []T, c AdamCoef[T]) {
	if !c.AMSGrad {
		vmax = nil
	}
	n := len(p)
	adamSerial(kernelsOf[T](), p, g[:n], m[:n], v[:n], sub(vmax, 0, n), &c)
}

// adamSerial is Adam on the calling thread, in assembly where ks has it.
func adamSerial[T Float](ks *kernels[T], p, g, m, v, vmax []T, c *AdamCoef[T]) {
	done := 0
	if ks != nil && ks.adam != nil {
		done = ks.adam(p, g, m, v, *c)
	}
	adamGo(p[done:], g[done:], m[done:], v[done:], sliceFrom(vmax, done), c)
}

// adamTask is an Adam step as a task for the thread pool, in parts of
// chunk elements.
type adamTask[T Float] struct {
	j                job
	ks               *kernels[T]
	chunk            int
	p, g, m, v, vmax []T
	c                AdamCoef[T]
}

func (t *adamTask[T]) run(i int) {
	lo, hi := i*t.chunk, min((i+1)*t.chunk, len(t.p))
	if lo < hi {
		adamSerial(t.ks, t.p[lo:hi], t.g[lo:hi], t.m[lo:hi], t.v[lo:hi], sub(t.vmax, lo, hi), &t.c)
	}
}

func (t *adamTask[T]) getJob() *job { return &t.j }

func (t *adamTask[T]) setChunk(n int) { t.chunk = n }

func (t *adamTask[T]) release() {
	ks := t.ks
	*t = adamTask[T]{}
	ks.adamTasks.Put(t)
}

// updateMin is the parameter size from which an update is split between
// threads, in parts that are a multiple of updateAlign elements.
const (
	updateMin   = 1 << 15
	updateAlign = 64
)

// runUpdate runs the update t of n elements in parts through the thread
// pool, on a copy from pool, and reports whether it did: not for an update
// too small to split (updateParts).
func runUpdate[X any, P interface {
	*X
	task
	setChunk(int)
}](pool *sync.Pool, n int, t X) bool {
	parts, chunk := updateParts(n)
	if parts <= 1 {
		return false
	}
	x := P(get[X](pool))
	*x = t
	x.setChunk(chunk)
	runTask(x, parts)
	return true
}

// updateParts returns how many parts of how many elements an update of n
// elements is split into (one part: not split). It depends on n and the
// thread setting only.
func updateParts(n int) (parts, chunk int) {
	parts = Threads()
	if forceParts > 0 {
		parts = forceParts
	} else if n < updateMin {
		parts = 1
	}
	if parts <= 1 || n == 0 {
		return 1, n
	}
	chunk = (n + parts - 1) / parts
	chunk = (chunk + updateAlign - 1) / updateAlign * updateAlign
	return (n + chunk - 1) / chunk, chunk
}

// adamGo is the reference loop of Adam.
func adamGo[T Float](p, g, m, v, vmax []T, c *AdamCoef[T]) {
	step, bc2, b1, c1, b2, c2, eps, wd, decay := c.NegStep, c.BC2Sqrt, c.B1, c.C1, c.B2, c.C2, c.Eps, c.WD, c.Decay
	n := len(p)
	g, m, v = g[:n], m[:n], v[:n]
	if c.AMSGrad {
		vmax = vmax[:n]
	}
	for i, gi := range g {
		pi := p[i]
		if c.Decouple {
			pi = pi * decay
		} else if c.L2 {
			gi = gi + wd*pi
		}
		mi := m[i]*b1 + c1*gi
		vi := v[i]*b2 + c2*gi*gi
		m[i], v[i] = mi, vi
		vh := vi
		if c.AMSGrad {
			vh = max(vmax[i], vi)
			vmax[i] = vh
		}
		denom := sqrt(vh)/bc2 + eps
		p[i] = pi + step*(mi/denom)
	}
}

// sqrt is the correctly rounded square root in T: for float32 the float64
// root rounded to float32, which is the float32 root.
func sqrt[T Float](x T) T { return T(math.Sqrt(float64(x))) }

// useUpdate512 selects the AVX-512 optimizer updates; tests turn it off
// to compare them with the Go loops.
var useUpdate512 = asmKernels && canAVX512

// The modes of Adam's assembly (see AdamCoef.mode).
const (
	adamL2       = 1
	adamDecouple = 2
)
