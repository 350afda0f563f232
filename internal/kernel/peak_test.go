package kernel

import (
	"fmt"
	"testing"
	"time"
)

// TestPeakGFLOPS checks that the peak is positive and names the loop Gemm
// dispatches to. (How fast it is is a benchmark's business.)
func TestPeakGFLOPS(t *testing.T) {
	p := PeakGFLOPS(1, 20*time.Millisecond)
	want := "go"
	switch {
	case useAVX512:
		want = "avx512"
	case useAVX2:
		want = "avx2"
	case useNEON:
		want = "neon"
	}
	if p.ISA != want || p.Threads != 1 || !(p.GFLOPS > 0) {
		t.Fatalf("PeakGFLOPS(1) = %+v; want ISA %s, 1 thread, a positive rate", p, want)
	}
}

// BenchmarkPeak reports the measured peak of one and two threads.
func BenchmarkPeak(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("t%d", threads), func(b *testing.B) {
			var p Peak
			for b.Loop() {
				p = PeakGFLOPS(threads, 20*time.Millisecond)
			}
			b.ReportMetric(p.GFLOPS, "GFLOP/s")
		})
	}
}
