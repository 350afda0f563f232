package kernel

import "syscall"

// threadCPU returns the CPU time (user and system) that the calling OS
// thread has used so far, in nanoseconds, or 0 if it cannot be read.
func threadCPU() int64 {
	const rusageThread = 1 // RUSAGE_THREAD, Linux only
	var ru syscall.Rusage
	if syscall.Getrusage(rusageThread, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
