package kernel

import "math"

// Act names an activation function for the fused kernels. The numbering
// is package activation's Kind.
type Act int

// The activations.
const (
	Identity  Act = iota // f(z) = z
	Sigmoid              // f(z) = 1/(1+e⁻ᶻ), computed in float64
	Tanh                 // f(z) = tanh z, computed in float64
	ReLU                 // f(z) = z for z > 0, else 0
	LeakyReLU            // f(z) = z for z > 0, else LeakySlope·z
	Softmax              // f(z)ⱼ = e^(zⱼ−max) / Σₖ e^(zₖ−max) over each row, in float64
)

// useAct512 selects the AVX-512 activation kernels; tests turn it off to
// compare them with the Go loops.
var useAct512 = asmKernels && canAVX512

// LeakySlope is the slope of LeakyReLU for z ≤ 0.
const LeakySlope = 0.01

// BiasAct is the epilogue of a dense layer's forward step, one pass over
// the m×n batch Z (row-major, rows of n):
//
//	Z[i,j] = Z[i,j] + b[j]   (skipped when b is nil)
//	A[i,j] = f(Z[i,j])       (for Softmax, f of row i of Z)
//
// a may be z itself (A overwrites Z). z, a and b must hold at least m·n,
// m·n and n elements. It panics on an unknown f.
func BiasAct[T Float](f Act, m, n int, z, b, a []T) {
	biasAct(kernelsOf[T](), f, m, n, z, b, a)
}

// biasAct is BiasAct with the kernels of ks (nil: the Go loops).
func biasAct[T Float](ks *kernels[T], f Act, m, n int, z, b, a []T) {
	if m == 0 || n == 0 {
		return
	}
	z, a = z[:m*n], a[:m*n]
	if b != nil {
		b = b[:n]
	}
	switch f {
	case Identity:
		biasIdentity(m, n, z, b, a)
	case ReLU:
		biasReLU(ks, m, n, n, z, b, a)
	case LeakyReLU:
		biasLeaky(m, n, z, b, a)
	case Sigmoid:
		addBias(m, n, z, b)
		for i, v := range z {
			a[i] = T(sigmoid(float64(v)))
		}
	case Tanh:
		addBias(m, n, z, b)
		for i, v := range z {
			a[i] = T(math.Tanh(float64(v)))
		}
	case Softmax:
		biasSoftmax(m, n, z, b, a, nil)
	default:
		panic("kernel: BiasAct: unknown activation")
	}
}

// sigmoid is 1/(1+e⁻ᶻ), the form the tutorials use. It cannot overflow to
// NaN: for z < −709, e⁻ᶻ is +Inf and the result is exactly 0.
func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// biasSoftmax is BiasAct's Softmax case: Z += b, then A = softmax(Z) row
// by row, and, when lse is not nil, the log-sum-exp of each row of Z
//
//	lse[i] = mᵢ + log Σⱼ e^(Z[i,j]−mᵢ),  mᵢ = maxⱼ Z[i,j]   (float64)
//
// from the maximum and sum the softmax itself computes, in the order
// loss.ValueLogits computes them (so its cross-entropy from lse is the
// same, bit for bit). lse must hold at least m elements.
func biasSoftmax[T Float](m, n int, z, b, a []T, lse []float64) {
	addBias(m, n, z, b)
	for r := 0; r < m; r++ {
		mx, sum := softmaxRow(a[r*n:(r+1)*n], z[r*n:(r+1)*n])
		if lse != nil {
			lse[r] = mx + math.Log(sum)
		}
	}
}

// softmaxRow computes a stable softmax: the row maximum is subtracted
// before exponentiating, so no e^z overflows. a may be z. It returns the
// maximum m and the sum Σ e^(z−m) it divided by.
func softmaxRow[T Float](a, z []T) (m, sum float64) {
	m = math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, float64(v))
	}
	for i, v := range z {
		e := math.Exp(float64(v) - m)
		a[i] = T(e)
		sum += e
	}
	for i := range a {
		a[i] = T(float64(a[i]) / sum)
	}
	return m, sum
}

// addBias sets z[i,j] += b[j] (nothing when b is nil).
func addBias[T Float](m, n int, z, b []T) {
	if b == nil {
		return
	}
	for r := 0; r < m; r++ {
		zr := z[r*n : r*n+n]
		for j := range zr {
			zr[j] += b[j]
		}
	}
}

func biasIdentity[T Float](m, n int, z, b, a []T) {
	addBias(m, n, z, b)
	if &a[0] != &z[0] {
		copy(a, z)
	}
}

// biasReLU is the bias and ReLU of BiasAct on m rows of n, ld elements
// apart in z and a (ld ≥ n).
func biasReLU[T Float](ks *kernels[T], m, n, ld int, z, b, a []T) {
	if m == 0 || n == 0 {
		return
	}
	if ks != nil && ks.biasReLU != nil && ks.biasReLU(m, n, ld, z, b, a) {
		return
	}
	for r := 0; r < m; r++ {
		zr, ar := z[r*ld:r*ld+n], a[r*ld:r*ld+n]
		ar = ar[:len(zr)]
		if b == nil {
			for j, v := range zr {
				ar[j] = relu(v)
			}
			continue
		}
		br := b[:len(zr)]
		for j, v := range zr {
			v += br[j]
			zr[j] = v
			ar[j] = relu(v)
		}
	}
}

func relu[T Float](v T) T {
	if v > 0 {
		return v
	}
	return 0
}

func biasLeaky[T Float](m, n int, z, b, a []T) {
	for r := 0; r < m; r++ {
		zr, ar := z[r*n:r*n+n], a[r*n:r*n+n]
		ar = ar[:len(zr)]
		var br []T
		if b != nil {
			br = b[:len(zr)]
		}
		for j, v := range zr {
			if br != nil {
				v += br[j]
				zr[j] = v
			}
			if v > 0 {
				ar[j] = v
			} else {
				ar[j] = LeakySlope * v
			}
		}
	}
}

// ActBackward is the activation part of a dense layer's backward step,
// one pass over the m×n batch:
//
//	dZ = dA ⊙ f′(Z)    element-wise kinds: f′ from Z (ReLU, leaky ReLU) or
//	                   from A = f(Z) (sigmoid: A·(1−A), tanh: 1−A²)
//	dZ[i,j] = A[i,j]·(dA[i,j] − Σₖ dA[i,k]·A[i,k])   Softmax, per row
//	db[j] = Σᵢ dZ[i,j]  rows added in order from 0 (skipped when db is nil)
//
// dz may be da. The slices must hold at least m·n elements (db: n). It
// panics on an unknown f.
func ActBackward[T Float](f Act, m, n int, dz, da, z, a, db []T) {
	actBackward(kernelsOf[T](), f, m, n, dz, da, z, a, db)
}

// actBackward is ActBackward with the kernels of ks (nil: the Go loops).
func actBackward[T Float](ks *kernels[T], f Act, m, n int, dz, da, z, a, db []T) {
	if db != nil {
		db = db[:n]
		clear(db)
	}
	if m == 0 || n == 0 {
		return
	}
	size := m * n
	dz, da = dz[:size], da[:size]
	switch f {
	case Identity:
		if &dz[0] != &da[0] {
			copy(dz, da)
		}
	case Sigmoid:
		a = a[:size]
		for i, g := range da {
			v := a[i]
			dz[i] = g * (v * (1 - v))
		}
	case Tanh:
		a = a[:size]
		for i, g := range da {
			v := a[i]
			dz[i] = g * (1 - v*v)
		}
	case ReLU:
		reluBackward(ks, m, n, n, dz, da, z[:size], db)
		return
	case LeakyReLU:
		z = z[:size]
		for i, g := range da {
			if z[i] <= 0 {
				dz[i] = LeakySlope * g
			} else {
				dz[i] = g
			}
		}
	case Softmax:
		a = a[:size]
		for r := 0; r < m; r++ {
			ar, gr, out := a[r*n:(r+1)*n], da[r*n:(r+1)*n], dz[r*n:(r+1)*n]
			ar, out = ar[:len(gr)], out[:len(gr)]
			var dot T
			for j, g := range gr {
				dot += g * ar[j]
			}
			for j, g := range gr {
				out[j] = ar[j] * (g - dot)
			}
		}
	default:
		panic("kernel: ActBackward: unknown activation")
	}
	if db != nil {
		addRows(m, n, dz, db)
	}
}

// reluBackward sets dz = da where z > 0 (else 0) and adds each row of dz
// to db while it is in cache, for m rows of n, ld elements apart in dz, da
// and z (ld ≥ n).
func reluBackward[T Float](ks *kernels[T], m, n, ld int, dz, da, z, db []T) {
	if m == 0 || n == 0 {
		return
	}
	if ks != nil && ks.reluBackward != nil && ks.reluBackward(m, n, ld, dz, da, z, db) {
		return
	}
	for r := 0; r < m; r++ {
		zr := z[r*ld : r*ld+n]
		gr, out := da[r*ld:r*ld+n], dz[r*ld:r*ld+n]
		gr, out = gr[:len(zr)], out[:len(zr)]
		if db == nil {
			for j, v := range zr {
				if v > 0 {
					out[j] = gr[j]
				} else {
					out[j] = 0
				}
			}
			continue
		}
		br := db[:len(zr)]
		for j, v := range zr {
			var d T
			if v > 0 {
				d = gr[j]
			}
			out[j] = d
			br[j] += d
		}
	}
}

// addRows adds the m rows of the m×n matrix x to db in order. Four rows
// at a time, each db[j] stays in a register for four additions (the same
// additions in the same order as one row at a time).
func addRows[T Float](m, n int, x, db []T) {
	db = db[:n]
	r := 0
	for ; r+4 <= m; r += 4 {
		x0 := x[r*n : r*n+n]
		x0 = x0[:len(db)]
		x1 := x[(r+1)*n : (r+1)*n+n]
		x1 = x1[:len(db)]
		x2 := x[(r+2)*n : (r+2)*n+n]
		x2 = x2[:len(db)]
		x3 := x[(r+3)*n : (r+3)*n+n]
		x3 = x3[:len(db)]
		for j, v := range x0 {
			db[j] = db[j] + v + x1[j] + x2[j] + x3[j]
		}
	}
	for ; r < m; r++ {
		xr := x[r*n : r*n+n]
		xr = xr[:len(db)]
		for j, v := range xr {
			db[j] += v
		}
	}
}

// SumRows sets db[j] = Σᵢ x[i,j] for the m×n matrix x, adding the rows in
// order from row 0 (np.sum(x, axis=0)).
func SumRows[T Float](m, n int, x, db []T) {
	db = db[:n]
	clear(db)
	addRows(m, n, x, db)
}
