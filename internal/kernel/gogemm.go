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
		const ku = goKU
		sz := unsafe.Sizeof(z)
		pa, pb := unsafe.Pointer(unsafe.SliceData(a)), unsafe.Pointer(unsafe.SliceData(b))
		oa, ob := uintptr(0), uintptr(0) // byte offsets of a[p] and b[8p]
		if end := uintptr(k/ku) * ku * sz; end > 0 {
			for {
				x := *(*T)(unsafe.Add(pa, oa))
				c0 += x * *(*T)(unsafe.Add(pb, ob))
				c1 += x * *(*T)(unsafe.Add(pb, ob+sz))
				c2 += x * *(*T)(unsafe.Add(pb, ob+2*sz))
				c3 += x * *(*T)(unsafe.Add(pb, ob+3*sz))
				c4 += x * *(*T)(unsafe.Add(pb, ob+4*sz))
				c5 += x * *(*T)(unsafe.Add(pb, ob+5*sz))
				c6 += x * *(*T)(unsafe.Add(pb, ob+6*sz))
				c7 += x * *(*T)(unsafe.Add(pb, ob+7*sz))
				x = *(*T)(unsafe.Add(pa, oa+sz))
				c0 += x * *(*T)(unsafe.Add(pb, ob+8*sz))
				c1 += x * *(*T)(unsafe.Add(pb, ob+9*sz))
				c2 += x * *(*T)(unsafe.Add(pb, ob+10*sz))
				c3 += x * *(*T)(unsafe.Add(pb, ob+11*sz))
				c4 += x * *(*T)(unsafe.Add(pb, ob+12*sz))
				c5 += x * *(*T)(unsafe.Add(pb, ob+13*sz))
				c6 += x * *(*T)(unsafe.Add(pb, ob+14*sz))
				c7 += x * *(*T)(unsafe.Add(pb, ob+15*sz))
				x = *(*T)(unsafe.Add(pa, oa+2*sz))
				c0 += x * *(*T)(unsafe.Add(pb, ob+16*sz))
				c1 += x * *(*T)(unsafe.Add(pb, ob+17*sz))
				c2 += x * *(*T)(unsafe.Add(pb, ob+18*sz))
				c3 += x * *(*T)(unsafe.Add(pb, ob+19*sz))
				c4 += x * *(*T)(unsafe.Add(pb, ob+20*sz))
				c5 += x * *(*T)(unsafe.Add(pb, ob+21*sz))
				c6 += x * *(*T)(unsafe.Add(pb, ob+22*sz))
				c7 += x * *(*T)(unsafe.Add(pb, ob+23*sz))
				x = *(*T)(unsafe.Add(pa, oa+3*sz))
				c0 += x * *(*T)(unsafe.Add(pb, ob+24*sz))
				c1 += x * *(*T)(unsafe.Add(pb, ob+25*sz))
				c2 += x * *(*T)(unsafe.Add(pb, ob+26*sz))
				c3 += x * *(*T)(unsafe.Add(pb, ob+27*sz))
				c4 += x * *(*T)(unsafe.Add(pb, ob+28*sz))
				c5 += x * *(*T)(unsafe.Add(pb, ob+29*sz))
				c6 += x * *(*T)(unsafe.Add(pb, ob+30*sz))
				c7 += x * *(*T)(unsafe.Add(pb, ob+31*sz))
				oa += ku * sz
				ob += ku * goNR * sz
				if oa == end {
					break
				}
			}
		}
		for range k % ku {
			x := *(*T)(unsafe.Add(pa, oa))
			c0 += x * *(*T)(unsafe.Add(pb, ob))
			c1 += x * *(*T)(unsafe.Add(pb, ob+sz))
			c2 += x * *(*T)(unsafe.Add(pb, ob+2*sz))
			c3 += x * *(*T)(unsafe.Add(pb, ob+3*sz))
			c4 += x * *(*T)(unsafe.Add(pb, ob+4*sz))
			c5 += x * *(*T)(unsafe.Add(pb, ob+5*sz))
			c6 += x * *(*T)(unsafe.Add(pb, ob+6*sz))
			c7 += x * *(*T)(unsafe.Add(pb, ob+7*sz))
			oa += sz
			ob += goNR * sz
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
