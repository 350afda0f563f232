// Package rng provides a seedable Mersenne Twister (MT19937) random source
// that reproduces numpy's legacy RandomState, so that Go code can draw the
// same numbers as a Python program that calls np.random.seed(n) and then the
// module-level np.random functions. It was checked against numpy 1.24 (see
// testdata/gen_golden.py and testdata/golden.json).
//
// The correspondence, after np.random.seed(seed) / New(seed):
//
//	np.random.seed(seed)               New(seed), (*Source).Seed(seed)
//	np.random.random_sample()          (*Source).Float64
//	np.random.random(), rand()         (*Source).Float64
//	np.random.uniform(low, high)       (*Source).Uniform(low, high)
//	np.random.randn(), standard_normal (*Source).NormFloat64
//	np.random.shuffle(x) (1-D x)       (*Source).Shuffle(len(x), swap)
//	np.random.permutation(n)           (*Source).Perm(n)
//	np.random.random(k)                (*Source).FillFloat64(dst[:k])
//	np.random.uniform(low, high, k)    (*Source).FillUniform(dst[:k], low, high)
//	np.random.randn(k)                 (*Source).FillNorm(dst[:k])
//
// Arrays are filled in order, so a multi-dimensional size corresponds to
// the destination slice in row-major (C) order. Only integer seeds in
// [0, 2**32-1] are supported (numpy's init_genrand path; seeding from an
// array or None is not). Uint32 and Interval expose the raw 32-bit stream
// and numpy's random_interval helper that shuffle is built on.
//
// Like numpy's RandomState, NormFloat64 uses the polar method and produces
// normal deviates in pairs: the second one is cached and returned by the
// next NormFloat64 call, even if other methods are called in between.
// Seed discards the cached value, as np.random.seed does.
//
// # Exactness
//
// The raw stream (Uint32, Uint64, Interval), the uniform draws (Float64,
// FillFloat64, Uniform, FillUniform) and the permutations (Perm, Shuffle)
// reproduce numpy bit for bit on every platform.
//
// The normal deviates (NormFloat64, FillNorm) equal numpy's to the last bit
// except for the logarithm in the polar method: numpy takes it from the C
// library's log(), and by default this package uses Go's math.Log. The two
// differ in the last bit for a few percent of arguments (about 7% of those
// the polar method produces, with glibc on x86-64), so about 3% of normal
// draws differ from numpy's, almost all by 1 or 2 ulps (rarely 3); in the
// test data all of them still agree when rounded to float32. Building with
//
//	go build -tags libmlog
//
// (which needs cgo) makes NormFloat64 call the C library's log() instead,
// and the normal deviates then equal numpy's exactly on the same platform;
// the constant ExactLog reports which build is in use. Without cgo the tag
// is ignored and math.Log is used. Note that numpy's own normal deviates
// depend on the platform's libm in the same way: glibc, for example, picks
// among log() implementations at run time (on x86-64 its FMA variant and
// its plain SSE2 variant differ in the last bit for about 1 argument in
// 10^4), and other C libraries may round differently. The other functions
// do not depend on the logarithm.
//
// All floating-point expressions are written so that the Go compiler may
// not fuse a multiply and an add (which it does on arm64, and on amd64 with
// GOAMD64=v3), since that would change the last bit of some results.
//
// A Source is not safe for concurrent use by multiple goroutines. It does
// not use math/rand and is not suitable for cryptographic purposes.
package rng
