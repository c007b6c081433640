//go:build wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered *Hook

// Register makes h the hook this plugin exports, named name at version. A
// plugin's main package calls it from init; a hook with no function set
// panics, which the host reports when it loads the plugin.
func Register(name, version string, h Hook) {
	m, err := Manifest(name, version, h)
	if err != nil {
		panic(err.Error())
	}
	registered = &h
	abi.SetManifest(m)
}

// Log sends a message to the host's log (level abi.LogDebug to
// abi.LogError), attributed to this hook.
func Log(level int32, msg string) { abi.Log(level, msg) }

//go:wasmexport cqltrack_hook
func exportHook(ptr, size uint32) uint64 {
	return abi.Serve(ptr, size, func(data []byte) []byte {
		if registered == nil {
			return abi.AppendError(nil, "no hook registered: call sdk.Register from init")
		}
		return Handle(*registered, data)
	})
}

// Registered returns the hook passed to Register, nil before.
func Registered() *Hook { return registered }
