// Package abi is the wire side of cqltrack's plugin ABI v1, shared by the
// host (package plugins) and by the guest SDKs compiled to WebAssembly
// (lint/sdk and the hook and formatter SDKs).
//
// It holds the export and import names, the manifest a plugin declares, the
// response envelope, and a small JSON reader and writer that work without
// reflection: reflection-based encoding/json inside a Go wasm guest costs
// about 17 µs per statement, the hand-written codec a small fraction of that.
// Everything here compiles for GOOS=wasip1 and pulls in no runtime-heavy
// packages, so a guest can afford it.
//
// When built for wasip1 the package also exports the guest half of the ABI
// functions every plugin has (cqltrack_abi_version, cqltrack_alloc,
// cqltrack_free, cqltrack_manifest); an SDK registers its manifest and its
// entry point with SetManifest and Serve. docs/plugin-abi.md is the
// normative description.
package abi

// Version is the ABI version this package speaks. A breaking change to any
// export, import or document shape bumps it; additive fields do not.
const Version = 1

// Names of the functions a plugin exports.
const (
	ExportInitialize = "_initialize"
	ExportStart      = "_start"
	ExportVersion    = "cqltrack_abi_version"
	ExportAlloc      = "cqltrack_alloc"
	ExportFree       = "cqltrack_free"
	ExportManifest   = "cqltrack_manifest"
	ExportLint       = "cqltrack_lint"
	ExportHook       = "cqltrack_hook"
	ExportFormat     = "cqltrack_format"
	ExportMemory     = "memory"
)

// HostModule is the import module name of the functions the host provides.
const HostModule = "cqltrack"

// HostLog is the name of the logging import: log(level, ptr, len i32).
const HostLog = "log"

// Log levels a guest passes to the log import.
const (
	LogDebug int32 = 0
	LogInfo  int32 = 1
	LogWarn  int32 = 2
	LogError int32 = 3
)

// Pack combines a guest pointer and a length into the i64 an entry point
// returns: the pointer in the high 32 bits, the length in the low 32.
func Pack(ptr, size uint32) uint64 { return uint64(ptr)<<32 | uint64(size) }

// Unpack splits a packed i64 into pointer and length.
func Unpack(v uint64) (ptr, size uint32) { return uint32(v >> 32), uint32(v) }
