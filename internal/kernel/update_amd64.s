//go:build !noasm

#include "textflag.h"

// AVX-512 optimizer updates. Each vector operation is the element-wise
// operation of the Go loop in update.go, in the same order and with no
// fused multiply-add, so every element gets the same bits. n is a multiple
// of the vector width (16 float32 or 8 float64); the Go wrapper does the
// rest.

// SGD flags.
#define DECAY 1
#define MOMENTUM 2
#define FIRST 4
#define NESTEROV 8

// func sgd512s(p, grad, buf *float32, n int, lr, wd, mu, damp float32, flags int)
TEXT ·sgd512s(SB), NOSPLIT, $0-56
	MOVQ         p+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         buf+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSS lr+32(FP), Z0
	VBROADCASTSS wd+36(FP), Z1
	VBROADCASTSS mu+40(FP), Z2
	VBROADCASTSS damp+44(FP), Z3
	MOVQ         flags+48(FP), AX
	XORQ         BX, BX
	TESTQ        AX, AX
	JNZ          sgeneral

	// Plain SGD, p = p + lr·g, 64 elements a step while there are.
	MOVQ CX, R8
	ANDQ $~63, R8

splain64:
	CMPQ    BX, R8
	JGE     splain16
	VMOVUPS (SI)(BX*4), Z4
	VMOVUPS 64(SI)(BX*4), Z5
	VMOVUPS 128(SI)(BX*4), Z6
	VMOVUPS 192(SI)(BX*4), Z7
	VMULPS  Z4, Z0, Z4
	VMULPS  Z5, Z0, Z5
	VMULPS  Z6, Z0, Z6
	VMULPS  Z7, Z0, Z7
	VADDPS  (DI)(BX*4), Z4, Z4
	VADDPS  64(DI)(BX*4), Z5, Z5
	VADDPS  128(DI)(BX*4), Z6, Z6
	VADDPS  192(DI)(BX*4), Z7, Z7
	VMOVUPS Z4, (DI)(BX*4)
	VMOVUPS Z5, 64(DI)(BX*4)
	VMOVUPS Z6, 128(DI)(BX*4)
	VMOVUPS Z7, 192(DI)(BX*4)
	ADDQ    $64, BX
	JMP     splain64

splain16:
	CMPQ    BX, CX
	JGE     sdone
	VMOVUPS (SI)(BX*4), Z4
	VMULPS  Z4, Z0, Z4
	VADDPS  (DI)(BX*4), Z4, Z4
	VMOVUPS Z4, (DI)(BX*4)
	ADDQ    $16, BX
	JMP     splain16

sgeneral:
	CMPQ    BX, CX
	JGE     sdone
	VMOVUPS (SI)(BX*4), Z4 // d = g
	VMOVUPS (DI)(BX*4), Z5 // p
	TESTQ   $DECAY, AX
	JZ      snodecay
	VMULPS  Z5, Z1, Z6     // λ·p
	VADDPS  Z6, Z4, Z4     // d = d + λ·p

snodecay:
	TESTQ   $MOMENTUM, AX
	JZ      supdate
	TESTQ   $FIRST, AX
	JZ      snotfirst
	VMOVAPS Z4, Z7         // b = d
	JMP     sstore

snotfirst:
	VMOVUPS (DX)(BX*4), Z7
	VMULPS  Z2, Z7, Z7     // buf·μ
	VMULPS  Z4, Z3, Z8     // (1−τ)·d
	VADDPS  Z8, Z7, Z7     // b = buf·μ + (1−τ)·d

sstore:
	VMOVUPS Z7, (DX)(BX*4)
	TESTQ   $NESTEROV, AX
	JZ      snonest
	VMULPS  Z7, Z2, Z8     // μ·b
	VADDPS  Z8, Z4, Z4     // d = d + μ·b
	JMP     supdate

snonest:
	VMOVAPS Z7, Z4         // d = b

supdate:
	VMULPS  Z4, Z0, Z4     // (−lr)·d
	VADDPS  Z4, Z5, Z5     // p + (−lr)·d
	VMOVUPS Z5, (DI)(BX*4)
	ADDQ    $16, BX
	JMP     sgeneral

sdone:
	VZEROUPPER
	RET

// func sgd512d(p, grad, buf *float64, n int, lr, wd, mu, damp float64, flags int)
TEXT ·sgd512d(SB), NOSPLIT, $0-72
	MOVQ         p+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         buf+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSD lr+32(FP), Z0
	VBROADCASTSD wd+40(FP), Z1
	VBROADCASTSD mu+48(FP), Z2
	VBROADCASTSD damp+56(FP), Z3
	MOVQ         flags+64(FP), AX
	XORQ         BX, BX
	TESTQ        AX, AX
	JNZ          dgeneral

	MOVQ CX, R8
	ANDQ $~31, R8

dplain32:
	CMPQ    BX, R8
	JGE     dplain8
	VMOVUPD (SI)(BX*8), Z4
	VMOVUPD 64(SI)(BX*8), Z5
	VMOVUPD 128(SI)(BX*8), Z6
	VMOVUPD 192(SI)(BX*8), Z7
	VMULPD  Z4, Z0, Z4
	VMULPD  Z5, Z0, Z5
	VMULPD  Z6, Z0, Z6
	VMULPD  Z7, Z0, Z7
	VADDPD  (DI)(BX*8), Z4, Z4
	VADDPD  64(DI)(BX*8), Z5, Z5
	VADDPD  128(DI)(BX*8), Z6, Z6
	VADDPD  192(DI)(BX*8), Z7, Z7
	VMOVUPD Z4, (DI)(BX*8)
	VMOVUPD Z5, 64(DI)(BX*8)
	VMOVUPD Z6, 128(DI)(BX*8)
	VMOVUPD Z7, 192(DI)(BX*8)
	ADDQ    $32, BX
	JMP     dplain32

dplain8:
	CMPQ    BX, CX
	JGE     ddone
	VMOVUPD (SI)(BX*8), Z4
	VMULPD  Z4, Z0, Z4
	VADDPD  (DI)(BX*8), Z4, Z4
	VMOVUPD Z4, (DI)(BX*8)
	ADDQ    $8, BX
	JMP     dplain8

dgeneral:
	CMPQ    BX, CX
	JGE     ddone
	VMOVUPD (SI)(BX*8), Z4
	VMOVUPD (DI)(BX*8), Z5
	TESTQ   $DECAY, AX
	JZ      dnodecay
	VMULPD  Z5, Z1, Z6
	VADDPD  Z6, Z4, Z4

dnodecay:
	TESTQ   $MOMENTUM, AX
	JZ      dupdate
	TESTQ   $FIRST, AX
	JZ      dnotfirst
	VMOVAPD Z4, Z7
	JMP     dstore

dnotfirst:
	VMOVUPD (DX)(BX*8), Z7
	VMULPD  Z2, Z7, Z7
	VMULPD  Z4, Z3, Z8
	VADDPD  Z8, Z7, Z7

dstore:
	VMOVUPD Z7, (DX)(BX*8)
	TESTQ   $NESTEROV, AX
	JZ      dnonest
	VMULPD  Z7, Z2, Z8
	VADDPD  Z8, Z4, Z4
	JMP     dupdate

dnonest:
	VMOVAPD Z7, Z4

dupdate:
	VMULPD  Z4, Z0, Z4
	VADDPD  Z4, Z5, Z5
	VMOVUPD Z5, (DI)(BX*8)
	ADDQ    $8, BX
	JMP     dgeneral

ddone:
	VZEROUPPER
	RET

// Adam modes.
#define L2 1
#define DECOUPLE 2

// func adam512s(p, grad, m, v *float32, n int, step, bc2, b1, c1, b2, c2, eps, wd, decay float32, mode int)
TEXT ·adam512s(SB), NOSPLIT, $0-88
	MOVQ         p+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         m+16(FP), R8
	MOVQ         v+24(FP), R9
	MOVQ         n+32(FP), CX
	VBROADCASTSS step+40(FP), Z0
	VBROADCASTSS bc2+44(FP), Z1
	VBROADCASTSS b1+48(FP), Z2
	VBROADCASTSS c1+52(FP), Z3
	VBROADCASTSS b2+56(FP), Z4
	VBROADCASTSS c2+60(FP), Z5
	VBROADCASTSS eps+64(FP), Z6
	VBROADCASTSS wd+68(FP), Z7
	VBROADCASTSS decay+72(FP), Z8
	MOVQ         mode+80(FP), AX
	XORQ         BX, BX

aloop:
	CMPQ    BX, CX
	JGE     adone
	VMOVUPS (SI)(BX*4), Z10 // g
	VMOVUPS (DI)(BX*4), Z11 // p
	TESTQ   $DECOUPLE, AX
	JZ      anodecouple
	VMULPS  Z8, Z11, Z11    // p = p·(1 − lr·λ)
	JMP     amoments

anodecouple:
	TESTQ   $L2, AX
	JZ      amoments
	VMULPS  Z11, Z7, Z12    // λ·p
	VADDPS  Z12, Z10, Z10   // g = g + λ·p

amoments:
	VMOVUPS (R8)(BX*4), Z12
	VMULPS  Z2, Z12, Z12    // m·β₁
	VMULPS  Z10, Z3, Z13    // (1−β₁)·g
	VADDPS  Z13, Z12, Z12   // m = m·β₁ + (1−β₁)·g
	VMOVUPS Z12, (R8)(BX*4)
	VMOVUPS (R9)(BX*4), Z14
	VMULPS  Z4, Z14, Z14    // v·β₂
	VMULPS  Z10, Z5, Z15    // (1−β₂)·g
	VMULPS  Z10, Z15, Z15   // (1−β₂)·g·g
	VADDPS  Z15, Z14, Z14   // v = v·β₂ + (1−β₂)·g·g
	VMOVUPS Z14, (R9)(BX*4)
	VSQRTPS Z14, Z15        // √v
	VDIVPS  Z1, Z15, Z15    // √v / √bc₂
	VADDPS  Z6, Z15, Z15    // + ε
	VDIVPS  Z15, Z12, Z13   // m / denom
	VMULPS  Z13, Z0, Z13    // (−step)·(m / denom)
	VADDPS  Z13, Z11, Z11   // p + …
	VMOVUPS Z11, (DI)(BX*4)
	ADDQ    $16, BX
	JMP     aloop

adone:
	VZEROUPPER
	RET

// func adam512d(p, grad, m, v *float64, n int, step, bc2, b1, c1, b2, c2, eps, wd, decay float64, mode int)
TEXT ·adam512d(SB), NOSPLIT, $0-120
	MOVQ         p+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         m+16(FP), R8
	MOVQ         v+24(FP), R9
	MOVQ         n+32(FP), CX
	VBROADCASTSD step+40(FP), Z0
	VBROADCASTSD bc2+48(FP), Z1
	VBROADCASTSD b1+56(FP), Z2
	VBROADCASTSD c1+64(FP), Z3
	VBROADCASTSD b2+72(FP), Z4
	VBROADCASTSD c2+80(FP), Z5
	VBROADCASTSD eps+88(FP), Z6
	VBROADCASTSD wd+96(FP), Z7
	VBROADCASTSD decay+104(FP), Z8
	MOVQ         mode+112(FP), AX
	XORQ         BX, BX

bloop:
	CMPQ    BX, CX
	JGE     bdone
	VMOVUPD (SI)(BX*8), Z10
	VMOVUPD (DI)(BX*8), Z11
	TESTQ   $DECOUPLE, AX
	JZ      bnodecouple
	VMULPD  Z8, Z11, Z11
	JMP     bmoments

bnodecouple:
	TESTQ   $L2, AX
	JZ      bmoments
	VMULPD  Z11, Z7, Z12
	VADDPD  Z12, Z10, Z10

bmoments:
	VMOVUPD (R8)(BX*8), Z12
	VMULPD  Z2, Z12, Z12
	VMULPD  Z10, Z3, Z13
	VADDPD  Z13, Z12, Z12
	VMOVUPD Z12, (R8)(BX*8)
	VMOVUPD (R9)(BX*8), Z14
	VMULPD  Z4, Z14, Z14
	VMULPD  Z10, Z5, Z15
	VMULPD  Z10, Z15, Z15
	VADDPD  Z15, Z14, Z14
	VMOVUPD Z14, (R9)(BX*8)
	VSQRTPD Z14, Z15
	VDIVPD  Z1, Z15, Z15
	VADDPD  Z6, Z15, Z15
	VDIVPD  Z15, Z12, Z13
	VMULPD  Z13, Z0, Z13
	VADDPD  Z13, Z11, Z11
	VMOVUPD Z11, (DI)(BX*8)
	ADDQ    $8, BX
	JMP     bloop

bdone:
	VZEROUPPER
	RET
