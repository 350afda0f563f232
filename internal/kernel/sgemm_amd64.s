//go:build !noasm

#include "textflag.h"

// ---------------------------------------------------------------------------
// AVX-512 micro-kernel: an 8×32 tile of C from packed panels.
//
// Accumulators Z0..Z15 hold rows 0..7 (two zmm of 16 columns each); per k
// step two loads of packed B (Z16, Z17), eight broadcasts of packed A
// (Z18..Z25) and sixteen FMAs.

#define STEP512(ao, bo) \
	VMOVUPS      (bo)(BX), Z16 \
	VMOVUPS      (bo+64)(BX), Z17 \
	VBROADCASTSS (ao)(AX), Z18 \
	VBROADCASTSS (ao+4)(AX), Z19 \
	VFMADD231PS  Z16, Z18, Z0 \
	VFMADD231PS  Z17, Z18, Z1 \
	VFMADD231PS  Z16, Z19, Z2 \
	VFMADD231PS  Z17, Z19, Z3 \
	VBROADCASTSS (ao+8)(AX), Z20 \
	VBROADCASTSS (ao+12)(AX), Z21 \
	VFMADD231PS  Z16, Z20, Z4 \
	VFMADD231PS  Z17, Z20, Z5 \
	VFMADD231PS  Z16, Z21, Z6 \
	VFMADD231PS  Z17, Z21, Z7 \
	VBROADCASTSS (ao+16)(AX), Z22 \
	VBROADCASTSS (ao+20)(AX), Z23 \
	VFMADD231PS  Z16, Z22, Z8 \
	VFMADD231PS  Z17, Z22, Z9 \
	VFMADD231PS  Z16, Z23, Z10 \
	VFMADD231PS  Z17, Z23, Z11 \
	VBROADCASTSS (ao+24)(AX), Z24 \
	VBROADCASTSS (ao+28)(AX), Z25 \
	VFMADD231PS  Z16, Z24, Z12 \
	VFMADD231PS  Z17, Z24, Z13 \
	VFMADD231PS  Z16, Z25, Z14 \
	VFMADD231PS  Z17, Z25, Z15

// Row store with beta ≠ 0: C = acc·alpha + beta·C (Z26 = alpha, Z27 = beta),
// columns masked by K1 (0..15) and K2 (16..31).
#define ROWBETA512(lo, hi) \
	VMULPS      Z26, lo, lo \
	VMULPS      Z26, hi, hi \
	VMOVUPS.Z   (DI), K1, Z28 \
	VMOVUPS.Z   64(DI), K2, Z29 \
	VFMADD231PS Z27, Z28, lo \
	VFMADD231PS Z27, Z29, hi \
	VMOVUPS     lo, K1, (DI) \
	VMOVUPS     hi, K2, 64(DI)

// Row store with beta = 0: C = acc·alpha, C not read.
#define ROWZERO512(lo, hi) \
	VMULPS  Z26, lo, lo \
	VMULPS  Z26, hi, hi \
	VMOVUPS lo, K1, (DI) \
	VMOVUPS hi, K2, 64(DI)

#define NEXTROW \
	DECQ SI \
	JZ   done \
	ADDQ R8, DI

// func sgemmKernel512(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)
TEXT ·sgemmKernel512(SB), NOSPLIT, $0-60
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8

	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15

loop4:
	CMPQ CX, $4
	JB   tail
	STEP512(0, 0)
	STEP512(32, 128)
	STEP512(64, 256)
	STEP512(96, 384)
	ADDQ $128, AX
	ADDQ $512, BX
	SUBQ $4, CX
	JMP  loop4

tail:
	TESTQ CX, CX
	JZ    store
	STEP512(0, 0)
	ADDQ  $32, AX
	ADDQ  $128, BX
	DECQ  CX
	JMP   tail

store:
	MOVL         mask+56(FP), DX
	KMOVW        DX, K1
	SHRL         $16, DX
	KMOVW        DX, K2
	VBROADCASTSS alpha+40(FP), Z26
	VBROADCASTSS beta+44(FP), Z27
	MOVQ         mr+48(FP), SI
	MOVL         beta+44(FP), DX
	TESTL        $0x7fffffff, DX
	JZ           zero

	ROWBETA512(Z0, Z1)
	NEXTROW
	ROWBETA512(Z2, Z3)
	NEXTROW
	ROWBETA512(Z4, Z5)
	NEXTROW
	ROWBETA512(Z6, Z7)
	NEXTROW
	ROWBETA512(Z8, Z9)
	NEXTROW
	ROWBETA512(Z10, Z11)
	NEXTROW
	ROWBETA512(Z12, Z13)
	NEXTROW
	ROWBETA512(Z14, Z15)
	JMP done

zero:
	ROWZERO512(Z0, Z1)
	NEXTROW
	ROWZERO512(Z2, Z3)
	NEXTROW
	ROWZERO512(Z4, Z5)
	NEXTROW
	ROWZERO512(Z6, Z7)
	NEXTROW
	ROWZERO512(Z8, Z9)
	NEXTROW
	ROWZERO512(Z10, Z11)
	NEXTROW
	ROWZERO512(Z12, Z13)
	NEXTROW
	ROWZERO512(Z14, Z15)

done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX-512 unpacked kernel for small shapes: up to 8 rows × 32 columns of C.
// Row r of op(A) at step p is read at a + r·rs + p·ps (bytes after scaling
// from elements); row p of op(B) is 32 (masked) columns at b + p·ldb. All 8
// rows of A must be readable: the caller packs a partial row block first.

#define STEPSMALL \
	VMOVUPS.Z    (BX), K1, Z16 \
	VMOVUPS.Z    64(BX), K2, Z17 \
	VBROADCASTSS (SI), Z18 \
	VBROADCASTSS (SI)(R9*1), Z19 \
	VFMADD231PS  Z16, Z18, Z0 \
	VFMADD231PS  Z17, Z18, Z1 \
	VFMADD231PS  Z16, Z19, Z2 \
	VFMADD231PS  Z17, Z19, Z3 \
	VBROADCASTSS (SI)(R9*2), Z20 \
	VBROADCASTSS (R10), Z21 \
	VFMADD231PS  Z16, Z20, Z4 \
	VFMADD231PS  Z17, Z20, Z5 \
	VFMADD231PS  Z16, Z21, Z6 \
	VFMADD231PS  Z17, Z21, Z7 \
	VBROADCASTSS (R10)(R9*1), Z22 \
	VBROADCASTSS (R10)(R9*2), Z23 \
	VFMADD231PS  Z16, Z22, Z8 \
	VFMADD231PS  Z17, Z22, Z9 \
	VFMADD231PS  Z16, Z23, Z10 \
	VFMADD231PS  Z17, Z23, Z11 \
	VBROADCASTSS (R11), Z24 \
	VBROADCASTSS (R11)(R9*1), Z25 \
	VFMADD231PS  Z16, Z24, Z12 \
	VFMADD231PS  Z17, Z24, Z13 \
	VFMADD231PS  Z16, Z25, Z14 \
	VFMADD231PS  Z17, Z25, Z15 \
	ADDQ         R12, SI \
	ADDQ         R12, R10 \
	ADDQ         R12, R11 \
	ADDQ         R13, BX

// func sgemmSmall512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)
TEXT ·sgemmSmall512(SB), NOSPLIT, $0-84
	MOVL mask+80(FP), DX
	KMOVW DX, K1
	SHRL  $16, DX
	KMOVW DX, K2
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rs+16(FP), R9
	SHLQ $2, R9
	MOVQ ps+24(FP), R12
	SHLQ $2, R12
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R13
	SHLQ $2, R13
	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), R8
	SHLQ $2, R8
	LEAQ (SI)(R9*2), R10
	ADDQ R9, R10
	LEAQ (R10)(R9*2), R11
	ADDQ R9, R11

	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15

sloop2:
	CMPQ CX, $2
	JB   stail
	STEPSMALL
	STEPSMALL
	SUBQ $2, CX
	JMP  sloop2

stail:
	TESTQ CX, CX
	JZ    sstore
	STEPSMALL

sstore:
	VBROADCASTSS alpha+64(FP), Z26
	VBROADCASTSS beta+68(FP), Z27
	MOVQ         mr+72(FP), SI
	MOVL         beta+68(FP), DX
	TESTL        $0x7fffffff, DX
	JZ           szero

	ROWBETA512(Z0, Z1)
	NEXTROW
	ROWBETA512(Z2, Z3)
	NEXTROW
	ROWBETA512(Z4, Z5)
	NEXTROW
	ROWBETA512(Z6, Z7)
	NEXTROW
	ROWBETA512(Z8, Z9)
	NEXTROW
	ROWBETA512(Z10, Z11)
	NEXTROW
	ROWBETA512(Z12, Z13)
	NEXTROW
	ROWBETA512(Z14, Z15)
	JMP done

szero:
	ROWZERO512(Z0, Z1)
	NEXTROW
	ROWZERO512(Z2, Z3)
	NEXTROW
	ROWZERO512(Z4, Z5)
	NEXTROW
	ROWZERO512(Z6, Z7)
	NEXTROW
	ROWZERO512(Z8, Z9)
	NEXTROW
	ROWZERO512(Z10, Z11)
	NEXTROW
	ROWZERO512(Z12, Z13)
	NEXTROW
	ROWZERO512(Z14, Z15)

done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX2+FMA micro-kernel: a full 6×16 tile of C from packed panels.
// Accumulators Y0..Y11; packed B in Y12, Y13; broadcasts in Y14, Y15.

#define STEP256(ao, bo) \
	VMOVUPS      (bo)(BX), Y12 \
	VMOVUPS      (bo+32)(BX), Y13 \
	VBROADCASTSS (ao)(AX), Y14 \
	VFMADD231PS  Y12, Y14, Y0 \
	VFMADD231PS  Y13, Y14, Y1 \
	VBROADCASTSS (ao+4)(AX), Y15 \
	VFMADD231PS  Y12, Y15, Y2 \
	VFMADD231PS  Y13, Y15, Y3 \
	VBROADCASTSS (ao+8)(AX), Y14 \
	VFMADD231PS  Y12, Y14, Y4 \
	VFMADD231PS  Y13, Y14, Y5 \
	VBROADCASTSS (ao+12)(AX), Y15 \
	VFMADD231PS  Y12, Y15, Y6 \
	VFMADD231PS  Y13, Y15, Y7 \
	VBROADCASTSS (ao+16)(AX), Y14 \
	VFMADD231PS  Y12, Y14, Y8 \
	VFMADD231PS  Y13, Y14, Y9 \
	VBROADCASTSS (ao+20)(AX), Y15 \
	VFMADD231PS  Y12, Y15, Y10 \
	VFMADD231PS  Y13, Y15, Y11

#define ROWBETA256(lo, hi) \
	VMULPS      Y12, lo, lo \
	VMULPS      Y12, hi, hi \
	VMOVUPS     (DI), Y14 \
	VMOVUPS     32(DI), Y15 \
	VFMADD231PS Y13, Y14, lo \
	VFMADD231PS Y13, Y15, hi \
	VMOVUPS     lo, (DI) \
	VMOVUPS     hi, 32(DI) \
	ADDQ        R8, DI

#define ROWZERO256(lo, hi) \
	VMULPS  Y12, lo, lo \
	VMULPS  Y12, hi, hi \
	VMOVUPS lo, (DI) \
	VMOVUPS hi, 32(DI) \
	ADDQ    R8, DI

// func sgemmKernel256(k int, a, b, c *float32, ldc int, alpha, beta float32)
TEXT ·sgemmKernel256(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

aloop4:
	CMPQ CX, $4
	JB   atail
	STEP256(0, 0)
	STEP256(24, 64)
	STEP256(48, 128)
	STEP256(72, 192)
	ADDQ $96, AX
	ADDQ $256, BX
	SUBQ $4, CX
	JMP  aloop4

atail:
	TESTQ CX, CX
	JZ    astore
	STEP256(0, 0)
	ADDQ  $24, AX
	ADDQ  $64, BX
	DECQ  CX
	JMP   atail

astore:
	VBROADCASTSS alpha+40(FP), Y12
	VBROADCASTSS beta+44(FP), Y13
	MOVL         beta+44(FP), DX
	TESTL        $0x7fffffff, DX
	JZ           azero
	ROWBETA256(Y0, Y1)
	ROWBETA256(Y2, Y3)
	ROWBETA256(Y4, Y5)
	ROWBETA256(Y6, Y7)
	ROWBETA256(Y8, Y9)
	ROWBETA256(Y10, Y11)
	VZEROUPPER
	RET

azero:
	ROWZERO256(Y0, Y1)
	ROWZERO256(Y2, Y3)
	ROWZERO256(Y4, Y5)
	ROWZERO256(Y6, Y7)
	ROWZERO256(Y8, Y9)
	ROWZERO256(Y10, Y11)
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// Transposing pack (AVX): for blocks of 8 k-steps,
// dst[(p)·ds + r] = src[r·ld + p] for r < 8, p < k8 (k8 a multiple of 8).

// func transPack8(k8 int, src *float32, ld int, dst *float32, ds int)
TEXT ·transPack8(SB), NOSPLIT, $0-40
	MOVQ k8+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R9
	SHLQ $2, R9
	MOVQ dst+24(FP), DI
	MOVQ ds+32(FP), R8
	SHLQ $2, R8
	LEAQ (SI)(R9*2), R10
	ADDQ R9, R10
	LEAQ (R10)(R9*2), R11
	ADDQ R9, R11
	MOVQ R8, DX
	SHLQ $3, DX

tloop:
	CMPQ CX, $8
	JB   tdone
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R9*1), Y1
	VMOVUPS (SI)(R9*2), Y2
	VMOVUPS (R10), Y3
	VMOVUPS (R10)(R9*1), Y4
	VMOVUPS (R10)(R9*2), Y5
	VMOVUPS (R11), Y6
	VMOVUPS (R11)(R9*1), Y7
	ADDQ    $32, SI
	ADDQ    $32, R10
	ADDQ    $32, R11

	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15

	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7

	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15

	LEAQ    (DI)(R8*2), R12
	ADDQ    R8, R12
	LEAQ    (R12)(R8*2), R13
	ADDQ    R8, R13
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(R8*1)
	VMOVUPS Y10, (DI)(R8*2)
	VMOVUPS Y11, (R12)
	VMOVUPS Y12, (R12)(R8*1)
	VMOVUPS Y13, (R12)(R8*2)
	VMOVUPS Y14, (R13)
	VMOVUPS Y15, (R13)(R8*1)
	ADDQ    DX, DI
	SUBQ    $8, CX
	JMP     tloop

tdone:
	VZEROUPPER
	RET
