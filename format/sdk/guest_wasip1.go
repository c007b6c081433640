//go:build wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered []Format

// Register makes formats the formats this plugin exports, the plugin being
// named name at version. A plugin's main package calls it from init;
// invalid formats panic, which the host reports when it loads the plugin.
func Register(name, version string, formats ...Format) {
	m, err := Manifest(name, version, formats)
	if err != nil {
		panic(err.Error())
	}
	registered = formats
	abi.SetManifest(m)
}

// Log sends a message to the host's log (level abi.LogDebug to
// abi.LogError), attributed to this formatter.
func Log(level int32, msg string) { abi.Log(level, msg) }

//go:wasmexport cqltrack_format
func exportFormat(ptr, size uint32) uint64 {
	return abi.Serve(ptr, size, func(data []byte) []byte { return Handle(registered, data) })
}

// Registered returns the formats passed to Register.
func Registered() []Format { return registered }
