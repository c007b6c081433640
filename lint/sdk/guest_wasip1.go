//go:build wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

//go:wasmexport cqltrack_lint
func exportLint(ptr, size uint32) uint64 {
	return abi.Serve(ptr, size, func(data []byte) []byte {
		req, err := DecodeLintRequest(data)
		if err != nil {
			return abi.AppendError(nil, err.Error())
		}
		return AppendLintResponse(nil, RunNative(registered, req))
	})
}
