//go:build !noasm

#include "textflag.h"

// AVX-512 ReLU epilogues for float32, one row of n at a time: full
// vectors of 16, then the last n%16 columns under the mask K1. Rows are
// ld elements apart (ld ≥ n), so that a block of columns of a wider matrix
// takes one call.

// func biasReLU512s(m, n, ld int, z, b, a *float32, tail uint16)
//
// With b == nil the bias is skipped and z is not written.
TEXT ·biasReLU512s(SB), NOSPLIT, $0-50
	MOVQ   m+0(FP), R8
	MOVQ   n+8(FP), R9
	MOVQ   ld+16(FP), R12
	MOVQ   z+24(FP), DI
	MOVQ   b+32(FP), DX
	MOVQ   a+40(FP), SI
	MOVWLZX tail+48(FP), AX
	KMOVW  AX, K1
	MOVQ   R9, R10
	ANDQ   $~15, R10 // full-vector columns
	VPXORD Z0, Z0, Z0
	TESTQ  R8, R8
	JZ     fdone

frow:
	XORQ BX, BX

fcol:
	CMPQ    BX, R10
	JGE     ftail
	VMOVUPS (DI)(BX*4), Z1
	TESTQ   DX, DX
	JZ      fnobias
	VADDPS  (DX)(BX*4), Z1, Z1 // z + b
	VMOVUPS Z1, (DI)(BX*4)

fnobias:
	VMAXPS  Z0, Z1, Z2 // z > 0 ? z : 0
	VMOVUPS Z2, (SI)(BX*4)
	ADDQ    $16, BX
	JMP     fcol

ftail:
	CMPQ      BX, R9
	JGE       fnext
	VMOVUPS.Z (DI)(BX*4), K1, Z1
	TESTQ     DX, DX
	JZ        ftailnobias
	VMOVUPS.Z (DX)(BX*4), K1, Z3
	VADDPS    Z3, Z1, Z1
	VMOVUPS   Z1, K1, (DI)(BX*4)

ftailnobias:
	VMAXPS  Z0, Z1, Z2
	VMOVUPS Z2, K1, (SI)(BX*4)

fnext:
	LEAQ (DI)(R12*4), DI
	LEAQ (SI)(R12*4), SI
	DECQ R8
	JNZ  frow

fdone:
	VZEROUPPER
	RET

// func reluBackward512s(m, n, ld int, dz, da, z, db *float32, tail uint16)
//
// dz = da where z > 0, else +0; db (if not nil) += each row of dz.
TEXT ·reluBackward512s(SB), NOSPLIT, $0-58
	MOVQ    m+0(FP), R8
	MOVQ    n+8(FP), R9
	MOVQ    ld+16(FP), R12
	MOVQ    dz+24(FP), DI
	MOVQ    da+32(FP), SI
	MOVQ    z+40(FP), R11
	MOVQ    db+48(FP), DX
	MOVWLZX tail+56(FP), AX
	KMOVW   AX, K1
	MOVQ    R9, R10
	ANDQ    $~15, R10
	VPXORD  Z0, Z0, Z0
	TESTQ   R8, R8
	JZ      bdone

brow:
	XORQ BX, BX

bcol:
	CMPQ      BX, R10
	JGE       btail
	VMOVUPS   (R11)(BX*4), Z1
	VCMPPS    $0x1e, Z0, Z1, K2 // z > 0 (ordered: NaN is not)
	VMOVUPS.Z (SI)(BX*4), K2, Z2
	VMOVUPS   Z2, (DI)(BX*4)
	TESTQ     DX, DX
	JZ        bnodb
	VADDPS    (DX)(BX*4), Z2, Z3
	VMOVUPS   Z3, (DX)(BX*4)

bnodb:
	ADDQ $16, BX
	JMP  bcol

btail:
	CMPQ      BX, R9
	JGE       bnext
	VMOVUPS.Z (R11)(BX*4), K1, Z1
	VCMPPS    $0x1e, Z0, Z1, K1, K2
	VMOVUPS.Z (SI)(BX*4), K2, Z2
	VMOVUPS   Z2, K1, (DI)(BX*4)
	TESTQ     DX, DX
	JZ        bnext
	VMOVUPS.Z (DX)(BX*4), K1, Z3
	VADDPS    Z3, Z2, Z3
	VMOVUPS   Z3, K1, (DX)(BX*4)

bnext:
	LEAQ (DI)(R12*4), DI
	LEAQ (SI)(R12*4), SI
	LEAQ (R11)(R12*4), R11
	DECQ R8
	JNZ  brow

bdone:
	VZEROUPPER
	RET
