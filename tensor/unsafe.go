package tensor

import "unsafe"

func addr[T Float](x []T) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(x))) }

func size[T Float]() uintptr {
	var v T
	return unsafe.Sizeof(v)
}
