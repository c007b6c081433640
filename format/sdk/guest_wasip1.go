//go:build wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

//go:wasmexport cqltrack_format
func exportFormat(ptr, size uint32) uint64 {
	return abi.Serve(ptr, size, func(data []byte) []byte { return Handle(registered, data) })
}
