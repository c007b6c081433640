//go:build wasip1

package abi

import (
	"runtime"
	"unsafe"
)

// pinned keeps every buffer handed to the host reachable until the host
// frees it: the Go garbage collector does not see pointers held by the
// host, and would otherwise reuse the memory under its feet.
var pinned = map[uint32][]byte{}

var manifestJSON []byte

// SetManifest sets the document cqltrack_manifest returns. An SDK calls it
// once, from its registration function, before the host asks.
func SetManifest(m *Manifest) { manifestJSON = AppendManifest(nil, m) }

// Pin keeps b alive for the host and returns it packed as ptr<<32|len,
// which is what an entry point returns. The host frees it.
func Pin(b []byte) uint64 {
	if len(b) == 0 {
		b = make([]byte, 0, 1)
	}
	ptr := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	pinned[ptr] = b
	return Pack(ptr, uint32(len(b)))
}

// Request returns the request the host wrote at ptr (a buffer from
// cqltrack_alloc), or nil when ptr is not such a buffer or size exceeds it.
func Request(ptr, size uint32) []byte {
	b, ok := pinned[ptr]
	if !ok || int(size) > cap(b) {
		return nil
	}
	return b[:size]
}

// Serve runs an entry point body over the request at ptr/size: it hands
// the body the request, pins the response, and yields to the scheduler so
// the runtime's background work (the garbage collector among it) gets to
// run before control returns to the host. A panic in the body becomes an
// error envelope.
func Serve(ptr, size uint32, body func(req []byte) []byte) (packed uint64) {
	defer func() {
		if p := recover(); p != nil {
			packed = Pin(AppendError(nil, "panic: "+panicText(p)))
		}
		runtime.Gosched()
	}()
	req := Request(ptr, size)
	if req == nil && size > 0 {
		return Pin(AppendError(nil, "request pointer was not allocated with cqltrack_alloc"))
	}
	return Pin(body(req))
}

func panicText(p any) string {
	switch v := p.(type) {
	case error:
		return v.Error()
	case string:
		return v
	case interface{ String() string }:
		return v.String()
	}
	return "non-string panic value"
}

//go:wasmimport cqltrack log
func hostLog(level int32, ptr unsafe.Pointer, size uint32)

// Log sends a message to the host's log at the given level (LogDebug to
// LogError). The host caps message length.
func Log(level int32, msg string) {
	if msg == "" {
		return
	}
	hostLog(level, unsafe.Pointer(unsafe.StringData(msg)), uint32(len(msg)))
}

// The entry points (Serve) and cqltrack_manifest yield before they return,
// so that a guest's background work (the garbage collector's among it)
// runs while the host waits. alloc, free and the version do not: they
// surround every entry point call, and a yield in each of them doubled the
// cost of a small call in BenchmarkLintCall.

//go:wasmexport cqltrack_abi_version
func exportVersion() int32 { return Version }

//go:wasmexport cqltrack_alloc
func exportAlloc(size uint32) uint32 {
	b := make([]byte, size, max(size, 1))
	ptr := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	pinned[ptr] = b
	return ptr
}

//go:wasmexport cqltrack_free
func exportFree(ptr uint32) {
	delete(pinned, ptr)
}

//go:wasmexport cqltrack_manifest
func exportManifest() uint64 {
	defer runtime.Gosched()
	return Pin(append([]byte(nil), manifestJSON...))
}
