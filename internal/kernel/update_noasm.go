//go:build noasm || !amd64

package kernel

// Without assembly the optimizer updates are their Go loops alone.

func sgdAsm[T Float](_, _, _ []T, _ *SGDCoef[T]) int { return 0 }

func adamAsm[T Float](_, _, _, _, _ []T, _ *AdamCoef[T]) int { return 0 }
