//go:build unix

package cql

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and system, all
// threads, so garbage collection counts). The benchmarks report throughput
// per CPU second next to the wall-clock figure, which on a shared machine
// says more about the code than about the neighbours.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
