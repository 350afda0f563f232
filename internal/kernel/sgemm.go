package kernel

import (
	"sync"
	"unsafe"
)

// The float32 path: BLIS-style blocking around an assembly micro-kernel.
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

// useAVX512 and useAVX2 select the float32 kernels and the float64 ones
// (dgemm_packed.go); tests flip them to exercise every path on one machine.
var (
	useAVX512 = asmKernels && canAVX512
	useAVX2   = asmKernels && canAVX2
)

const (
	kcMax = 320  // deepest k block
	ncMax = 4096 // widest B panel (a multiple of every nr)
)

// A kernel shape: tile mr×nr and the A block height mc (a multiple of mr).
type tileShape struct{ mr, nr, mc int }

var (
	shape512 = tileShape{8, 32, 128}
	shape256 = tileShape{6, 16, 96}
	// shapeSmall is the unpacked AVX-512 path (sgemmSmall): its tiles
	// are 8×32 and it has no A blocks.
	shapeSmall = tileShape{8, 32, 0}
)

// kBlock returns the k block depth: k split into equal blocks no deeper
// than kcMax. It depends on k alone.
func kBlock(k int) int {
	nb := (k + kcMax - 1) / kcMax
	return (k + nb - 1) / nb
}

// packBuf holds one worker's pack buffers, 64-byte aligned and reused.
type packBuf struct {
	a32, b32 []float32
	t32      [6 * 16]float32
	g32      [goMR * goNR]float32
	a64, b64 []float64
	g64      [goMR * goNR]float64
}

var packPool = sync.Pool{New: func() any { return new(packBuf) }}

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

// sgemmPacked computes C = alpha·op(A)·op(B) + beta·C on one thread with
// the AVX-512 (s == shape512) or AVX2 (s == shape256) kernel.
func sgemmPacked(s tileShape, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, buf *packBuf) {
	if s == shape256 {
		sgemmPacked256(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, buf)
		return
	}
	buf.b32 = aligned(buf.b32, kBlock(k)*min(ncMax, (n+s.nr-1)/s.nr*s.nr))
	buf.a32 = aligned(buf.a32, kBlock(k)*min(s.mc, (m+s.mr-1)/s.mr*s.mr))
	bp, ap := buf.b32, buf.a32
	loopNest(s, m, n, k, beta,
		func(pc, jc, kb, nc int) { packB32(transB, b, ldb, pc, jc, kb, nc, s.nr, bp) },
		func(ic, pc, mc, kb int) { packA32(transA, a, lda, ic, pc, mc, kb, s.mr, ap) },
		func(kb, ir, jr, i, j, h, w int, bet float32) {
			sgemmKernel512(kb, &ap[ir*kb], &bp[jr*kb], &c[i*ldc+j], ldc, alpha, bet, h, colMask(w))
		})
}

// loopNest runs the BLIS loop nest of the packed paths over C (m×n, k
// deep) with tile shape s: for each B panel of up to ncMax columns and k
// block of kBlock(k), packB(pc, jc, kb, nc); for each block of s.mc rows,
// packA(ic, pc, mc, kb); then tile(kb, ir, jr, i, j, h, w, bet) for each
// h×w tile of C at row i, column j: ir rows into the packed A block and jr
// columns into the packed B panel. bet is beta for the first k block and
// 1 after it.
func loopNest[T float32 | float64](s tileShape, m, n, k int, beta T, packB func(pc, jc, kb, nc int), packA func(ic, pc, mc, kb int), tile func(kb, ir, jr, i, j, h, w int, bet T)) {
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
						tile(kb, ir, jr, ic+ir, jc+jr, min(mr, mc-ir), w, bet)
					}
				}
			}
		}
	}
}

// sgemmPacked256 is sgemmPacked for the AVX2 6×16 kernel. An untransposed
// A is read in place (sgemmKernel256u) but for the last rows of each A
// block, which are packed; the last one or two rows of C take the 2×32
// kernel sgemmEdge256, two B panels at a time. All these kernels compute
// an element the same way, so which one covers it does not matter. The B
// panels are 16·kb+16 floats apart: the padding keeps the panels that
// packB16 writes side by side from falling on the same L1 sets (kb of 64,
// 128, 256 … would put them a multiple of 4 KiB apart).
func sgemmPacked256(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, buf *packBuf) {
	const mr, nr = 6, 16
	kc := kBlock(k)
	ncCap := min(ncMax, (n+nr-1)/nr*nr)
	mcCap := min(shape256.mc, (m+mr-1)/mr*mr)
	buf.b32 = aligned(buf.b32, (kc*nr+16)*ncCap/nr)
	buf.a32 = aligned(buf.a32, kc*mcCap)
	bp, ap := buf.b32, buf.a32
	for jc := 0; jc < n; jc += ncMax {
		nc := min(ncMax, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			ps := kb*nr + 16
			packB256(transB, b, ldb, pc, jc, kb, nc, ps, bp)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += shape256.mc {
				mc := min(shape256.mc, m-ic)
				if transA {
					packA256(true, a, lda, ic, pc, mc, kb, ap)
				} else if h := mc % mr; h != 0 {
					// An untransposed A is read in place but for its
					// last rows, packed (zero-padded) where the
					// kernels expect them.
					packA256(false, a, lda, ic+mc-h, pc, h, kb, ap[(mc-h)*kb:])
				}
				for jr := 0; jr < nc; jr += nr {
					w := min(nr, nc-jr)
					bj := &bp[jr/nr*ps]
					for ir := 0; ir < mc; ir += mr {
						h := min(mr, mc-ir)
						ci := (ic+ir)*ldc + jc + jr
						switch {
						case w < nr:
							// Partial columns: compute alpha·acc into a
							// temporary tile, then merge the valid part.
							t := &buf.t32
							if h == mr && !transA {
								sgemmKernel256u(kb, &a[(ic+ir)*lda+pc], lda, bj, &t[0], 16, alpha, 0, mr)
							} else {
								sgemmKernel256(kb, &ap[ir*kb], bj, &t[0], 16, alpha, 0, mr)
							}
							mergeTile(c[ci:], ldc, t[:], 16, h, w, bet)
						case h == mr && !transA:
							sgemmKernel256u(kb, &a[(ic+ir)*lda+pc], lda, bj, &c[ci], ldc, alpha, bet, h)
						case h > 2:
							sgemmKernel256(kb, &ap[ir*kb], bj, &c[ci], ldc, alpha, bet, h)
						case jr/nr%2 == 0 && jr+2*nr <= nc:
							// One or two rows left: two panels at a time
							// (the odd panel is done with the even one).
							sgemmEdge256(kb, &ap[ir*kb], bj, ps, &c[ci], ldc, alpha, bet, h)
						case jr/nr%2 == 0:
							sgemmKernel256(kb, &ap[ir*kb], bj, &c[ci], ldc, alpha, bet, h)
						}
					}
				}
			}
		}
	}
}

// packB256 packs op(B)[pc:pc+kb, jc:jc+nc] into 16-column panels ps floats
// apart: panel q holds dst[q*ps + p*16 + j] = op(B)[pc+p, jc+q*16+j], zero
// beyond column nc.
func packB256(transB bool, b []float32, ldb, pc, jc, kb, nc, ps int, dst []float32) {
	jr := 0
	if !transB {
		// The full panels at once, reading B row by row.
		if np := nc / 16; np > 0 {
			packB16(kb, np, &b[pc*ldb+jc], ldb, &dst[0], ps)
			jr = np * 16
		}
		if jr < nc {
			w := nc - jr
			d := dst[jr/16*ps : jr/16*ps+kb*16]
			src := b[pc*ldb+jc+jr:]
			for p := 0; p < kb; p++ {
				row := d[p*16 : p*16+16]
				copy(row, src[p*ldb:p*ldb+w])
				clear(row[w:])
			}
		}
		return
	}
	// op(B)[p, j] = B[j, p]: transpose eight rows of B at a time.
	k8 := kb &^ 7
	for ; jr < nc; jr += 16 {
		w := min(16, nc-jr)
		d := dst[jr/16*ps : jr/16*ps+kb*16]
		j := 0
		if w == 16 && k8 > 0 {
			packB16T(k8, &b[(jc+jr)*ldb+pc], ldb, &d[0])
		}
		for ; j+8 <= w; j += 8 {
			s := (jc+jr+j)*ldb + pc
			if k8 > 0 && w < 16 {
				transPack8(k8, &b[s], ldb, &d[j], 16)
			}
			for r := 0; r < 8; r++ {
				row := b[s+r*ldb : s+r*ldb+kb]
				for p := k8; p < kb; p++ {
					d[p*16+j+r] = row[p]
				}
			}
		}
		for ; j < 16; j++ {
			if j >= w {
				for p := 0; p < kb; p++ {
					d[p*16+j] = 0
				}
				continue
			}
			s := (jc+jr+j)*ldb + pc
			row := b[s : s+kb]
			for p, v := range row {
				d[p*16+j] = v
			}
		}
	}
}

// packA256 packs op(A)[ic:ic+mc, pc:pc+kb] into 6-row panels: panel q
// holds dst[q*6*kb + p*6 + r] = op(A)[ic+q*6+r, pc+p], zero beyond row mc.
func packA256(transA bool, a []float32, lda, ic, pc, mc, kb int, dst []float32) {
	for ir := 0; ir < mc; ir += 6 {
		h := min(6, mc-ir)
		d := dst[ir*kb : ir*kb+kb*6]
		if transA {
			// op(A)[i, p] = A[p, i]: row p of the panel is contiguous in A.
			src := a[pc*lda+ic+ir:]
			if h == 6 {
				packA6T(kb, &src[0], lda, &d[0])
				continue
			}
			for p := 0; p < kb; p++ {
				row := d[p*6 : p*6+6]
				copy(row, src[p*lda:p*lda+h])
				clear(row[h:])
			}
			continue
		}
		s := (ic+ir)*lda + pc
		k8 := 0
		if h == 6 {
			k8 = kb &^ 7
			if k8 > 0 {
				packA6(k8, &a[s], lda, &d[0])
			}
		}
		for r := 0; r < 6; r++ {
			if r >= h {
				for p := k8; p < kb; p++ {
					d[p*6+r] = 0
				}
				continue
			}
			row := a[s+r*lda : s+r*lda+kb]
			for p := k8; p < kb; p++ {
				d[p*6+r] = row[p]
			}
		}
	}
}

// packB32 packs op(B)[pc:pc+kb, jc:jc+nc] into nr-wide column panels:
// panel q holds dst[q*nr*kb + p*nr + j] = op(B)[pc+p, jc+q*nr+j], zero
// beyond column nc.
func packB32(transB bool, b []float32, ldb, pc, jc, kb, nc, nr int, dst []float32) {
	for jr := 0; jr < nc; jr += nr {
		w := min(nr, nc-jr)
		d := dst[jr*kb : jr*kb+kb*nr]
		if !transB {
			// Row p of the panel is a contiguous piece of row pc+p of B.
			src := b[pc*ldb+jc+jr:]
			switch {
			case w == nr && nr == 32:
				for p := 0; p < kb; p++ {
					*(*[32]float32)(d[p*32:]) = *(*[32]float32)(src[p*ldb:])
				}
			default:
				for p := 0; p < kb; p++ {
					row := d[p*nr : p*nr+nr]
					copy(row, src[p*ldb:p*ldb+w])
					clear(row[w:])
				}
			}
			continue
		}
		// op(B)[p, j] = B[j, p]: transpose eight rows of B at a time.
		k8 := kb &^ 7
		j := 0
		for ; j+8 <= w; j += 8 {
			s := (jc+jr+j)*ldb + pc
			if k8 > 0 {
				transPack8(k8, &b[s], ldb, &d[j], nr)
			}
			for r := 0; r < 8; r++ {
				row := b[s+r*ldb : s+r*ldb+kb]
				for p := k8; p < kb; p++ {
					d[p*nr+j+r] = row[p]
				}
			}
		}
		for ; j < nr; j++ {
			if j >= w {
				for p := 0; p < kb; p++ {
					d[p*nr+j] = 0
				}
				continue
			}
			s := (jc+jr+j)*ldb + pc
			row := b[s : s+kb]
			for p, v := range row {
				d[p*nr+j] = v
			}
		}
	}
}

// packA32 packs op(A)[ic:ic+mc, pc:pc+kb] into mr-high row panels: panel q
// holds dst[q*mr*kb + p*mr + r] = op(A)[ic+q*mr+r, pc+p], zero beyond row mc.
func packA32(transA bool, a []float32, lda, ic, pc, mc, kb, mr int, dst []float32) {
	for ir := 0; ir < mc; ir += mr {
		h := min(mr, mc-ir)
		d := dst[ir*kb : ir*kb+kb*mr]
		if transA {
			// op(A)[i, p] = A[p, i]: row p of the panel is contiguous in A.
			src := a[pc*lda+ic+ir:]
			switch {
			case h == mr && mr == 8:
				for p := 0; p < kb; p++ {
					*(*[8]float32)(d[p*8:]) = *(*[8]float32)(src[p*lda:])
				}
			default:
				for p := 0; p < kb; p++ {
					row := d[p*mr : p*mr+mr]
					copy(row, src[p*lda:p*lda+h])
					clear(row[h:])
				}
			}
			continue
		}
		s := (ic+ir)*lda + pc
		if h == 8 {
			k8 := kb &^ 7
			if k8 > 0 {
				transPack8(k8, &a[s], lda, &d[0], 8)
			}
			for r := 0; r < 8; r++ {
				row := a[s+r*lda : s+r*lda+kb]
				for p := k8; p < kb; p++ {
					d[p*8+r] = row[p]
				}
			}
			continue
		}
		for r := 0; r < mr; r++ {
			if r >= h {
				for p := 0; p < kb; p++ {
					d[p*mr+r] = 0
				}
				continue
			}
			row := a[s+r*lda : s+r*lda+kb]
			for p, v := range row {
				d[p*mr+r] = v
			}
		}
	}
}

// gemvRows is the most rows left over after the blocks of eight that
// sgemmSmall gives to the one-row kernel.
const gemvRows = 3

// sgemmSmall computes C = alpha·op(A)·op(B) + beta·C without packing A
// (and without packing B unless it is transposed) with the AVX-512
// unpacked kernel, eight rows by 32 columns at a time.
func sgemmSmall(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, buf *packBuf) {
	rs, ps := lda, 1
	if transA {
		rs, ps = 1, lda
	}
	if transB {
		// Pack op(B) as a k×n row-major matrix.
		buf.b32 = aligned(buf.b32, k*n)
		bp := buf.b32
		k8 := k &^ 7
		j := 0
		for ; j+8 <= n; j += 8 {
			if k8 > 0 {
				transPack8(k8, &b[j*ldb], ldb, &bp[j], n)
			}
			for r := 0; r < 8; r++ {
				row := b[(j+r)*ldb : (j+r)*ldb+k]
				for p := k8; p < k; p++ {
					bp[p*n+j+r] = row[p]
				}
			}
		}
		for ; j < n; j++ {
			row := b[j*ldb : j*ldb+k]
			for p, v := range row {
				bp[p*n+j] = v
			}
		}
		b, ldb = bp, n
	}
	for i := 0; i < m; i += 8 {
		h := min(8, m-i)
		ai, ars, aps := (*float32)(nil), rs, ps
		if h == 8 {
			if transA {
				ai = &a[i]
			} else {
				ai = &a[i*lda]
			}
		} else if h <= gemvRows && n >= 128 {
			// One, two or three rows left: the one-row kernel reads B
			// once per row instead of computing eight padded rows, for
			// the columns it covers; the padded kernel does the rest.
			n128 := n &^ 127
			for r := i; r < m; r++ {
				j := 0
				for ; j+256 <= n128; j += 256 {
					sgemv512w(k, &a[r*rs], ps, &b[j], ldb, &c[r*ldc+j], alpha, beta)
				}
				if j < n128 {
					sgemv512(k, &a[r*rs], ps, &b[j], ldb, &c[r*ldc+j], alpha, beta)
				}
			}
			if n128 == n {
				break
			}
			buf.a32 = aligned(buf.a32, 8*k)
			packA32(transA, a, lda, i, 0, h, k, 8, buf.a32)
			for j := n128; j < n; j += 32 {
				w := min(32, n-j)
				sgemmSmall512(k, &buf.a32[0], 1, 8, &b[j], ldb, &c[i*ldc+j], ldc, alpha, beta, h, colMask(w))
			}
			break
		} else {
			// Fewer than eight rows left: pack them (zero-padded to eight)
			// so that the kernel reads nothing outside A.
			buf.a32 = aligned(buf.a32, 8*k)
			packA32(transA, a, lda, i, 0, h, k, 8, buf.a32)
			ai, ars, aps = &buf.a32[0], 1, 8
		}
		for j := 0; j < n; j += 32 {
			w := min(32, n-j)
			sgemmSmall512(k, ai, ars, aps, &b[j], ldb, &c[i*ldc+j], ldc, alpha, beta, h, colMask(w))
		}
	}
}

// mergeTile writes the valid h×w part of a temporary tile t (row stride
// ldt, holding alpha·op(A)·op(B)) into C: C = t + beta·C, or C = t
// without reading C when beta is 0. The AVX2 kernels compute partial
// tiles this way.
func mergeTile[T float32 | float64](c []T, ldc int, t []T, ldt, h, w int, beta T) {
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
