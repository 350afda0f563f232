//go:build !linux

package nn

// threadCPU is not measured here: the benchmarks leave out cpu-ns/op.
func threadCPU() int64 { return 0 }
