//go:build linux || darwin

package plugins

import (
	"testing"
	"unsafe"
)

// A guest's memory grows in place up to its cap and no further: growing
// keeps what the guest wrote without copying it, and a grow past the cap
// fails (the guest sees memory.grow return -1) instead of mapping more.
func TestMappedMemoryGrowsInPlace(t *testing.T) {
	const page = 65536
	m := newMappedMemory(0, 4*page).(*mappedMemory)
	defer m.Free()
	if !m.mapped {
		t.Fatal("memory is not mapped")
	}
	buf := m.Reallocate(page)
	if len(buf) != page {
		t.Fatalf("len %d, want %d", len(buf), page)
	}
	buf[0], buf[page-1] = 7, 9
	grown := m.Reallocate(3 * page)
	if len(grown) != 3*page || unsafe.SliceData(grown) != unsafe.SliceData(buf) {
		t.Fatalf("grow moved or sized the memory wrongly: len %d", len(grown))
	}
	if grown[0] != 7 || grown[page-1] != 9 || grown[2*page] != 0 {
		t.Fatal("grow lost the memory's contents")
	}
	if m.Reallocate(5*page) != nil {
		t.Fatal("grow past the cap succeeded")
	}
	if len(m.Reallocate(4*page)) != 4*page {
		t.Fatal("grow to exactly the cap failed")
	}
}
