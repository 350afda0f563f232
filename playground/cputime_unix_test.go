//go:build unix

package playground

import "syscall"

// processCPU returns the CPU time the test process has used, in ns, or 0
// when the system does not say.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
