//go:build !noasm

#include "textflag.h"
#include "neon_arm64.h"

// A register-only fused multiply-add loop for PeakGFLOPS: 24 independent
// accumulators, as many as gemm128s keeps, enough to cover a 4-cycle FMLA
// latency on four pipes (Apple M-series, Neoverse V1/V2); no memory
// operands.

// func fma128s(n int)
TEXT ·fma128s(SB), NOSPLIT, $0-8
	MOVD n+0(FP), R0
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	ZERO_V8_V31
	CMP  $0, R0
	BLE  done

loop:
	VFMLA V0.S4, V1.S4, V8.S4
	VFMLA V0.S4, V1.S4, V9.S4
	VFMLA V0.S4, V1.S4, V10.S4
	VFMLA V0.S4, V1.S4, V11.S4
	VFMLA V0.S4, V1.S4, V12.S4
	VFMLA V0.S4, V1.S4, V13.S4
	VFMLA V0.S4, V1.S4, V14.S4
	VFMLA V0.S4, V1.S4, V15.S4
	VFMLA V0.S4, V1.S4, V16.S4
	VFMLA V0.S4, V1.S4, V17.S4
	VFMLA V0.S4, V1.S4, V18.S4
	VFMLA V0.S4, V1.S4, V19.S4
	VFMLA V0.S4, V1.S4, V20.S4
	VFMLA V0.S4, V1.S4, V21.S4
	VFMLA V0.S4, V1.S4, V22.S4
	VFMLA V0.S4, V1.S4, V23.S4
	VFMLA V0.S4, V1.S4, V24.S4
	VFMLA V0.S4, V1.S4, V25.S4
	VFMLA V0.S4, V1.S4, V26.S4
	VFMLA V0.S4, V1.S4, V27.S4
	VFMLA V0.S4, V1.S4, V28.S4
	VFMLA V0.S4, V1.S4, V29.S4
	VFMLA V0.S4, V1.S4, V30.S4
	VFMLA V0.S4, V1.S4, V31.S4
	SUBS $1, R0
	BNE  loop

done:
	RET
