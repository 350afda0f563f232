// Package kernel holds the numeric inner loops of nerve: matrix multiply
// and its plain reference twin, and the fused element-wise passes of a
// training step.
//
// Everything above this package multiplies matrices through Gemm. GemmRef
// is the textbook triple loop, kept beside it as the definition every
// faster path is tested against.
//
// Gemm picks a path by element type, shape and CPU:
//
//   - float32 on amd64 with AVX-512: an 8×32 assembly micro-kernel in a
//     BLIS-style loop nest (k blocks ≤ 320, A blocks of 128 rows, B panels
//     of up to 4096 columns, both packed into 64-byte aligned, pooled
//     buffers), or, for small shapes (m ≤ 8 or m·n·k ≤ 65536) and for an
//     untransposed B with m ≤ 128 or k·n ≤ 2¹⁷ (every product of an MLP
//     step at batch ≤ 128 but dA_prev = dZ·Wᵀ), an unpacked 8×32 kernel
//     that reads A and B in place, with a 1×128 kernel for the last one to
//     three rows (a single sample);
//   - float32 on amd64 with AVX2 and FMA: a 6×16 assembly micro-kernel in
//     the same loop nest, with assembly packing, an untransposed A read in
//     place and a 2×32 kernel for the last one or two rows of C;
//   - float32 on arm64: an 8×12 NEON assembly micro-kernel (gemm128s,
//     sgemm_arm64.s, whose header gives the register blocking) in the same
//     loop nest for every shape, with the generic Go packers; float64 and
//     the fused passes below stay in Go there;
//   - float64 on amd64: the exact in-order loops below m·n·k = 64³ (the
//     tutorials match numpy to the last digit there); above, an 8×16
//     AVX-512 (or 6×8 AVX2+FMA) assembly micro-kernel in the same loop
//     nest;
//   - float64 on arm64, both precisions elsewhere and with -tags noasm:
//     the exact in-order loops below m·n·k = 64³, above it the same loop
//     nest around a 1×8 register tile in Go (gogemm.go) that reads an
//     untransposed A in place, unrolled four steps of k deep; it sums
//     each element in the same order as the exact loops, one k block at
//     a time. On arm64 Go compiles x*y + z to one fused multiply-add, so
//     there these loops, like the NEON kernel, round once per step (on
//     amd64 only with GOAMD64=v3).
//
// Large products are split between threads (SetThreads, Threads) by whole
// tiles of C, handed to a small pool of persistent helper goroutines that
// spin briefly between jobs and exit when idle. The split never changes
// the arithmetic of any element, so results are bit-identical for every
// thread count.
//
// The fused passes do in one sweep over memory what a dense layer and its
// optimizer would otherwise do in several, each with the exact arithmetic
// of the separate steps, so that they give the same bits:
//
//   - BiasAct, the forward epilogue: Z += b and A = f(Z) (ReLU in AVX-512
//     assembly);
//   - ActBackward, dZ = dA ⊙ f′(Z) together with db = Σᵢ dZ[i,:] (ReLU in
//     AVX-512 assembly), and SumRows;
//   - GemmBiasAct and GemmActBackward, a dense layer's forward step
//     (Z = A_prev·W, then BiasAct) and the backward step into the layer
//     below (dA = dZ_next·W_nextᵀ, then ActBackward) as one job: when the
//     product is split between threads, each thread runs the epilogue on
//     the block of C it has just computed (whole rows for softmax, whole
//     columns for db), instead of the caller alone afterwards; a softmax
//     layer's job is split from 16 rows on however small its product,
//     and GemmBiasSoftmax also hands on each row's log-sum-exp, from
//     which the cross-entropy needs no exponential;
//   - GemmThen, several products (a training step's weight gradients) as
//     one job split by whole rows of each C, calling back on each block
//     as soon as it is done, on the thread that computed it (the
//     optimizer update of that block of W: SGDSerial, AdamSerial);
//   - SGD and Adam, one optimizer step per parameter in one loop over its
//     elements (AVX-512 assembly for float32 and float64, without fused
//     multiply-adds, so that it rounds as the Go loop does), split between
//     threads for large parameters.
//
// The code is laid out once for both precisions. Each exported entry
// point looks up the kernels of its element type (kernelsOf, kernels.go:
// the one switch on the type; named float types take the plain Go loops)
// and passes that table down to generic code: one loop nest for every
// packed path (packed.go), one set of packers (pack.go), the pure-Go
// micro-kernel (gogemm.go), the unpacked AVX-512 path (unpacked.go), the
// thread pool (pool.go). Assembly kernels are named after the operation,
// the vector width in bits and the precision: gemm512s, gemm256d,
// gemm128s, sgd512s, biasReLU512s (s float32, d float64); their
// declarations (*_amd64.go, *_arm64.go) document each as a reference loop,
// and gemm_noasm.go holds the pure-Go twins of the amd64 GEMM kernels for
// other platforms and -tags noasm (gemm128s's reference loop is its
// twinTile call in gemm_arm64_test.go).
//
// # The NEON kernel and how to check it on arm64
//
// gemm128s keeps an 8×12 tile of C in 24 of the 32 NEON registers
// (V8–V31, row r in V(8+3r)..V(10+3r)); each k step loads 8 floats of
// packed A (V0, V1) and 12 of packed B (V2–V4) and issues 24 FMLAs by
// element, Vacc += Vb · Va[lane]. It is bound by the FMLA pipes: on Apple
// M1–M4 performance cores and Neoverse V1/V2 (Graviton 3/4), four 128-bit
// FMLAs a cycle, 1/16 cycle per float32 multiply-add (32 FLOP/cycle:
// ≈ 100 GFLOP/s a core at 3.2 GHz); on Neoverse N1 (Graviton 2) and
// Cortex-A76/A78, two, 1/8 cycle per multiply-add (≈ 40 GFLOP/s a core at
// 2.5 GHz). With its packing in Go, large products should reach roughly
// 60–85 % of that, against 4–9 GFLOP/s for the pure-Go path. These are
// expectations, not measurements: nerve's machines have no arm64 CPU, and
// CI checks the kernel's results only, under qemu-aarch64 (.ci/run), where
// TestGemm128Twin compares it bit for bit with its Go reference loop.
// Someone with an arm64 machine (any Apple Silicon Mac) checks the rate
// with
//
//	go test -run 'NEON|ARM64|Gemm128|Gemm32Paths' ./internal/kernel/
//	go test -run '^$' -bench 'Gemm32/(neon|go)/t1/|Peak' -count 10 ./internal/kernel/ | tee arm64.txt
//	benchstat arm64.txt
//
// and compares the GFLOP/s of Gemm32/neon/t1/NN512x512x512 with
// Gemm32/go/t1/NN512x512x512 (expected 10× or more) and with Peak/t1, the
// same core's NEON register-only FMA loop (fma128s; on an M1 about 100
// GFLOP/s, the kernel expected at 60–85 % of it). If Peak/t1 is far below
// the figures above, the core is not one of those named.
//
// The package works on raw row-major slices with explicit leading
// dimensions, as BLAS does. It does not validate its arguments beyond what
// indexing checks: callers (package tensor) validate shapes first.
package kernel
