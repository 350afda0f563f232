package kernel

// The pure-Go blocked path: the same loop nest as the float32 assembly
// path around a 2×4 register-tile micro-kernel (eight accumulators
// and six operands fit the sixteen amd64 float registers; 4×4 spills) written in Go. It serves
// float64 above the exact limit and float32 where no assembly kernel can
// run (other platforms, -tags noasm, CPUs without AVX2 and FMA).

const (
	goMR = 2
	goNR = 4
	goMC = 128 // A block height (a multiple of goMR)
)

// goGemmPacked computes C = alpha·op(A)·op(B) + beta·C on one thread.
func goGemmPacked[T float32 | float64](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, bufA, bufB *[]T, tmp *[2 * goNR]T) {
	kc := kBlock(k)
	ncCap := min(ncMax, (n+goNR-1)/goNR*goNR)
	mcCap := min(goMC, (m+goMR-1)/goMR*goMR)
	*bufB = aligned(*bufB, kc*ncCap)
	*bufA = aligned(*bufA, kc*mcCap)
	bp, ap := *bufB, *bufA
	var kernel func(a, b []T, acc *[2 * goNR]T)
	switch k := any(goKernel64).(type) {
	case func(a, b []T, acc *[2 * goNR]T):
		kernel = k
	default:
		kernel = any(goKernel32).(func(a, b []T, acc *[2 * goNR]T))
	}
	for jc := 0; jc < n; jc += ncMax {
		nc := min(ncMax, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			goPackB(transB, b, ldb, pc, jc, kb, nc, bp)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += goMC {
				mc := min(goMC, m-ic)
				goPackA(transA, a, lda, ic, pc, mc, kb, ap)
				for jr := 0; jr < nc; jr += goNR {
					w := min(goNR, nc-jr)
					bj := bp[jr*kb : jr*kb+goNR*kb]
					for ir := 0; ir < mc; ir += goMR {
						h := min(goMR, mc-ir)
						ai := ap[ir*kb : ir*kb+goMR*kb]
						ci := (ic+ir)*ldc + jc + jr
						kernel(ai, bj, tmp)
						goStore(tmp, c[ci:], ldc, h, w, alpha, bet)
					}
				}
			}
		}
	}
}

// goKernel64 sums a 2×4 tile: acc[4r+j] = Σₚ a[2p+r]·b[4p+j], with
// len(b) == 2·len(a) == 4k. goKernel32 is its float32 twin. The two are
// written out rather than generic, and leave scaling to the caller, so that
// the eight accumulators, two values of A and a value of B stay in
// registers (the generic instance, or alpha and beta kept live, spill).
// Each value of B is loaded just before its two multiply-adds, by index:
// sub-slicing a[2p:2p+2] and b[4p:4p+4] instead, the compiler hoisted
// all the loads and products and spilled an accumulator, at 0.6× the
// speed (4.6 against 7.9 GFLOP/s on panels in L1, Zen 5).
func goKernel64(a, b []float64, acc *[2 * goNR]float64) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float64
	k := len(a) / 2
	a, b = a[:2*k], b[:4*k]
	for p := 0; p < k; p++ {
		a0 := a[2*p]
		a1 := a[2*p+1]
		b0 := b[4*p]
		c00 += a0 * b0
		c10 += a1 * b0
		b1 := b[4*p+1]
		c01 += a0 * b1
		c11 += a1 * b1
		b2 := b[4*p+2]
		c02 += a0 * b2
		c12 += a1 * b2
		b3 := b[4*p+3]
		c03 += a0 * b3
		c13 += a1 * b3
	}
	*acc = [2 * goNR]float64{c00, c01, c02, c03, c10, c11, c12, c13}
}

func goKernel32(a, b []float32, acc *[2 * goNR]float32) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	k := len(a) / 2
	a, b = a[:2*k], b[:4*k]
	for p := 0; p < k; p++ {
		a0 := a[2*p]
		a1 := a[2*p+1]
		b0 := b[4*p]
		c00 += a0 * b0
		c10 += a1 * b0
		b1 := b[4*p+1]
		c01 += a0 * b1
		c11 += a1 * b1
		b2 := b[4*p+2]
		c02 += a0 * b2
		c12 += a1 * b2
		b3 := b[4*p+3]
		c03 += a0 * b3
		c13 += a1 * b3
	}
	*acc = [2 * goNR]float32{c00, c01, c02, c03, c10, c11, c12, c13}
}

// goStore sets the h×w corner of the 2×4 tile at c to alpha·acc + beta·c
// (c not read when beta is 0).
func goStore[T float32 | float64](acc *[2 * goNR]T, c []T, ldc, h, w int, alpha, beta T) {
	for r := 0; r < h; r++ {
		cr := c[r*ldc : r*ldc+w]
		for j := range cr {
			v := alpha * acc[r*goNR+j]
			if beta != 0 {
				v += beta * cr[j]
			}
			cr[j] = v
		}
	}
}

// goPackB packs op(B)[pc:pc+kb, jc:jc+nc] into 4-wide column panels,
// dst[q*4*kb + 4p + j] = op(B)[pc+p, jc+4q+j], zero beyond column nc.
func goPackB[T float32 | float64](transB bool, b []T, ldb, pc, jc, kb, nc int, dst []T) {
	for jr := 0; jr < nc; jr += goNR {
		w := min(goNR, nc-jr)
		d := dst[jr*kb : jr*kb+goNR*kb]
		switch {
		case !transB && w == goNR:
			src := b[pc*ldb+jc+jr:]
			for p := 0; p < kb; p++ {
				*(*[4]T)(d[4*p:]) = *(*[4]T)(src[p*ldb:])
			}
		case transB && w == goNR:
			s := (jc+jr)*ldb + pc
			r0, r1 := b[s:s+kb], b[s+ldb:s+ldb+kb]
			r2, r3 := b[s+2*ldb:s+2*ldb+kb], b[s+3*ldb:s+3*ldb+kb]
			for p := range r0 {
				q := d[4*p : 4*p+4 : 4*p+4]
				q[0], q[1], q[2], q[3] = r0[p], r1[p], r2[p], r3[p]
			}
		default:
			for p := 0; p < kb; p++ {
				for j := 0; j < goNR; j++ {
					var v T
					if j < w {
						if transB {
							v = b[(jc+jr+j)*ldb+pc+p]
						} else {
							v = b[(pc+p)*ldb+jc+jr+j]
						}
					}
					d[4*p+j] = v
				}
			}
		}
	}
}

// goPackA packs op(A)[ic:ic+mc, pc:pc+kb] into 2-high row panels,
// dst[q*2*kb + 2p + r] = op(A)[ic+2q+r, pc+p], zero beyond row mc.
func goPackA[T float32 | float64](transA bool, a []T, lda, ic, pc, mc, kb int, dst []T) {
	for ir := 0; ir < mc; ir += goMR {
		h := min(goMR, mc-ir)
		d := dst[ir*kb : ir*kb+goMR*kb]
		switch {
		case transA && h == goMR:
			src := a[pc*lda+ic+ir:]
			for p := 0; p < kb; p++ {
				*(*[2]T)(d[2*p:]) = *(*[2]T)(src[p*lda:])
			}
		case !transA && h == goMR:
			s := (ic+ir)*lda + pc
			r0, r1 := a[s:s+kb], a[s+lda:s+lda+kb]
			for p := range r0 {
				q := d[2*p : 2*p+2 : 2*p+2]
				q[0], q[1] = r0[p], r1[p]
			}
		default:
			for p := 0; p < kb; p++ {
				for r := 0; r < goMR; r++ {
					var v T
					if r < h {
						if transA {
							v = a[(pc+p)*lda+ic+ir+r]
						} else {
							v = a[(ic+ir+r)*lda+pc+p]
						}
					}
					d[goMR*p+r] = v
				}
			}
		}
	}
}

// shapeGo is the tile shape of the pure-Go path.
var shapeGo = tileShape{goMR, goNR, goMC}
