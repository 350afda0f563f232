package tensor

import "github.com/nerve-ml/nerve/internal/kernel"

// SetThreads sets how many threads one large matrix product (MatMul, and
// so every dense layer's forward and backward step) may use; n ≤ 0 means
// runtime.GOMAXPROCS(0), the default. The count is further capped by
// GOMAXPROCS. Results do not depend on it: every element is computed the
// same way whichever thread computes it, so a run gives the same bits on
// 1 thread or 16. It is safe to call at any time from any goroutine; a
// product already running keeps the count it started with.
func SetThreads(n int) { kernel.SetThreads(n) }

// Threads returns the number of threads a large matrix product uses now.
func Threads() int { return kernel.Threads() }
