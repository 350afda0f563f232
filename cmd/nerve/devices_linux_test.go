package main

import (
	"errors"
	"os"
	"syscall"
)

// mknodLike makes a device node at path with the device number of fi.
func mknodLike(path string, fi os.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return errors.New("no device number")
	}
	return syscall.Mknod(path, syscall.S_IFCHR|0o666, int(st.Rdev))
}
