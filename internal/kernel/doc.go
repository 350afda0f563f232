// Package kernel holds the numeric inner loops of nerve: matrix multiply
// and its plain reference twin.
//
// Everything above this package multiplies matrices through Gemm, so a
// faster implementation (assembly micro-kernels, a worker pool) can replace
// the body of Gemm without any layer, loss or optimizer changing. GemmRef is
// the textbook triple loop, kept beside it as the definition every faster
// path is tested against.
//
// The package works on raw row-major slices with explicit leading
// dimensions, as BLAS does. It does not validate its arguments beyond what
// indexing checks: callers (package tensor) validate shapes first.
package kernel
