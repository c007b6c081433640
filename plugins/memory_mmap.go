//go:build linux || darwin

package plugins

import (
	"context"
	"runtime"

	"golang.org/x/sys/unix"

	"github.com/tetratelabs/wazero/experimental"
)

// withGuestMemory makes the instances created with ctx keep their linear
// memory in an anonymous mapping of the memory cap, reserved but not
// committed, instead of a Go slice. Growing then never copies (wazero
// appends to the slice otherwise, copying the whole memory each time a Go
// guest's heap grows), the kernel commits only the pages the guest touches,
// and the memory stays out of the host's Go heap, where it would double
// the garbage collector's goal.
func withGuestMemory(ctx context.Context) context.Context {
	return experimental.WithMemoryAllocator(ctx, experimental.MemoryAllocatorFunc(newMappedMemory))
}

// mappedMemory is a linear memory backed by one mapping of its maximum
// size, or by a Go slice when the mapping could not be made.
type mappedMemory struct {
	buf    []byte // the mapping, or the slice; the memory is buf[:size]
	mapped bool
}

func newMappedMemory(capBytes, maxBytes uint64) experimental.LinearMemory {
	if maxBytes > 0 {
		// MAP_NORESERVE: a reservation of address space, not of memory; a
		// guest that touches more than the machine has fails as any
		// process would.
		buf, err := unix.Mmap(-1, 0, int(maxBytes), unix.PROT_READ|unix.PROT_WRITE,
			unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
		if err == nil {
			m := &mappedMemory{buf: buf[:0], mapped: true}
			// Unmap only once nothing can reach the memory: wazero calls
			// Free when a module closes, which can race with a call still
			// running in it (a runtime shut down mid-call); that call must
			// read zeros, not fault.
			runtime.AddCleanup(m, func(b []byte) { _ = unix.Munmap(b) }, buf)
			return m
		}
	}
	return &mappedMemory{buf: make([]byte, 0, capBytes)}
}

// Reallocate returns the memory grown to size bytes; the guest's
// memory.grow fails (nil) only when a mapping is too small, which the
// memory cap prevents.
func (m *mappedMemory) Reallocate(size uint64) []byte {
	switch {
	case size <= uint64(cap(m.buf)):
		m.buf = m.buf[:size]
	case m.mapped:
		return nil
	default:
		m.buf = append(m.buf, make([]byte, int(size)-len(m.buf))...)
	}
	return m.buf
}

// Free gives the pages back to the kernel when the instance closes; the
// address space goes when the memory is no longer reachable (see
// newMappedMemory).
func (m *mappedMemory) Free() {
	if m.mapped && len(m.buf) > 0 {
		_ = unix.Madvise(m.buf, unix.MADV_DONTNEED)
	}
	m.buf = m.buf[:0]
}
