package kernel

import "unsafe"

// The packed paths: BLIS-style blocking around a micro-kernel, one loop
// nest (loopNest) for every kernel of either precision.
//
//	for jc over n in steps of nc:            (B panel in L2/L3)
//	  for pc over k in blocks of kc:         (k split into equal blocks ≤ kcMax)
//	    pack op(B)[pc:pc+kc, jc:jc+nc] into nr-wide column panels
//	    for ic over m in steps of mc:        (A block in L2)
//	      pack op(A)[ic:ic+mc, pc:pc+kc] into mr-high row panels
//	      for jr, ir: micro-kernel on an mr×nr tile of C
//
// Every element of C is computed by the same sequence of operations however
// the work is split between threads: the k blocking depends on k alone and
// the tile grid is anchored at C[0,0] (thread chunks are whole tiles).

// useAVX512 and useAVX2 select the kernels of both precisions, useNEON
// (set on arm64) the float32 NEON kernel; tests flip them to exercise every
// path on one machine.
var (
	useAVX512 = asmKernels && canAVX512
	useAVX2   = asmKernels && canAVX2
	useNEON   bool
)

const (
	kcMax = 320  // deepest k block
	ncMax = 4096 // widest B panel (a multiple of every nr)
)

// A tileShape is one packed path: its micro-kernel (kind), tile mr×nr,
// A block height mc (a multiple of mr), the padding between packed B
// panels, and the m·n·k from which it splits a product between threads.
type tileShape struct {
	kind       kernelKind
	mr, nr, mc int
	bPad       int
	parallel   int
}

// kernelKind names a micro-kernel family.
type kernelKind uint8

const (
	kind512      kernelKind = iota // AVX-512, masked columns (gemm512)
	kind256                        // AVX2 (gemm256 and friends)
	kindGo                         // pure Go (gemmGo)
	kindUnpacked                   // AVX-512 float32 without packing (unpacked512s)
	kind128                        // arm64 NEON float32 (gemm128)
)

// The tile shapes. For float64 the tiles hold as many accumulator
// registers as their float32 twins (16 zmm, 12 ymm) at half the width;
// A blocks of 128 and 96 rows (kc 192–384 measured within noise on
// 128×784×256 and 512³). The AVX2 float32 B panels are 16·kb+16 floats
// apart: the padding keeps the panels that packB16s writes side by side
// from falling on the same L1 sets (kb of 64, 128, 256 … would put them a
// multiple of 4 KiB apart).
var (
	shape512   = tileShape{kind512, 8, 32, 128, 0, 1 << 18}
	shape256   = tileShape{kind256, 6, 16, 96, 16, 1 << 17}
	shapeSmall = tileShape{kindUnpacked, 8, 32, 0, 0, 1 << 18}
	shape512d  = tileShape{kind512, 8, 16, 128, 0, 1 << 17}
	shape256d  = tileShape{kind256, 6, 8, 96, 0, 1 << 17}
	shapeGo    = tileShape{kindGo, goMR, goNR, goMC, 0, 1 << 16}
	shape128   = tileShape{kind128, 8, 12, 128, 0, 1 << 17}
)

// kBlock returns the k block depth: k split into equal blocks no deeper
// than kcMax. It depends on k alone.
func kBlock(k int) int {
	nb := (k + kcMax - 1) / kcMax
	return (k + nb - 1) / nb
}

// packBuf holds one worker's pack buffers, 64-byte aligned and reused,
// and the temporary tiles of the AVX2 (6×16) and NEON (8×12) kernels.
type packBuf[T Float] struct {
	a, b []T
	t    [max(6*16, 8*12)]T
}

// getBuf takes a pack buffer from the pool of ks.
func getBuf[T Float](ks *kernels[T]) *packBuf[T] { return get[packBuf[T]](&ks.bufs) }

// aligned returns buf[:n] if it is big enough, else a new slice of n
// elements whose first element is 64-byte aligned.
func aligned[T Float](buf []T, n int) []T {
	if cap(buf) >= n {
		return buf[:n]
	}
	var z T
	per := 64 / int(unsafe.Sizeof(z))
	raw := make([]T, n+per)
	off := 0
	if r := int(uintptr(unsafe.Pointer(&raw[0])) % 64); r != 0 {
		off = (64 - r) / int(unsafe.Sizeof(z))
	}
	return raw[off : off+n]
}

// colMask selects the low w of 32 columns.
func colMask(w int) uint32 { return uint32(uint64(1)<<w - 1) }

// packed computes C = alpha·op(A)·op(B) + beta·C on one thread with tile
// shape s: loopNest with the packers and the micro-kernel of s.kind.
func packed[T Float](ks *kernels[T], s tileShape, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, buf *packBuf[T]) {
	if s.kind == kindUnpacked {
		ks.unpacked(ks, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, buf)
		return
	}
	mr, nr := s.mr, s.nr
	kc := kBlock(k)
	buf.b = aligned(buf.b, (kc*nr+s.bPad)*((min(ncMax, n)+nr-1)/nr))
	buf.a = aligned(buf.a, kc*min(s.mc, (m+mr-1)/mr*mr))
	bp, ap := buf.b, buf.a
	// An untransposed A is read in place by the AVX2 float32 kernel but
	// for the last rows of each block, packed (zero-padded) where the
	// kernels expect them.
	inPlace := s.kind == kind256 && !transA && ks.gemm256u != nil
	packB := func(pc, jc, kb, nc int) { pack(ks, !transB, b, ldb, jc, pc, kb, nc, nr, kb*nr+s.bPad, bp) }
	packA := func(ic, pc, mc, kb int) {
		switch {
		case s.kind == kindGo && !transA:
			// The pure-Go kernel reads rows of A in place.
		case s.kind == kindGo:
			// Rows of op(A), one row a panel: the transposition of the
			// stored block, ap[r*kb+p] = A[pc+p, ic+r].
			transposePanel(ks, ap, kb, a[pc*lda+ic:], lda, mc, kb)
		case !inPlace:
			pack(ks, transA, a, lda, ic, pc, kb, mc, mr, mr*kb, ap)
		case mc%mr != 0:
			h := mc % mr
			pack(ks, false, a, lda, ic+mc-h, pc, kb, h, mr, mr*kb, ap[(mc-h)*kb:])
		}
	}
	var tile func(pc, kb, ir, jr, i, j, h, w int, bet T)
	switch s.kind {
	case kind512:
		tile = func(_, kb, ir, jr, i, j, h, w int, bet T) {
			ks.gemm512(kb, &ap[ir*kb], &bp[jr*kb], &c[i*ldc+j], ldc, alpha, bet, h, colMask(w))
		}
	case kind128:
		tile = func(_, kb, ir, jr, i, j, h, w int, bet T) {
			if w < nr {
				// A partial tile: alpha·acc into a temporary tile, then
				// the valid part merged into C.
				t := buf.t[:mr*nr]
				ks.gemm128(kb, &ap[ir*kb], &bp[jr*kb], &t[0], nr, alpha, 0, h)
				mergeTile(c[i*ldc+j:], ldc, t, nr, h, w, bet)
				return
			}
			ks.gemm128(kb, &ap[ir*kb], &bp[jr*kb], &c[i*ldc+j], ldc, alpha, bet, h)
		}
	case kindGo:
		tile = func(pc, kb, ir, jr, i, j, _, w int, bet T) {
			ai := ap[ir*kb : ir*kb+kb]
			if !transA {
				ai = a[i*lda+pc : i*lda+pc+kb]
			}
			gemmGo(ai, bp[jr*kb:jr*kb+goNR*kb], c[i*ldc+j:i*ldc+j+w], alpha, bet)
		}
	case kind256:
		tile = func(pc, kb, ir, jr, i, j, h, w int, bet T) {
			ps := kb*nr + s.bPad
			bj, ci := &bp[jr/nr*ps], c[i*ldc+j:]
			rows := inPlace && h == mr // A's rows read in place
			switch {
			case w < nr || h < mr && ks.full256:
				// A partial tile: alpha·acc into a temporary tile, then
				// the valid part merged into C.
				t := buf.t[:mr*nr]
				if rows {
					ks.gemm256u(kb, &a[i*lda+pc], lda, bj, &t[0], nr, alpha, 0, mr)
				} else {
					ks.gemm256(kb, &ap[ir*kb], bj, &t[0], nr, alpha, 0, mr)
				}
				mergeTile(ci, ldc, t, nr, h, w, bet)
			case rows:
				ks.gemm256u(kb, &a[i*lda+pc], lda, bj, &ci[0], ldc, alpha, bet, h)
			case h > 2 || ks.gemmEdge256 == nil:
				ks.gemm256(kb, &ap[ir*kb], bj, &ci[0], ldc, alpha, bet, h)
			case jr/nr%2 == 0 && j+2*nr <= n:
				// One or two rows left: two panels at a time (the odd
				// panel is done with the even one).
				ks.gemmEdge256(kb, &ap[ir*kb], bj, ps, &ci[0], ldc, alpha, bet, h)
			case jr/nr%2 == 0:
				ks.gemm256(kb, &ap[ir*kb], bj, &ci[0], ldc, alpha, bet, h)
			}
		}
	}
	loopNest(s, m, n, k, beta, packB, packA, tile)
}

// loopNest runs the BLIS loop nest of the packed paths over C (m×n, k
// deep) with tile shape s: for each B panel of up to ncMax columns and k
// block of kBlock(k), packB(pc, jc, kb, nc); for each block of s.mc rows,
// packA(ic, pc, mc, kb); then tile(pc, kb, ir, jr, i, j, h, w, bet) for
// each h×w tile of C at row i, column j: ir rows into the packed A block
// and jr columns into the packed B panel. bet is beta for the first k
// block and 1 after it.
func loopNest[T Float](s tileShape, m, n, k int, beta T, packB func(pc, jc, kb, nc int), packA func(ic, pc, mc, kb int), tile func(pc, kb, ir, jr, i, j, h, w int, bet T)) {
	mr, nr := s.mr, s.nr
	kc := kBlock(k)
	for jc := 0; jc < n; jc += ncMax {
		nc := min(ncMax, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			packB(pc, jc, kb, nc)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += s.mc {
				mc := min(s.mc, m-ic)
				packA(ic, pc, mc, kb)
				for jr := 0; jr < nc; jr += nr {
					w := min(nr, nc-jr)
					for ir := 0; ir < mc; ir += mr {
						tile(pc, kb, ir, jr, ic+ir, jc+jr, min(mr, mc-ir), w, bet)
					}
				}
			}
		}
	}
}

// mergeTile writes the valid h×w part of a temporary tile t (row stride
// ldt, holding alpha·op(A)·op(B)) into C: C = t + beta·C, or C = t
// without reading C when beta is 0. The AVX2 kernels compute partial
// tiles this way.
func mergeTile[T Float](c []T, ldc int, t []T, ldt, h, w int, beta T) {
	for r := 0; r < h; r++ {
		cr := c[r*ldc : r*ldc+w]
		tr := t[r*ldt : r*ldt+w]
		if beta == 0 {
			copy(cr, tr)
			continue
		}
		for j, v := range tr {
			cr[j] = v + beta*cr[j]
		}
	}
}
