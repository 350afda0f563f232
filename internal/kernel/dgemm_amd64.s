//go:build !noasm

#include "textflag.h"

// ---------------------------------------------------------------------------
// AVX-512 float64 micro-kernel: an 8×16 tile of C from packed panels.
//
// Accumulators Z0..Z15 hold rows 0..7 (two zmm of 8 columns each); per k
// step two loads of packed B (Z16, Z17), eight broadcasts of packed A
// (Z18..Z25) and sixteen FMAs.

#define DSTEP512(ao, bo) \
	VMOVUPD      (bo)(BX), Z16 \
	VMOVUPD      (bo+64)(BX), Z17 \
	VBROADCASTSD (ao)(AX), Z18 \
	VBROADCASTSD (ao+8)(AX), Z19 \
	VFMADD231PD  Z16, Z18, Z0 \
	VFMADD231PD  Z17, Z18, Z1 \
	VFMADD231PD  Z16, Z19, Z2 \
	VFMADD231PD  Z17, Z19, Z3 \
	VBROADCASTSD (ao+16)(AX), Z20 \
	VBROADCASTSD (ao+24)(AX), Z21 \
	VFMADD231PD  Z16, Z20, Z4 \
	VFMADD231PD  Z17, Z20, Z5 \
	VFMADD231PD  Z16, Z21, Z6 \
	VFMADD231PD  Z17, Z21, Z7 \
	VBROADCASTSD (ao+32)(AX), Z22 \
	VBROADCASTSD (ao+40)(AX), Z23 \
	VFMADD231PD  Z16, Z22, Z8 \
	VFMADD231PD  Z17, Z22, Z9 \
	VFMADD231PD  Z16, Z23, Z10 \
	VFMADD231PD  Z17, Z23, Z11 \
	VBROADCASTSD (ao+48)(AX), Z24 \
	VBROADCASTSD (ao+56)(AX), Z25 \
	VFMADD231PD  Z16, Z24, Z12 \
	VFMADD231PD  Z17, Z24, Z13 \
	VFMADD231PD  Z16, Z25, Z14 \
	VFMADD231PD  Z17, Z25, Z15

// Row store with beta ≠ 0: C = acc·alpha + beta·C (Z26 = alpha, Z27 = beta),
// columns masked by K1 (0..7) and K2 (8..15).
#define DROWBETA512(lo, hi) \
	VMULPD      Z26, lo, lo \
	VMULPD      Z26, hi, hi \
	VMOVUPD.Z   (DI), K1, Z28 \
	VMOVUPD.Z   64(DI), K2, Z29 \
	VFMADD231PD Z27, Z28, lo \
	VFMADD231PD Z27, Z29, hi \
	VMOVUPD     lo, K1, (DI) \
	VMOVUPD     hi, K2, 64(DI)

// Row store with beta = 0: C = acc·alpha, C not read.
#define DROWZERO512(lo, hi) \
	VMULPD  Z26, lo, lo \
	VMULPD  Z26, hi, hi \
	VMOVUPD lo, K1, (DI) \
	VMOVUPD hi, K2, 64(DI)

#define DNEXTROW \
	DECQ SI \
	JZ   done \
	ADDQ R8, DI

// func gemm512d(k int, a, b, c *float64, ldc int, alpha, beta float64, mr int, mask uint32)
TEXT ·gemm512d(SB), NOSPLIT, $0-68
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8

	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15

loop4:
	CMPQ CX, $4
	JB   tail
	DSTEP512(0, 0)
	DSTEP512(64, 128)
	DSTEP512(128, 256)
	DSTEP512(192, 384)
	ADDQ $256, AX
	ADDQ $512, BX
	SUBQ $4, CX
	JMP  loop4

tail:
	TESTQ CX, CX
	JZ    store
	DSTEP512(0, 0)
	ADDQ  $64, AX
	ADDQ  $128, BX
	DECQ  CX
	JMP   tail

store:
	MOVL         mask+64(FP), DX
	KMOVW        DX, K1
	SHRL         $8, DX
	KMOVW        DX, K2
	VBROADCASTSD alpha+40(FP), Z26
	VBROADCASTSD beta+48(FP), Z27
	MOVQ         mr+56(FP), SI
	MOVQ         beta+48(FP), DX
	SHLQ         $1, DX // drop the sign: -0 is 0
	JZ           zero

	DROWBETA512(Z0, Z1)
	DNEXTROW
	DROWBETA512(Z2, Z3)
	DNEXTROW
	DROWBETA512(Z4, Z5)
	DNEXTROW
	DROWBETA512(Z6, Z7)
	DNEXTROW
	DROWBETA512(Z8, Z9)
	DNEXTROW
	DROWBETA512(Z10, Z11)
	DNEXTROW
	DROWBETA512(Z12, Z13)
	DNEXTROW
	DROWBETA512(Z14, Z15)
	JMP done

zero:
	DROWZERO512(Z0, Z1)
	DNEXTROW
	DROWZERO512(Z2, Z3)
	DNEXTROW
	DROWZERO512(Z4, Z5)
	DNEXTROW
	DROWZERO512(Z6, Z7)
	DNEXTROW
	DROWZERO512(Z8, Z9)
	DNEXTROW
	DROWZERO512(Z10, Z11)
	DNEXTROW
	DROWZERO512(Z12, Z13)
	DNEXTROW
	DROWZERO512(Z14, Z15)

done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX2+FMA float64 micro-kernel: a full 6×8 tile of C from packed panels.
// Accumulators Y0..Y11; packed B in Y12, Y13; broadcasts in Y14, Y15.

#define DSTEP256(ao, bo) \
	VMOVUPD      (bo)(BX), Y12 \
	VMOVUPD      (bo+32)(BX), Y13 \
	VBROADCASTSD (ao)(AX), Y14 \
	VFMADD231PD  Y12, Y14, Y0 \
	VFMADD231PD  Y13, Y14, Y1 \
	VBROADCASTSD (ao+8)(AX), Y15 \
	VFMADD231PD  Y12, Y15, Y2 \
	VFMADD231PD  Y13, Y15, Y3 \
	VBROADCASTSD (ao+16)(AX), Y14 \
	VFMADD231PD  Y12, Y14, Y4 \
	VFMADD231PD  Y13, Y14, Y5 \
	VBROADCASTSD (ao+24)(AX), Y15 \
	VFMADD231PD  Y12, Y15, Y6 \
	VFMADD231PD  Y13, Y15, Y7 \
	VBROADCASTSD (ao+32)(AX), Y14 \
	VFMADD231PD  Y12, Y14, Y8 \
	VFMADD231PD  Y13, Y14, Y9 \
	VBROADCASTSD (ao+40)(AX), Y15 \
	VFMADD231PD  Y12, Y15, Y10 \
	VFMADD231PD  Y13, Y15, Y11

#define DROWBETA256(lo, hi) \
	VMULPD      Y12, lo, lo \
	VMULPD      Y12, hi, hi \
	VMOVUPD     (DI), Y14 \
	VMOVUPD     32(DI), Y15 \
	VFMADD231PD Y13, Y14, lo \
	VFMADD231PD Y13, Y15, hi \
	VMOVUPD     lo, (DI) \
	VMOVUPD     hi, 32(DI) \
	ADDQ        R8, DI

#define DROWZERO256(lo, hi) \
	VMULPD  Y12, lo, lo \
	VMULPD  Y12, hi, hi \
	VMOVUPD lo, (DI) \
	VMOVUPD hi, 32(DI) \
	ADDQ    R8, DI

// func gemm256d(k int, a, b, c *float64, ldc int, alpha, beta float64)
TEXT ·gemm256d(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11

aloop4:
	CMPQ CX, $4
	JB   atail
	DSTEP256(0, 0)
	DSTEP256(48, 64)
	DSTEP256(96, 128)
	DSTEP256(144, 192)
	ADDQ $192, AX
	ADDQ $256, BX
	SUBQ $4, CX
	JMP  aloop4

atail:
	TESTQ CX, CX
	JZ    astore
	DSTEP256(0, 0)
	ADDQ  $48, AX
	ADDQ  $64, BX
	DECQ  CX
	JMP   atail

astore:
	VBROADCASTSD alpha+40(FP), Y12
	VBROADCASTSD beta+48(FP), Y13
	MOVQ         beta+48(FP), DX
	SHLQ         $1, DX // drop the sign: -0 is 0
	JZ           azero
	DROWBETA256(Y0, Y1)
	DROWBETA256(Y2, Y3)
	DROWBETA256(Y4, Y5)
	DROWBETA256(Y6, Y7)
	DROWBETA256(Y8, Y9)
	DROWBETA256(Y10, Y11)
	VZEROUPPER
	RET

azero:
	DROWZERO256(Y0, Y1)
	DROWZERO256(Y2, Y3)
	DROWZERO256(Y4, Y5)
	DROWZERO256(Y6, Y7)
	DROWZERO256(Y8, Y9)
	DROWZERO256(Y10, Y11)
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// Transposing float64 pack (AVX): for blocks of 4 k-steps,
// dst[p·ds + r] = src[r·ld + p] for r < 4, p < k4 (k4 a multiple of 4).

// func transpose4d(k4 int, src *float64, ld int, dst *float64, ds int)
TEXT ·transpose4d(SB), NOSPLIT, $0-40
	MOVQ k4+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R9
	SHLQ $3, R9
	MOVQ dst+24(FP), DI
	MOVQ ds+32(FP), R8
	SHLQ $3, R8
	LEAQ (SI)(R9*2), R10
	LEAQ (R8)(R8*2), R11
	MOVQ R8, DX
	SHLQ $2, DX

dtloop:
	CMPQ CX, $4
	JB   dtdone
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(R9*1), Y1
	VMOVUPD (R10), Y2
	VMOVUPD (R10)(R9*1), Y3
	ADDQ    $32, SI
	ADDQ    $32, R10

	VUNPCKLPD Y1, Y0, Y4 // r0[0] r1[0] r0[2] r1[2]
	VUNPCKHPD Y1, Y0, Y5 // r0[1] r1[1] r0[3] r1[3]
	VUNPCKLPD Y3, Y2, Y6 // r2[0] r3[0] r2[2] r3[2]
	VUNPCKHPD Y3, Y2, Y7 // r2[1] r3[1] r2[3] r3[3]

	VPERM2F128 $0x20, Y6, Y4, Y0 // column 0
	VPERM2F128 $0x20, Y7, Y5, Y1 // column 1
	VPERM2F128 $0x31, Y6, Y4, Y2 // column 2
	VPERM2F128 $0x31, Y7, Y5, Y3 // column 3

	VMOVUPD Y0, (DI)
	VMOVUPD Y1, (DI)(R8*1)
	VMOVUPD Y2, (DI)(R8*2)
	VMOVUPD Y3, (DI)(R11*1)
	ADDQ    DX, DI
	SUBQ    $4, CX
	JMP     dtloop

dtdone:
	VZEROUPPER
	RET
