//go:build !noasm

package kernel

// biasReLU512 is biasReLU for float32 with AVX-512: for each of the m
// rows of n, z[j] += b[j] (skipped, and z not written, when b is nil) and
// a[j] = z[j] > 0 ? z[j] : 0; tail masks the last n%16 columns.
//
//go:noescape
func biasReLU512(m, n int, z, b, a *float32, tail uint16)

// reluBackward512 is reluBackward for float32 with AVX-512: for each of
// the m rows of n, dz[j] = z[j] > 0 ? da[j] : 0 and, when db is not nil,
// db[j] += dz[j]; tail masks the last n%16 columns.
//
//go:noescape
func reluBackward512(m, n int, dz, da, z, db *float32, tail uint16)

// biasReLUAsm runs biasReLU in assembly if it can, reporting whether it
// did.
func biasReLUAsm[T Float](m, n int, z, b, a []T) bool {
	if !useAct512 {
		return false
	}
	zs, ok := any(z).([]float32)
	if !ok {
		return false
	}
	as := any(a).([]float32)
	var bp *float32
	if b != nil {
		bp = &any(b).([]float32)[0]
	}
	biasReLU512(m, n, &zs[0], bp, &as[0], tailMask(n))
	return true
}

// reluBackwardAsm runs reluBackward in assembly if it can, reporting
// whether it did.
func reluBackwardAsm[T Float](m, n int, dz, da, z, db []T) bool {
	if !useAct512 {
		return false
	}
	dzs, ok := any(dz).([]float32)
	if !ok {
		return false
	}
	das, zs := any(da).([]float32), any(z).([]float32)
	var dbp *float32
	if db != nil {
		dbp = &any(db).([]float32)[0]
	}
	reluBackward512(m, n, &dzs[0], &das[0], &zs[0], dbp, tailMask(n))
	return true
}

func tailMask(n int) uint16 { return uint16(1)<<(n%16) - 1 }
