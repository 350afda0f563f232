//go:build !noasm

#include "textflag.h"

// AVX-512 one-row kernel: 1 row × 128 columns of C, eight zmm
// accumulators. Each element is the same chain of fused multiply-adds
// over p = 0, 1, …, k−1 as in the 8×32 kernels, so a row gives the same
// bits whichever kernel computes it.

#define ROWV(off, acc) \
	VMULPS      Z26, acc, acc \
	VMOVUPS     off(DI), Z28 \
	VFMADD231PS Z27, Z28, acc \
	VMOVUPS     acc, off(DI)

#define ROWVZERO(off, acc) \
	VMULPS  Z26, acc, acc \
	VMOVUPS acc, off(DI)

// func gemv512s(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32)
TEXT ·gemv512s(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ ps+16(FP), R9
	SHLQ $2, R9
	MOVQ b+24(FP), BX
	MOVQ ldb+32(FP), R8
	SHLQ $2, R8
	MOVQ c+40(FP), DI

	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7

vloop:
	TESTQ        CX, CX
	JZ           vstore
	VBROADCASTSS (SI), Z8
	VFMADD231PS  (BX), Z8, Z0
	VFMADD231PS  64(BX), Z8, Z1
	VFMADD231PS  128(BX), Z8, Z2
	VFMADD231PS  192(BX), Z8, Z3
	VFMADD231PS  256(BX), Z8, Z4
	VFMADD231PS  320(BX), Z8, Z5
	VFMADD231PS  384(BX), Z8, Z6
	VFMADD231PS  448(BX), Z8, Z7
	ADDQ         R9, SI
	ADDQ         R8, BX
	DECQ         CX
	JMP          vloop

vstore:
	VBROADCASTSS alpha+48(FP), Z26
	VBROADCASTSS beta+52(FP), Z27
	MOVL         beta+52(FP), DX
	TESTL        $0x7fffffff, DX
	JZ           vzero
	ROWV(0, Z0)
	ROWV(64, Z1)
	ROWV(128, Z2)
	ROWV(192, Z3)
	ROWV(256, Z4)
	ROWV(320, Z5)
	ROWV(384, Z6)
	ROWV(448, Z7)
	JMP          vdone

vzero:
	ROWVZERO(0, Z0)
	ROWVZERO(64, Z1)
	ROWVZERO(128, Z2)
	ROWVZERO(192, Z3)
	ROWVZERO(256, Z4)
	ROWVZERO(320, Z5)
	ROWVZERO(384, Z6)
	ROWVZERO(448, Z7)

vdone:
	VZEROUPPER
	RET

// func gemvWide512s(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32)
//
// gemv512s for 256 columns: sixteen accumulators, each row of B read as
// one contiguous 1 KiB run.
TEXT ·gemvWide512s(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ ps+16(FP), R9
	SHLQ $2, R9
	MOVQ b+24(FP), BX
	MOVQ ldb+32(FP), R8
	SHLQ $2, R8
	MOVQ c+40(FP), DI

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

wloop:
	TESTQ        CX, CX
	JZ           wstore
	VBROADCASTSS (SI), Z16
	VFMADD231PS  (BX), Z16, Z0
	VFMADD231PS  64(BX), Z16, Z1
	VFMADD231PS  128(BX), Z16, Z2
	VFMADD231PS  192(BX), Z16, Z3
	VFMADD231PS  256(BX), Z16, Z4
	VFMADD231PS  320(BX), Z16, Z5
	VFMADD231PS  384(BX), Z16, Z6
	VFMADD231PS  448(BX), Z16, Z7
	VFMADD231PS  512(BX), Z16, Z8
	VFMADD231PS  576(BX), Z16, Z9
	VFMADD231PS  640(BX), Z16, Z10
	VFMADD231PS  704(BX), Z16, Z11
	VFMADD231PS  768(BX), Z16, Z12
	VFMADD231PS  832(BX), Z16, Z13
	VFMADD231PS  896(BX), Z16, Z14
	VFMADD231PS  960(BX), Z16, Z15
	ADDQ         R9, SI
	ADDQ         R8, BX
	DECQ         CX
	JMP          wloop

wstore:
	VBROADCASTSS alpha+48(FP), Z26
	VBROADCASTSS beta+52(FP), Z27
	MOVL         beta+52(FP), DX
	TESTL        $0x7fffffff, DX
	JZ           wzero
	ROWV(0, Z0)
	ROWV(64, Z1)
	ROWV(128, Z2)
	ROWV(192, Z3)
	ROWV(256, Z4)
	ROWV(320, Z5)
	ROWV(384, Z6)
	ROWV(448, Z7)
	ROWV(512, Z8)
	ROWV(576, Z9)
	ROWV(640, Z10)
	ROWV(704, Z11)
	ROWV(768, Z12)
	ROWV(832, Z13)
	ROWV(896, Z14)
	ROWV(960, Z15)
	JMP          wdone

wzero:
	ROWVZERO(0, Z0)
	ROWVZERO(64, Z1)
	ROWVZERO(128, Z2)
	ROWVZERO(192, Z3)
	ROWVZERO(256, Z4)
	ROWVZERO(320, Z5)
	ROWVZERO(384, Z6)
	ROWVZERO(448, Z7)
	ROWVZERO(512, Z8)
	ROWVZERO(576, Z9)
	ROWVZERO(640, Z10)
	ROWVZERO(704, Z11)
	ROWVZERO(768, Z12)
	ROWVZERO(832, Z13)
	ROWVZERO(896, Z14)
	ROWVZERO(960, Z15)

wdone:
	VZEROUPPER
	RET
