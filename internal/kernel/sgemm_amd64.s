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

// func gemm512s(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)
TEXT ·gemm512s(SB), NOSPLIT, $0-60
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

// func gemmSmall512s(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)
TEXT ·gemmSmall512s(SB), NOSPLIT, $0-84
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
// AVX2+FMA micro-kernel: a 6×16 tile of C from packed panels, the first mr
// rows stored. Accumulators Y0..Y11 (row r in Y(2r), Y(2r+1)); packed B in
// Y12, Y13; broadcasts in Y14, Y15.
//
// Every AVX2 kernel computes an element of C the same way: acc = 0,
// acc = a·b + acc (one FMA) for p ascending, then acc·alpha and, when
// beta ≠ 0, acc·alpha + beta·C (one FMA), so a tile's shape never changes
// its results.

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

// Row stores: alpha in Y12, beta in Y13, Y14 and Y15 free.
#define ROWBETA256(lo, hi) \
	VMULPS      Y12, lo, lo \
	VMULPS      Y12, hi, hi \
	VMOVUPS     (DI), Y14 \
	VMOVUPS     32(DI), Y15 \
	VFMADD231PS Y13, Y14, lo \
	VFMADD231PS Y13, Y15, hi \
	VMOVUPS     lo, (DI) \
	VMOVUPS     hi, 32(DI)

#define ROWZERO256(lo, hi) \
	VMULPS  Y12, lo, lo \
	VMULPS  Y12, hi, hi \
	VMOVUPS lo, (DI) \
	VMOVUPS hi, 32(DI)

#define NEXTROW256 \
	DECQ SI \
	JZ   adone \
	ADDQ R8, DI

// The store phase of the 6×16 kernels (frame offsets of alpha, beta, mr
// as in gemm256s plus off): rows of C at DI, R8 bytes apart.
#define STORE256(off) \
	VBROADCASTSS alpha+(40+off)(FP), Y12 \
	VBROADCASTSS beta+(44+off)(FP), Y13 \
	MOVQ         mr+(48+off)(FP), SI \
	MOVL         beta+(44+off)(FP), DX \
	TESTL        $0x7fffffff, DX \
	JZ           azero \
	ROWBETA256(Y0, Y1) \
	NEXTROW256 \
	ROWBETA256(Y2, Y3) \
	NEXTROW256 \
	ROWBETA256(Y4, Y5) \
	NEXTROW256 \
	ROWBETA256(Y6, Y7) \
	NEXTROW256 \
	ROWBETA256(Y8, Y9) \
	NEXTROW256 \
	ROWBETA256(Y10, Y11) \
	JMP          adone \
azero: \
	ROWZERO256(Y0, Y1) \
	NEXTROW256 \
	ROWZERO256(Y2, Y3) \
	NEXTROW256 \
	ROWZERO256(Y4, Y5) \
	NEXTROW256 \
	ROWZERO256(Y6, Y7) \
	NEXTROW256 \
	ROWZERO256(Y8, Y9) \
	NEXTROW256 \
	ROWZERO256(Y10, Y11) \
adone: \
	VZEROUPPER \
	RET

// ZERO256 clears the twelve accumulators of the 6×16 kernels.
#define ZERO256 \
	VXORPS Y0, Y0, Y0 \
	VXORPS Y1, Y1, Y1 \
	VXORPS Y2, Y2, Y2 \
	VXORPS Y3, Y3, Y3 \
	VXORPS Y4, Y4, Y4 \
	VXORPS Y5, Y5, Y5 \
	VXORPS Y6, Y6, Y6 \
	VXORPS Y7, Y7, Y7 \
	VXORPS Y8, Y8, Y8 \
	VXORPS Y9, Y9, Y9 \
	VXORPS Y10, Y10, Y10 \
	VXORPS Y11, Y11, Y11

// func gemm256s(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int)
TEXT ·gemm256s(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8

	ZERO256

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
	STORE256(0)

// The 6×16 kernel reading an untransposed A in place: row r of the tile at
// step p is SI + r·R9 + 4p for r < 3 and R10 + (r−3)·R9 + 4p for r ≥ 3
// (R9 = 4·lda, R10 = SI + 3·R9). Registers otherwise as in STEP256.

#define STEP256U(ao, bo) \
	VMOVUPS      (bo)(BX), Y12 \
	VMOVUPS      (bo+32)(BX), Y13 \
	VBROADCASTSS (ao)(SI), Y14 \
	VFMADD231PS  Y12, Y14, Y0 \
	VFMADD231PS  Y13, Y14, Y1 \
	VBROADCASTSS (ao)(SI)(R9*1), Y15 \
	VFMADD231PS  Y12, Y15, Y2 \
	VFMADD231PS  Y13, Y15, Y3 \
	VBROADCASTSS (ao)(SI)(R9*2), Y14 \
	VFMADD231PS  Y12, Y14, Y4 \
	VFMADD231PS  Y13, Y14, Y5 \
	VBROADCASTSS (ao)(R10), Y15 \
	VFMADD231PS  Y12, Y15, Y6 \
	VFMADD231PS  Y13, Y15, Y7 \
	VBROADCASTSS (ao)(R10)(R9*1), Y14 \
	VFMADD231PS  Y12, Y14, Y8 \
	VFMADD231PS  Y13, Y14, Y9 \
	VBROADCASTSS (ao)(R10)(R9*2), Y15 \
	VFMADD231PS  Y12, Y15, Y10 \
	VFMADD231PS  Y13, Y15, Y11

// func gemm256us(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, mr int)
TEXT ·gemm256us(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R9
	SHLQ $2, R9
	LEAQ (SI)(R9*2), R10
	ADDQ R9, R10
	MOVQ b+24(FP), BX
	MOVQ c+32(FP), DI
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8

	ZERO256

uloop4:
	CMPQ CX, $4
	JB   utail
	STEP256U(0, 0)
	STEP256U(4, 64)
	STEP256U(8, 128)
	STEP256U(12, 192)
	ADDQ $16, SI
	ADDQ $16, R10
	ADDQ $256, BX
	SUBQ $4, CX
	JMP  uloop4

utail:
	TESTQ CX, CX
	JZ    ustore
	STEP256U(0, 0)
	ADDQ  $4, SI
	ADDQ  $4, R10
	ADDQ  $64, BX
	DECQ  CX
	JMP   utail

ustore:
	STORE256(8)

// ---------------------------------------------------------------------------
// AVX2+FMA edge kernel for the last one or two rows of C: a 2×32 tile from
// the first two rows of a packed 6-row panel of A and two packed 16-column
// panels of B (BX and BX+R9), the first mr rows stored. Accumulators Y0..Y3
// (row 0, columns 0..31) and Y4..Y7 (row 1); packed B in Y8..Y11;
// broadcasts in Y12, Y13.

#define STEP2X32(ao, bo) \
	VMOVUPS      (bo)(BX), Y8 \
	VMOVUPS      (bo+32)(BX), Y9 \
	VMOVUPS      (bo)(BX)(R9*1), Y10 \
	VMOVUPS      (bo+32)(BX)(R9*1), Y11 \
	VBROADCASTSS (ao)(AX), Y12 \
	VBROADCASTSS (ao+4)(AX), Y13 \
	VFMADD231PS  Y8, Y12, Y0 \
	VFMADD231PS  Y9, Y12, Y1 \
	VFMADD231PS  Y10, Y12, Y2 \
	VFMADD231PS  Y11, Y12, Y3 \
	VFMADD231PS  Y8, Y13, Y4 \
	VFMADD231PS  Y9, Y13, Y5 \
	VFMADD231PS  Y10, Y13, Y6 \
	VFMADD231PS  Y11, Y13, Y7

// Row stores: alpha in Y12, beta in Y13, Y8..Y11 free.
#define ROWBETA2X32(c0, c1, c2, c3) \
	VMULPS      Y12, c0, c0 \
	VMULPS      Y12, c1, c1 \
	VMULPS      Y12, c2, c2 \
	VMULPS      Y12, c3, c3 \
	VMOVUPS     (DI), Y8 \
	VMOVUPS     32(DI), Y9 \
	VMOVUPS     64(DI), Y10 \
	VMOVUPS     96(DI), Y11 \
	VFMADD231PS Y13, Y8, c0 \
	VFMADD231PS Y13, Y9, c1 \
	VFMADD231PS Y13, Y10, c2 \
	VFMADD231PS Y13, Y11, c3 \
	VMOVUPS     c0, (DI) \
	VMOVUPS     c1, 32(DI) \
	VMOVUPS     c2, 64(DI) \
	VMOVUPS     c3, 96(DI)

#define ROWZERO2X32(c0, c1, c2, c3) \
	VMULPS  Y12, c0, c0 \
	VMULPS  Y12, c1, c1 \
	VMULPS  Y12, c2, c2 \
	VMULPS  Y12, c3, c3 \
	VMOVUPS c0, (DI) \
	VMOVUPS c1, 32(DI) \
	VMOVUPS c2, 64(DI) \
	VMOVUPS c3, 96(DI)

// func gemmEdge256s(k int, a, b *float32, ps int, c *float32, ldc int, alpha, beta float32, mr int)
TEXT ·gemmEdge256s(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ ps+24(FP), R9
	SHLQ $2, R9
	MOVQ c+32(FP), DI
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

eloop4:
	CMPQ CX, $4
	JB   etail
	STEP2X32(0, 0)
	STEP2X32(24, 64)
	STEP2X32(48, 128)
	STEP2X32(72, 192)
	ADDQ $96, AX
	ADDQ $256, BX
	SUBQ $4, CX
	JMP  eloop4

etail:
	TESTQ CX, CX
	JZ    estore
	STEP2X32(0, 0)
	ADDQ  $24, AX
	ADDQ  $64, BX
	DECQ  CX
	JMP   etail

estore:
	VBROADCASTSS alpha+48(FP), Y12
	VBROADCASTSS beta+52(FP), Y13
	MOVQ         mr+56(FP), SI
	MOVL         beta+52(FP), DX
	TESTL        $0x7fffffff, DX
	JZ           ezero
	ROWBETA2X32(Y0, Y1, Y2, Y3)
	DECQ         SI
	JZ           edone
	ADDQ         R8, DI
	ROWBETA2X32(Y4, Y5, Y6, Y7)
	JMP          edone

ezero:
	ROWZERO2X32(Y0, Y1, Y2, Y3)
	DECQ SI
	JZ   edone
	ADDQ R8, DI
	ROWZERO2X32(Y4, Y5, Y6, Y7)

edone:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// Transposing pack (AVX): for blocks of 8 k-steps,
// dst[(p)·ds + r] = src[r·ld + p] for r < 8, p < k8 (k8 a multiple of 8).

// func transpose8s(k8 int, src *float32, ld int, dst *float32, ds int)
TEXT ·transpose8s(SB), NOSPLIT, $0-40
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

// ---------------------------------------------------------------------------
// Packing for the AVX2 6×16 kernel.

// packA6s packs six rows of A (untransposed) into a 6-row panel, eight
// k-steps at a time: dst[p·6 + r] = src[r·ld + p] for r < 6, p < k8.
//
// Y0..Y5 hold rows 0..5 at p..p+7. Unpacking rows (0,1), (2,3), (4,5) and
// shuffling the first two pairs gives rows 0..3 of step p in one 128-bit
// lane (Y0..Y3: steps p+0..3 low, p+4..7 high) and rows 4, 5 of step p in
// one quadword (Y10: steps p+0, p+1 | p+4, p+5; Y11: p+2, p+3 | p+6, p+7).

// func packA6s(k8 int, src *float32, ld int, dst *float32)
TEXT ·packA6s(SB), NOSPLIT, $0-32
	MOVQ k8+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R9
	SHLQ $2, R9
	MOVQ dst+24(FP), DI
	LEAQ (SI)(R9*2), R10
	LEAQ (R10)(R9*2), R11

a6loop:
	CMPQ    CX, $8
	JB      a6done
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R9*1), Y1
	VMOVUPS (R10), Y2
	VMOVUPS (R10)(R9*1), Y3
	VMOVUPS (R11), Y4
	VMOVUPS (R11)(R9*1), Y5
	ADDQ    $32, SI
	ADDQ    $32, R10
	ADDQ    $32, R11

	VUNPCKLPS Y1, Y0, Y6
	VUNPCKHPS Y1, Y0, Y7
	VUNPCKLPS Y3, Y2, Y8
	VUNPCKHPS Y3, Y2, Y9
	VUNPCKLPS Y5, Y4, Y10
	VUNPCKHPS Y5, Y4, Y11
	VSHUFPS   $0x44, Y8, Y6, Y0
	VSHUFPS   $0xEE, Y8, Y6, Y1
	VSHUFPS   $0x44, Y9, Y7, Y2
	VSHUFPS   $0xEE, Y9, Y7, Y3

	VMOVUPS      X0, (DI)
	VMOVLPS      X10, 16(DI)
	VMOVUPS      X1, 24(DI)
	VMOVHPS      X10, 40(DI)
	VMOVUPS      X2, 48(DI)
	VMOVLPS      X11, 64(DI)
	VMOVUPS      X3, 72(DI)
	VMOVHPS      X11, 88(DI)
	VEXTRACTF128 $1, Y10, X12
	VEXTRACTF128 $1, Y11, X13
	VEXTRACTF128 $1, Y0, 96(DI)
	VMOVLPS      X12, 112(DI)
	VEXTRACTF128 $1, Y1, 120(DI)
	VMOVHPS      X12, 136(DI)
	VEXTRACTF128 $1, Y2, 144(DI)
	VMOVLPS      X13, 160(DI)
	VEXTRACTF128 $1, Y3, 168(DI)
	VMOVHPS      X13, 184(DI)
	ADDQ         $192, DI
	SUBQ         $8, CX
	JMP          a6loop

a6done:
	VZEROUPPER
	RET

// packA6Ts packs six columns of A (transposed: op(A) row r is column r of
// A) into a 6-row panel: dst[p·6 + r] = src[p·ld + r] for r < 6, p < k.
// X0/X1 carry rows 0..3 and 4, 5 of a step.

// func packA6Ts(k int, src *float32, ld int, dst *float32)
TEXT ·packA6Ts(SB), NOSPLIT, $0-32
	MOVQ k+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R9
	SHLQ $2, R9
	MOVQ dst+24(FP), DI

a6tloop2:
	CMPQ    CX, $2
	JB      a6ttail
	VMOVUPS (SI), X0
	VMOVSD  16(SI), X1
	VMOVUPS (SI)(R9*1), X2
	VMOVSD  16(SI)(R9*1), X3
	VMOVUPS X0, (DI)
	VMOVSD  X1, 16(DI)
	VMOVUPS X2, 24(DI)
	VMOVSD  X3, 40(DI)
	LEAQ    (SI)(R9*2), SI
	ADDQ    $48, DI
	SUBQ    $2, CX
	JMP     a6tloop2

a6ttail:
	TESTQ   CX, CX
	JZ      a6tdone
	VMOVUPS (SI), X0
	VMOVSD  16(SI), X1
	VMOVUPS X0, (DI)
	VMOVSD  X1, 16(DI)

a6tdone:
	RET

// packB16Ts packs sixteen rows of B (transposed: op(B) column j is row j of
// B) into a 16-column panel, eight k-steps at a time:
// dst[p·16 + j] = src[j·ld + p] for j < 16, p < k8 (k8 a multiple of 8).
//
// Each 8×8 block (rows j0..j0+7 of B) is transposed in two shuffle rounds:
// Y0..Y3 hold rows j0+r (low lane) and j0+4+r (high lane) at steps p..p+3,
// Y4..Y7 the same at steps p+4..p+7; within each lane, unpacking pairs
// (Y8..Y11) and shuffling gives op(B) row p+q in Y(q) for the 8 columns.
// SI walks row j0 of B, R10 row j0+4, R11 row j0+8, R12 row j0+12; the
// same rows sixteen further on (the next panel) are prefetched.

#define TRANS8X8(r0, r4, pf, doff) \
	VMOVUPS      (r0), X0 \
	VINSERTF128  $1, (r4), Y0, Y0 \
	VMOVUPS      (r0)(R9*1), X1 \
	VINSERTF128  $1, (r4)(R9*1), Y1, Y1 \
	VMOVUPS      (r0)(R9*2), X2 \
	VINSERTF128  $1, (r4)(R9*2), Y2, Y2 \
	VMOVUPS      (r0)(R13*1), X3 \
	VINSERTF128  $1, (r4)(R13*1), Y3, Y3 \
	VMOVUPS      16(r0), X4 \
	VINSERTF128  $1, 16(r4), Y4, Y4 \
	VMOVUPS      16(r0)(R9*1), X5 \
	VINSERTF128  $1, 16(r4)(R9*1), Y5, Y5 \
	VMOVUPS      16(r0)(R9*2), X6 \
	VINSERTF128  $1, 16(r4)(R9*2), Y6, Y6 \
	VMOVUPS      16(r0)(R13*1), X7 \
	VINSERTF128  $1, 16(r4)(R13*1), Y7, Y7 \
	PREFETCHT0   (r0)(pf*1) \
	PREFETCHT0   (r4)(pf*1) \
	VUNPCKLPS    Y1, Y0, Y8 \
	VUNPCKHPS    Y1, Y0, Y9 \
	VUNPCKLPS    Y3, Y2, Y10 \
	VUNPCKHPS    Y3, Y2, Y11 \
	VSHUFPS      $0x44, Y10, Y8, Y0 \
	VSHUFPS      $0xEE, Y10, Y8, Y1 \
	VSHUFPS      $0x44, Y11, Y9, Y2 \
	VSHUFPS      $0xEE, Y11, Y9, Y3 \
	VUNPCKLPS    Y5, Y4, Y8 \
	VUNPCKHPS    Y5, Y4, Y9 \
	VUNPCKLPS    Y7, Y6, Y10 \
	VUNPCKHPS    Y7, Y6, Y11 \
	VSHUFPS      $0x44, Y10, Y8, Y4 \
	VSHUFPS      $0xEE, Y10, Y8, Y5 \
	VSHUFPS      $0x44, Y11, Y9, Y6 \
	VSHUFPS      $0xEE, Y11, Y9, Y7 \
	VMOVUPS      Y0, (doff)(DI) \
	VMOVUPS      Y1, (doff+64)(DI) \
	VMOVUPS      Y2, (doff+128)(DI) \
	VMOVUPS      Y3, (doff+192)(DI) \
	VMOVUPS      Y4, (doff+256)(DI) \
	VMOVUPS      Y5, (doff+320)(DI) \
	VMOVUPS      Y6, (doff+384)(DI) \
	VMOVUPS      Y7, (doff+448)(DI)

// func packB16Ts(k8 int, src *float32, ld int, dst *float32)
TEXT ·packB16Ts(SB), NOSPLIT, $0-32
	MOVQ k8+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R9
	SHLQ $2, R9
	MOVQ dst+24(FP), DI
	LEAQ (R9)(R9*2), R13
	LEAQ (SI)(R9*4), R10
	LEAQ (R10)(R9*4), R11
	LEAQ (R11)(R9*4), R12
	MOVQ R9, DX
	SHLQ $4, DX

t16loop:
	CMPQ CX, $8
	JB   t16done
	TRANS8X8(SI, R10, DX, 0)
	TRANS8X8(R11, R12, DX, 32)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $512, DI
	SUBQ $8, CX
	JMP  t16loop

t16done:
	VZEROUPPER
	RET

// packB16s copies k rows of np·16 columns of B into np 16-column panels
// ps floats apart, row by row (B is read in order):
// dst[q·ps + p·16 + j] = src[p·ld + q·16 + j] for j < 16, q < np, p < k.
// Y0, Y1 carry 16 columns; SI walks row p of B, DI row p of the panels.

// func packB16s(k, np int, src *float32, ld int, dst *float32, ps int)
TEXT ·packB16s(SB), NOSPLIT, $0-48
	MOVQ  k+0(FP), CX
	MOVQ  np+8(FP), DX
	MOVQ  src+16(FP), R8
	MOVQ  ld+24(FP), R9
	SHLQ  $2, R9
	MOVQ  dst+32(FP), R11
	MOVQ  ps+40(FP), R10
	SHLQ  $2, R10
	TESTQ DX, DX
	JZ    b16done

b16row:
	TESTQ CX, CX
	JZ    b16done
	MOVQ  R8, SI
	MOVQ  R11, DI
	MOVQ  DX, BX

b16col:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $64, SI
	ADDQ    R10, DI
	DECQ    BX
	JNZ     b16col

	ADDQ R9, R8
	ADDQ $64, R11
	DECQ CX
	JMP  b16row

b16done:
	VZEROUPPER
	RET
