// Command abi2 speaks a future ABI version 2: the host must refuse it at
// load with an error naming both versions.
package main

import "unsafe"

var pinned = map[uint32][]byte{}

func pin(b []byte) uint32 {
	ptr := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	pinned[ptr] = b
	return ptr
}

//go:wasmexport cqltrack_abi_version
func version() int32 { return 2 }

//go:wasmexport cqltrack_alloc
func alloc(size uint32) uint32 { return pin(make([]byte, size, size+1)) }

//go:wasmexport cqltrack_free
func free(ptr uint32) { delete(pinned, ptr) }

//go:wasmexport cqltrack_manifest
func manifest() uint64 {
	b := []byte(`{"name":"abi2","version":"2.0.0","kind":"rule","abi_version":2,"rules":[{"id":"x","severity":"error","summary":"x"}]}`)
	return uint64(pin(b))<<32 | uint64(len(b))
}

//go:wasmexport cqltrack_lint
func lint(ptr, size uint32) uint64 { return 0 }

func main() {}
