package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered []Rule

// Register makes rules the rules of this plugin, named name at version. A
// plugin's main package calls it from init; invalid rules panic, which the
// host reports when it loads the plugin. Natively it only keeps them for
// Registered, so that a plugin's init runs in tests.
func Register(name, version string, rules ...Rule) {
	m, err := Manifest(name, version, rules)
	if err != nil {
		panic(err.Error())
	}
	registered = rules
	abi.SetManifest(m)
}

// Registered returns the rules passed to Register.
func Registered() []Rule { return registered }

// Log sends a message to the host's log (level abi.LogDebug to
// abi.LogError), attributed to this plugin; natively, to abi.NativeLog
// when it is set.
func Log(level int32, msg string) { abi.Log(level, msg) }
