package kernel

import (
	"runtime"
	"sync"
	"time"
)

// Peak is this machine's float32 multiply-add peak as measured by
// PeakGFLOPS.
type Peak struct {
	GFLOPS  float64 // all threads together
	Threads int     // threads measured at once
	ISA     string  // "avx512", "avx2", "neon" or "go": the loop measured
}

// PeakGFLOPS measures the float32 fused multiply-add peak of threads
// cores (threads ≤ 0: Threads()) in this process: each thread, locked to
// an OS thread, runs a register-only loop of twelve independent FMAs in
// the widest vectors Gemm dispatches to (the pure-Go mul-add loop where
// Gemm runs Go) for about d, in ten slices; its rate is its fastest slice,
// and the peak is the sum over threads. Dividing a measured GEMM or
// training rate by it gives a fraction that means the same on a fast or a
// slow spell of a shared machine.
func PeakGFLOPS(threads int, d time.Duration) Peak {
	if threads <= 0 {
		threads = Threads()
	}
	loop, flops, isa := peakLoop()
	// Calibrate: iterations for about a tenth of d on one thread.
	n := 1 << 10
	for {
		t0 := time.Now()
		loop(n)
		if el := time.Since(t0); el > d/100 || n >= 1<<30 {
			n = int(float64(n) * float64(d/10) / float64(max(el, time.Nanosecond)))
			break
		}
		n *= 4
	}
	n = max(n, 1)
	rates := make([]float64, threads)
	var wg sync.WaitGroup
	for t := range rates {
		wg.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for range 10 {
				t0 := time.Now()
				loop(n)
				el := time.Since(t0).Seconds()
				rates[t] = max(rates[t], float64(n)*float64(flops)/el/1e9)
			}
		})
	}
	wg.Wait()
	var sum float64
	for _, r := range rates {
		sum += r
	}
	return Peak{GFLOPS: sum, Threads: threads, ISA: isa}
}

// peakGoFLOPs is the FLOPs of one iteration of peakGo.
const peakGoFLOPs = 24

// peakGo runs n iterations (n ≥ 1) of twelve independent float32
// multiply-adds (c = c·x + y, a multiply and an add each) on values the
// compiler keeps in registers. Twelve chains keep both multipliers and
// both adders of a core busy through a multiply-then-add latency of five
// cycles (eight did not: 10 against 15 GFLOP/s on Zen 5), and the loop is
// a do-while, one block, so that Go schedules each multiply next to its
// add (a for loop's body hoists all multiplies and spills).
func peakGo(n int) {
	x, y := peakSink[0], peakSink[1]
	var c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11 float32
	for i := n; ; {
		c0 = c0*x + y
		c1 = c1*x + y
		c2 = c2*x + y
		c3 = c3*x + y
		c4 = c4*x + y
		c5 = c5*x + y
		c6 = c6*x + y
		c7 = c7*x + y
		c8 = c8*x + y
		c9 = c9*x + y
		c10 = c10*x + y
		c11 = c11*x + y
		if i--; i <= 0 {
			break
		}
	}
	peakSink[2] = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11
}

// peakSink keeps peakGo's inputs unknown and its result live.
var peakSink = [3]float32{0.5, 0.25, 0}
