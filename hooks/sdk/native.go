//go:build !wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered *Hook

// Register validates h and keeps it for Registered. In a wasip1 build it
// also makes it the hook the plugin exports; natively it lets a plugin's
// init run in tests. A hook with no function set panics.
func Register(name, version string, h Hook) {
	if _, err := Manifest(name, version, h); err != nil {
		panic(err.Error())
	}
	registered = &h
}

// Registered returns the hook passed to Register, nil before.
func Registered() *Hook { return registered }

// Log sends a message to abi.NativeLog when it is set (in a wasip1 build,
// to the host's log).
func Log(level int32, msg string) { abi.Log(level, msg) }
