//go:build !linux

package kernel

// threadCPU is not read on this platform: benchmarks leave out cpu-ns/op.
func threadCPU() int64 { return 0 }
