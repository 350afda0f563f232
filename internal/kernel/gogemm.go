package kernel

import "unsafe"

// The pure-Go micro-kernel: the packed loop nest (packed.go) around a 1×8
// register tile written in Go. It serves both precisions above the exact
// limit where no assembly kernel can run (other platforms, -tags noasm,
// CPUs without AVX2 and FMA).
//
// Go does not vectorise, so this is scalar code: one multiply and one add
// per term, and a core issues at most two of each per cycle (peakGo
// measures that ceiling: 13.6–15.1 GFLOP/s on Zen 5). The tile is chosen
// for the sixteen float registers of amd64 (X15 is reserved): 8
// accumulators, one value of A and one of B. Per step p it loads a[p]
// once and the eight b[8p+j] each into the register it multiplies, so a
// term costs three instructions (load, multiply, add) with no register
// copies. Tiles measured on panels in L1 (Zen 5, float32, a loaded
// machine, best of 300 runs of each), all unrolled four steps the same
// way, in GFLOP/s: 1×8 12.9, 1×12 13.0, 1×6 12.5, 2×4 11.4, 2×3 11.5,
// 2×6 10.1, 3×4 7.3, 4×4 6.1 (16 accumulators spill); the 2×4 kernel
// this one replaced, indexed and not unrolled, 8.0. Unrolling eight
// steps instead of four changed nothing measurable.
//
// A row of one (mr = 1) needs no packing of an untransposed A: the kernel
// reads the row of A in place.

const (
	goMR = 1
	goNR = 8
	goMC = 128 // A block height (a multiple of goMR)
	goKU = 4   // steps of p per loop iteration
)

// gemmGo sets c[j] = alpha·acc[j] + beta·c[j] for j < len(c) ≤ 8, c not
// read when beta is 0, where
//
//	acc[j] = Σ_{p<k} a[p]·b[8p+j],   k = len(a), len(b) ≥ 8k,
//
// summed over p in order in one accumulator per column, each term a
// multiply and then an add (no fused multiply-add where Go does not fuse).
//
// The loop reads A and B through unsafe offsets, after the one bounds
// check above it: with slices (re-sliced or indexed) Go keeps a loop
// header apart from the body and schedules every product of the last
// unrolled step ahead of its add, which with 8 accumulators needs more
// than the 15 registers and spills, and re-slicing costs a dozen integer
// instructions per iteration (11.7 against 12.9 GFLOP/s on panels in L1).
// The loop is a do-while whose every load and arithmetic step lies in one
// block, so the compiler keeps the source order.
func gemmGo[T Float](a, b []T, c []T, alpha, beta T) {
	var c0, c1, c2, c3, c4, c5, c6, c7 T
	k := len(a)
	if k > 0 {
		_ = b[goNR*k-1] // every offset below is under 8k
		var z T
		sz := unsafe.Sizeof(z)
		pa, pb := unsafe.Pointer(unsafe.SliceData(a)), unsafe.Pointer(unsafe.SliceData(b))
		oa, ob := uintptr(0), uintptr(0) // byte offsets of a[p] and b[8p]
		const ku, nb = goKU, goNR
		if end := uintptr(k/ku) * ku * sz; end > 0 {
			for {
				c0, c1, c2, c3, c4, c5, c6, c7 = goStep(c0, c1, c2, c3, c4, c5, c6, c7, (*T)(unsafe.Add(pa, oa)), (*[nb]T)(unsafe.Add(pb, ob)))
				c0, c1, c2, c3, c4, c5, c6, c7 = goStep(c0, c1, c2, c3, c4, c5, c6, c7, (*T)(unsafe.Add(pa, oa+sz)), (*[nb]T)(unsafe.Add(pb, ob+nb*sz)))
				c0, c1, c2, c3, c4, c5, c6, c7 = goStep(c0, c1, c2, c3, c4, c5, c6, c7, (*T)(unsafe.Add(pa, oa+2*sz)), (*[nb]T)(unsafe.Add(pb, ob+2*nb*sz)))
				c0, c1, c2, c3, c4, c5, c6, c7 = goStep(c0, c1, c2, c3, c4, c5, c6, c7, (*T)(unsafe.Add(pa, oa+3*sz)), (*[nb]T)(unsafe.Add(pb, ob+3*nb*sz)))
				oa += ku * sz
				ob += ku * nb * sz
				if oa == end {
					break
				}
			}
		}
		for range k % ku {
			c0, c1, c2, c3, c4, c5, c6, c7 = goStep(c0, c1, c2, c3, c4, c5, c6, c7, (*T)(unsafe.Add(pa, oa)), (*[nb]T)(unsafe.Add(pb, ob)))
			oa += sz
			ob += nb * sz
		}
	}
	acc := [goNR]T{c0, c1, c2, c3, c4, c5, c6, c7}
	for j, s := range acc[:len(c)] {
		v := alpha * s
		if beta != 0 {
			v += beta * c[j]
		}
		c[j] = v
	}
}

// goStep is one step p of gemmGo, inlined: it returns c_j + a·b[j] for
// j < 8, each term a load of b[j] into the register it is multiplied in,
// a multiply and an add.
func goStep[T Float](c0, c1, c2, c3, c4, c5, c6, c7 T, a *T, b *[goNR]T) (T, T, T, T, T, T, T, T) {
	x := *a
	return c0 + x*b[0], c1 + x*b[1], c2 + x*b[2], c3 + x*b[3], c4 + x*b[4], c5 + x*b[5], c6 + x*b[6], c7 + x*b[7]
}
