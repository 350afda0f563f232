package kernel

// gemvRows is the most rows left over after the blocks of eight that
// unpacked512s gives to the one-row kernel.
const gemvRows = 3

// unpacked512s computes C = alpha·op(A)·op(B) + beta·C without packing A
// (and without packing B unless it is transposed) with the AVX-512
// unpacked kernel, eight rows by 32 columns at a time.
func unpacked512s(ks *kernels[float32], transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, buf *packBuf[float32]) {
	rs, ps := lda, 1
	if transA {
		rs, ps = 1, lda
	}
	if transB {
		// Pack op(B) as a k×n row-major matrix: one panel n wide.
		buf.b = aligned(buf.b, k*n)
		pack(ks, false, b, ldb, 0, 0, k, n, n, k*n, buf.b)
		b, ldb = buf.b, n
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
					gemvWide512s(k, &a[r*rs], ps, &b[j], ldb, &c[r*ldc+j], alpha, beta)
				}
				if j < n128 {
					gemv512s(k, &a[r*rs], ps, &b[j], ldb, &c[r*ldc+j], alpha, beta)
				}
			}
			if n128 == n {
				break
			}
			buf.a = aligned(buf.a, 8*k)
			packA(ks, transA, a, lda, i, 0, h, k, 8, buf.a)
			for j := n128; j < n; j += 32 {
				w := min(32, n-j)
				gemmSmall512s(k, &buf.a[0], 1, 8, &b[j], ldb, &c[i*ldc+j], ldc, alpha, beta, h, colMask(w))
			}
			break
		} else {
			// Fewer than eight rows left: pack them (zero-padded to eight)
			// so that the kernel reads nothing outside A.
			buf.a = aligned(buf.a, 8*k)
			packA(ks, transA, a, lda, i, 0, h, k, 8, buf.a)
			ai, ars, aps = &buf.a[0], 1, 8
		}
		for j := 0; j < n; j += 32 {
			w := min(32, n-j)
			gemmSmall512s(k, ai, ars, aps, &b[j], ldb, &c[i*ldc+j], ldc, alpha, beta, h, colMask(w))
		}
	}
}
