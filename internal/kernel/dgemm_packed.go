package kernel

// The float64 path above the exact limit: the float32 loop nest (see
// sgemm.go) around an AVX-512 8×16 or an AVX2 6×8 float64 micro-kernel.
// Each tile holds as many accumulator registers as its float32 twin (16
// zmm, 12 ymm), and the k blocking (kBlock), the B panel width (ncMax) and
// the thread split (parallel) are shared, so every element of C is
// computed by the same operations whatever the thread count.

// The float64 tile shapes: 8×16 (AVX-512) and 6×8 (AVX2) tiles, A blocks
// of 128 and 96 rows (with k blocks of up to 320, a 320 KB and a 240 KB A
// block; kc 192–384 measured within noise on 128×784×256 and 512³).
var (
	shape512d = tileShape{8, 16, 128}
	shape256d = tileShape{6, 8, 96}
)

// dgemmPacked computes C = alpha·op(A)·op(B) + beta·C on one thread with
// the AVX-512 (s == shape512d) or AVX2 (s == shape256d) float64 kernel.
func dgemmPacked(s tileShape, transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, buf *packBuf) {
	buf.b64 = aligned(buf.b64, kBlock(k)*min(ncMax, (n+s.nr-1)/s.nr*s.nr))
	buf.a64 = aligned(buf.a64, kBlock(k)*min(s.mc, (m+s.mr-1)/s.mr*s.mr))
	bp, ap := buf.b64, buf.a64
	var t [6 * 8]float64 // a partial AVX2 tile
	loopNest(s, m, n, k, beta,
		func(pc, jc, kb, nc int) { packB64(transB, b, ldb, pc, jc, kb, nc, s.nr, bp) },
		func(ic, pc, mc, kb int) { packA64(transA, a, lda, ic, pc, mc, kb, s.mr, ap) },
		func(kb, ir, jr, i, j, h, w int, bet float64) {
			ci := i*ldc + j
			switch {
			case s.nr == 16:
				dgemmKernel512(kb, &ap[ir*kb], &bp[jr*kb], &c[ci], ldc, alpha, bet, h, uint32(1)<<w-1)
			case h == s.mr && w == s.nr:
				dgemmKernel256(kb, &ap[ir*kb], &bp[jr*kb], &c[ci], ldc, alpha, bet)
			default:
				// Partial AVX2 tile: compute alpha·acc into a temporary
				// tile, then merge the valid part.
				dgemmKernel256(kb, &ap[ir*kb], &bp[jr*kb], &t[0], 8, alpha, 0)
				mergeTile(c[ci:], ldc, t[:], 8, h, w, bet)
			}
		})
}

// packB64 packs op(B)[pc:pc+kb, jc:jc+nc] into nr-wide column panels:
// panel q holds dst[q*nr*kb + p*nr + j] = op(B)[pc+p, jc+q*nr+j], zero
// beyond column nc.
func packB64(transB bool, b []float64, ldb, pc, jc, kb, nc, nr int, dst []float64) {
	for jr := 0; jr < nc; jr += nr {
		w := min(nr, nc-jr)
		d := dst[jr*kb : jr*kb+kb*nr]
		if !transB {
			// Row p of the panel is a contiguous piece of row pc+p of B,
			// copied element by element: the compiler makes an array copy
			// a memmove call, measured slower than these inline moves.
			src := b[pc*ldb+jc+jr:]
			switch {
			case w == nr && nr == 16:
				for p := 0; p < kb; p++ {
					q := d[p*16 : p*16+16 : p*16+16]
					r := src[p*ldb : p*ldb+16 : p*ldb+16]
					q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
					q[8], q[9], q[10], q[11], q[12], q[13], q[14], q[15] = r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]
				}
			case w == nr && nr == 8:
				for p := 0; p < kb; p++ {
					q := d[p*8 : p*8+8 : p*8+8]
					r := src[p*ldb : p*ldb+8 : p*ldb+8]
					q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
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
		// op(B)[p, j] = B[j, p]: column j of the panel is a contiguous
		// piece of row jc+jr+j of B; transpose four rows at a time.
		k4 := kb &^ 3
		j := 0
		for ; j+4 <= w; j += 4 {
			s := (jc+jr+j)*ldb + pc
			_ = b[s+3*ldb+kb-1] // the rows transPack4d reads
			if k4 > 0 {
				transPack4d(k4, &b[s], ldb, &d[j], nr)
			}
			for r := 0; r < 4; r++ {
				row := b[s+r*ldb : s+r*ldb+kb]
				for p := k4; p < kb; p++ {
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
			for p, v := range b[s : s+kb] {
				d[p*nr+j] = v
			}
		}
	}
}

// packA64 packs op(A)[ic:ic+mc, pc:pc+kb] into mr-high row panels: panel q
// holds dst[q*mr*kb + p*mr + r] = op(A)[ic+q*mr+r, pc+p], zero beyond row mc.
func packA64(transA bool, a []float64, lda, ic, pc, mc, kb, mr int, dst []float64) {
	for ir := 0; ir < mc; ir += mr {
		h := min(mr, mc-ir)
		d := dst[ir*kb : ir*kb+kb*mr]
		if transA {
			// op(A)[i, p] = A[p, i]: row p of the panel is contiguous in A.
			src := a[pc*lda+ic+ir:]
			switch {
			case h == mr && mr == 8:
				for p := 0; p < kb; p++ {
					q := d[p*8 : p*8+8 : p*8+8]
					r := src[p*lda : p*lda+8 : p*lda+8]
					q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
				}
			case h == mr && mr == 6:
				for p := 0; p < kb; p++ {
					q := d[p*6 : p*6+6 : p*6+6]
					r := src[p*lda : p*lda+6 : p*lda+6]
					q[0], q[1], q[2], q[3], q[4], q[5] = r[0], r[1], r[2], r[3], r[4], r[5]
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
		// Column r of the panel is a contiguous piece of row ic+ir+r of A.
		s := (ic+ir)*lda + pc
		switch {
		case h == 8 && mr == 8:
			_ = a[s+7*lda+kb-1] // the rows transPack4d reads
			if k4 := kb &^ 3; k4 > 0 {
				transPack4d(k4, &a[s], lda, &d[0], 8)
				transPack4d(k4, &a[s+4*lda], lda, &d[4], 8)
			}
			for r := 0; r < 8; r++ {
				row := a[s+r*lda : s+r*lda+kb]
				for p := kb &^ 3; p < kb; p++ {
					d[p*8+r] = row[p]
				}
			}
		case h == 6 && mr == 6:
			_ = a[s+5*lda+kb-1] // the rows transPack4d reads
			k4 := kb &^ 3
			if k4 > 0 {
				transPack4d(k4, &a[s], lda, &d[0], 6)
			}
			for r := 0; r < 6; r++ {
				row := a[s+r*lda : s+r*lda+kb]
				p := k4
				if r >= 4 {
					p = 0
				}
				for ; p < kb; p++ {
					d[p*6+r] = row[p]
				}
			}
		default:
			for r := 0; r < mr; r++ {
				if r >= h {
					for p := 0; p < kb; p++ {
						d[p*mr+r] = 0
					}
					continue
				}
				for p, v := range a[s+r*lda : s+r*lda+kb] {
					d[p*mr+r] = v
				}
			}
		}
	}
}
