package rng

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// golden mirrors testdata/golden.json, written by testdata/gen_golden.py.
type golden struct {
	NumpyVersion string       `json:"numpy_version"`
	GlibcVersion string       `json:"glibc_version"`
	Machine      string       `json:"machine"`
	CPUHasFMA    *bool        `json:"cpu_has_fma"`
	N            int          `json:"n"`
	UniformLow   float64      `json:"uniform_low"`
	UniformHigh  float64      `json:"uniform_high"`
	PermN        int          `json:"perm_n"`
	Example      string       `json:"example"`
	Seeds        []goldenSeed `json:"seeds"`
}

type goldenSeed struct {
	Seed        uint32       `json:"seed"`
	Random      goldenStream `json:"random"`
	Randn       goldenStream `json:"randn"`
	Uniform     goldenStream `json:"uniform"`
	Permutation []int        `json:"permutation"`
	// Mixed holds floats as repr strings and integers as JSON numbers.
	Mixed []any `json:"mixed"`
}

type goldenStream struct {
	SHA256 string `json:"sha256"`
	// SHA256F32 (randn only) is the digest of the values cast to
	// little-endian float32.
	SHA256F32 string `json:"sha256_f32"`
	// First holds the leading values: 5, or 1000 for randn.
	First []string `json:"first"`
	// PrefixSHA256 maps n (as a decimal string) to the digest of the
	// first n values.
	PrefixSHA256 map[string]string `json:"prefix_sha256"`
}

func loadGolden(t *testing.T) *golden {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	if err != nil {
		t.Fatalf("reading golden data (regenerate with /usr/bin/python3 testdata/gen_golden.py): %v", err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatalf("decoding golden.json: %v", err)
	}
	if len(g.Seeds) == 0 || g.N <= 0 || g.PermN <= 0 {
		t.Fatalf("golden.json looks empty or malformed: %d seeds, n=%d, perm_n=%d", len(g.Seeds), g.N, g.PermN)
	}
	return &g
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad float %q in golden.json: %v", s, err)
	}
	return v
}

// digest returns the sha256 of xs as little-endian float64 bytes, the same
// bytes as numpy's arr.astype('<f8').tobytes().
func digest(xs []float64) string {
	buf := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(x))
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// digest32 returns the sha256 of xs rounded to float32, as little-endian
// bytes: the same bytes as numpy's arr.astype('<f4').tobytes().
func digest32(xs []float64) string {
	buf := make([]byte, 4*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(float32(x)))
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// sameFloat reports whether a and b have identical bit patterns.
func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b)
}

// maxNormalULPs is how far (in ulps) a normal deviate may be from numpy's
// when ExactLog is false. Go's math.Log and the C library's log() are both
// faithfully rounded, so they differ by at most 1 ulp (a relative 2^-52);
// NormFloat64 then rounds three times (the quotient, the square root and
// the product), each of which can round the two values to different sides,
// bounding the relative difference of the results by 3*2^-52, i.e. fewer
// than 6 ulps. In practice about 3% of draws differ: most by 1 ulp, about
// one in six by 2, very few by 3.
const maxNormalULPs = 6

// ulpsApart returns the number of math.Nextafter steps between a and b
// (both finite), counting across zero.
func ulpsApart(a, b float64) uint64 {
	// Map the floats onto integers in the same order, with -0 and +0 equal.
	ord := func(x float64) int64 {
		i := int64(math.Float64bits(x))
		if i < 0 {
			i = math.MinInt64 - i
		}
		return i
	}
	d := ord(a) - ord(b)
	if d < 0 {
		d = -d
	}
	return uint64(d)
}

// goldenPlatform describes where golden.json was generated, for messages
// about results that depend on the C library's log().
func goldenPlatform(g *golden) string {
	fma := "unknown"
	if g.CPUHasFMA != nil {
		fma = strconv.FormatBool(*g.CPUHasFMA)
	}
	return fmt.Sprintf("numpy %s, %s, %s, cpu_has_fma=%s", g.NumpyVersion, g.GlibcVersion, g.Machine, fma)
}

func checkStream(t *testing.T, name string, got []float64, want goldenStream) {
	t.Helper()
	if len(want.First) == 0 {
		t.Errorf("%s: golden stream has no leading values", name)
	}
	for i, ws := range want.First {
		w := parseFloat(t, ws)
		if i >= len(got) {
			t.Errorf("%s[%d]: missing, want %s", name, i, ws)
			continue
		}
		if !sameFloat(got[i], w) {
			t.Errorf("%s[%d] = %s, want %s (numpy)", name, i,
				strconv.FormatFloat(got[i], 'g', -1, 64), ws)
		}
	}
	if d := digest(got); d != want.SHA256 {
		t.Errorf("%s: sha256 of %d draws = %s, want %s (numpy)%s",
			name, len(got), d, want.SHA256, locate(got, want.PrefixSHA256))
	}
}

// checkNormal checks normal deviates against numpy's. The float32 digest
// must always match (all values agree to float32 precision), and the
// leading values must be within maxNormalULPs of numpy's; with ExactLog
// (the C library's log, as numpy uses) everything must match bit for bit.
func checkNormal(t *testing.T, g *golden, name string, got []float64, want goldenStream) {
	t.Helper()
	if ExactLog {
		if d := digest(got); d != want.SHA256 {
			t.Errorf("%s (ExactLog): sha256 of %d draws = %s, want %s (numpy)%s; "+
				"this needs the same C library log() as numpy used (golden data: %s)",
				name, len(got), d, want.SHA256, locate(got, want.PrefixSHA256), goldenPlatform(g))
		}
	}
	if want.SHA256F32 == "" {
		t.Errorf("%s: golden stream has no sha256_f32", name)
	} else if d := digest32(got); d != want.SHA256F32 {
		t.Errorf("%s: sha256 of %d draws as float32 = %s, want %s (numpy)", name, len(got), d, want.SHA256F32)
	}
	if len(want.First) == 0 {
		t.Errorf("%s: golden stream has no leading values", name)
	}
	const maxReports = 10
	same, bad := 0, 0
	var worst uint64
	for i, ws := range want.First {
		w := parseFloat(t, ws)
		if i >= len(got) {
			t.Errorf("%s[%d]: missing, want %s", name, i, ws)
			continue
		}
		d := ulpsApart(got[i], w)
		worst = max(worst, d)
		if d == 0 {
			same++
			continue
		}
		if !ExactLog && d <= maxNormalULPs {
			continue
		}
		if bad++; bad > maxReports {
			continue
		}
		if ExactLog {
			t.Errorf("%s[%d] = %s, want %s (numpy, bit for bit with ExactLog)", name, i,
				strconv.FormatFloat(got[i], 'g', -1, 64), ws)
		} else {
			t.Errorf("%s[%d] = %s, want %s (numpy) within %d ulps, got %d ulps apart", name, i,
				strconv.FormatFloat(got[i], 'g', -1, 64), ws, maxNormalULPs, d)
		}
	}
	if bad > maxReports {
		t.Errorf("%s: %d more of the first %d values differ too much from numpy's", name, bad-maxReports, len(want.First))
	}
	t.Logf("%s: %d of the first %d values bit-identical to numpy's, largest difference %d ulps (ExactLog=%v)",
		name, same, len(want.First), worst, ExactLog)
}

// locate uses the prefix digests to say where the first difference lies.
func locate(got []float64, prefixes map[string]string) string {
	var ns []int
	for k := range prefixes {
		n, err := strconv.Atoi(k)
		if err == nil && n > 0 && n <= len(got) {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	lo := 0
	for _, n := range ns {
		if digest(got[:n]) != prefixes[strconv.Itoa(n)] {
			return fmt.Sprintf("; first difference at an index in [%d, %d)", lo, n)
		}
		lo = n
	}
	return fmt.Sprintf("; first difference at an index in [%d, %d)", lo, len(got))
}

func TestGoldenStreams(t *testing.T) {
	g := loadGolden(t)
	t.Logf("golden data from numpy %s", g.NumpyVersion)
	buf := make([]float64, g.N)
	for _, gs := range g.Seeds {
		t.Run("seed="+strconv.FormatUint(uint64(gs.Seed), 10), func(t *testing.T) {
			s := New(gs.Seed)
			s.FillFloat64(buf)
			checkStream(t, "random", buf, gs.Random)

			s.Seed(gs.Seed)
			s.FillNorm(buf)
			checkNormal(t, g, "randn", buf, gs.Randn)

			s = New(gs.Seed)
			s.FillUniform(buf, g.UniformLow, g.UniformHigh)
			checkStream(t, "uniform", buf, gs.Uniform)

			s = New(gs.Seed)
			p := s.Perm(g.PermN)
			if len(p) != len(gs.Permutation) {
				t.Fatalf("permutation: got %d values, want %d", len(p), len(gs.Permutation))
			}
			for i := range p {
				if p[i] != gs.Permutation[i] {
					t.Errorf("permutation[%d] = %d, want %d (first difference)", i, p[i], gs.Permutation[i])
					break
				}
			}
		})
	}
}

func TestGoldenMixed(t *testing.T) {
	g := loadGolden(t)
	for _, gs := range g.Seeds {
		t.Run("seed="+strconv.FormatUint(uint64(gs.Seed), 10), func(t *testing.T) {
			s := New(gs.Seed)
			// Same call order as gen_golden.py: randn(3), random(2),
			// randn(2), uniform(0, 1, 3), permutation(10), randn(1).
			var got []any
			var normal []bool // normal[i]: got[i] is a normal deviate
			floats := func(xs []float64, isNormal bool) {
				for _, x := range xs {
					got = append(got, x)
					normal = append(normal, isNormal)
				}
			}
			b := make([]float64, 3)
			s.FillNorm(b[:3])
			floats(b[:3], true)
			s.FillFloat64(b[:2])
			floats(b[:2], false)
			s.FillNorm(b[:2])
			floats(b[:2], true)
			s.FillUniform(b[:3], 0, 1)
			floats(b[:3], false)
			for _, v := range s.Perm(10) {
				got = append(got, v)
				normal = append(normal, false)
			}
			s.FillNorm(b[:1])
			floats(b[:1], true)

			if len(got) != len(gs.Mixed) {
				t.Fatalf("mixed: got %d values, want %d", len(got), len(gs.Mixed))
			}
			for i, w := range gs.Mixed {
				switch w := w.(type) {
				case string:
					wf := parseFloat(t, w)
					gf, ok := got[i].(float64)
					switch {
					case !ok:
						t.Errorf("mixed[%d] = %v, want %s", i, got[i], w)
					case normal[i] && !ExactLog:
						// Go's math.Log may differ from numpy's log() in the
						// last bit; see maxNormalULPs.
						if d := ulpsApart(gf, wf); d > maxNormalULPs {
							t.Errorf("mixed[%d] = %v, want %s (numpy) within %d ulps, got %d ulps apart",
								i, got[i], w, maxNormalULPs, d)
						}
					case !sameFloat(gf, wf):
						t.Errorf("mixed[%d] = %v, want %s", i, got[i], w)
					}
				case float64: // a JSON number: a permutation entry
					gi, ok := got[i].(int)
					if !ok || float64(gi) != w {
						t.Errorf("mixed[%d] = %v, want %v", i, got[i], w)
					}
				default:
					t.Fatalf("mixed[%d]: unexpected golden value %#v", i, w)
				}
			}
		})
	}
}

// TestExampleText ties the expected output of Example (example_test.go)
// to the text numpy printed, recorded in golden.json.
func TestExampleText(t *testing.T) {
	g := loadGolden(t)
	s := New(1)
	got := fmt.Sprintf("%.12g\n%.12g\n%.12g", s.Float64(), s.Float64(), s.Float64())
	if got != g.Example {
		t.Errorf("seed 1, three Float64 values:\n%s\nwant (numpy):\n%s", got, g.Example)
	}
}

// TestUint32KnownAnswers checks the raw MT19937 stream against the
// reference values of Matsumoto and Nishimura's mt19937ar.c (seed 5489,
// also required of std::mt19937 by the C++ standard).
func TestUint32KnownAnswers(t *testing.T) {
	s := New(5489)
	if got := s.Uint32(); got != 3499211612 {
		t.Errorf("first output for seed 5489 = %d, want 3499211612", got)
	}
	s.Seed(5489)
	var v uint32
	for range 10000 {
		v = s.Uint32()
	}
	if v != 4123659995 {
		t.Errorf("10000th output for seed 5489 = %d, want 4123659995", v)
	}
}

func TestSeedClearsGaussCache(t *testing.T) {
	s := New(7)
	first := s.NormFloat64() // leaves the second deviate of the pair cached
	if !s.hasGauss {
		t.Fatal("NormFloat64 did not cache the second deviate")
	}
	s.Seed(7)
	if s.hasGauss || s.gauss != 0 {
		t.Fatalf("Seed left the gauss cache set: hasGauss=%v gauss=%v", s.hasGauss, s.gauss)
	}
	if again := s.NormFloat64(); !sameFloat(again, first) {
		t.Errorf("after Seed(7), NormFloat64() = %v, want %v (the value right after New(7))", again, first)
	}

	// Re-seeding with a different seed must not return the stale cache.
	s = New(7)
	s.NormFloat64()
	cached := s.gauss
	s.Seed(8)
	fresh := New(8).NormFloat64()
	if got := s.NormFloat64(); !sameFloat(got, fresh) || sameFloat(got, cached) {
		t.Errorf("after Seed(8), NormFloat64() = %v, want %v (stale cache was %v)", got, fresh, cached)
	}
}

// drawsOf returns the first n raw outputs for seed.
func drawsOf(seed uint32, n int) []uint32 {
	s := New(seed)
	out := make([]uint32, n)
	for i := range out {
		out[i] = s.Uint32()
	}
	return out
}

func TestInterval(t *testing.T) {
	const seed = 12345
	raw := drawsOf(seed, 64)
	// rawInterval is the reference algorithm written out directly against
	// the raw stream, consuming 32-bit words for max <= 2^32-1 and pairs of
	// words (high word first) otherwise. It returns the value and the
	// number of words consumed.
	rawInterval := func(max, mask uint64) (uint64, int) {
		used := 0
		for used+2 <= len(raw) {
			var v uint64
			if max <= math.MaxUint32 {
				v = uint64(raw[used]) & mask
				used++
			} else {
				v = (uint64(raw[used])<<32 | uint64(raw[used+1])) & mask
				used += 2
			}
			if v <= max {
				return v, used
			}
		}
		t.Fatalf("reference ran out of raw draws for max=%d", max)
		return 0, 0
	}

	tests := []struct {
		max  uint64
		mask uint64
	}{
		{0, 0},
		{1, 1},
		{2, 3},
		{3, 3},
		{4, 7},
		{7, 7},
		{8, 15},
		{1 << 16, 1<<17 - 1},
		{1<<31 - 1, 1<<31 - 1},
		{1 << 31, math.MaxUint32},
		{math.MaxUint32, math.MaxUint32},
		{1 << 32, 1<<33 - 1},
		{1<<32 + 1, 1<<33 - 1},
		{1 << 40, 1<<41 - 1},
		{1<<63 + 12345, math.MaxUint64},
		{math.MaxUint64, math.MaxUint64},
	}
	for _, tc := range tests {
		t.Run(strconv.FormatUint(tc.max, 10), func(t *testing.T) {
			s := New(seed)
			got := s.Interval(tc.max)
			if got > tc.max {
				t.Fatalf("Interval(%d) = %d, out of range", tc.max, got)
			}
			if tc.max == 0 {
				if got != 0 {
					t.Errorf("Interval(0) = %d, want 0", got)
				}
				if next := s.Uint32(); next != raw[0] {
					t.Errorf("Interval(0) consumed randomness: next Uint32 = %d, want %d", next, raw[0])
				}
				return
			}
			want, used := rawInterval(tc.max, tc.mask)
			if got != want {
				t.Errorf("Interval(%d) = %d, want %d", tc.max, got, want)
			}
			if next := s.Uint32(); next != raw[used] {
				t.Errorf("Interval(%d) consumed the wrong number of words: next Uint32 = %d, want raw[%d] = %d",
					tc.max, next, used, raw[used])
			}
		})
	}

	// Over many draws every value of a small range shows up, and nothing
	// outside it does.
	s := New(1)
	for _, max := range []uint64{1, 2, 5, 8} {
		seen := make([]int, max+1)
		for range 10000 {
			v := s.Interval(max)
			if v > max {
				t.Fatalf("Interval(%d) = %d, out of range", max, v)
			}
			seen[v]++
		}
		for v, c := range seen {
			if c == 0 {
				t.Errorf("Interval(%d) never returned %d in 10000 draws", max, v)
			}
		}
	}
}

func TestShuffleSwapCalls(t *testing.T) {
	// Shuffle must call swap exactly once for each i from n-1 down to 1,
	// including when j == i, and must not call it for n <= 1.
	for _, n := range []int{0, 1} {
		New(3).Shuffle(n, func(i, j int) { t.Errorf("Shuffle(%d) called swap(%d, %d)", n, i, j) })
	}
	s := New(3)
	next := 9
	s.Shuffle(10, func(i, j int) {
		if i != next {
			t.Errorf("swap called with i=%d, want %d", i, next)
		}
		if j < 0 || j > i {
			t.Errorf("swap(%d, %d): j out of range", i, j)
		}
		next--
	})
	if next != 0 {
		t.Errorf("Shuffle(10) stopped with next=%d, want 0", next)
	}
}

func TestUniformMatchesFloat64(t *testing.T) {
	a, b := New(99), New(99)
	for i := range 1000 {
		u := a.Uniform(-2, 5)
		want := -2 + float64(7*b.Float64()) // float64(): no fused multiply-add
		if !sameFloat(u, want) {
			t.Fatalf("draw %d: Uniform(-2, 5) = %v, want %v", i, u, want)
		}
		if u < -2 || u >= 5 {
			t.Fatalf("draw %d: Uniform(-2, 5) = %v out of range", i, u)
		}
	}
}

func BenchmarkFloat64(b *testing.B) {
	s := New(1)
	for b.Loop() {
		s.Float64()
	}
}

func BenchmarkNormFloat64(b *testing.B) {
	s := New(1)
	for b.Loop() {
		s.NormFloat64()
	}
}
