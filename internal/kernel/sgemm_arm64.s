//go:build !noasm

#include "textflag.h"
#include "neon_arm64.h"

// ---------------------------------------------------------------------------
// NEON micro-kernel: an 8×12 tile of C from packed panels (gemm128s,
// declared with its reference loop in gemm_arm64.go).
//
// Register blocking (32 128-bit V registers, four float32 lanes each):
//
//	V0, V1     packed A, rows 0..3 and 4..7 of one k step (8 floats)
//	V2..V4     packed B, columns 0..3, 4..7, 8..11 of one k step (12 floats)
//	V8..V31    the accumulators: row r of the tile in V(8+3r)..V(10+3r),
//	           four columns each (C[r, 4q:4q+4] in V(8+3r+q))
//	V5         alpha in lane 0, beta in lane 1 (after the loop)
//	V0..V2     a row of C when beta ≠ 0 (after the loop)
//
// Each k step is two loads (VLD1.P of 32 and 48 bytes) and 24 FMLAs by
// element: V(8+3r+q) += V(2+q) · V(r/4)[r%4], which multiplies a vector of
// four columns of B by one value of A taken from a lane, with no
// broadcast. That is 96 multiply-adds (192 FLOP) per 24 instructions and
// 80 bytes loaded.
//
// Rate: the loop is bound by the FMLA pipes. Apple M1–M4 performance cores
// and Neoverse V1/V2 (Graviton 3/4) issue four 128-bit FMLAs per cycle:
// 1/16 cycle per float32 multiply-add, 32 FLOP/cycle, 6 cycles a k step,
// ≈ 100 GFLOP/s per core at 3.2 GHz (M1) and ≈ 140 at 4.4 GHz (M4).
// Neoverse N1 (Graviton 2) and Cortex-A76/A78 issue two: 1/8 cycle per
// multiply-add, 12 cycles a k step, ≈ 40 GFLOP/s per core at 2.5 GHz. An
// accumulator is rewritten once per 24 FMLAs (6 or 12 cycles), longer than
// the 3–4 cycle FMLA latency, so its dependency chain never stalls the
// pipes. doc.go says how to measure it on a Mac.
//
// Go's assembler has VFMLA only in its vector form (and no VFMUL), so the
// by-element forms are emitted as WORDs by FMLAE and FMULE below; the
// comment beside each WORD macro gives the instruction in Arm syntax.

// FMLAE(d, n, m, i) is FMLA Vd.4S, Vn.4S, Vm.S[i]: Vd += Vn · Vm[i].
// Encoding (Arm ARM, "FMLA (by element)", single precision, Q = 1):
// 0 1 0 01111 1 0 L M Rm 0001 H 0 Rn Rd, lane i = H:L, register m = M:Rm.
#define FMLAE(d, n, m, i) WORD $(0x4F801000 | (((i)&1)<<21) | (((i)>>1)<<11) | ((m)<<16) | ((n)<<5) | (d))

// FMULE(d, n, m, i) is FMUL Vd.4S, Vn.4S, Vm.S[i]: Vd = Vn · Vm[i]
// (the same encoding with opcode 1001).
#define FMULE(d, n, m, i) WORD $(0x4F809000 | (((i)&1)<<21) | (((i)>>1)<<11) | ((m)<<16) | ((n)<<5) | (d))

// ROW128(r, a, i): row r of the tile (accumulators V(8+3r)..V(10+3r)) +=
// the B vectors V2..V4 times lane i of A vector Va.
#define ROW128(r, a, i) \
	FMLAE(8+3*(r), 2, a, i) \
	FMLAE(9+3*(r), 3, a, i) \
	FMLAE(10+3*(r), 4, a, i)

// SCALE128(r): row r of the tile times alpha (V5[0]).
#define SCALE128(r) \
	FMULE(8+3*(r), 8+3*(r), 5, 0) \
	FMULE(9+3*(r), 9+3*(r), 5, 0) \
	FMULE(10+3*(r), 10+3*(r), 5, 0)

// ADDC128(r): row r of the tile += beta (V5[1]) times the row of C at R6,
// one fused multiply-add per element.
#define ADDC128(r) \
	VLD1  (R6), [V0.S4, V1.S4, V2.S4] \
	FMLAE(8+3*(r), 0, 5, 1) \
	FMLAE(9+3*(r), 1, 5, 1) \
	FMLAE(10+3*(r), 2, 5, 1)

// NEXTROW(r, p, out): leave for out once the mr rows (R5) before row r are
// done, else step p to row r of C (R4 = ldc in bytes).
#define NEXTROW(r, p, out) \
	CMP $(r), R5 \
	BLE out \
	ADD R4, p

// func gemm128s(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int)
TEXT ·gemm128s(SB), NOSPLIT, $0-56
	MOVD k+0(FP), R0
	MOVD a+8(FP), R1
	MOVD b+16(FP), R2
	MOVD c+24(FP), R3
	MOVD ldc+32(FP), R4
	LSL  $2, R4          // ldc in bytes
	MOVD mr+48(FP), R5

	ZERO_V8_V31
	CBZ  R0, scale

loop:
	VLD1.P 32(R1), [V0.S4, V1.S4]
	VLD1.P 48(R2), [V2.S4, V3.S4, V4.S4]
	ROW128(0, 0, 0)
	ROW128(1, 0, 1)
	ROW128(2, 0, 2)
	ROW128(3, 0, 3)
	ROW128(4, 1, 0)
	ROW128(5, 1, 1)
	ROW128(6, 1, 2)
	ROW128(7, 1, 3)
	SUBS   $1, R0
	BNE    loop

scale:
	FMOVD alpha+40(FP), F5 // V5[0] = alpha, V5[1] = beta
	SCALE128(0)
	SCALE128(1)
	SCALE128(2)
	SCALE128(3)
	SCALE128(4)
	SCALE128(5)
	SCALE128(6)
	SCALE128(7)

	// beta = ±0: store alpha·acc without reading C.
	MOVWU beta+44(FP), R7
	LSLW  $1, R7 // drop the sign bit
	CBZW  R7, store

	// C = alpha·acc + beta·C: add beta·C to each of the first mr rows.
	MOVD R3, R6
	ADDC128(0)
	NEXTROW(1, R6, store)
	ADDC128(1)
	NEXTROW(2, R6, store)
	ADDC128(2)
	NEXTROW(3, R6, store)
	ADDC128(3)
	NEXTROW(4, R6, store)
	ADDC128(4)
	NEXTROW(5, R6, store)
	ADDC128(5)
	NEXTROW(6, R6, store)
	ADDC128(6)
	NEXTROW(7, R6, store)
	ADDC128(7)

store:
	// Store the first mr rows.
	VST1 [V8.S4, V9.S4, V10.S4], (R3)
	NEXTROW(1, R3, done)
	VST1 [V11.S4, V12.S4, V13.S4], (R3)
	NEXTROW(2, R3, done)
	VST1 [V14.S4, V15.S4, V16.S4], (R3)
	NEXTROW(3, R3, done)
	VST1 [V17.S4, V18.S4, V19.S4], (R3)
	NEXTROW(4, R3, done)
	VST1 [V20.S4, V21.S4, V22.S4], (R3)
	NEXTROW(5, R3, done)
	VST1 [V23.S4, V24.S4, V25.S4], (R3)
	NEXTROW(6, R3, done)
	VST1 [V26.S4, V27.S4, V28.S4], (R3)
	NEXTROW(7, R3, done)
	VST1 [V29.S4, V30.S4, V31.S4], (R3)

done:
	RET
