package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered []Format

// Register makes formats the formats this plugin exports, the plugin being
// named name at version. A plugin's main package calls it from init;
// invalid formats panic, which the host reports when it loads the plugin.
// Natively it only keeps them for Registered, so that a plugin's init runs
// in tests.
func Register(name, version string, formats ...Format) {
	m, err := Manifest(name, version, formats)
	if err != nil {
		panic(err.Error())
	}
	registered = formats
	abi.SetManifest(m)
}

// Registered returns the formats passed to Register.
func Registered() []Format { return registered }

// Log sends a message to the host's log (level abi.LogDebug to
// abi.LogError), attributed to this formatter; natively, to abi.NativeLog
// when it is set.
func Log(level int32, msg string) { abi.Log(level, msg) }
