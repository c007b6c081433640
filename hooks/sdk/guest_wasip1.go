//go:build wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

//go:wasmexport cqltrack_hook
func exportHook(ptr, size uint32) uint64 {
	return abi.Serve(ptr, size, func(data []byte) []byte {
		if registered == nil {
			return abi.AppendError(nil, "no hook registered: call sdk.Register from init")
		}
		return Handle(*registered, data)
	})
}
