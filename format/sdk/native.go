//go:build !wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered []Format

// Register validates formats and keeps them for Registered. In a wasip1
// build it also makes them the formats the plugin exports; natively it
// lets a plugin's init run in tests. Invalid formats panic.
func Register(name, version string, formats ...Format) {
	if _, err := Manifest(name, version, formats); err != nil {
		panic(err.Error())
	}
	registered = formats
}

// Registered returns the formats passed to Register.
func Registered() []Format { return registered }

// Log sends a message to abi.NativeLog when it is set (in a wasip1 build,
// to the host's log).
func Log(level int32, msg string) { abi.Log(level, msg) }
