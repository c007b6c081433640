package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered *Hook

// Register makes h the hook this plugin exports, named name at version. A
// plugin's main package calls it from init; a hook with no function set
// panics, which the host reports when it loads the plugin. Natively it
// only keeps h for Registered, so that a plugin's init runs in tests.
func Register(name, version string, h Hook) {
	m, err := Manifest(name, version, h)
	if err != nil {
		panic(err.Error())
	}
	registered = &h
	abi.SetManifest(m)
}

// Registered returns the hook passed to Register, nil before.
func Registered() *Hook { return registered }

// Log sends a message to the host's log (level abi.LogDebug to
// abi.LogError), attributed to this hook; natively, to abi.NativeLog when
// it is set.
func Log(level int32, msg string) { abi.Log(level, msg) }
