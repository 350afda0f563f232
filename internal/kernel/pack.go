package kernel

// The packers of every packed path, both precisions.
//
// Both operands are packed into panels with the same layout: a panel is
// width elements of one dimension (rows of op(A), columns of op(B)) by kb
// steps of k, stored step by step, width elements per step. For A the
// panels are mr rows of op(A); for B, nr columns of op(B):
//
//	A panel q: dst[q*ps + p*mr + r] = op(A)[ic+q*mr+r, pc+p]
//	B panel q: dst[q*ps + p*nr + j] = op(B)[pc+p, jc+q*nr+j]
//
// zero beyond the last row or column. Seen from the storage, a panel is
// either a copy of kb pieces of rows (op(B) = B, op(A) = Aᵀ: a step is a
// contiguous piece of a stored row) or a transposition of width stored
// rows (op(B) = Bᵀ, op(A) = A).

// packA packs op(A)[ic:ic+mc, pc:pc+kb] into mr-high panels mr·kb apart.
func packA[T Float](ks *kernels[T], transA bool, a []T, lda, ic, pc, mc, kb, mr int, dst []T) {
	pack(ks, transA, a, lda, ic, pc, kb, mc, mr, mr*kb, dst)
}

// pack packs size elements from q0 on of one dimension, kb steps from p0
// on, into panels of width elements ps apart: dst[q/width*ps + p*width +
// q%width] = X(q0+q, p0+p), zero for q ≥ size up to the panel's width,
// where X(q, p) is x[p*ld+q] when alongQ (a step is a piece of a stored
// row) and x[q*ld+p] otherwise.
func pack[T Float](ks *kernels[T], alongQ bool, x []T, ld, q0, p0, kb, size, width, ps int, dst []T) {
	q := 0
	if alongQ && width == 16 && ks.packB16 != nil && size >= 16 {
		// The full 16-wide panels at once, reading x row by row.
		np := size / 16
		_ = x[(p0+kb-1)*ld+q0+np*16-1]
		_ = dst[(np-1)*ps+16*kb-1]
		ks.packB16(kb, np, &x[p0*ld+q0], ld, &dst[0], ps)
		q = np * 16
	}
	for ; q < size; q += width {
		d := dst[q/width*ps : q/width*ps+kb*width]
		w := min(width, size-q)
		switch {
		case !alongQ:
			transposePanel(ks, d, width, x[(q0+q)*ld+p0:], ld, kb, w)
		case w == 6 && width == 6 && ks.packA6T != nil:
			_ = x[(p0+kb-1)*ld+q0+q+5]
			ks.packA6T(kb, &x[p0*ld+q0+q], ld, &d[0])
		default:
			copyPanel(d, width, x[p0*ld+q0+q:], ld, kb, w)
		}
	}
}

// copyPanel sets d[p*width+j] = src[p*ld+j] for j < w and 0 for
// w ≤ j < width, p < kb.
func copyPanel[T Float](d []T, width int, src []T, ld, kb, w int) {
	// Whole rows of the common widths as array moves: copy calls
	// memmove, measured two to four times slower for these short rows.
	switch {
	case w == 32 && width == 32:
		for p := 0; p < kb; p++ {
			*(*[32]T)(d[p*32:]) = *(*[32]T)(src[p*ld:])
		}
	case w == 16 && width == 16:
		for p := 0; p < kb; p++ {
			*(*[16]T)(d[p*16:]) = *(*[16]T)(src[p*ld:])
		}
	case w == 12 && width == 12: // the NEON kernel's B panels
		for p := 0; p < kb; p++ {
			*(*[12]T)(d[p*12:]) = *(*[12]T)(src[p*ld:])
		}
	case w == 8 && width == 8:
		for p := 0; p < kb; p++ {
			*(*[8]T)(d[p*8:]) = *(*[8]T)(src[p*ld:])
		}
	case w == 6 && width == 6:
		for p := 0; p < kb; p++ {
			*(*[6]T)(d[p*6:]) = *(*[6]T)(src[p*ld:])
		}
	case w == 4 && width == 4:
		for p := 0; p < kb; p++ {
			*(*[4]T)(d[p*4:]) = *(*[4]T)(src[p*ld:])
		}
	default:
		for p := 0; p < kb; p++ {
			row := d[p*width : p*width+width]
			copy(row, src[p*ld:p*ld+w])
			clear(row[w:])
		}
	}
}

// transposePanel sets d[p*width+r] = src[r*ld+p] for r < h and 0 for
// h ≤ r < width, p < kb: the rows of src become the panel's columns,
// ks.tRows rows at a time with ks.transpose (the float32 AVX2 panels with
// their own packers), the rest element by element.
func transposePanel[T Float](ks *kernels[T], d []T, width int, src []T, ld, kb, h int) {
	done, kq := 0, 0 // rows [0, done) are packed for steps [0, kq)
	switch {
	case h == 6 && width == 6 && ks.packA6 != nil:
		done, kq = 6, kb&^7
		if kq > 0 {
			_ = src[5*ld+kq-1]
			ks.packA6(kq, &src[0], ld, &d[0])
		}
	case h == 16 && width == 16 && ks.packB16T != nil:
		done, kq = 16, kb&^7
		if kq > 0 {
			_ = src[15*ld+kq-1]
			ks.packB16T(kq, &src[0], ld, &d[0])
		}
	default:
		t := ks.tRows
		kq = kb &^ (t - 1)
		for ; kq > 0 && done+t <= h; done += t {
			_ = src[(done+t-1)*ld+kq-1]
			_ = d[(kq-1)*width+done+t-1]
			ks.transpose(kq, &src[done*ld], ld, &d[done], width)
		}
	}
	for r := 0; r < width; r++ {
		p := 0
		if r < done {
			p = kq
		}
		if r >= h {
			for ; p < kb; p++ {
				d[p*width+r] = 0
			}
			continue
		}
		row := src[r*ld : r*ld+kb]
		for ; p < kb; p++ {
			d[p*width+r] = row[p]
		}
	}
}
