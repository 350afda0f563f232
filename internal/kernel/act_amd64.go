//go:build !noasm

package kernel

// biasReLU512s is biasReLU for float32 with AVX-512: for each of the m
// rows of n (rows ld apart in z and a), z[j] += b[j] (skipped, and z not
// written, when b is nil) and a[j] = z[j] > 0 ? z[j] : 0; tail masks the
// last n%16 columns.
//
//go:noescape
func biasReLU512s(m, n, ld int, z, b, a *float32, tail uint16)

// reluBackward512s is reluBackward for float32 with AVX-512: for each of
// the m rows of n (rows ld apart in dz, da and z), dz[j] = z[j] > 0 ?
// da[j] : 0 and, when db is not nil, db[j] += dz[j]; tail masks the last
// n%16 columns.
//
//go:noescape
func reluBackward512s(m, n, ld int, dz, da, z, db *float32, tail uint16)

func init() {
	kernels32.biasReLU = biasReLUAsm
	kernels32.reluBackward = reluBackwardAsm
}

// biasReLUAsm runs biasReLU in assembly if it can (useAct512), reporting
// whether it did.
func biasReLUAsm(m, n, ld int, z, b, a []float32) bool {
	if !useAct512 {
		return false
	}
	var bp *float32
	if b != nil {
		bp = &b[0]
	}
	last := (m-1)*ld + n // bounds: the last row's end
	_, _ = z[last-1], a[last-1]
	biasReLU512s(m, n, ld, &z[0], bp, &a[0], tailMask(n))
	return true
}

// reluBackwardAsm runs reluBackward in assembly if it can (useAct512),
// reporting whether it did.
func reluBackwardAsm(m, n, ld int, dz, da, z, db []float32) bool {
	if !useAct512 {
		return false
	}
	var dbp *float32
	if db != nil {
		dbp = &db[0]
	}
	last := (m-1)*ld + n // bounds: the last row's end
	_, _, _ = dz[last-1], da[last-1], z[last-1]
	reluBackward512s(m, n, ld, &dz[0], &da[0], &z[0], dbp, tailMask(n))
	return true
}

func tailMask(n int) uint16 { return uint16(1)<<(n%16) - 1 }
