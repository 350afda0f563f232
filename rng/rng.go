package rng

import "math"

// MT19937 parameters.
const (
	stateLen  = 624
	shift     = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// Source is a seedable MT19937 generator that reproduces the output of
// numpy's legacy RandomState (np.random.seed followed by the module-level
// np.random functions) bit for bit, except that normal deviates may differ
// in the last bit unless ExactLog is true (see NormFloat64).
//
// A Source is not safe for concurrent use by multiple goroutines; callers
// that share one must serialise access themselves. The zero value is not
// ready for use: create a Source with New.
type Source struct {
	mt       [stateLen]uint32
	pos      int
	hasGauss bool
	gauss    float64
}

// New returns a Source seeded with seed. It is equivalent to
// np.random.seed(seed) with an integer seed.
func New(seed uint32) *Source {
	s := new(Source)
	s.Seed(seed)
	return s
}

// Seed re-initialises s from seed, exactly like np.random.seed(seed) with an
// integer seed (MT19937 init_genrand). It also discards any cached normal
// deviate, as numpy does.
func (s *Source) Seed(seed uint32) {
	s.mt[0] = seed
	for i := 1; i < stateLen; i++ {
		prev := s.mt[i-1]
		s.mt[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	s.pos = stateLen
	s.hasGauss = false
	s.gauss = 0
}

// generate refills the state array (MT19937 "twist").
func (s *Source) generate() {
	mt := &s.mt
	var i int
	for i = 0; i < stateLen-shift; i++ {
		y := (mt[i] & upperMask) | (mt[i+1] & lowerMask)
		mt[i] = mt[i+shift] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	for ; i < stateLen-1; i++ {
		y := (mt[i] & upperMask) | (mt[i+1] & lowerMask)
		mt[i] = mt[i+shift-stateLen] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	y := (mt[stateLen-1] & upperMask) | (mt[0] & lowerMask)
	mt[stateLen-1] = mt[shift-1] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	s.pos = 0
}

// Uint32 returns the next raw 32-bit output of MT19937 (genrand_int32 with
// the standard tempering): numpy's next_uint32 for the MT19937 bit
// generator behind RandomState. Every other method is built on it.
func (s *Source) Uint32() uint32 {
	if s.pos >= stateLen {
		s.generate()
	}
	y := s.mt[s.pos]
	s.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Uint64 returns a 64-bit value built from two consecutive Uint32 outputs,
// the first one in the high half. This is numpy's legacy next_uint64 for
// MT19937, as used by random_interval for ranges wider than 32 bits.
func (s *Source) Uint64() uint64 {
	hi := uint64(s.Uint32())
	lo := uint64(s.Uint32())
	return hi<<32 | lo
}

// Float64 returns a uniformly distributed float64 in [0, 1) with 53 random
// bits. It equals np.random.random_sample() (also np.random.random() and
// np.random.rand()).
func (s *Source) Float64() float64 {
	a := s.Uint32() >> 5
	b := s.Uint32() >> 6
	// a*2^26 + b is exact (at most 53 bits) and the division by 2^53 is an
	// exact scaling, so no rounding or fusion question arises here; the
	// conversions only document that.
	return (float64(float64(a)*67108864.0) + float64(b)) / 9007199254740992.0
}

// Uniform returns a float64 uniformly distributed in [low, high). It equals
// np.random.uniform(low, high) and is computed as numpy does:
// low + (high-low)*random_sample().
func (s *Source) Uniform(low, high float64) float64 {
	rng := high - low
	// The explicit conversion forbids fusing the multiply-add (Go spec),
	// matching numpy's separately rounded C expression.
	return low + float64(rng*s.Float64())
}

// NormFloat64 returns a standard normally distributed float64. It equals
// np.random.randn() and np.random.standard_normal(): numpy's legacy polar
// (Marsaglia) method, which produces deviates in pairs and caches the second
// one for the next call.
//
// The result equals numpy's bit for bit when ExactLog is true (build tag
// libmlog, with cgo); otherwise it may differ from numpy's in the last bit
// (see the package documentation).
func (s *Source) NormFloat64() float64 {
	if s.hasGauss {
		s.hasGauss = false
		tmp := s.gauss
		s.gauss = 0
		return tmp
	}
	var x1, x2, r2 float64
	for {
		x1 = float64(2*s.Float64()) - 1
		x2 = float64(2*s.Float64()) - 1
		r2 = float64(x1*x1) + float64(x2*x2)
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(float64(-2*logf(r2)) / r2)
	s.gauss = float64(f * x1)
	s.hasGauss = true
	return float64(f * x2)
}

// Interval returns a uniformly distributed integer in [0, max] (inclusive)
// by rejection sampling under the smallest all-ones bit mask covering max.
// It equals numpy's random_interval, which the legacy np.random.shuffle and
// np.random.permutation use. Interval(0) returns 0 without drawing.
func (s *Source) Interval(max uint64) uint64 {
	if max == 0 {
		return 0
	}
	mask := max
	mask |= mask >> 1
	mask |= mask >> 2
	mask |= mask >> 4
	mask |= mask >> 8
	mask |= mask >> 16
	mask |= mask >> 32
	var v uint64
	if max <= 0xffffffff {
		for {
			v = uint64(s.Uint32()) & mask
			if v <= max {
				return v
			}
		}
	}
	for {
		v = s.Uint64() & mask
		if v <= max {
			return v
		}
	}
}

// Shuffle pseudo-randomly permutes n elements, calling swap(i, j) to
// exchange elements i and j. It equals the legacy np.random.shuffle(x) on a
// one-dimensional array x of length n (Fisher-Yates from the end, using
// Interval). swap is called once for every i from n-1 down to 1, even when
// i == j, as numpy does.
func (s *Source) Shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i >= 1; i-- {
		j := s.Interval(uint64(i))
		swap(i, int(j))
	}
}

// Perm returns a pseudo-random permutation of the integers [0, n). It equals
// np.random.permutation(n) (np.arange(n) shuffled with Shuffle).
func (s *Source) Perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	s.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// FillFloat64 fills dst with successive Float64 values, in order. It equals
// np.random.random(len(dst)) (for a multi-dimensional size, dst is the
// array in row-major order).
func (s *Source) FillFloat64(dst []float64) {
	for i := range dst {
		dst[i] = s.Float64()
	}
}

// FillUniform fills dst with successive Uniform(low, high) values, in order.
// It equals np.random.uniform(low, high, len(dst)) with scalar low and high.
func (s *Source) FillUniform(dst []float64, low, high float64) {
	for i := range dst {
		dst[i] = s.Uniform(low, high)
	}
}

// FillNorm fills dst with successive NormFloat64 values, in order. It
// equals np.random.randn(len(dst)) (np.random.standard_normal). The gauss
// cache carries over between calls exactly as in numpy.
func (s *Source) FillNorm(dst []float64) {
	for i := range dst {
		dst[i] = s.NormFloat64()
	}
}
