package kernel

import (
	"flag"
	"fmt"
	"math"
	"regexp"
	"runtime"
	"testing"
	"time"
)

// lcg is a tiny deterministic generator so this layer-0 test needs no other
// package.
type lcg uint64

func (s *lcg) next() float64 {
	*s = *s*6364136223846793005 + 1442695040888963407
	return float64(*s>>11)/float64(1<<53)*2 - 1
}

func fill[T Float](s *lcg, n int) []T {
	x := make([]T, n)
	for i := range x {
		x[i] = T(s.next())
	}
	return x
}

// naive64 computes alpha·op(A)·op(B) + beta·C in float64 from the stored
// operands, as an independent definition, together with the magnitude
// alpha·Σₚ|op(A)[i,p]·op(B)[p,j]| + |beta·C[i,j]| that bounds rounding errors.
func naive64[T Float](transA, transB bool, m, n, k int, alpha float64, a []T, lda int, b []T, ldb int, beta float64, c []T, ldc int) (out, mag []float64) {
	out = make([]float64, m*n)
	mag = make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, sa float64
			for p := 0; p < k; p++ {
				ab := float64(opA(transA, a, lda, i, p)) * float64(opA(!transB, b, ldb, j, p))
				s += ab
				sa += math.Abs(ab)
			}
			out[i*n+j] = alpha * s
			mag[i*n+j] = math.Abs(alpha) * sa
			if beta != 0 {
				out[i*n+j] += beta * float64(c[i*ldc+j])
				mag[i*n+j] += math.Abs(beta * float64(c[i*ldc+j]))
			}
		}
	}
	return out, mag
}

const guard = 1e30

// problem is one Gemm call's operands: A and B stored with padded leading
// dimensions, and C inside a buffer whose every element outside the m×n
// result (before it, in each row-stride gap, after it) is a guard value.
type problem[T Float] struct {
	tA, tB      bool
	m, n, k     int
	alpha, beta float64
	a, b        []T
	lda, ldb    int
	c0          []T // the whole buffer, C starting at c0[pre]
	pre, ldc    int
	want, mag   []float64
}

func newProblem[T Float](s *lcg, tA, tB bool, m, n, k int, alpha, beta float64) *problem[T] {
	ar, ac := m, k
	if tA {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB {
		br, bc = n, k
	}
	p := &problem[T]{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		lda: ac + 3, ldb: bc + 5, ldc: n + 7, pre: 19}
	p.a = fill[T](s, max(ar*p.lda, 1))
	p.b = fill[T](s, max(br*p.ldb, 1))
	p.c0 = make([]T, p.pre+m*p.ldc+23)
	for i := range p.c0 {
		p.c0[i] = guard
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			v := T(s.next())
			if beta == 0 {
				v = T(math.NaN()) // must not be read
			}
			p.c0[p.pre+i*p.ldc+j] = v
		}
	}
	p.want, p.mag = naive64(tA, tB, m, n, k, alpha, p.a, p.lda, p.b, p.ldb, beta, p.c0[p.pre:], p.ldc)
	return p
}

func (p *problem[T]) String() string {
	return fmt.Sprintf("m=%d n=%d k=%d tA=%v tB=%v alpha=%v beta=%v", p.m, p.n, p.k, p.tA, p.tB, p.alpha, p.beta)
}

// run calls Gemm on a copy of C and checks the result against the float64
// reference within eps-rounding, the guards, and that A and B are unchanged.
func (p *problem[T]) run(t *testing.T, path string, eps float64) []T {
	t.Helper()
	aCopy, bCopy := append([]T(nil), p.a...), append([]T(nil), p.b...)
	c := append([]T(nil), p.c0...)
	Gemm(p.tA, p.tB, p.m, p.n, p.k, T(p.alpha), p.a, p.lda, p.b, p.ldb, T(p.beta), c[p.pre:], p.ldc)
	// Sound bound: blocked summation with fused multiply-adds and the
	// final scaling add at most (k+3) roundings of relative size eps to
	// each term's magnitude.
	bound := 2 * float64(p.k+3) * eps
	for i, v := range c {
		r, col := (i-p.pre)/p.ldc, (i-p.pre)%p.ldc
		if i < p.pre || r >= p.m || col >= p.n {
			if v != guard {
				t.Fatalf("%s %v: guard at offset %d overwritten: %v", path, p, i-p.pre, v)
			}
			continue
		}
		w, mg := p.want[r*p.n+col], p.mag[r*p.n+col]
		if d := math.Abs(float64(v) - w); !(d <= bound*mg+1e-300) {
			t.Fatalf("%s %v: C[%d,%d] = %v; want %v (|err| %.3g > bound %.3g)", path, p, r, col, v, w, d, bound*mg)
		}
	}
	for i := range p.a {
		if p.a[i] != aCopy[i] {
			t.Fatalf("%s %v: A modified", path, p)
		}
	}
	for i := range p.b {
		if p.b[i] != bCopy[i] {
			t.Fatalf("%s %v: B modified", path, p)
		}
	}
	return c
}

// A path is one way through Gemm, selected with the test hooks.
type path struct {
	name               string
	avx512, avx2, neon bool
	small              int // forceSmall
	parts              int // forceParts
}

// paths32 lists the float32 paths this machine (or build) can run.
func paths32() []path {
	return runnable([]path{
		{"avx512-small", true, false, false, 1, 0},
		{"avx512-small-2parts", true, false, false, 1, 2},
		{"avx512-small-3parts", true, false, false, 1, 3},
		{"avx512", true, false, false, -1, 0},
		{"avx512-2parts", true, false, false, -1, 2},
		{"avx512-3parts", true, false, false, -1, 3},
		{"avx2", false, true, false, 0, 0},
		{"avx2-3parts", false, true, false, 0, 3},
		{"neon", false, false, true, 0, 0},
		{"neon-3parts", false, false, true, 0, 3},
		{"go", false, false, false, 0, 0},
		{"go-2parts", false, false, false, 0, 2},
	})
}

// paths64 lists the float64 paths above the exact limit that this machine
// (or build) can run. The same hooks select the float64 kernels.
func paths64() []path {
	return runnable([]path{
		{"avx512", true, false, false, 0, 0},
		{"avx512-2parts", true, false, false, 0, 2},
		{"avx512-3parts", true, false, false, 0, 3},
		{"avx2", false, true, false, 0, 0},
		{"avx2-3parts", false, true, false, 0, 3},
		{"go", false, false, false, 0, 0},
		{"go-3parts", false, false, false, 0, 3},
	})
}

// onlyPaths restricts the paths the tests run to those whose name it
// matches. CI runs the arm64 tests under qemu-aarch64 with -paths '^neon':
// there every other path is a pure-Go twin, which -tags noasm tests
// natively, and emulated it would take most of an hour.
var onlyPaths = flag.String("paths", "", "run only the Gemm paths whose name matches this regular expression")

// runnable returns the paths of ps that this machine (or build) can run,
// and -paths selects.
func runnable(ps []path) []path {
	only := regexp.MustCompile(*onlyPaths)
	var ok []path
	for _, p := range ps {
		if (!p.avx512 || canAVX512) && (!p.avx2 || canAVX2) && (!p.neon || kernels32.gemm128 != nil) && only.MatchString(p.name) {
			ok = append(ok, p)
		}
	}
	return ok
}

// use selects path p until the returned function is called.
func use(p path) func() {
	o512, o256, o128, os, op := useAVX512, useAVX2, useNEON, forceSmall, forceParts
	useAVX512, useAVX2, useNEON, forceSmall, forceParts = p.avx512, p.avx2, p.neon, p.small, p.parts
	return func() { useAVX512, useAVX2, useNEON, forceSmall, forceParts = o512, o256, o128, os, op }
}

var (
	transposes = [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}}
	alphaBetas = [][2]float64{{1, 0}, {1, 1}, {1, 0.25}, {0.5, 0}, {0.5, 1}, {0.5, 0.25}}
)

// sweep lists the shapes (m, n, k) every path is checked on.
func sweep() [][3]int {
	var shapes [][3]int
	odd := []int{1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 65}
	for _, m := range odd {
		for _, n := range odd {
			shapes = append(shapes, [3]int{m, n, []int{1, 8, 17, 33}[(m+n)%4]})
		}
	}
	for _, k := range []int{0, 2, 7, 9, 15, 16, 31, 63, 65, 127, 129, 257, 321, 641} {
		shapes = append(shapes, [3]int{9, 33, k}, [3]int{17, 40, k})
	}
	return append(shapes,
		[3]int{127, 129, 257}, [3]int{257, 127, 65}, [3]int{129, 257, 33},
		[3]int{65, 257, 650}, [3]int{33, 4100, 9}, // more than one B panel
		[3]int{128, 256, 784}, [3]int{128, 128, 256}, [3]int{32, 10, 128}, [3]int{1, 256, 784},
		// One to three rows after the blocks of eight, 128 columns or more:
		// the one-row kernel, with and without leftover columns.
		[3]int{1, 128, 9}, [3]int{2, 129, 17}, [3]int{3, 300, 5}, [3]int{9, 256, 33}, [3]int{11, 385, 40},
	)
}

func TestGemm32Paths(t *testing.T) {
	s := lcg(7)
	for _, sh := range sweep() {
		for i, tr := range transposes {
			ab := alphaBetas[(i+sh[0]+sh[1]+sh[2])%len(alphaBetas)]
			p := newProblem[float32](&s, tr[0], tr[1], sh[0], sh[1], sh[2], ab[0], ab[1])
			for _, pa := range paths32() {
				restore := use(pa)
				p.run(t, pa.name, 0x1p-24)
				restore()
			}
		}
	}
}

// TestGemmAlphaBeta checks every alpha and beta on every path for a few
// shapes that straddle tile edges.
func TestGemmAlphaBeta(t *testing.T) {
	s := lcg(8)
	for _, sh := range [][3]int{{9, 33, 17}, {17, 31, 65}, {40, 70, 330}} {
		for _, tr := range transposes {
			for _, ab := range alphaBetas {
				p32 := newProblem[float32](&s, tr[0], tr[1], sh[0], sh[1], sh[2], ab[0], ab[1])
				for _, pa := range paths32() {
					restore := use(pa)
					p32.run(t, pa.name, 0x1p-24)
					restore()
				}
				p64 := newProblem[float64](&s, tr[0], tr[1], sh[0], sh[1], sh[2], ab[0], ab[1])
				for _, pa := range paths64() {
					restore := use(pa)
					p64.run(t, "float64 "+pa.name, 0x1p-53)
					restore()
				}
			}
		}
	}
}

// sweep64 lists shapes (m, n, k) that reach the blocked float64 path
// (m·n·k ≥ exactLimit): m over every remainder modulo the tile heights
// (8, 6, 2) with a few n, n over every remainder modulo the tile widths
// (16, 8, 4) with a few m (a tile's rows and columns are cut
// independently), and k just deep enough, ending on every remainder of the
// unrolled k loop. Where k would be deeper than 4096, m grows by 48 rows
// (the same remainders) instead, to keep the operands small.
func sweep64() [][3]int {
	var mn [][2]int
	for m := 1; m <= 17; m++ {
		for _, n := range []int{7, 16, 33} {
			mn = append(mn, [2]int{m, n})
		}
	}
	for n := 1; n <= 33; n++ {
		for _, m := range []int{5, 8, 13} {
			mn = append(mn, [2]int{m, n})
		}
	}
	mn = append(mn, [2]int{70, 70}, [2]int{33, 47}, [2]int{47, 33})
	var shapes [][3]int
	for _, s := range mn {
		m, n := s[0], s[1]
		k := (exactLimit + m*n - 1) / (m * n)
		for k > 4096 {
			m += 48
			k = (exactLimit + m*n - 1) / (m * n)
		}
		shapes = append(shapes, [3]int{m, n, k + (m+n)%4})
	}
	return shapes
}

func TestGemm64(t *testing.T) {
	s := lcg(9)
	shapes := append(sweep(), sweep64()...)
	shapes = append(shapes, [3]int{64, 64, 64}, [3]int{63, 65, 64}, [3]int{100, 70, 90}, [3]int{70, 70, 70})
	for _, sh := range shapes {
		paths := paths64()
		if sh[0]*sh[1]*sh[2] < exactLimit {
			paths = paths[:min(1, len(paths))] // the exact loops on every path
		}
		for i, tr := range transposes {
			ab := alphaBetas[(i+sh[0]+sh[1]+sh[2])%len(alphaBetas)]
			p := newProblem[float64](&s, tr[0], tr[1], sh[0], sh[1], sh[2], ab[0], ab[1])
			for _, pa := range paths {
				restore := use(pa)
				p.run(t, pa.name, 0x1p-53)
				restore()
			}
		}
	}
}

// TestGemmExactSmall checks that the paths that promise it agree with
// GemmRef bit for bit: float64 below 64³, and float32 without assembly.
func TestGemmExactSmall(t *testing.T) {
	defer use(path{})()
	s := lcg(10)
	dims := []int{1, 2, 3, 7, 16, 33}
	for _, m := range dims {
		for _, n := range dims {
			for _, k := range []int{0, 1, 5, 17, 64} {
				for _, tr := range transposes {
					for _, ab := range alphaBetas {
						p64 := newProblem[float64](&s, tr[0], tr[1], m, n, k, ab[0], ab[1])
						checkExact(t, p64)
						p32 := newProblem[float32](&s, tr[0], tr[1], m, n, k, ab[0], ab[1])
						checkExact(t, p32)
					}
				}
			}
		}
	}
}

func checkExact[T Float](t *testing.T, p *problem[T]) {
	t.Helper()
	c1 := p.run(t, "exact", 0x1p-24)
	c2 := append([]T(nil), p.c0...)
	GemmRef(p.tA, p.tB, p.m, p.n, p.k, T(p.alpha), p.a, p.lda, p.b, p.ldb, T(p.beta), c2[p.pre:], p.ldc)
	for i := range c1 {
		if math.Float64bits(float64(c1[i])) != math.Float64bits(float64(c2[i])) {
			t.Fatalf("%v: offset %d: Gemm %v != GemmRef %v (must be bit-identical)", p, i-p.pre, c1[i], c2[i])
		}
	}
}

// TestGemmThreadsBitIdentical checks that the thread count and the split
// into parts do not change a single bit of the result.
func TestGemmThreadsBitIdentical(t *testing.T) {
	defer SetThreads(0)
	s := lcg(11)
	shapes := [][3]int{{128, 256, 784}, {127, 129, 257}, {300, 40, 70}, {40, 300, 70}, {9, 1000, 33}, {2, 1000, 40}, {267, 300, 20}}
	for _, sh := range shapes {
		for _, tr := range transposes {
			p32 := newProblem[float32](&s, tr[0], tr[1], sh[0], sh[1], sh[2], 0.5, 0.25)
			for _, base := range paths32() {
				if base.parts != 0 {
					continue
				}
				checkThreads(t, p32, base, 0x1p-24)
			}
			p64 := newProblem[float64](&s, tr[0], tr[1], sh[0], sh[1], sh[2], 0.5, 0.25)
			for _, base := range paths64() {
				if base.parts != 0 {
					continue
				}
				checkThreads(t, p64, base, 0x1p-53)
			}
		}
	}
}

// checkThreads runs p on path base split into 1, 2 and 3 parts and on
// SetThreads(0) threads, and checks that all results are bit-identical.
func checkThreads[T Float](t *testing.T, p *problem[T], base path, eps float64) {
	t.Helper()
	var ref []T
	for _, parts := range []int{1, 2, 3, 0} {
		pa := base
		pa.parts = parts
		if parts == 0 {
			SetThreads(0)
		}
		restore := use(pa)
		c := p.run(t, fmt.Sprintf("%s parts=%d", pa.name, parts), eps)
		restore()
		if ref == nil {
			ref = c
			continue
		}
		for i := range c {
			if math.Float64bits(float64(c[i])) != math.Float64bits(float64(ref[i])) {
				t.Fatalf("%s %v: parts=%d differs from parts=1 at %d: %v vs %v", base.name, p, parts, i, c[i], ref[i])
			}
		}
	}
}

func TestGemmBetaZeroIgnoresNaN(t *testing.T) {
	// op(A) = [1 2], op(B) = [3 4]ᵀ, whichever way they are stored.
	a := []float64{1, 2}
	b := []float64{3, 4}
	for _, tr := range transposes {
		lda, ldb := 2, 1 // A stored 1×2, B stored 2×1
		if tr[0] {
			lda = 1 // A stored 2×1
		}
		if tr[1] {
			ldb = 2 // B stored 1×2
		}
		c := []float64{math.NaN()}
		Gemm(tr[0], tr[1], 1, 1, 2, 1, a, lda, b, ldb, 0, c, 1)
		if c[0] != 11 {
			t.Errorf("transA=%v transB=%v: got %v; want 11", tr[0], tr[1], c[0])
		}
	}
}

// TestGemmNamedType checks the generic fallback for named float types.
func TestGemmNamedType(t *testing.T) {
	type f32 float32
	a := []f32{1, 2, 3, 4}
	b := []f32{5, 6, 7, 8}
	c := make([]f32, 4)
	Gemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2)
	if want := []f32{19, 22, 43, 50}; fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("got %v; want %v", c, want)
	}
}

// TestGemmHelpersExit checks that the helper goroutines of the parallel
// path exit once idle, so an idle program holds no extra goroutines.
func TestGemmHelpersExit(t *testing.T) {
	defer use(path{avx512: useAVX512, avx2: useAVX2, neon: useNEON, parts: 2})()
	// Let helpers of earlier tests exit first.
	base := waitGoroutines(t, 0)
	s := lcg(12)
	a, b, c := fill[float32](&s, 256*256), fill[float32](&s, 256*256), make([]float32, 256*256)
	for range 50 {
		Gemm(false, false, 256, 256, 256, 1, a, 256, b, 256, 0, c, 256)
	}
	if got := runtime.NumGoroutine(); got <= base && runtime.GOMAXPROCS(0) > 1 {
		t.Logf("no helper goroutine seen during the burst (%d goroutines)", got)
	}
	waitGoroutines(t, base)
}

// waitGoroutines waits until at most want goroutines run (want 0: until the
// count stops falling) and returns the count.
func waitGoroutines(t *testing.T, want int) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	n := runtime.NumGoroutine()
	for time.Now().Before(deadline) {
		time.Sleep(4 * idleExit)
		m := runtime.NumGoroutine()
		if want > 0 && m <= want {
			return m
		}
		if want == 0 && m == n {
			return m
		}
		n = m
	}
	if want > 0 {
		t.Fatalf("%d goroutines after idling; want %d", n, want)
	}
	return n
}
