package tensor

import "unsafe"

func addr[T Float](x []T) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(x))) }

func size[T Float]() uintptr {
	var v T
	return unsafe.Sizeof(v)
}

// DType returns the name of the element type T, "float32" or "float64",
// and its size in bytes: what a model file's header calls its dtype.
func DType[T Float]() (name string, bytes int) {
	if size[T]() == 4 {
		return "float32", 4
	}
	return "float64", 8
}
