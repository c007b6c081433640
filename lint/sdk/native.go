//go:build !wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered []Rule

// Register validates rules and keeps them for Registered. In a wasip1 build
// it also makes them the rules the plugin exports; natively it lets a
// plugin's init run in tests. Invalid rules panic.
func Register(name, version string, rules ...Rule) {
	if _, err := Manifest(name, version, rules); err != nil {
		panic(err.Error())
	}
	registered = rules
}

// Registered returns the rules passed to Register.
func Registered() []Rule { return registered }

// Log sends a message to abi.NativeLog when it is set (in a wasip1 build,
// to the host's log).
func Log(level int32, msg string) { abi.Log(level, msg) }
